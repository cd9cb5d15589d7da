//! The cache seam: bytes with a time to live, set-if-absent, counters, and
//! token buckets for rate limits. Redis when `redis.url` is set (shared by every clone); a
//! bounded in-process cache otherwise (one process only).
//!
//! Keys are built only in `keys`. Callers treat every `CacheError` as a miss:
//! a cache that is down slows the service, it never fails a read.

pub mod bucket;
pub mod keys;
pub mod memory;
pub(crate) mod near;
pub mod redis;
pub mod resilient;
pub(crate) mod tracking;

use std::time::Duration;

use async_trait::async_trait;
use bytes::Bytes;

/// The cache could not answer (Redis down, timed out, refused), with its
/// cause.
#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    /// Redis failed, timed out or refused.
    #[error("the cache is unavailable: {0}")]
    Redis(#[source] ::redis::RedisError),
    /// The cache is known to be down: the call was not even tried.
    #[error("the cache is unavailable: down, not tried")]
    NotTried,
    /// A tombstone reached Redis past its deadline: nothing was written.
    #[error("the cache is unavailable: a tombstone arrived past its deadline, nothing written")]
    Late,
    /// A value could not be encoded for the cache.
    #[error("a cached value cannot be encoded: {0}")]
    Encoding(#[source] serde_json::Error),
}

pub use bucket::{Bucket, Rate, Spend, Taken};

/// Where cached objects, counters and leases live.
#[async_trait]
pub trait Cache: Send + Sync + 'static {
    /// A short name for logs and `/readyz` (`redis`, `in-process`).
    fn backend(&self) -> &'static str;

    /// The value, if present and not expired.
    async fn get(&self, key: &str) -> Result<Option<Bytes>, CacheError>;

    /// Reads `key` and, when it holds a value that starts with `prefix` (a
    /// live view, not a marker), adds one to `field` of the counter map
    /// `counter`, in one step: a hot read that counts a visit costs one round
    /// trip, not two.
    async fn get_counting(
        &self,
        key: &str,
        prefix: &[u8],
        counter: &str,
        field: &str,
    ) -> Result<Option<Bytes>, CacheError>;

    /// Stores a value, replacing any.
    async fn set(&self, key: &str, value: Bytes, ttl: Duration) -> Result<(), CacheError>;

    /// Stores a value only if the key is absent; true when it was stored.
    async fn set_if_absent(
        &self,
        key: &str,
        value: Bytes,
        ttl: Duration,
    ) -> Result<bool, CacheError>;

    /// Removes a key.
    async fn delete(&self, key: &str) -> Result<(), CacheError>;

    /// Replaces the value of `key` only while it holds one that does not
    /// start with `unless` (a tombstone's marker; an empty one marks
    /// nothing): refreshes what is cached, never revives what was removed.
    /// True when replaced.
    async fn replace_unless(
        &self,
        key: &str,
        value: Bytes,
        ttl: Duration,
        unless: &[u8],
    ) -> Result<bool, CacheError>;

    /// Stores a value unless the key holds one starting with `unless` (a
    /// tombstone's marker; an empty one marks nothing): absent, or holding
    /// anything else, it is replaced. A late writer can never overwrite a
    /// delete.
    async fn set_unless(
        &self,
        key: &str,
        value: Bytes,
        ttl: Duration,
        unless: &[u8],
    ) -> Result<bool, CacheError>;

    /// Stores a tombstone (replacing any value) only while its writer still
    /// waits for the answer: a write that reaches the backend later (held in
    /// the socket of a frozen Redis, sent again by a reconnection) does
    /// nothing. `Ok`: written. `Err`: not written, or written with its answer
    /// lost; a caller that then does not go on removes it with `remove_if`
    /// (no late copy of the write can land after it is refused).
    async fn set_tombstone(&self, key: &str, value: Bytes, ttl: Duration)
    -> Result<(), CacheError>;

    /// Removes `key` if it holds exactly `value`; true when removed.
    async fn remove_if(&self, key: &str, value: &[u8]) -> Result<bool, CacheError>;

    /// Spends one token of every bucket of `buckets` (each full when absent)
    /// at `now_ms`, all in one atomic step and one round trip, or, when any
    /// is empty or `spend` only looks, spends none: each bucket's answer, in
    /// order. The time is the caller's clock, not the backend's, so tests can
    /// move it.
    async fn take(
        &self,
        buckets: &[Bucket<'_>],
        now_ms: u64,
        spend: Spend,
    ) -> Result<Vec<Taken>, CacheError>;

    /// Adds `by` to `field` of the counter map `key` (kept until taken).
    async fn add_count(&self, key: &str, field: &str, by: u64) -> Result<(), CacheError>;

    /// Adds each count to its field of the counter map `key`, all in one
    /// step (one pipelined round trip with Redis): a clone's batch of visits.
    async fn add_counts(&self, key: &str, counts: &[(String, u64)]) -> Result<(), CacheError> {
        for (field, by) in counts {
            self.add_count(key, field, *by).await?;
        }
        Ok(())
    }

    /// One field of a counter map (0 when absent).
    async fn count(&self, key: &str, field: &str) -> Result<u64, CacheError>;

    /// Moves the counter map `key` to `batch` in one atomic step and returns
    /// `batch`'s counts. A `batch` that exists already is a retry: its counts
    /// are returned and `key` is left alone. A finished `batch` gives nothing,
    /// so a late retry cannot take (and lose) counts added since.
    async fn take_counts(&self, key: &str, batch: &str) -> Result<Vec<(String, u64)>, CacheError>;

    /// Drops `batch` and remembers it as finished.
    async fn finish_counts(&self, batch: &str) -> Result<(), CacheError>;

    /// Checks the backend answers.
    async fn ping(&self) -> Result<(), CacheError>;
}
