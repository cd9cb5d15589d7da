//! Visits counted in this clone and added to Redis in batches: with Redis, a
//! hot read counts its visit in memory instead of a round trip.
//!
//! Every `near_cache.visits_flush_ms` the counts go to Redis in one pipelined
//! call (MULTI/EXEC: all or none); a call that fails puts them back for the
//! next interval. A clean stop flushes what is left, so it loses nothing; a
//! `kill -9` loses what was counted since the last flush (at most one
//! interval, or more while Redis was down).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

/// Counts not yet in Redis, by pending-visits field (`{id}|{YYYY-MM}`).
#[derive(Debug)]
pub(crate) struct VisitTally {
    counts: Mutex<HashMap<String, u64>>,
    every: Duration,
}

impl VisitTally {
    /// An empty tally flushed every `every`.
    pub(crate) fn new(every: Duration) -> Self {
        Self {
            counts: Mutex::new(HashMap::new()),
            every,
        }
    }

    /// How often it is flushed.
    pub(crate) fn every(&self) -> Duration {
        self.every
    }

    fn counts(&self) -> std::sync::MutexGuard<'_, HashMap<String, u64>> {
        // A panic while holding the lock cannot leave a count half-written.
        self.counts
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Counts one visit.
    pub(crate) fn record(&self, field: &str) {
        let mut counts = self.counts();
        match counts.get_mut(field) {
            Some(n) => *n += 1,
            None => {
                counts.insert(field.to_owned(), 1);
            }
        }
    }

    /// Visits of `field` counted here and not yet flushed.
    pub(crate) fn pending(&self, field: &str) -> u64 {
        self.counts().get(field).copied().unwrap_or(0)
    }

    /// Takes every count, for a flush.
    pub(crate) fn take(&self) -> Vec<(String, u64)> {
        self.counts().drain().collect()
    }

    /// Puts back the counts of a flush that failed.
    pub(crate) fn restore(&self, batch: Vec<(String, u64)>) {
        let mut counts = self.counts();
        for (field, n) in batch {
            *counts.entry(field).or_insert(0) += n;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_flush_puts_its_counts_back() {
        let tally = VisitTally::new(Duration::from_secs(1));
        tally.record("a|2026-12");
        tally.record("a|2026-12");
        let batch = tally.take();
        assert_eq!(batch, vec![("a|2026-12".to_owned(), 2)]);
        assert_eq!(tally.pending("a|2026-12"), 0);
        tally.record("a|2026-12");
        tally.restore(batch);
        assert_eq!(tally.pending("a|2026-12"), 3);
    }
}
