//! The bound on render-ahead: a new paste's `assemble` job (its view cached
//! and its page rendered before anyone reads it) is only queued while the
//! job queue holds fewer than `render.max_queued` jobs. Past that the job is
//! shed, counted in `pastebin_render_ahead_shed_total`, and the paste's
//! first page read renders it instead (under the paste's render lease:
//! single-flight, as for any cold read). Nothing is lost by shedding: the
//! paste is stored; only the work done ahead of its first read is skipped.
//!
//! Without a bound a creation flood queues renders far faster than render
//! processes make them (a creation costs about a fortieth of its render):
//! the queue, and the memory and time behind it, grow without limit.
//!
//! The queue's depth is asked at most once per `SAMPLE` (with Redis it is a
//! round trip, and creations come by the thousand a second); between two
//! samples the jobs this process queued are added to the last one, so one
//! process cannot overshoot, and a fleet overshoots by at most what its
//! other clones queue in one `SAMPLE`.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::queue::JobQueue;

/// How long a sampled queue depth is trusted.
const SAMPLE: Duration = Duration::from_millis(100);

/// The render-ahead gate of one process.
pub(crate) struct Ahead {
    max_queued: u64,
    seen: Mutex<Option<Seen>>,
}

/// The depth last sampled, plus the jobs admitted here since.
struct Seen {
    at: Instant,
    depth: u64,
}

impl Ahead {
    /// A gate that lets render-ahead jobs in below `max_queued` jobs waiting
    /// (0: never render ahead).
    pub(crate) fn new(max_queued: u64) -> Self {
        Self {
            max_queued,
            seen: Mutex::new(None),
        }
    }

    /// True when one more render-ahead job may be queued (and it is counted
    /// as queued); false when it is to be shed. A queue that cannot say its
    /// depth lets it through: the enqueue that follows will fail or not on
    /// its own.
    pub(crate) async fn admit(&self, queue: &dyn JobQueue) -> bool {
        if self.max_queued == 0 {
            return false;
        }
        {
            let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
            if let Some(seen) = seen.as_mut().filter(|s| s.at.elapsed() < SAMPLE) {
                return self.take(seen);
            }
        }
        let Ok(depth) = queue.depth().await else {
            return true;
        };
        let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
        let sample = seen.insert(Seen {
            at: Instant::now(),
            depth,
        });
        self.take(sample)
    }

    /// Admits one job against `seen` (counting it there) or sheds it.
    fn take(&self, seen: &mut Seen) -> bool {
        let admitted = seen.depth < self.max_queued;
        seen.depth += u64::from(admitted);
        admitted
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::queue::memory::MemoryQueue;
    use crate::queue::{Job, RetryPolicy};

    fn queue() -> MemoryQueue {
        MemoryQueue::new(RetryPolicy {
            max_attempts: 2,
            backoff: Duration::from_millis(10),
            reclaim_after: Duration::from_secs(1),
        })
    }

    #[tokio::test]
    async fn jobs_past_the_bound_are_shed_and_admitted_again_once_drained() {
        let q = queue();
        let ahead = Ahead::new(3);
        let mut admitted = 0;
        for _ in 0..10 {
            if ahead.admit(&q).await {
                q.enqueue(&Job::Sweep).await.expect("queued");
                admitted += 1;
            }
        }
        assert_eq!(admitted, 3, "three admitted, the rest shed");
        assert_eq!(q.depth().await.expect("depth"), 3);
        let taken = q.reserve("w", 10, Duration::ZERO).await.expect("reserved");
        for delivery in &taken {
            q.ack(delivery).await.expect("acked");
        }
        tokio::time::sleep(SAMPLE + Duration::from_millis(20)).await;
        assert!(ahead.admit(&q).await, "drained: admitted again");
    }

    #[tokio::test]
    async fn a_bound_of_zero_never_renders_ahead() {
        let q = queue();
        assert!(!Ahead::new(0).admit(&q).await);
    }
}
