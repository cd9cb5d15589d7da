//! Periodic jobs, enqueued once per interval across the whole fleet: every
//! worker ticks, and the one that takes the slot's lease in the cache (Redis
//! in a fleet) enqueues the job.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;

use crate::cache::{Cache, keys};
use crate::clock::Clock;
use crate::queue::{Job, JobQueue};

/// The periodic jobs and their intervals.
#[derive(Clone)]
pub struct Scheduler {
    cache: Arc<dyn Cache>,
    queue: Arc<dyn JobQueue>,
    clock: Clock,
    fold_every: Duration,
    sweep_every: Duration,
}

fn slot(now_secs: u64, every: Duration) -> u64 {
    now_secs / every.as_secs().max(1)
}

impl Scheduler {
    /// A scheduler over the fleet's cache and queue.
    pub(crate) fn new(
        cache: Arc<dyn Cache>,
        queue: Arc<dyn JobQueue>,
        clock: Clock,
        fold_every: Duration,
        sweep_every: Duration,
    ) -> Self {
        Self {
            cache,
            queue,
            clock,
            fold_every,
            sweep_every,
        }
    }

    /// Enqueues the periodic jobs whose slot at this moment no worker took
    /// yet; returns those this call enqueued.
    pub async fn tick(&self) -> Vec<Job> {
        let now_secs = self.clock.unix_secs();
        let mut enqueued = Vec::new();
        for (every, kind) in [
            (self.fold_every, "fold_visits"),
            (self.sweep_every, "sweep"),
        ] {
            let slot = slot(now_secs, every);
            let lease = keys::periodic(kind, slot);
            let taken = self
                .cache
                .set_if_absent(&lease, Bytes::from_static(b"1"), every * 2)
                .await;
            if !matches!(taken, Ok(true)) {
                continue;
            }
            let job = match kind {
                "fold_visits" => Job::FoldVisits {
                    batch: format!(
                        "{slot}-{}",
                        uuid::Builder::from_random_bytes(rand::random()).into_uuid()
                    ),
                },
                _ => Job::Sweep,
            };
            match self.queue.enqueue(&job).await {
                Ok(()) => enqueued.push(job),
                Err(e) => tracing::warn!(kind, error = %e, "periodic job not enqueued"),
            }
        }
        enqueued
    }
}
