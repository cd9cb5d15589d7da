//! Visits, every rule of them in one place: counted on every view in the
//! cache (Redis in a fleet, so counts from every clone add up), shown with
//! what is stored, and folded into the store by a worker job.
//!
//! The read path never writes to the store. A hot read counts its visit in the
//! same cache call as the view lookup (`ViewCache::get` with a field from
//! `field`), or, on a clone with a near tier, in the clone's own tally
//! (`visit_tally`), flushed to the cache in batches: then what a page shows is
//! the count folded into its view plus this clone's unflushed visits, so
//! visits of other clones show once folded (`jobs.visits_flush_secs` after
//! their flush). A fold takes the pending counts under a batch id in one atomic
//! step; the store applies a batch id once, so a fold that is redelivered
//! after a crash counts nothing twice.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;

use crate::cache::{Cache, keys};
use crate::clock::Clock;
use crate::domain::{Month, PasteId, PasteStats};
use crate::error::AppError;
use crate::service::views::{PasteView, ViewCache};
use crate::service::visit_tally::VisitTally;
use crate::store::{DocumentStore, VisitCount};

/// Attempts of the flush at a clean stop, and the pause between them: about
/// three seconds in all, past the cache's outage probe (half a second).
const FINAL_FLUSH_TRIES: u32 = 12;
const FINAL_FLUSH_PAUSE: Duration = Duration::from_millis(250);

/// A visit being counted (`VisitService::visit`).
#[derive(Debug)]
pub(crate) struct Visit {
    id: PasteId,
    field: String,
    by_lookup: bool,
}

impl Visit {
    /// The pending-visits field the cache lookup of the view counts this
    /// visit in, when this clone counts visits that way.
    pub(crate) fn lookup_field(&self) -> Option<&str> {
        self.by_lookup.then_some(self.field.as_str())
    }
}

/// The visit counters and their fold.
pub(crate) struct VisitService {
    cache: Arc<dyn Cache>,
    store: Arc<dyn DocumentStore>,
    views: Arc<ViewCache>,
    clock: Clock,
    tally: Option<VisitTally>,
}

impl VisitService {
    /// Counters in `cache`, folded into `store`, refreshing `views`.
    pub(crate) fn new(
        cache: Arc<dyn Cache>,
        store: Arc<dyn DocumentStore>,
        views: Arc<ViewCache>,
        clock: Clock,
    ) -> Self {
        Self {
            cache,
            store,
            views,
            clock,
            tally: None,
        }
    }

    /// Counts visits in this process and adds them to the cache every
    /// `every` (a clone with a near tier: no round trip per read).
    pub(crate) fn counting_locally(mut self, every: Option<Duration>) -> Self {
        self.tally = every.map(VisitTally::new);
        self
    }

    /// A visit to `id` now, to be counted as this clone counts visits:
    /// without a near tier, by the cache lookup that finds the view (one
    /// round trip for both: `Visit::lookup_field`); with one, in this clone
    /// (no round trip at all). Only this service decides which.
    pub(crate) fn visit(&self, id: &PasteId) -> Visit {
        Visit {
            id: id.clone(),
            field: self.field(id),
            by_lookup: self.tally.is_none(),
        }
    }

    /// Finishes counting `visit`: nothing more when the cache lookup that
    /// found the view (`from_lookup`) already counted it, else counted now.
    pub(crate) async fn count(&self, visit: Visit, from_lookup: bool) {
        if !(visit.by_lookup && from_lookup) {
            self.record(&visit.id).await;
        }
    }

    /// The pending-visits field of a visit to `id` now.
    fn field(&self, id: &PasteId) -> String {
        keys::visits_field(id, Month::of(self.clock.now()))
    }

    /// Counts one visit now. A cache that is down loses the count (it is
    /// counted as a cache error), never the read.
    async fn record(&self, id: &PasteId) {
        if let Some(tally) = &self.tally {
            tally.record(&self.field(id));
            return;
        }
        let _ = self
            .cache
            .add_count(keys::VISITS_PENDING, &self.field(id), 1)
            .await;
    }

    /// Visits of this month not yet folded into the store.
    async fn pending(&self, id: &PasteId) -> u64 {
        self.cache
            .count(keys::VISITS_PENDING, &self.field(id))
            .await
            .unwrap_or(0)
    }

    /// Visits of this month counted in this clone and not yet flushed.
    fn unflushed(&self, id: &PasteId) -> u64 {
        self.tally
            .as_ref()
            .map_or(0, |tally| tally.pending(&self.field(id)))
    }

    /// Visits of a paste: those stored when its view was assembled plus those
    /// of this month counted and not yet folded in (with a tally, those of
    /// this clone only: no round trip).
    pub(crate) async fn total(&self, view: &PasteView) -> u64 {
        let pending = match &self.tally {
            Some(_) => self.unflushed(&view.meta.id),
            None => self.pending(&view.meta.id).await,
        };
        view.meta.stats.total_views + pending
    }

    /// A paste's statistics, this month's unfolded visits included (those of
    /// every clone flushed so far, and this clone's unflushed ones).
    pub(crate) async fn stats(&self, view: &PasteView) -> PasteStats {
        let mut stats = view.meta.stats.clone();
        let pending = self.pending(&view.meta.id).await + self.unflushed(&view.meta.id);
        if pending > 0 {
            *stats
                .monthly
                .entry(Month::of(self.clock.now()))
                .or_insert(0) += pending;
            stats.total_views += pending;
        }
        stats
    }

    /// Adds the visits counted in this clone to the cache, in one call; a
    /// call that fails keeps them for the next flush. True when nothing is
    /// left to flush.
    pub(crate) async fn flush(&self) -> bool {
        let Some(tally) = &self.tally else {
            return true;
        };
        let batch = tally.take();
        if batch.is_empty() {
            return true;
        }
        match self.cache.add_counts(keys::VISITS_PENDING, &batch).await {
            Ok(()) => true,
            Err(e) => {
                tracing::debug!(error = %e, "visits kept in the clone until the cache answers");
                tally.restore(batch);
                false
            }
        }
    }

    /// Flushes every interval until `stop` turns true, then once more: a
    /// clean stop (after the server finished its requests) loses no visit.
    pub(crate) async fn flush_until(self: Arc<Self>, mut stop: watch::Receiver<bool>) {
        let Some(every) = self.tally.as_ref().map(VisitTally::every) else {
            return;
        };
        // Connects the shared Redis connection from this task's runtime (the
        // process's own) before the HTTP workers' runtimes do: a connection
        // made on one of those closes with it, and the flush at a clean stop
        // would find it gone.
        let _ = self.cache.ping().await;
        let mut ticks = tokio::time::interval(every);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            let stopping = tokio::select! {
                _ = ticks.tick() => false,
                _ = stop.wait_for(|stopped| *stopped) => true,
            };
            if stopping {
                break;
            }
            self.flush().await;
        }
        // The connection may have lived on a runtime of the stopped server:
        // the first call can fail while it reconnects, so try for a while.
        for _ in 0..FINAL_FLUSH_TRIES {
            if self.flush().await {
                return;
            }
            tokio::time::sleep(FINAL_FLUSH_PAUSE).await;
        }
        tracing::warn!(
            "the cache did not take the visits counted since the last flush: they are lost"
        );
    }

    /// Takes the pending counts under `batch` (or, on a retry, finds them there).
    async fn take_batch(&self, batch: &str) -> Result<Vec<VisitCount>, AppError> {
        let counts = self
            .cache
            .take_counts(keys::VISITS_PENDING, &keys::visits_batch(batch))
            .await
            .map_err(|e| AppError::Unavailable(e.to_string()))?;
        Ok(counts
            .into_iter()
            .filter_map(|(field, count)| {
                let (id, month) = keys::parse_visits_field(&field)?;
                Some(VisitCount { id, month, count })
            })
            .collect())
    }

    /// Forgets a batch the store has applied; a late retry of its fold then
    /// takes nothing.
    async fn finish_batch(&self, batch: &str) {
        let _ = self.cache.finish_counts(&keys::visits_batch(batch)).await;
    }

    /// Folds batch `batch` into the stored statistics, exactly once even when
    /// redelivered, and refreshes the cached views that show them; returns how
    /// many visits it added.
    pub(crate) async fn fold(&self, batch: &str) -> Result<u64, AppError> {
        self.flush().await;
        let counts = self.take_batch(batch).await?;
        if counts.is_empty() {
            self.finish_batch(batch).await;
            return Ok(0);
        }
        let added = self.store.add_visits(batch, &counts).await?;
        let mut ids: Vec<_> = counts.iter().map(|v| &v.id).collect();
        ids.sort();
        ids.dedup();
        let now = self.clock.now();
        for id in ids {
            if let Ok(Some(paste)) = self.store.find_paste(id, now).await {
                // Counts only: a clone showing the older count for a moment
                // contradicts nothing it was told, so the job does not wait.
                self.views
                    .refresh(&PasteView::assemble(&paste))
                    .await
                    .pass();
            }
        }
        self.finish_batch(batch).await;
        Ok(if added {
            counts.iter().map(|v| v.count).sum()
        } else {
            0
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cache::memory::MemoryCache;
    use crate::metrics::Metrics;
    use crate::service::views::ViewTtls;
    use crate::store::embedded::EmbeddedStore;
    use std::time::Duration;

    #[tokio::test]
    async fn a_batch_taken_twice_gives_the_same_counts_and_new_visits_wait() {
        let dir = tempfile::tempdir().expect("a folder");
        let store = Arc::new(
            EmbeddedStore::open(dir.path(), crate::configuration::Synchronous::Normal)
                .expect("a store"),
        );
        let cache: Arc<dyn Cache> = Arc::new(MemoryCache::new(1 << 20));
        let ttl = Duration::from_secs(60);
        let ttls = ViewTtls {
            view: ttl,
            missing: ttl,
            tombstone: ttl,
        };
        let views = Arc::new(ViewCache::new(
            cache.clone(),
            Arc::new(Metrics::new()),
            Clock::System,
            ttls,
            true,
        ));
        let visits = VisitService::new(cache, store, views, Clock::System);
        let id = PasteId::random(8);
        visits.record(&id).await;
        visits.record(&id).await;
        assert_eq!(visits.pending(&id).await, 2);
        let first = visits.take_batch("b1").await.expect("taken");
        visits.record(&id).await;
        let retry = visits.take_batch("b1").await.expect("taken again");
        assert_eq!(first, retry, "a retry sees the same batch");
        assert_eq!(first.iter().map(|v| v.count).sum::<u64>(), 2);
        visits.finish_batch("b1").await;
        assert!(
            visits.take_batch("b1").await.expect("taken").is_empty(),
            "a late retry takes nothing"
        );
        let next = visits.take_batch("b2").await.expect("taken");
        assert_eq!(
            next.iter().map(|v| v.count).sum::<u64>(),
            1,
            "the visit made meanwhile is kept"
        );
    }
}
