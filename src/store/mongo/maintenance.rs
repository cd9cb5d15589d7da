//! The store's own upkeep, apart from any one request: the sweep of expired
//! pastes (what the TTL monitor has not yet removed) and the creation of
//! indexes, retried in the background while MongoDB is away.

use std::sync::Arc;

use futures_util::TryStreamExt;
use mongodb::bson::{Document, doc};
use time::OffsetDateTime;

use super::{INDEX_RETRY, MongoStore, PASTES, indexes};
use crate::domain::PasteId;
use crate::store::StoreError;
use crate::store::document::to_bson_date;

/// Most expired pastes one sweep deletes (the TTL index does the rest).
const SWEEP_LIMIT: i64 = 10_000;
/// Expired pastes deleted by one `deleteMany` of a sweep.
const PURGE_CHUNK: usize = 1000;

impl MongoStore {
    /// Deletes what has expired (what the TTL monitor has not yet purged), in
    /// chunks, each within the operation timeout: a large backlog is worked
    /// off over several sweeps instead of timing out whole every time.
    pub(super) async fn purge(&self, now: OffsetDateTime) -> Result<Vec<PasteId>, StoreError> {
        let expired = doc! { "expires_at": { "$lte": to_bson_date(now) } };
        let found: Vec<Document> = self
            .bounded(async {
                self.db
                    .collection::<Document>(PASTES)
                    .find(expired.clone())
                    .projection(doc! { "_id": 1 })
                    .limit(SWEEP_LIMIT)
                    .max_time(self.operation_timeout)
                    .await?
                    .try_collect()
                    .await
            })
            .await?;
        let ids: Vec<PasteId> = found
            .iter()
            .filter_map(|d| d.get_str("_id").ok().and_then(PasteId::parse))
            .collect();
        let mut purged = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(PURGE_CHUNK) {
            let list: Vec<&str> = chunk.iter().map(PasteId::as_str).collect();
            // Their histories first (see `revisions`).
            if let Err(e) = self.drop_revisions(&list).await {
                if purged.is_empty() {
                    return Err(e);
                }
                tracing::warn!(error = %e, purged = purged.len(), "sweep stopped part way; the next one goes on");
                break;
            }
            let mut filter = expired.clone();
            filter.insert("_id", doc! { "$in": list });
            let deleted = self.bounded(self.pastes.delete_many(filter)).await;
            match deleted {
                Ok(_) => purged.extend_from_slice(chunk),
                Err(e) if purged.is_empty() => return Err(e),
                Err(e) => {
                    tracing::warn!(error = %e, purged = purged.len(), "sweep stopped part way; the next one goes on");
                    break;
                }
            }
        }
        Ok(purged)
    }

    /// Creates the indexes once per process (a no-op on the server when they
    /// exist). Run at start; run again before anything that relies on a
    /// unique index, in case MongoDB was down when the process started.
    pub(super) async fn ensure_indexes(&self) -> Result<(), StoreError> {
        let made = self
            .indexes
            // Not bounded by the operation timeout: building an index on a
            // large collection takes longer than a request may.
            .get_or_try_init(|| indexes::ensure(&self.db))
            .await
            .map(drop);
        if let Ok(mut last) = self.index_error.lock() {
            *last = made.as_ref().err().map(ToString::to_string);
        }
        made
    }

    /// Tries to create the indexes until they exist, pausing longer after
    /// each failure (up to 30 s): a process that started while MongoDB was
    /// down gets its TTL and author indexes as soon as it is back.
    pub async fn keep_creating_indexes(self: Arc<Self>) {
        let (mut pause, longest) = INDEX_RETRY;
        let mut attempts = 1u32;
        while let Err(e) = self.ensure_indexes().await {
            tracing::warn!(error = %e, attempts, retry_in_secs = pause.as_secs(), "MongoDB indexes still missing");
            tokio::time::sleep(pause).await;
            pause = (pause * 2).min(longest);
            attempts += 1;
        }
        tracing::info!(attempts, "MongoDB indexes are in place now");
    }
}
