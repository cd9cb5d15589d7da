//! The user page as a cached object, and its cursor while pastes arrive.

use std::time::{Duration, Instant};

use pastebin::clock::Clock;

use crate::support::app::{TestApp, quiet_periodic_jobs, spawn_with, spawn_with_clock};

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

/// A listed paste's `created_at`, in milliseconds since the epoch.
fn created_at(line: &serde_json::Value) -> i128 {
    let text = line["created_at"].as_str().expect("a creation time");
    let at = time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
        .expect("RFC 3339");
    at.unix_timestamp_nanos() / 1_000_000
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
    let mut seen = Vec::new();
    let mut path = "/api/v1/users/ada/pastes?limit=10".to_owned();
    let mut arrivals = Vec::new();
    loop {
        let page: serde_json::Value = app.get_path(&path).await.json().await.expect("JSON");
        for line in page["pastes"].as_array().expect("a list") {
            seen.push((
                created_at(line),
                line["id"].as_str().expect("an id").to_owned(),
            ));
        }
        // New pastes arrive between pages: they are newer than the cursor,
        // so they shift nothing the next page holds.
        arrivals.push(app.create_as(&ada, "arrived meanwhile", "public").await);
        match page["next_cursor"].as_str() {
            Some(cursor) => path = format!("/api/v1/users/ada/pastes?limit=10&cursor={cursor}"),
            None => break,
        }
    }
    // Newest first by creation time (milliseconds); two pastes made in the
    // same millisecond are listed by id, descending (README, user pages), not
    // in the order they were made.
    let mut ordered = seen.clone();
    ordered.sort_by(|a, b| b.cmp(a));
    assert_eq!(seen, ordered, "newest first, ties by id");
    let mut ids: Vec<_> = seen.iter().map(|(_, id)| id.clone()).collect();
    ids.sort();
    let mut expected = made.clone();
    expected.sort();
    assert_eq!(ids, expected, "every paste once, none of the arrivals");
    let stamp = |id: &String| seen.iter().find(|(_, i)| i == id).map(|(at, _)| *at);
    for (earlier, later) in made.iter().zip(made.iter().skip(1)) {
        assert!(
            stamp(earlier) <= stamp(later),
            "{earlier}, made before {later}, has a later creation time"
        );
    }
    let newest = linked_ids(&app.get("/u/ada").await.1);
    assert_eq!(
        newest.first(),
        arrivals.last(),
        "the first page shows the newest"
    );
}

/// Listing order within one millisecond is the id's, descending: pastes made
/// at one instant (a frozen clock) come back in that order, and the cursor
/// pages through the tie without repeating or skipping any.
#[tokio::test]
async fn pastes_made_in_one_millisecond_are_listed_by_id_through_the_cursor() {
    let clock = Clock::manual(time::OffsetDateTime::now_utc());
    let app = spawn_with_clock(clock, quiet_periodic_jobs).await;
    let ada = app.signed_up("ada").await;
    let mut made = Vec::new();
    for n in 0..7 {
        made.push(app.create_as(&ada, &format!("paste {n}"), "public").await);
    }
    let mut seen = Vec::new();
    let mut path = "/api/v1/users/ada/pastes?limit=3".to_owned();
    loop {
        let page: serde_json::Value = app.get_path(&path).await.json().await.expect("JSON");
        for line in page["pastes"].as_array().expect("a list") {
            seen.push(line["id"].as_str().expect("an id").to_owned());
        }
        match page["next_cursor"].as_str() {
            Some(cursor) => path = format!("/api/v1/users/ada/pastes?limit=3&cursor={cursor}"),
            None => break,
        }
    }
    made.sort_by(|a, b| b.cmp(a));
    assert_eq!(seen, made, "by id, descending, each once");
    let page = linked_ids(&app.get("/u/ada").await.1);
    assert_eq!(page, made, "the user page lists them alike");
}
