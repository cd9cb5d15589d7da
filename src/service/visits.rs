//! Visits: counted in the cache on every view (Redis in a fleet, so counts
//! from every clone add up), folded into the store by a worker job.
//!
//! The read path never writes to the store. A fold takes the pending counts
//! under a batch id in one atomic step; the store applies a batch id once,
//! so a fold that is redelivered after a crash counts nothing twice.

use std::sync::Arc;

use time::OffsetDateTime;

use crate::cache::{Cache, keys};
use crate::domain::PasteId;
use crate::domain::paste::month_key;
use crate::store::VisitCount;

/// The visit counters.
pub struct Visits {
    cache: Arc<dyn Cache>,
}

impl Visits {
    /// Counters in `cache`.
    pub fn new(cache: Arc<dyn Cache>) -> Self {
        Self { cache }
    }

    /// The pending-visits field of a visit to `id` now.
    pub fn field(id: &PasteId) -> String {
        keys::visits_field(id, &month_key(OffsetDateTime::now_utc()))
    }

    /// Counts one visit now. A cache that is down loses the count (it is
    /// logged and counted as a cache error), never the read.
    pub async fn record(&self, id: &PasteId) {
        let _ = self
            .cache
            .add_count(keys::VISITS_PENDING, &Self::field(id), 1)
            .await;
    }

    /// Visits of this month not yet folded into the store.
    pub async fn pending_for(&self, id: &PasteId) -> u64 {
        let field = keys::visits_field(id, &month_key(OffsetDateTime::now_utc()));
        self.cache
            .count(keys::VISITS_PENDING, &field)
            .await
            .unwrap_or(0)
    }

    /// Takes the pending counts under `batch` (or, on a retry, finds them there).
    pub async fn take_batch(
        &self,
        batch: &str,
    ) -> Result<Vec<VisitCount>, crate::cache::CacheError> {
        let counts = self
            .cache
            .take_counts(keys::VISITS_PENDING, &keys::visits_batch(batch))
            .await?;
        Ok(counts
            .into_iter()
            .filter_map(|(field, count)| {
                let (id, month) = field.split_once('|')?;
                Some(VisitCount {
                    id: PasteId::parse(id)?,
                    month: month.to_owned(),
                    count,
                })
            })
            .collect())
    }

    /// Forgets a batch the store has applied; a late retry of its fold then
    /// takes nothing.
    pub async fn finish_batch(&self, batch: &str) {
        let _ = self.cache.finish_counts(&keys::visits_batch(batch)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cache::memory::MemoryCache;

    #[tokio::test]
    async fn a_batch_taken_twice_gives_the_same_counts_and_new_visits_wait() {
        let visits = Visits::new(Arc::new(MemoryCache::new(1 << 20)));
        let id = PasteId::random(8);
        visits.record(&id).await;
        visits.record(&id).await;
        assert_eq!(visits.pending_for(&id).await, 2);
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
