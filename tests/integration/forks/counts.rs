//! The fork count is a counter kept by workers: exact after a worker
//! process is killed in the middle of its jobs.

use std::time::{Duration, Instant};

use crate::support::app::spawn_clones;
use crate::support::process::WorkerProcess;
use crate::support::redis::RedisServer;

/// 60 forks of one paste leave 60 recounts (and 60 assemblies) in the
/// queue; a `pastebin worker` is `kill -9`ed once it has done some, another
/// takes over what it held: the count is exactly 60, on the original's
/// cached view as in the store, however many recounts ran twice.
#[tokio::test]
async fn fork_counts_are_exact_after_a_worker_is_killed_mid_job() {
    const FORKS: usize = 60;
    let redis = RedisServer::start().await;
    let (a, _b) = spawn_clones(&redis.url(), |_| {}).await;
    let original = a.create_text("forked a lot").await;
    a.worker.run_until_empty().await;
    let mut forks = Vec::new();
    for _ in 0..FORKS {
        let response = a
            .client
            .post(a.url(&format!("/api/v1/pastes/{}/forks", original.id)))
            .send()
            .await
            .expect("answered");
        assert_eq!(response.status(), 201);
        forks.push(response);
    }
    let queued = a.worker.queue_depth().await;
    assert!(
        queued >= 2 * FORKS as u64,
        "each fork queued its jobs: {queued}"
    );
    let env = [
        ("PASTEBIN__REDIS__URL", redis.url()),
        ("PASTEBIN__JOBS__RECLAIM_AFTER_SECS", "1".into()),
    ];
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let first = WorkerProcess::start(a.dir.path(), &env);
    let deadline = Instant::now() + Duration::from_secs(30);
    while a.worker.queue_depth().await >= queued {
        assert!(Instant::now() < deadline, "the worker never started");
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    first.kill_9();
    let pending = a.worker.queue_depth().await;
    assert!(
        pending > 0,
        "the worker had finished everything before it was killed"
    );
    let _second = WorkerProcess::start(a.dir.path(), &env);
    let deadline = Instant::now() + Duration::from_secs(30);
    while a.worker.queue_depth().await > 0 {
        assert!(Instant::now() < deadline, "jobs were left behind");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let read: serde_json::Value = a
        .get_api_paste(&original.id)
        .await
        .json()
        .await
        .expect("JSON");
    assert_eq!(read["fork_count"], FORKS, "the cached view's count");
    let (_, page) = a.html(&format!("/{}/forks?limit=100", original.id)).await;
    assert_eq!(
        page.matches(r#"<a class="title""#).count(),
        FORKS,
        "every fork listed once"
    );
    assert!(
        page.contains(&format!(r#"<span id="fork-count">{FORKS}</span>"#)),
        "{page}"
    );
}
