//! Redis losing the job stream's consumer group while the fleet runs (a
//! restart without persistence, `FLUSHALL`, a failover to an empty replica):
//! workers make the group again and carry on, and `/readyz` says it happened.

use std::time::{Duration, Instant};

use crate::support::app::{TestApp, spawn_clones};
use crate::support::process::WorkerProcess;
use crate::support::redis::RedisServer;

/// Waits until every paste in `ids` is served from the cache (a worker
/// assembled it): a raw read then reaches no store. Panics after 10 s.
async fn assembled_within_seconds(app: &TestApp, ids: &[String]) {
    let deadline = Instant::now() + Duration::from_secs(10);
    // The queue's depth alone (not `/readyz`, whose check would remake the
    // group itself): the worker process must recover on its own.
    loop {
        let depth = app.worker.queue_depth().await;
        if depth == 0 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the worker did not take the jobs within 10 s: {depth} wait"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let before = app.metrics.store_operations("find_paste");
    for id in ids {
        assert_eq!(app.get(&format!("/raw/{id}")).await.0, 200);
    }
    assert_eq!(
        app.metrics.store_operations("find_paste") - before,
        0,
        "every paste was assembled ahead of its first read"
    );
}

#[tokio::test]
async fn a_running_worker_carries_on_after_redis_is_flushed() {
    let redis = RedisServer::start().await;
    let (app, _) = spawn_clones(&redis.url(), |_| {}).await;
    let url = redis.url();
    let worker = WorkerProcess::start(app.dir.path(), &[("PASTEBIN__REDIS__URL", &url)]);
    let first = vec![app.create_text("before the flush").await.id];
    assembled_within_seconds(&app, &first).await;

    redis.flush_all().await;
    let mut after = Vec::new();
    for i in 0..5 {
        after.push(app.create_text(&format!("after the flush {i}")).await.id);
    }
    assembled_within_seconds(&app, &after).await;
    worker.kill_9();
}

#[tokio::test]
async fn readyz_reports_a_lost_consumer_group_once_and_remakes_it() {
    let redis = RedisServer::start().await;
    let (app, _) = spawn_clones(&redis.url(), |_| {}).await;
    app.create_text("a job, so the group exists").await;
    let (status, ready) = app.get("/readyz").await;
    assert_eq!(status, 200);
    assert!(ready.contains(r#""status":"ready""#), "{ready}");

    redis.flush_all().await;
    let (status, ready) = app.get("/readyz").await;
    assert_eq!(status, 200, "serving goes on: {ready}");
    assert!(ready.contains(r#""status":"degraded""#), "{ready}");
    assert!(ready.contains("consumer group was missing"), "{ready}");
    let (_, metrics) = app.get("/metrics").await;
    assert!(
        metrics.contains(r#"pastebin_backend_up{check="queue"} 0"#),
        "{metrics}"
    );

    let (_, ready) = app.get("/readyz").await;
    assert!(ready.contains(r#""status":"ready""#), "remade: {ready}");
    let (_, metrics) = app.get("/metrics").await;
    assert!(metrics.contains(r#"pastebin_backend_up{check="queue"} 1"#));
}
