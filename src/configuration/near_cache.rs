//! `[near_cache]`: the in-process tier in front of Redis, and visits counted
//! in the clone. Used only with `redis.url` (the in-process cache of the
//! embedded default is already one lookup away).

use serde::Deserialize;

use super::durations::Millis;
use super::numbers::MemoryBytes;

/// `[near_cache]`
#[derive(Debug, Clone, Deserialize)]
pub struct NearCacheSettings {
    /// Whether a clone keeps hot views in memory and counts visits itself;
    /// false makes every hot read a Redis round trip (for comparison).
    #[serde(deserialize_with = "super::choices::flag")]
    pub enabled: bool,
    /// Bytes of views kept in memory by one clone.
    pub max_bytes: MemoryBytes,
    /// The longest a clone may serve a view without having proven that its
    /// invalidation link is up; a delete waits this long before it answers.
    pub max_lag_ms: Millis,
    /// How often a clone adds the visits it counted to Redis (one pipelined
    /// call); a `kill -9` loses at most this much counting.
    pub visits_flush_ms: Millis,
}
