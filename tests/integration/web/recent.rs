//! `/recent` and `/api/v1/recent`: the public archive through HTTP. Its
//! first page is one cached object that every change to a listed paste
//! replaces before it is acknowledged; searches and later pages are read
//! from the store's archive indexes.

use std::time::{Duration, Instant};

use crate::support::app::{TestApp, TestPaste, quiet_periodic_jobs, spawn_with};

/// The ids a list page links to, in order.
fn linked_ids(page: &str) -> Vec<String> {
    page.split("<a class=\"title\" href=\"/")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_owned)
        .collect()
}

async fn api_ids(app: &TestApp, query: &str) -> (Vec<String>, serde_json::Value) {
    let (status, body) = app.get(&format!("/api/v1/recent{query}")).await;
    assert_eq!(status, 200, "{body}");
    let json: serde_json::Value = serde_json::from_str(&body).expect("JSON");
    let ids = json["pastes"]
        .as_array()
        .expect("pastes")
        .iter()
        .map(|p| p["id"].as_str().expect("an id").to_owned())
        .collect();
    (ids, json)
}

/// Reads `/recent` until it comes from the cache (a change's tombstone
/// keeps it assembling from the store for 2 s).
async fn until_cached(app: &TestApp) {
    let deadline = Instant::now() + Duration::from_secs(10);
    let hits = app.metrics.cache_requests("archive", "hit");
    while app.metrics.cache_requests("archive", "hit") == hits {
        assert!(Instant::now() < deadline, "the archive was never cached");
        app.html("/recent").await;
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn recent_lists_public_pastes_only_and_every_change_shows_at_once() {
    let app = spawn_with(quiet_periodic_jobs).await;
    let first = TestPaste::new("echo one\n")
        .title("deploy.sh")
        .create(&app)
        .await;
    let second = TestPaste::new("SELECT 1 FROM t WHERE a = 1;\n")
        .title("report query")
        .create(&app)
        .await;
    for hidden in [
        TestPaste::new("unlisted").title("deploy.sh").unlisted(),
        TestPaste::new("burns").title("deploy.sh").burn(),
        TestPaste::new("counted").title("deploy.sh").max_views(3),
    ] {
        hidden.create(&app).await;
    }
    app.settle().await;
    let (status, page) = app.html("/recent").await;
    assert_eq!(status, 200);
    assert_eq!(linked_ids(&page), vec![second.id.clone(), first.id.clone()]);
    // The language the page shows, detected from the title and the text.
    assert!(
        page.contains(">Bourne Again Shell (bash)<") || page.contains(">Shell"),
        "{page}"
    );
    assert!(page.contains(">SQL<"), "{page}");
    let (ids, json) = api_ids(&app, "").await;
    assert_eq!(ids, vec![second.id.clone(), first.id.clone()]);
    assert_eq!(json["pastes"][0]["shown_language"], "sql");
    assert_eq!(json["pastes"][1]["shown_language"], "shell");

    until_cached(&app).await;
    let before = app.store_operations_total().await;
    for _ in 0..3 {
        assert_eq!(linked_ids(&app.html("/recent").await.1).len(), 2);
    }
    assert_eq!(
        app.store_operations_total().await,
        before,
        "a hot /recent reached the store"
    );

    let third = app.create_text("a third one").await;
    assert_eq!(
        linked_ids(&app.html("/recent").await.1),
        vec![third.id.clone(), second.id.clone(), first.id.clone()],
        "a creation shows at once"
    );
    until_cached(&app).await;
    let deleted = app.delete_paste(&second.id, Some(&second.token)).await;
    assert_eq!(deleted.status(), 204);
    assert_eq!(
        linked_ids(&app.html("/recent").await.1),
        vec![third.id.clone(), first.id.clone()],
        "a delete shows at once"
    );
}

#[tokio::test]
async fn recent_is_searched_by_title_and_language_and_paged_by_cursor() {
    let app = spawn_with(quiet_periodic_jobs).await;
    let mut made = Vec::new();
    for i in 0..5 {
        let paste = TestPaste::new(format!("fn main() {{ let mut x = {i}; }}\n"))
            .title(&format!("Deploy step {i}"))
            .create(&app)
            .await;
        made.push(paste.id);
    }
    let other = TestPaste::new("print('hi')\n")
        .title("notes")
        .language("python")
        .create(&app)
        .await;
    made.reverse();
    // Page through a search by cursor, as the "Older pastes" link does.
    let mut seen = Vec::new();
    let mut path = "/recent?title=deploy&language=rust&limit=2".to_owned();
    loop {
        let (status, page) = app.html(&path).await;
        assert_eq!(status, 200, "{page}");
        assert!(
            page.contains("value=\"deploy\""),
            "the form keeps the search"
        );
        seen.extend(linked_ids(&page));
        let Some(rest) = page.split("id=\"older\" href=\"").nth(1) else {
            break;
        };
        path = rest
            .split('"')
            .next()
            .expect("a link")
            .replace("&#38;", "&")
            .replace("&amp;", "&");
        assert!(path.contains("title=deploy"), "{path}");
        assert!(seen.len() <= 5, "the walk never ends");
    }
    assert_eq!(seen, made);
    assert_eq!(
        linked_ids(&app.html("/recent?title=STEP+3").await.1),
        [made[1].clone()]
    );
    assert_eq!(
        linked_ids(&app.html("/recent?language=py").await.1),
        [other.id.clone()]
    );
    let (none, _) = api_ids(&app, "?title=deploy&language=python").await;
    assert!(none.is_empty());
    let page = app.html("/recent?title=nothing+like+it").await.1;
    assert!(page.contains("id=\"no-pastes\""), "{page}");
    for (query, code) in [
        ("?language=klingon", "invalid_language"),
        ("?cursor=nonsense", "invalid_cursor"),
        ("?q=x", "unknown_field"),
    ] {
        let (status, body) = app.get(&format!("/api/v1/recent{query}")).await;
        assert_eq!(status, 422, "{query}: {body}");
        assert!(body.contains(code), "{query}: {body}");
        let (status, _) = app.html(&format!("/recent{query}")).await;
        assert_eq!(status, 422, "{query}");
    }
}
