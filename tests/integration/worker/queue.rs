use std::time::{Duration, Instant};

use pastebin::configuration::Seconds;
use pastebin::queue::redis_streams::RedisStreamsQueue;
use pastebin::queue::{Job, JobQueue, RetryPolicy};

use crate::support::app::{TestApp, spawn_clones};
use crate::support::process::WorkerProcess;
use crate::support::redis::RedisServer;

async fn create_many(app: &TestApp, n: usize) -> Vec<String> {
    let mut ids = Vec::new();
    for i in 0..n {
        ids.push(app.create_text(&format!("paste {i}")).await.id);
    }
    ids
}

/// Reads every paste on `app` and returns how many store operations (of any
/// kind) the reads caused.
async fn store_reads_for(app: &TestApp, ids: &[String]) -> u64 {
    let before = app.store_operations_total().await;
    assert!(before > 0, "the creations are counted: the metric is read");
    for id in ids {
        assert_eq!(app.get_raw(id).await.status(), 200);
    }
    app.store_operations_total().await - before
}

#[tokio::test]
async fn jobs_enqueued_while_no_worker_runs_are_done_when_one_starts() {
    let redis = RedisServer::start().await;
    let (a, b) = spawn_clones(&redis.url(), |_| {}).await;
    let ids = create_many(&a, 5).await;
    let (_, ready) = a.get("/readyz").await;
    assert!(ready.contains(r#""depth":5"#), "five jobs wait: {ready}");
    // A worker starts (b's): it finds the jobs a's requests left.
    assert_eq!(b.worker.run_until_empty().await, 5);
    assert_eq!(
        store_reads_for(&a, &ids).await,
        0,
        "every first read is a cache hit"
    );
}

#[tokio::test]
async fn the_jobs_of_a_worker_that_died_are_taken_over() {
    let redis = RedisServer::start().await;
    let (a, b) = spawn_clones(&redis.url(), |s| {
        s.jobs.reclaim_after_secs = Seconds::new(1).expect("not zero")
    })
    .await;
    let ids = create_many(&a, 3).await;
    // A worker takes the jobs and dies before acknowledging any.
    let policy = RetryPolicy {
        max_attempts: 5,
        backoff: Duration::from_millis(100),
        reclaim_after: Duration::from_secs(1),
    };
    let doomed =
        RedisStreamsQueue::connect(&redis.url(), policy, Duration::from_secs(1)).expect("a queue");
    let held = doomed
        .reserve("doomed-worker", 10, Duration::ZERO)
        .await
        .expect("reserved");
    assert_eq!(held.len(), 3);
    drop(doomed);
    assert_eq!(
        b.worker.run_until_empty().await,
        0,
        "not before the holder has been silent long enough"
    );
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_eq!(b.worker.run_until_empty().await, 3, "taken over");
    assert_eq!(b.worker.queue_depth().await, 0);
    assert_eq!(store_reads_for(&a, &ids).await, 0);
}

#[tokio::test]
async fn a_worker_process_killed_mid_work_loses_nothing() {
    let redis = RedisServer::start().await;
    let (a, _b) = spawn_clones(&redis.url(), |_| {}).await;
    let ids = create_many(&a, 200).await;
    let env = [
        ("PASTEBIN__REDIS__URL", redis.url()),
        ("PASTEBIN__JOBS__RECLAIM_AFTER_SECS", "1".into()),
    ];
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let first = WorkerProcess::start(a.dir.path(), &env);
    // Kill it once it has finished some jobs, not after a guessed sleep (its
    // scheduler may add a fold and a sweep to the 200 assemblies).
    let deadline = Instant::now() + Duration::from_secs(20);
    while a.worker.queue_depth().await >= 200 {
        assert!(Instant::now() < deadline, "the worker never started");
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    first.kill_9();
    // Nobody else works yet: what is left now was left by the killed worker.
    let pending = a.worker.queue_depth().await;
    assert!(
        pending > 0,
        "the worker had finished everything before it was killed"
    );
    let _second = WorkerProcess::start(a.dir.path(), &env);
    let deadline = Instant::now() + Duration::from_secs(20);
    while a.worker.queue_depth().await > 0 {
        assert!(Instant::now() < deadline, "jobs were left behind");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(
        store_reads_for(&a, &ids).await,
        0,
        "every paste was assembled"
    );
}

#[tokio::test]
async fn a_worker_process_stops_cleanly_on_sigterm() {
    let redis = RedisServer::start().await;
    let dir = tempfile::tempdir().expect("a folder");
    let url = redis.url();
    let worker = WorkerProcess::start(dir.path(), &[("PASTEBIN__REDIS__URL", url.as_str())]);
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(
        worker.terminate(Duration::from_secs(5)),
        "the worker did not exit cleanly on SIGTERM"
    );
}

#[tokio::test]
async fn a_job_that_keeps_failing_is_retried_later_then_dead_lettered() {
    let redis = RedisServer::start().await;
    let policy = RetryPolicy {
        max_attempts: 2,
        backoff: Duration::from_millis(50),
        reclaim_after: Duration::from_secs(30),
    };
    let queue =
        RedisStreamsQueue::connect(&redis.url(), policy, Duration::from_secs(1)).expect("a queue");
    queue.enqueue(&Job::Sweep).await.expect("queued");
    let first = queue
        .reserve("w", 10, Duration::ZERO)
        .await
        .expect("reserved");
    assert_eq!((first.len(), first[0].attempt), (1, 1));
    queue.retry(&first[0], "boom").await.expect("given back");
    assert!(
        queue
            .reserve("w", 10, Duration::ZERO)
            .await
            .expect("reserved")
            .is_empty(),
        "not before its backoff"
    );
    tokio::time::sleep(Duration::from_millis(80)).await;
    let second = queue
        .reserve("w", 10, Duration::ZERO)
        .await
        .expect("reserved");
    assert_eq!((second.len(), second[0].attempt), (1, 2));
    queue
        .retry(&second[0], "boom again")
        .await
        .expect("given back");
    assert_eq!(queue.depth().await.expect("depth"), 0);
    let client = redis::Client::open(redis.url()).expect("a client");
    let mut conn = client
        .get_multiplexed_async_connection()
        .await
        .expect("connected");
    let dead: u64 = redis::cmd("XLEN")
        .arg("v1:jobs:dead")
        .query_async(&mut conn)
        .await
        .expect("XLEN");
    assert_eq!(dead, 1);
}
