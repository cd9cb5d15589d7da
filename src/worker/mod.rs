//! Background jobs of the embedded default: folding counted visits into the
//! store, and sweeping expired pastes.
//!
//! `serve` runs them in-process; `pastebin worker` runs the sweep alone against
//! a shared store. Each run is idempotent: a sweep deletes what is expired now,
//! a fold writes counts it has taken out of memory and puts them back if the
//! write fails, so no counted visit is lost.

use std::sync::Arc;
use std::time::Duration;

use time::OffsetDateTime;
use tokio::sync::watch;

use crate::metrics::Metrics;
use crate::service::{ViewCache, VisitTally};
use crate::store::DocumentStore;

/// The jobs and what they work on.
#[derive(Clone)]
pub struct Jobs {
    store: Arc<dyn DocumentStore>,
    views: Arc<ViewCache>,
    visits: Arc<VisitTally>,
    metrics: Arc<Metrics>,
}

impl Jobs {
    /// Jobs over one store, its cached views and one tally.
    pub fn new(
        store: Arc<dyn DocumentStore>,
        views: Arc<ViewCache>,
        visits: Arc<VisitTally>,
        metrics: Arc<Metrics>,
    ) -> Self {
        Self {
            store,
            views,
            visits,
            metrics,
        }
    }

    /// Writes the visits counted so far into the store; returns how many.
    pub async fn fold_visits(&self) -> u64 {
        let batch = self.visits.drain();
        let total = batch.iter().map(|v| v.count).sum();
        if batch.is_empty() {
            return 0;
        }
        match self.store.add_visits(&batch).await {
            Ok(()) => {
                // The statistics changed: cached views must show the new ones.
                let mut ids: Vec<_> = batch.iter().map(|v| &v.id).collect();
                ids.sort();
                ids.dedup();
                for id in ids {
                    self.views.refresh(id).await;
                }
                self.metrics.job("visits", true);
                self.metrics.set_visits_pending(self.visits.pending());
                total
            }
            Err(e) => {
                tracing::warn!(error = %e, visits = total, "could not fold visits; keeping them for the next run");
                self.visits.restore(batch);
                self.metrics.job("visits", false);
                self.metrics.set_visits_pending(self.visits.pending());
                0
            }
        }
    }

    /// Deletes every paste expired by now; returns how many.
    pub async fn sweep(&self) -> usize {
        match self.store.purge_expired(OffsetDateTime::now_utc()).await {
            Ok(ids) => {
                for id in &ids {
                    self.views.refresh(id).await;
                }
                self.metrics.job("sweep", true);
                if !ids.is_empty() {
                    tracing::info!(purged = ids.len(), "swept expired pastes");
                }
                ids.len()
            }
            Err(e) => {
                tracing::warn!(error = %e, "sweep failed; will try again");
                self.metrics.job("sweep", false);
                0
            }
        }
    }

    /// Runs `fold_visits` every `fold_every` (when given) and `sweep` every
    /// `sweep_every` until `stop` turns true, then folds one last time.
    pub async fn run(
        self,
        fold_every: Option<Duration>,
        sweep_every: Duration,
        mut stop: watch::Receiver<bool>,
    ) {
        let mut fold = tokio::time::interval(fold_every.unwrap_or(Duration::from_secs(3600)));
        let mut sweep = tokio::time::interval(sweep_every);
        fold.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        sweep.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = fold.tick(), if fold_every.is_some() => { self.fold_visits().await; }
                _ = sweep.tick() => { self.sweep().await; }
                changed = stop.changed() => {
                    if changed.is_err() || *stop.borrow() { break; }
                }
            }
        }
        if fold_every.is_some() {
            self.fold_visits().await;
        }
    }
}
