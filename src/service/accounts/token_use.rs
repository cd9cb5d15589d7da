//! When each API token was last used, for its owner's settings page.
//!
//! Written cheaply: a request with a token takes a one-minute lease on the
//! token's entry (one set-if-absent in the cache); only the request that
//! wins it writes the time. So a token is written at most once a minute,
//! whatever its request rate, and never in the document store: the time is
//! kept in the cache (Redis in a fleet, the process's own cache with the
//! embedded default), for `LAST_USED_LIFE`. A cache that is flushed or
//! down forgets it ("not used lately"), and nothing else depends on it.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use time::OffsetDateTime;

use crate::cache::{Cache, keys};
use crate::domain::TokenId;

/// How often a token's time is written at most.
const WRITE_EVERY: Duration = Duration::from_secs(60);
/// How long a token's last use is remembered.
const LAST_USED_LIFE: Duration = Duration::from_secs(400 * 24 * 3600);

/// The record of tokens' last uses.
pub(crate) struct TokenUse {
    cache: Arc<dyn Cache>,
}

impl TokenUse {
    /// Uses kept in `cache`.
    pub(crate) fn new(cache: Arc<dyn Cache>) -> Self {
        Self { cache }
    }

    /// Notes a use of `id` at `now`, unless one was noted in the last
    /// minute. Errors are dropped: a request never fails for this.
    pub(crate) async fn note(&self, id: &TokenId, now: OffsetDateTime) {
        let lease = self
            .cache
            .set_if_absent(
                &keys::token_use_lease(id),
                Bytes::from_static(b"1"),
                WRITE_EVERY,
            )
            .await;
        if !matches!(lease, Ok(true)) {
            return;
        }
        let millis = (now.unix_timestamp_nanos() / 1_000_000).to_string();
        if let Err(e) = self
            .cache
            .set(&keys::token_used(id), Bytes::from(millis), LAST_USED_LIFE)
            .await
        {
            tracing::debug!(token = %id, error = %e, "a token's last use was not noted");
        }
    }

    /// When `id` was last used, if that is remembered.
    pub(crate) async fn last(&self, id: &TokenId) -> Option<OffsetDateTime> {
        let bytes = self.cache.get(&keys::token_used(id)).await.ok().flatten()?;
        let millis: i128 = std::str::from_utf8(&bytes).ok()?.parse().ok()?;
        OffsetDateTime::from_unix_timestamp_nanos(millis * 1_000_000).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cache::memory::MemoryCache;

    #[tokio::test]
    async fn a_token_is_noted_at_most_once_a_minute() {
        let uses = TokenUse::new(Arc::new(MemoryCache::new(1 << 20)));
        let id = TokenId::parse("abcdefghijkl").expect("an id");
        assert_eq!(uses.last(&id).await, None);
        let first = OffsetDateTime::from_unix_timestamp(1_700_000_000).expect("a time");
        uses.note(&id, first).await;
        uses.note(&id, first + time::Duration::seconds(30)).await;
        assert_eq!(
            uses.last(&id).await,
            Some(first),
            "the second use within the minute writes nothing"
        );
    }
}
