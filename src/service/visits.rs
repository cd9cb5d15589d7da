//! Visits counted in memory, folded into the store by a background job.
//!
//! This is the in-process half of the visits pipeline: a view costs one short
//! lock and one map update, never a store write.

use std::collections::HashMap;
use std::sync::Mutex;

use time::OffsetDateTime;

use crate::domain::PasteId;
use crate::store::VisitCount;

/// (year, month) in UTC.
type Month = (i32, u8);

/// Visits not yet in the store, per paste and month.
#[derive(Debug, Default)]
pub struct VisitTally {
    counts: Mutex<HashMap<(PasteId, Month), u64>>,
}

impl VisitTally {
    /// Counts one visit now.
    pub fn record(&self, id: &PasteId) {
        let now = OffsetDateTime::now_utc();
        let key = (id.clone(), (now.year(), u8::from(now.month())));
        let mut counts = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        *counts.entry(key).or_insert(0) += 1;
    }

    /// Visits of one paste still waiting in memory.
    pub fn pending_for(&self, id: &PasteId) -> u64 {
        let counts = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        counts
            .iter()
            .filter(|((i, _), _)| i == id)
            .map(|(_, n)| n)
            .sum()
    }

    /// All visits waiting in memory.
    pub fn pending(&self) -> u64 {
        self.counts
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .values()
            .sum()
    }

    /// Takes every waiting count out, to be written.
    pub fn drain(&self) -> Vec<VisitCount> {
        let taken = std::mem::take(&mut *self.counts.lock().unwrap_or_else(|p| p.into_inner()));
        taken
            .into_iter()
            .map(|((id, (year, month)), count)| VisitCount {
                id,
                month: format!("{year:04}-{month:02}"),
                count,
            })
            .collect()
    }

    /// Puts counts back after a failed write, so no visit is lost.
    pub fn restore(&self, visits: Vec<VisitCount>) {
        let mut counts = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        for visit in visits {
            let month = visit
                .month
                .split_once('-')
                .and_then(|(y, m)| Some((y.parse().ok()?, m.parse().ok()?)));
            if let Some(month) = month {
                *counts.entry((visit.id, month)).or_insert(0) += visit.count;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drained_counts_can_be_restored_without_loss() {
        let tally = VisitTally::default();
        let id = PasteId::random(8);
        tally.record(&id);
        tally.record(&id);
        assert_eq!(tally.pending_for(&id), 2);
        let drained = tally.drain();
        assert_eq!(tally.pending(), 0);
        assert_eq!(drained.iter().map(|v| v.count).sum::<u64>(), 2);
        tally.restore(drained);
        tally.record(&id);
        assert_eq!(tally.pending_for(&id), 3);
    }
}
