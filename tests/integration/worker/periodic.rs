use std::time::Duration;

use pastebin::clock::Clock;
use pastebin::configuration::Seconds;
use pastebin::queue::Job;

use crate::support::app::spawn_clones_at;
use crate::support::redis::RedisServer;

#[tokio::test]
async fn two_workers_enqueue_a_periodic_job_once_per_interval() {
    let redis = RedisServer::start().await;
    // A fixed instant on a clock both clones read: the slots are the same for both.
    let clock = Clock::manual(time::macros::datetime!(2027-01-15 08:00:00 UTC));
    let (a, b) = spawn_clones_at(&redis.url(), clock.clone(), |s| {
        s.jobs.visits_flush_secs = Seconds::new(10).expect("not zero");
        s.jobs.sweep_interval_secs = Seconds::new(60).expect("not zero");
    })
    .await;
    let mut at = 0;
    for (offset, expected_folds, expected_sweeps) in [(0, 1, 1), (5, 0, 0), (10, 1, 0), (60, 1, 1)]
    {
        clock.advance(Duration::from_secs(offset - at));
        at = offset;
        let mut jobs = a.scheduler.tick().await;
        jobs.extend(b.scheduler.tick().await);
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
