//! Workers: take jobs from the queue and run them.
//!
//! `pastebin worker` runs this loop in its own process (with Redis: as many as
//! wanted, side by side); in the embedded default `serve` runs it in-process.
//! A worker finishes the job in hand before it stops, acknowledges a job only
//! after it succeeded, gives a failed one back for a later retry, and ticks
//! the fleet-wide scheduler of periodic jobs. What a job does is one call into
//! a service: the worker owns the delivery, never the rule.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;

use crate::metrics::Metrics;
use crate::queue::{Delivery, Job, JobQueue};
pub use crate::service::Scheduler;
use crate::service::{PasteService, Services, VisitService};

/// Jobs taken from the queue at once.
const BATCH: usize = 16;

/// A worker and everything its jobs work on.
#[derive(Clone)]
pub struct Worker {
    pastes: Arc<PasteService>,
    visits: Arc<VisitService>,
    queue: Arc<dyn JobQueue>,
    metrics: Arc<Metrics>,
    consumer: String,
}

impl Worker {
    /// A worker over `services`, named uniquely for the queue.
    pub(crate) fn new(services: &Services) -> Self {
        let consumer = format!(
            "{}-{}",
            std::process::id(),
            uuid::Builder::from_random_bytes(rand::random())
                .into_uuid()
                .simple()
        );
        Self {
            pastes: services.pastes.clone(),
            visits: services.visits.clone(),
            queue: services.queue.clone(),
            metrics: services.metrics.clone(),
            consumer,
        }
    }

    /// Runs one job.
    pub(crate) async fn run_job(&self, job: &Job) -> Result<(), String> {
        match job {
            Job::Assemble { id } => self.assemble(id).await.map(drop),
            Job::FoldVisits { batch } => self.fold_visits(batch).await.map(drop),
            Job::Sweep => self.sweep().await.map(drop),
            Job::CountForks { id } => self.pastes.count_forks(id).await.map_err(|e| e.to_string()),
            Job::OrphanForks { id } => self
                .pastes
                .orphan_forks(id)
                .await
                .map_err(|e| e.to_string()),
        }
    }

    /// The `assemble` job: true when the view was cached.
    pub(crate) async fn assemble(&self, id: &crate::domain::PasteId) -> Result<bool, String> {
        self.pastes.warm(id).await.map_err(|e| e.to_string())
    }

    /// The `fold_visits` job: how many visits it added.
    pub async fn fold_visits(&self, batch: &str) -> Result<u64, String> {
        self.visits.fold(batch).await.map_err(|e| e.to_string())
    }

    /// The `sweep` job: how many pastes it purged.
    pub async fn sweep(&self) -> Result<usize, String> {
        self.pastes.sweep().await.map_err(|e| e.to_string())
    }

    /// Folds the visits counted so far under a batch of its own (the last
    /// fold of an embedded `serve` on its way out).
    pub(crate) async fn fold_visits_now(&self) -> Result<u64, String> {
        let batch = format!(
            "now-{}",
            uuid::Builder::from_random_bytes(rand::random()).into_uuid()
        );
        self.fold_visits(&batch).await
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
    pub(crate) async fn run_once(&self, wait: Duration) -> Result<usize, crate::queue::QueueError> {
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
    pub(crate) async fn run(self, scheduler: Option<Scheduler>, stop: watch::Receiver<bool>) {
        let mut last_tick: Option<std::time::Instant> = None;
        let mut queue_down = false;
        while !*stop.borrow() {
            if let Some(scheduler) = &scheduler
                && last_tick.is_none_or(|t| t.elapsed() >= Duration::from_secs(1))
            {
                scheduler.tick().await;
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
