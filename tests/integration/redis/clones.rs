use pastebin::configuration::Seconds;

use crate::support::app::{TestPaste, spawn_clones};
use crate::support::redis::RedisServer;

#[tokio::test]
async fn a_paste_written_on_one_clone_is_read_on_the_other_from_the_cache() {
    let redis = RedisServer::start().await;
    let (a, b) = spawn_clones(&redis.url(), |_| {}).await;
    let created = a.create_text("written on a").await;
    // Serve only enqueues with Redis; a worker (here a's) assembles the view.
    assert_eq!(a.worker.run_until_empty().await, 1);
    for path in ["/raw/", "/", "/api/v1/pastes/", "/dl/"] {
        assert_eq!(
            b.get(&format!("{path}{}", created.id)).await.0,
            200,
            "{path}"
        );
    }
    assert_eq!(
        b.get(&format!("/raw/{}", created.id)).await.1,
        "written on a"
    );
    // The view was assembled ahead of the reads: B never asks the store.
    assert!(
        a.store_operations_total().await > 0,
        "a's writes are counted"
    );
    assert_eq!(b.store_operations_total().await, 0);
    assert_eq!(b.metrics.cache_requests("paste", "hit"), 5);
}

#[tokio::test]
async fn hot_reads_on_a_clone_touch_the_store_zero_times() {
    let redis = RedisServer::start().await;
    let (a, _b) = spawn_clones(&redis.url(), |_| {}).await;
    let created = a.create_text("hot").await;
    a.worker.run_until_empty().await;
    let before = a.store_operations_total().await;
    assert!(before > 0, "the creation is counted: the metric is read");
    for _ in 0..20 {
        assert_eq!(a.get_raw(&created.id).await.status(), 200);
        assert_eq!(a.get_page(&created.id).await.status(), 200);
    }
    assert_eq!(
        a.store_operations_total().await,
        before,
        "hot reads reached the store"
    );
}

#[tokio::test]
async fn a_delete_on_one_clone_is_seen_at_once_by_the_other() {
    let redis = RedisServer::start().await;
    let (a, b) = spawn_clones(&redis.url(), |_| {}).await;
    let created = a.create_text("soon gone").await;
    assert_eq!(a.get_raw(&created.id).await.status(), 200, "cached on a");
    let deleted = b.delete_paste(&created.id, Some(&created.token)).await;
    assert_eq!(deleted.status(), 204);
    for path in ["/raw/", "/", "/api/v1/pastes/"] {
        assert_eq!(
            a.get(&format!("{path}{}", created.id)).await.0,
            404,
            "{path} on a"
        );
    }
}

#[tokio::test]
async fn burn_after_read_is_exactly_once_across_clones() {
    let redis = RedisServer::start().await;
    let (a, b) = spawn_clones(&redis.url(), |_| {}).await;
    for round in 0..3 {
        let created = TestPaste::new(format!("secret {round}"))
            .burn()
            .create(&a)
            .await;
        let readers = (0..20).map(|i| {
            let app = if i % 2 == 0 { &a } else { &b };
            let (client, url) = (app.client.clone(), app.url(&format!("/raw/{}", created.id)));
            tokio::spawn(async move {
                client
                    .get(url)
                    .send()
                    .await
                    .expect("answered")
                    .status()
                    .as_u16()
            })
        });
        let mut ok = 0;
        for reader in readers {
            if reader.await.expect("joined") == 200 {
                ok += 1;
            }
        }
        assert_eq!(ok, 1, "round {round}");
    }
}

#[tokio::test]
async fn a_flood_of_unknown_ids_reaches_the_store_once() {
    let redis = RedisServer::start().await;
    let (a, b) = spawn_clones(&redis.url(), |_| {}).await;
    for i in 0..50 {
        let app = if i % 2 == 0 { &a } else { &b };
        assert_eq!(app.get("/raw/NoSuchId").await.0, 404);
    }
    let total = a.store_operations_total().await + b.store_operations_total().await;
    // The probe reads the paste, then whether an operator took it down
    // (`find_removal`: a removed id answers 410, not 404).
    assert_eq!(
        total, 2,
        "one probe; every other miss is answered by its marker"
    );
}

#[tokio::test]
async fn folded_visits_show_on_every_clone() {
    let redis = RedisServer::start().await;
    let (a, b) = spawn_clones(&redis.url(), |s| {
        s.jobs.visits_flush_secs = Seconds::new(3600).expect("not zero")
    })
    .await;
    let created = a.create_text("counted").await;
    for _ in 0..3 {
        a.get(&format!("/raw/{}", created.id)).await;
    }
    assert_eq!(a.worker.fold_visits("fold-1").await.expect("folded"), 3);
    let (_, body) = b.get(&format!("/api/v1/pastes/{}", created.id)).await;
    let read: serde_json::Value = serde_json::from_str(&body).expect("JSON");
    assert_eq!(
        read["views"], 4,
        "b shows the three a folded plus its own read, counted in Redis"
    );
}
