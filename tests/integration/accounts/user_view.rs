//! The user page as a cached object, and its cursor while pastes arrive.

use std::time::{Duration, Instant};

use crate::support::app::{TestApp, quiet_periodic_jobs, spawn_with};

/// Reads `/u/{name}` until it comes from the cache: after a change, the
/// page is assembled from the store until the change's tombstone (2 s) is
/// gone, so that no assembly in flight can cache the list from before.
async fn until_cached(app: &TestApp, name: &str) {
    let deadline = Instant::now() + Duration::from_secs(10);
    let hits = app.metrics.cache_requests("user", "hit");
    while app.metrics.cache_requests("user", "hit") == hits {
        assert!(Instant::now() < deadline, "the user page was never cached");
        app.get(&format!("/u/{name}")).await;
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The ids a user page links to, in order.
fn linked_ids(page: &str) -> Vec<String> {
    page.split("<a class=\"title\" href=\"/")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_owned)
        .collect()
}

#[tokio::test]
async fn a_hot_user_page_is_one_cache_lookup_and_changes_show_at_once() {
    let app = spawn_with(quiet_periodic_jobs).await;
    let ada = app.signed_up("ada").await;
    let first = app.create_as(&ada, "first", "public").await;
    app.settle().await;
    assert_eq!(linked_ids(&app.get("/u/ada").await.1), vec![first.clone()]);
    until_cached(&app, "ada").await;
    let hits = app.metrics.cache_requests("user", "hit");
    let before = app.store_operations_total().await;
    for _ in 0..5 {
        assert_eq!(linked_ids(&app.get("/u/ada").await.1), vec![first.clone()]);
        let api = app.get("/api/v1/users/ada/pastes").await.1;
        assert!(api.contains(&first));
    }
    assert_eq!(
        app.store_operations_total().await,
        before,
        "hot user pages reached the store"
    );
    assert_eq!(app.metrics.cache_requests("user", "hit"), hits + 10);

    let second = app.create_as(&ada, "second", "public").await;
    assert_eq!(
        linked_ids(&app.get("/u/ada").await.1),
        vec![second.clone(), first.clone()],
        "a creation shows at once"
    );
    let hidden = app.create_as(&ada, "hidden", "private").await;
    assert!(!app.get("/u/ada").await.1.contains(&hidden));
    let path = format!("/{second}/delete");
    let deleted = app
        .post_form_as(Some(&ada), &path, &[("csrf_token", &ada.csrf)])
        .await;
    assert_eq!(deleted.status(), 200);
    assert_eq!(
        linked_ids(&app.get("/u/ada").await.1),
        vec![first],
        "a delete shows at once"
    );
}

#[tokio::test]
async fn the_cursor_pages_through_every_paste_once_while_more_arrive() {
    let app = spawn_with(quiet_periodic_jobs).await;
    let ada = app.signed_up("ada").await;
    let mut made = Vec::new();
    for n in 0..27 {
        made.push(app.create_as(&ada, &format!("paste {n}"), "public").await);
    }
    made.reverse(); // newest first, as listed
    let mut seen = Vec::new();
    let mut path = "/api/v1/users/ada/pastes?limit=10".to_owned();
    let mut arrivals = Vec::new();
    loop {
        let page: serde_json::Value = app.get_path(&path).await.json().await.expect("JSON");
        for line in page["pastes"].as_array().expect("a list") {
            seen.push(line["id"].as_str().expect("an id").to_owned());
        }
        // New pastes arrive between pages: they are newer than the cursor,
        // so they shift nothing the next page holds.
        arrivals.push(app.create_as(&ada, "arrived meanwhile", "public").await);
        match page["next_cursor"].as_str() {
            Some(cursor) => path = format!("/api/v1/users/ada/pastes?limit=10&cursor={cursor}"),
            None => break,
        }
    }
    assert_eq!(
        seen, made,
        "every paste once, in order, none of the arrivals"
    );
    let newest = linked_ids(&app.get("/u/ada").await.1);
    assert_eq!(
        newest.first(),
        arrivals.last(),
        "the first page shows the newest"
    );
}
