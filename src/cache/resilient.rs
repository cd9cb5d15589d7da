//! Wraps a cache so that its outages are counted and logged once per outage
//! (not once per request), and so `/readyz` can say whether it is degraded.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use async_trait::async_trait;
use bytes::Bytes;

use super::{Cache, CacheError, WindowCount};
use crate::metrics::Metrics;

/// A cache with outage bookkeeping.
pub struct ResilientCache {
    inner: Arc<dyn Cache>,
    metrics: Arc<Metrics>,
    down: AtomicBool,
}

impl ResilientCache {
    /// Wraps `inner`.
    pub fn new(inner: Arc<dyn Cache>, metrics: Arc<Metrics>) -> Self {
        Self {
            inner,
            metrics,
            down: AtomicBool::new(false),
        }
    }

    /// True after a failed call, until a call succeeds again.
    pub fn is_down(&self) -> bool {
        self.down.load(Ordering::Relaxed)
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
        self.note(self.inner.get(key).await)
    }

    async fn set(&self, key: &str, value: Bytes, ttl: Duration) -> Result<(), CacheError> {
        self.note(self.inner.set(key, value, ttl).await)
    }

    async fn set_if_absent(
        &self,
        key: &str,
        value: Bytes,
        ttl: Duration,
    ) -> Result<bool, CacheError> {
        self.note(self.inner.set_if_absent(key, value, ttl).await)
    }

    async fn delete(&self, key: &str) -> Result<(), CacheError> {
        self.note(self.inner.delete(key).await)
    }

    async fn hit(&self, key: &str, window: Duration) -> Result<WindowCount, CacheError> {
        self.note(self.inner.hit(key, window).await)
    }

    async fn ping(&self) -> Result<(), CacheError> {
        self.note(self.inner.ping().await)
    }
}
