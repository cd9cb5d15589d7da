//! Workers: take jobs from the queue and run them.
//!
//! `pastebin worker` runs this loop in its own process (with Redis: as many as
//! wanted, side by side); in the embedded default `serve` runs it in-process.
//! A worker finishes the job in hand before it stops, acknowledges a job only
//! after it succeeded, gives a failed one back for a later retry, and ticks
//! the fleet-wide scheduler of periodic jobs.

pub mod jobs;
pub mod scheduler;

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;

use crate::metrics::Metrics;
use crate::queue::{Delivery, Job, JobQueue};
use crate::service::ViewCache;
use crate::service::visits::Visits;
use crate::store::DocumentStore;

pub use scheduler::Scheduler;

/// Jobs taken from the queue at once.
const BATCH: usize = 16;

/// A worker and everything its jobs work on.
#[derive(Clone)]
pub struct Worker {
    store: Arc<dyn DocumentStore>,
    views: Arc<ViewCache>,
    visits: Arc<Visits>,
    queue: Arc<dyn JobQueue>,
    metrics: Arc<Metrics>,
    consumer: String,
}

impl Worker {
    /// A worker named `consumer` (unique per process, for the queue).
    pub fn new(
        store: Arc<dyn DocumentStore>,
        views: Arc<ViewCache>,
        visits: Arc<Visits>,
        queue: Arc<dyn JobQueue>,
        metrics: Arc<Metrics>,
    ) -> Self {
        let consumer = format!(
            "{}-{}",
            std::process::id(),
            uuid::Builder::from_random_bytes(rand::random())
                .into_uuid()
                .simple()
        );
        Self {
            store,
            views,
            visits,
            queue,
            metrics,
            consumer,
        }
    }

    /// Runs one job's handler.
    pub async fn run_job(&self, job: &Job) -> Result<(), String> {
        match job {
            Job::Assemble { id } => self.assemble(id).await.map(drop),
            Job::FoldVisits { batch } => self.fold_visits(batch).await.map(drop),
            Job::Sweep => self.sweep().await.map(drop),
        }
    }

    async fn settle(&self, delivery: &Delivery) {
        let outcome = self.run_job(&delivery.job).await;
        let kind = delivery.job.kind();
        let settled = match &outcome {
            Ok(()) => self.queue.ack(delivery).await,
            Err(e) => {
                tracing::warn!(kind, attempt = delivery.attempt, error = %e, "job failed; it will be retried");
                self.queue.retry(delivery, e).await
            }
        };
        self.metrics.job(kind, outcome.is_ok());
        if let Err(e) = settled {
            // Not acknowledged: the queue hands it out again (at least once).
            tracing::warn!(kind, error = %e, "could not settle a job with the queue");
        }
    }

    /// Takes up to a batch of jobs (waiting up to `wait` for one) and runs
    /// them; returns how many ran.
    pub async fn run_once(&self, wait: Duration) -> Result<usize, crate::queue::QueueError> {
        let deliveries = self.queue.reserve(&self.consumer, BATCH, wait).await?;
        for delivery in &deliveries {
            self.settle(delivery).await;
        }
        if let Ok(depth) = self.queue.depth().await {
            self.metrics.set_queue_depth(depth);
        }
        Ok(deliveries.len())
    }

    /// Jobs waiting, delayed or in hand.
    pub async fn queue_depth(&self) -> u64 {
        self.queue.depth().await.unwrap_or(0)
    }

    /// Runs jobs until the queue has none ready (tests drive workers this way
    /// instead of sleeping).
    pub async fn run_until_empty(&self) -> usize {
        let mut total = 0;
        while let Ok(n) = self.run_once(Duration::ZERO).await {
            if n == 0 {
                break;
            }
            total += n;
        }
        total
    }

    /// Runs until `stop` turns true, ticking `scheduler` (when given) about
    /// every second. A batch in hand is never cancelled: it is finished
    /// before the stop is looked at.
    pub async fn run(self, scheduler: Option<Scheduler>, stop: watch::Receiver<bool>) {
        let mut last_tick: Option<std::time::Instant> = None;
        let mut queue_down = false;
        while !*stop.borrow() {
            if let Some(scheduler) = &scheduler
                && last_tick.is_none_or(|t| t.elapsed() >= Duration::from_secs(1))
            {
                scheduler.tick(now_secs()).await;
                last_tick = Some(std::time::Instant::now());
            }
            match self.run_once(Duration::from_millis(500)).await {
                Ok(_) => {
                    if std::mem::take(&mut queue_down) {
                        tracing::warn!("job queue is back");
                    }
                }
                Err(e) => {
                    if !std::mem::replace(&mut queue_down, true) {
                        tracing::error!(error = %e, "job queue unavailable; retrying");
                    }
                    tokio::time::sleep(Duration::from_millis(500)).await;
                }
            }
        }
        tracing::info!("worker stopped");
    }
}

fn now_secs() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs()
}
