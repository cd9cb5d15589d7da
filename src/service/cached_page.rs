//! A first page cached whole as one assembled object (a user's page, the
//! archive's): read unless a change left its tombstone, filled unless one is
//! there, replaced by a tombstone on every change. One mechanism for both,
//! so their consistency rule is written once (see `user_pages`).

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::cache::{Cache, CacheError};
use crate::metrics::Metrics;

/// What an invalidation leaves: it outlives any assembly in flight (an
/// assembly is a few indexed reads, milliseconds, but on MongoDB each may
/// take up to `mongodb.operation_timeout_ms` under load; see
/// `user_pages::tombstone_life`), so none can cache a list read before the
/// change. Until it expires, reads assemble from the store.
const TOMBSTONE: &[u8] = b"gone";
/// How long an assembled page lives at most (counters shown in it, such as
/// views, may lag this much; new pastes never do: they invalidate it).
const PAGE_LIFE: Duration = Duration::from_secs(300);

/// Pages of one kind (`object`, the metric's label) in the cache.
pub(crate) struct PageSlot {
    cache: Arc<dyn Cache>,
    metrics: Arc<Metrics>,
    enabled: bool,
    tombstone_life: Duration,
    object: &'static str,
}

impl PageSlot {
    /// Pages kept in `cache` (not at all when `enabled` is false); a change
    /// stops fills for `tombstone_life`.
    pub(crate) fn new(
        cache: Arc<dyn Cache>,
        metrics: Arc<Metrics>,
        enabled: bool,
        tombstone_life: Duration,
        object: &'static str,
    ) -> Self {
        Self {
            cache,
            metrics,
            enabled,
            tombstone_life,
            object,
        }
    }

    /// The live page under `key`, if there is one.
    pub(crate) async fn get<T: DeserializeOwned>(&self, key: &str) -> Option<T> {
        if !self.enabled {
            return None;
        }
        let found = self.cache.get(key).await.ok().flatten();
        let page = found
            .filter(|b| b.as_ref() != TOMBSTONE)
            .and_then(|b| serde_json::from_slice::<T>(&b).ok());
        let result = if page.is_some() { "hit" } else { "miss" };
        self.metrics.cache_request(self.object, result);
        page
    }

    /// Caches a page assembled from the store, unless a change left its
    /// tombstone there meanwhile.
    pub(crate) async fn fill<T: Serialize>(&self, key: &str, page: &T) {
        if !self.enabled {
            return;
        }
        if let Ok(bytes) = serde_json::to_vec(page) {
            let _ = self
                .cache
                .set_unless(key, Bytes::from(bytes), PAGE_LIFE, TOMBSTONE)
                .await;
        }
    }

    /// Forgets the page under `key` on every clone.
    pub(crate) async fn invalidate(&self, key: &str) -> Result<(), CacheError> {
        let tombstone = Bytes::from_static(TOMBSTONE);
        self.cache.set(key, tombstone, self.tombstone_life).await
    }
}
