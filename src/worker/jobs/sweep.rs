//! `sweep`: delete expired pastes and their cached views. (Readers see an
//! expired paste as gone from the moment it expires; this frees the space.)

use time::OffsetDateTime;

use crate::worker::Worker;

impl Worker {
    /// Purges what has expired by now; returns how many pastes.
    pub async fn sweep(&self) -> Result<usize, String> {
        let ids = self
            .store
            .purge_expired(OffsetDateTime::now_utc())
            .await
            .map_err(|e| e.to_string())?;
        for id in &ids {
            let _ = self.views.invalidate(id).await;
        }
        if !ids.is_empty() {
            tracing::info!(purged = ids.len(), "swept expired pastes");
        }
        Ok(ids.len())
    }
}
