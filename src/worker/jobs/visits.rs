//! `fold_visits`: add the visits counted in the cache to the stored statistics.
//!
//! Exactly once, even when redelivered: the counts are taken under the job's
//! batch id in one atomic step (a retry finds the same batch), and the store
//! applies a batch id once. Only then is the batch forgotten.

use crate::worker::Worker;

impl Worker {
    /// Folds batch `batch`; returns how many visits it added.
    pub async fn fold_visits(&self, batch: &str) -> Result<u64, String> {
        let counts = self
            .visits
            .take_batch(batch)
            .await
            .map_err(|e| e.to_string())?;
        if counts.is_empty() {
            self.visits.finish_batch(batch).await;
            return Ok(0);
        }
        let added = self
            .store
            .add_visits(batch, &counts)
            .await
            .map_err(|e| e.to_string())?;
        // The statistics changed: cached views must show the new ones.
        let mut ids: Vec<_> = counts.iter().map(|v| &v.id).collect();
        ids.sort();
        ids.dedup();
        let now = time::OffsetDateTime::now_utc();
        for id in ids {
            if let Ok(Some(paste)) = self.store.find_paste(id, now).await {
                self.views
                    .refresh(&crate::service::PasteView::assemble(&paste))
                    .await;
            }
        }
        self.visits.finish_batch(batch).await;
        Ok(if added {
            counts.iter().map(|v| v.count).sum()
        } else {
            0
        })
    }
}
