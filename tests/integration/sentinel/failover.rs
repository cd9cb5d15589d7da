//! Failovers under reads: the primary killed with `SIGKILL` (Sentinel finds
//! it down after `DOWN_AFTER`), or a failover asked of Sentinel (the old
//! primary lives on as a replica, which the clones must leave).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use pastebin::configuration::{Millis, Settings};

use crate::redis::near::until_near_hit;
use crate::support::app::TestApp;
use crate::support::sentinel::{FAILOVER_WITHIN, SentinelSet};

/// No flush of counted visits during the test, and a link proof patient
/// enough for a busy machine.
fn patient(s: &mut Settings) {
    s.near_cache.visits_flush_ms = Millis::new(3_600_000).expect("a duration");
    s.near_cache.max_lag_ms = Millis::new(2_000).expect("a duration");
}

/// Reads `path` on both clones until `stop`; counts answers other than 200.
fn keep_reading(
    a: Arc<TestApp>,
    b: Arc<TestApp>,
    path: String,
    stop: Arc<AtomicBool>,
) -> (tokio::task::JoinHandle<()>, Arc<AtomicU64>, Arc<AtomicU64>) {
    let (reads, failed) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
    let (r, f) = (reads.clone(), failed.clone());
    let task = tokio::spawn(async move {
        while !stop.load(Ordering::Relaxed) {
            for app in [&a, &b] {
                r.fetch_add(1, Ordering::Relaxed);
                if app.get(&path).await.0 != 200 {
                    f.fetch_add(1, Ordering::Relaxed);
                }
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    });
    (task, reads, failed)
}

/// Tracking connections (flag `B`: broadcast) the node at `port` holds.
fn tracking_links(set: &SentinelSet, port: u16) -> usize {
    set.cli(port, &["CLIENT", "LIST"])
        .lines()
        .filter_map(|l| l.split_whitespace().find_map(|f| f.strip_prefix("flags=")))
        .filter(|flags| flags.contains('B'))
        .count()
}

async fn reads_carry_on_and_nothing_is_stale(fail_over: impl FnOnce(&mut SentinelSet) -> u16) {
    let mut set = SentinelSet::start().await;
    set.ready_for_failover().await;
    let (a, b) = set.spawn_clones(patient).await;
    let (a, b) = (Arc::new(a), Arc::new(b));
    let kept = a.create_text("kept through the failover").await;
    let doomed = a.create_text("deleted after the failover").await;
    a.settle().await;
    let (kept_raw, doomed_raw) = (format!("/raw/{}", kept.id), format!("/raw/{}", doomed.id));
    until_near_hit(&b, &kept_raw).await;
    until_near_hit(&b, &doomed_raw).await;

    let stop = Arc::new(AtomicBool::new(false));
    let (reader, reads, failed) =
        keep_reading(a.clone(), b.clone(), kept_raw.clone(), stop.clone());
    let old = fail_over(&mut set);
    let new = set.wait_for_new_primary(old).await;

    // A delete is acknowledged once the new primary and a replica have its
    // tombstone; until a's connection is there it is refused (503).
    let deadline = Instant::now() + FAILOVER_WITHIN;
    loop {
        let status = a
            .delete_paste(&doomed.id, Some(&doomed.token))
            .await
            .status();
        if status == 204 {
            break;
        }
        assert_eq!(
            status, 503,
            "a delete during the failover is refused, not lost"
        );
        assert!(
            Instant::now() < deadline,
            "the delete was never acknowledged"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    for app in [&a, &b] {
        assert_eq!(
            app.get(&doomed_raw).await.0,
            404,
            "acknowledged, then never stale"
        );
    }
    // b's near tier serves again only with its link on the new primary.
    until_near_hit(&b, &kept_raw).await;
    assert_eq!(
        tracking_links(&set, new),
        2,
        "both clones track the new primary"
    );
    for app in [&a, &b] {
        assert_eq!(app.get(&doomed_raw).await.0, 404);
    }

    stop.store(true, Ordering::Relaxed);
    reader.await.expect("the reader ran");
    assert!(reads.load(Ordering::Relaxed) > 0);
    assert_eq!(
        failed.load(Ordering::Relaxed),
        0,
        "reads of a live paste failed during the failover"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_primary_is_replaced_while_reads_carry_on_and_none_is_stale() {
    reads_carry_on_and_nothing_is_stale(SentinelSet::kill_primary).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_a_sentinel_failover_no_clone_stays_on_the_demoted_primary() {
    reads_carry_on_and_nothing_is_stale(|set| {
        let old = set.primary_port();
        set.failover();
        old
    })
    .await;
}
