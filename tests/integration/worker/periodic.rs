use pastebin::queue::Job;

use crate::support::app::spawn_clones;
use crate::support::redis::RedisServer;

#[tokio::test]
async fn two_workers_enqueue_a_periodic_job_once_per_interval() {
    let redis = RedisServer::start().await;
    let (a, b) = spawn_clones(&redis.url(), |s| {
        s.jobs.visits_flush_secs = 10;
        s.jobs.sweep_interval_secs = 60;
    })
    .await;
    let start = 1_800_000_000; // a fixed instant: the slots are the same for both
    for (offset, expected_folds, expected_sweeps) in [(0, 1, 1), (5, 0, 0), (10, 1, 0), (60, 1, 1)]
    {
        let now = start + offset;
        let mut jobs = a.scheduler.tick(now).await;
        jobs.extend(b.scheduler.tick(now).await);
        let folds = jobs
            .iter()
            .filter(|j| matches!(j, Job::FoldVisits { .. }))
            .count();
        let sweeps = jobs.iter().filter(|j| matches!(j, Job::Sweep)).count();
        assert_eq!(
            (folds, sweeps),
            (expected_folds, expected_sweeps),
            "at +{offset} s"
        );
    }
}
