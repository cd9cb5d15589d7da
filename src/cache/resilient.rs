//! Wraps a cache so that its outages are counted and logged once per outage
//! (not once per request), and so `/readyz` can say whether it is degraded.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use bytes::Bytes;

use super::{Bucket, Cache, CacheError, Spend, Taken};
use crate::metrics::Metrics;

/// A cache with outage bookkeeping.
pub struct ResilientCache {
    inner: Arc<dyn Cache>,
    metrics: Arc<Metrics>,
    down: AtomicBool,
    /// Milliseconds since `epoch` of the last call let through while down.
    last_probe_ms: AtomicU64,
    epoch: Instant,
}

/// How often a call is let through to probe a cache that is down.
const PROBE_EVERY: Duration = Duration::from_millis(500);

impl ResilientCache {
    /// Wraps `inner`.
    pub fn new(inner: Arc<dyn Cache>, metrics: Arc<Metrics>) -> Self {
        Self {
            inner,
            metrics,
            down: AtomicBool::new(false),
            last_probe_ms: AtomicU64::new(0),
            epoch: Instant::now(),
        }
    }

    /// While down, lets one call in `PROBE_EVERY` through; the rest fail at once.
    fn admit(&self) -> Result<(), CacheError> {
        if !self.down.load(Ordering::Relaxed) {
            return Ok(());
        }
        let now = self.epoch.elapsed().as_millis() as u64;
        let last = self.last_probe_ms.load(Ordering::Relaxed);
        let due = now.saturating_sub(last) >= PROBE_EVERY.as_millis() as u64;
        if due
            && self
                .last_probe_ms
                .compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed)
                .is_ok()
        {
            return Ok(());
        }
        self.metrics.cache_error();
        Err(CacheError::NotTried)
    }

    fn note<T>(&self, result: Result<T, CacheError>) -> Result<T, CacheError> {
        match &result {
            Ok(_) => {
                if self.down.swap(false, Ordering::Relaxed) {
                    tracing::warn!(
                        backend = self.inner.backend(),
                        "cache is back; caching resumes"
                    );
                }
            }
            Err(e) => {
                self.metrics.cache_error();
                if !self.down.swap(true, Ordering::Relaxed) {
                    tracing::error!(backend = self.inner.backend(), error = %e,
                        "cache unavailable; serving from the store until it returns");
                }
            }
        }
        result
    }
}

#[async_trait]
impl Cache for ResilientCache {
    fn backend(&self) -> &'static str {
        self.inner.backend()
    }

    async fn get(&self, key: &str) -> Result<Option<Bytes>, CacheError> {
        self.admit()?;
        self.note(self.inner.get(key).await)
    }

    async fn get_counting(
        &self,
        key: &str,
        prefix: &[u8],
        counter: &str,
        field: &str,
    ) -> Result<Option<Bytes>, CacheError> {
        self.admit()?;
        self.note(self.inner.get_counting(key, prefix, counter, field).await)
    }

    async fn set(&self, key: &str, value: Bytes, ttl: Duration) -> Result<(), CacheError> {
        self.admit()?;
        self.note(self.inner.set(key, value, ttl).await)
    }

    async fn set_if_absent(
        &self,
        key: &str,
        value: Bytes,
        ttl: Duration,
    ) -> Result<bool, CacheError> {
        self.admit()?;
        self.note(self.inner.set_if_absent(key, value, ttl).await)
    }

    async fn delete(&self, key: &str) -> Result<(), CacheError> {
        self.admit()?;
        self.note(self.inner.delete(key).await)
    }

    async fn replace_unless(
        &self,
        key: &str,
        value: Bytes,
        ttl: Duration,
        unless: &[u8],
    ) -> Result<bool, CacheError> {
        self.admit()?;
        self.note(self.inner.replace_unless(key, value, ttl, unless).await)
    }

    async fn set_unless(
        &self,
        key: &str,
        value: Bytes,
        ttl: Duration,
        unless: &[u8],
    ) -> Result<bool, CacheError> {
        self.admit()?;
        self.note(self.inner.set_unless(key, value, ttl, unless).await)
    }

    async fn set_tombstone(
        &self,
        key: &str,
        value: Bytes,
        ttl: Duration,
    ) -> Result<(), CacheError> {
        self.admit()?;
        self.note(self.inner.set_tombstone(key, value, ttl).await)
    }

    async fn remove_if(&self, key: &str, value: &[u8]) -> Result<bool, CacheError> {
        self.admit()?;
        self.note(self.inner.remove_if(key, value).await)
    }

    async fn take(
        &self,
        buckets: &[Bucket<'_>],
        now_ms: u64,
        spend: Spend,
    ) -> Result<Vec<Taken>, CacheError> {
        self.admit()?;
        self.note(self.inner.take(buckets, now_ms, spend).await)
    }

    async fn add_count(&self, key: &str, field: &str, by: u64) -> Result<(), CacheError> {
        self.admit()?;
        self.note(self.inner.add_count(key, field, by).await)
    }

    async fn add_counts(&self, key: &str, counts: &[(String, u64)]) -> Result<(), CacheError> {
        self.admit()?;
        self.note(self.inner.add_counts(key, counts).await)
    }

    async fn count(&self, key: &str, field: &str) -> Result<u64, CacheError> {
        self.admit()?;
        self.note(self.inner.count(key, field).await)
    }

    async fn take_counts(&self, key: &str, batch: &str) -> Result<Vec<(String, u64)>, CacheError> {
        self.admit()?;
        self.note(self.inner.take_counts(key, batch).await)
    }

    async fn finish_counts(&self, batch: &str) -> Result<(), CacheError> {
        self.admit()?;
        self.note(self.inner.finish_counts(batch).await)
    }

    async fn ping(&self) -> Result<(), CacheError> {
        self.admit()?;
        self.note(self.inner.ping().await)
    }
}
