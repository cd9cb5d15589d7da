//! `max_views` across a fleet: two clones share a Redis and a store, and
//! racing readers on both spend a paste's views exactly once each.

use crate::support::app::{TestApp, TestPaste, spawn_clones};
use crate::support::redis::RedisServer;

/// Rounds of the race (each a new paste read by `READERS` at once).
const ROUNDS: usize = 100;
/// Readers racing in each round, half on each clone.
const READERS: usize = 40;
/// The paste's views.
const MAX_VIEWS: u32 = 5;

async fn status(app: &TestApp, path: String) -> u16 {
    app.client
        .get(app.url(&path))
        .send()
        .await
        .expect("answered")
        .status()
        .as_u16()
}

#[tokio::test]
async fn forty_racing_readers_on_two_clones_get_exactly_max_views_reads() {
    let redis = RedisServer::start().await;
    let (a, b) = spawn_clones(&redis.url(), |_| {}).await;
    let (a, b) = (std::sync::Arc::new(a), std::sync::Arc::new(b));
    for round in 0..ROUNDS {
        let created = TestPaste::new(format!("five reads {round}"))
            .max_views(MAX_VIEWS)
            .create(&a)
            .await;
        // A worker's assembly must not make the paste a cached one.
        a.worker.run_until_empty().await;
        let readers = (0..READERS).map(|i| {
            let app = if i % 2 == 0 { a.clone() } else { b.clone() };
            let path = match i % 4 {
                0 | 1 => format!("/raw/{}", created.id),
                2 => format!("/api/v1/pastes/{}", created.id),
                _ => format!("/dl/{}", created.id),
            };
            tokio::spawn(async move { status(&app, path).await })
        });
        let mut statuses = Vec::new();
        for reader in readers {
            statuses.push(reader.await.expect("joined"));
        }
        let served = statuses.iter().filter(|s| **s == 200).count();
        let gone = statuses.iter().filter(|s| **s == 404).count();
        assert_eq!(served, MAX_VIEWS as usize, "round {round}: {statuses:?}");
        assert_eq!(gone, READERS - served, "round {round}: {statuses:?}");
        for app in [&a, &b] {
            assert_eq!(
                app.get_raw(&created.id).await.status(),
                404,
                "round {round}"
            );
        }
    }
}

#[tokio::test]
async fn views_left_count_down_on_either_clone_and_the_page_never_spends_one() {
    let redis = RedisServer::start().await;
    let (a, b) = spawn_clones(&redis.url(), |_| {}).await;
    let created = TestPaste::new("three reads").max_views(3).create(&a).await;
    a.worker.run_until_empty().await;
    // A link preview's GET of the page (any number of them) spends nothing.
    for app in [&a, &b, &a, &b] {
        let (status, page) = app.html(&format!("/{}", created.id)).await;
        assert_eq!(status, 200);
        assert!(!page.contains("three reads"), "{page}");
        assert!(page.contains(r#"<span id="views-left">3</span>"#), "{page}");
    }
    let read = |app: &TestApp| {
        let url = app.url(&format!("/api/v1/pastes/{}", created.id));
        let client = app.client.clone();
        async move {
            let answer = client.get(url).send().await.expect("answered");
            assert_eq!(answer.status(), 200);
            let body: serde_json::Value = answer.json().await.expect("JSON");
            assert_eq!(body["content"], "three reads");
            assert_eq!(body["max_views"], 3);
            body["views_left"].as_u64().expect("a count")
        }
    };
    assert_eq!(read(&b).await, 2);
    let (_, page) = a.html(&format!("/{}", created.id)).await;
    assert!(page.contains(r#"<span id="views-left">2</span>"#), "{page}");
    assert_eq!(read(&a).await, 1);
    assert_eq!(read(&b).await, 0, "the last view");
    assert_eq!(a.get_api_paste(&created.id).await.status(), 404);
    assert_eq!(b.get_page(&created.id).await.status(), 404);
}
