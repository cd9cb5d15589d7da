//! Visits counted in the clone and added to Redis in batches: no round trip
//! per read, nothing lost by a clean stop, at most one interval by a kill -9.

use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use pastebin::configuration::{Millis, RedisUrl};
use pastebin::startup::Application;

use crate::support::app::{TestApp, client, spawn_clones, spawn_in, test_settings};
use crate::support::process::ServerProcess;
use crate::support::redis::RedisServer;

fn flush_every(ms: u64) -> Millis {
    Millis::new(ms).expect("a duration")
}

/// Visits of `id` this month that Redis holds, not yet folded.
fn pending_in_redis(redis: &RedisServer, id: &str) -> u64 {
    let month = time::OffsetDateTime::now_utc();
    let field = format!("{id}|{:04}-{:02}", month.year(), u8::from(month.month()));
    let port = redis.url().rsplit(':').next().expect("a port").to_owned();
    let out = Command::new("redis-cli")
        .args(["-p", &port, "HGET", "v1:visits:pending", &field])
        .output()
        .expect("redis-cli runs");
    assert!(out.status.success(), "redis-cli HGET failed");
    // An absent field is nothing pending (redis-cli prints an empty line);
    // anything else must be a count.
    match String::from_utf8_lossy(&out.stdout).trim() {
        "" => 0,
        count => count
            .parse()
            .unwrap_or_else(|_| panic!("HGET {field} answered {count:?}")),
    }
}

#[tokio::test]
async fn visits_counted_on_a_clone_reach_redis_in_one_pipelined_call() {
    let redis = RedisServer::start().await;
    let (a, b) = spawn_clones(&redis.url(), |s| {
        s.near_cache.visits_flush_ms = flush_every(3_600_000);
    })
    .await;
    let created = a.create_text("counted near").await;
    a.settle().await;
    let increments = redis.calls("hincrby");
    for _ in 0..25 {
        assert_eq!(b.get_raw(&created.id).await.status(), 200);
    }
    assert_eq!(
        redis.calls("hincrby"),
        increments,
        "no round trip per visit"
    );
    assert_eq!(pending_in_redis(&redis, &created.id), 0);
    let (_, page) = b.html(&format!("/{}", created.id)).await;
    assert!(
        page.contains(r#"<span class="views">26 views</span>"#),
        "b shows the visits it counted itself, this one included"
    );
    assert_eq!(
        b.worker.fold_visits("fold-1").await.expect("folded"),
        26,
        "a fold flushes this clone's visits first"
    );
    assert_eq!(
        redis.calls("hincrby"),
        increments + 1,
        "one paste, one month: one increment in one call"
    );
}

#[tokio::test]
async fn a_clean_stop_flushes_every_counted_visit() {
    let redis = RedisServer::start().await;
    let dir = Arc::new(tempfile::tempdir().expect("a folder"));
    let url = redis.url();
    let configure = |s: &mut pastebin::configuration::Settings| {
        s.redis.url = Some(RedisUrl::parse(&url).expect("a Redis URL"));
        s.near_cache.visits_flush_ms = flush_every(3_600_000);
    };
    let mut settings = test_settings(dir.path());
    configure(&mut settings);
    let app = Application::build_with_clock(settings, pastebin::clock::Clock::System)
        .await
        .expect("the app builds");
    let clone = TestApp {
        address: format!("http://127.0.0.1:{}", app.port()),
        client: client(),
        dir: dir.clone(),
        handle: app.handle(),
        metrics: app.metrics(),
        worker: app.worker(),
        scheduler: app.scheduler(),
        render_processes: app.render_processes_handle(),
    };
    let running = tokio::spawn(app.run_until_stopped());
    let created = clone.create_text("counted, then stopped").await;
    for _ in 0..40 {
        assert_eq!(clone.get_raw(&created.id).await.status(), 200);
    }
    assert_eq!(pending_in_redis(&redis, &created.id), 0, "not flushed yet");
    clone.stop().await;
    running
        .await
        .expect("joined")
        .expect("stopped without an error");
    assert_eq!(pending_in_redis(&redis, &created.id), 40, "none lost");
    let other = spawn_in(dir, configure).await;
    let (_, body) = other
        .get(&format!("/api/v1/pastes/{}/stats", created.id))
        .await;
    let stats: serde_json::Value = serde_json::from_str(&body).expect("JSON");
    assert_eq!(stats["total_views"], 40, "{stats}");
}

/// A `serve` process of a fleet, flushing visits every `flush_ms`.
async fn clone_process(
    store: &std::path::Path,
    redis: &RedisServer,
    flush_ms: &str,
) -> ServerProcess {
    ServerProcess::start(
        store,
        &[
            ("PASTEBIN__REDIS__URL", &redis.url()),
            ("PASTEBIN__NEAR_CACHE__VISITS_FLUSH_MS", flush_ms),
        ],
    )
    .await
}

/// Creates a paste on a process and reads it `reads` times.
async fn create_and_read(server: &ServerProcess, reads: usize) -> String {
    let http = reqwest::Client::new();
    let created: serde_json::Value = http
        .post(format!("{}/api/v1/pastes", server.address))
        .json(&serde_json::json!({"content": "visited"}))
        .send()
        .await
        .expect("created")
        .json()
        .await
        .expect("JSON");
    let id = created["id"].as_str().expect("an id").to_owned();
    read(server, &id, reads).await;
    id
}

async fn read(server: &ServerProcess, id: &str, reads: usize) {
    let http = reqwest::Client::new();
    for _ in 0..reads {
        let answer = http
            .get(format!("{}/raw/{id}", server.address))
            .send()
            .await
            .expect("answered");
        assert_eq!(answer.status(), 200);
    }
}

async fn until_pending(redis: &RedisServer, id: &str, count: u64) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while pending_in_redis(redis, id) != count {
        assert!(Instant::now() < deadline, "never flushed: {count} visits");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn sigterm_flushes_the_visits_of_a_clone_and_kill_9_loses_at_most_an_interval() {
    let redis = RedisServer::start().await;
    let store = tempfile::tempdir().expect("a folder");

    // A clean stop (SIGTERM) flushes what it counted since its last flush.
    let server = clone_process(store.path(), &redis, "3600000").await;
    let id = create_and_read(&server, 15).await;
    assert_eq!(pending_in_redis(&redis, &id), 0);
    let pid = server.child.id().to_string();
    let sent = Command::new("kill").args(["-TERM", &pid]).status();
    assert!(sent.is_ok_and(|s| s.success()), "kill -TERM {pid}");
    let mut server = server;
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Ok(Some(status)) = server.child.try_wait() {
            assert!(status.success(), "a clean exit: {}", server.logged());
            break;
        }
        assert!(Instant::now() < deadline, "did not stop");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(pending_in_redis(&redis, &id), 15, "none lost");

    // kill -9 loses only what was counted since the last flush.
    let server = clone_process(store.path(), &redis, "200").await;
    read(&server, &id, 10).await;
    until_pending(&redis, &id, 25).await;
    read(&server, &id, 5).await;
    server.kill_9();
    let kept = pending_in_redis(&redis, &id);
    assert!(
        (25..=30).contains(&kept),
        "what was flushed stays; at most the last interval is lost: {kept}"
    );
}
