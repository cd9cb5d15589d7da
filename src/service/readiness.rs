//! Readiness: whether each backend answers, and what that means for serving.
//!
//! The store is required (without it nothing can be read or made); a cache or
//! queue that is down degrades the service (reads go to the store, jobs wait)
//! without making it unready, and so does a store still without its indexes.

use std::sync::Arc;

use serde::Serialize;

use crate::cache::Cache;
use crate::metrics::Metrics;
use crate::queue::JobQueue;
use crate::store::DocumentStore;

/// The state of one backend.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum CheckStatus {
    /// It answers.
    Up,
    /// It does not; the service works without it, degraded.
    Degraded,
    /// It does not; the service cannot work without it.
    Down,
}

/// One backend's answer.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Check {
    /// How it stands.
    pub(crate) status: CheckStatus,
    /// Which backend (`embedded`, `mongodb`, `redis`, `in-process`).
    pub(crate) backend: &'static str,
    /// Jobs waiting, for the queue.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) depth: Option<u64>,
    /// Why it is not up.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) error: Option<String>,
}

/// The overall state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Overall {
    /// Everything answers.
    Ready,
    /// Serving, without a cache or a queue.
    Degraded,
    /// Not serving: the store is down.
    Unavailable,
}

/// Every backend's check.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Checks {
    /// The document store.
    pub(crate) store: Check,
    /// The cache.
    pub(crate) cache: Check,
    /// The job queue.
    pub(crate) queue: Check,
}

/// What `/readyz` answers.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Report {
    /// Overall.
    pub(crate) status: Overall,
    /// Each backend.
    pub(crate) checks: Checks,
}

impl Report {
    /// True when requests can be served (the store answers).
    pub(crate) fn is_ready(&self) -> bool {
        self.status != Overall::Unavailable
    }
}

/// Checks the backends of this process.
pub(crate) struct Readiness {
    store: Arc<dyn DocumentStore>,
    cache: Arc<dyn Cache>,
    queue: Arc<dyn JobQueue>,
    metrics: Arc<Metrics>,
}

fn check(backend: &'static str, result: Result<Option<u64>, String>, down: CheckStatus) -> Check {
    match result {
        Ok(depth) => Check {
            status: CheckStatus::Up,
            backend,
            depth,
            error: None,
        },
        Err(error) => Check {
            status: down,
            backend,
            depth: None,
            error: Some(error),
        },
    }
}

impl Readiness {
    /// Over the backends of this process.
    pub(crate) fn new(
        store: Arc<dyn DocumentStore>,
        cache: Arc<dyn Cache>,
        queue: Arc<dyn JobQueue>,
        metrics: Arc<Metrics>,
    ) -> Self {
        Self {
            store,
            cache,
            queue,
            metrics,
        }
    }

    /// Asks every backend.
    pub(crate) async fn check(&self) -> Report {
        let store = self
            .store
            .ping()
            .await
            .map(|()| None)
            .map_err(|e| e.to_string());
        let cache = self
            .cache
            .ping()
            .await
            .map(|()| None)
            .map_err(|e| e.to_string());
        let queue = self
            .queue
            .check()
            .await
            .map(Some)
            .map_err(|e| e.to_string());
        let mut store = check(self.store.backend(), store, CheckStatus::Down);
        if let (CheckStatus::Up, Some(missing)) = (store.status, self.store.indexes_missing()) {
            // Served, but without the TTL and author indexes until they exist.
            store.status = CheckStatus::Degraded;
            store.error = Some(missing);
        }
        let checks = Checks {
            store,
            cache: check(self.cache.backend(), cache, CheckStatus::Degraded),
            queue: check(self.queue.backend(), queue, CheckStatus::Degraded),
        };
        for (name, check) in [
            ("store", &checks.store),
            ("cache", &checks.cache),
            ("queue", &checks.queue),
        ] {
            self.metrics
                .set_backend_up(name, check.status == CheckStatus::Up);
        }
        if let Some(depth) = checks.queue.depth {
            self.metrics.set_queue_depth(depth);
        }
        let status = if checks.store.status == CheckStatus::Down {
            Overall::Unavailable
        } else if [&checks.store, &checks.cache, &checks.queue]
            .iter()
            .any(|c| c.status != CheckStatus::Up)
        {
            Overall::Degraded
        } else {
            Overall::Ready
        };
        Report { status, checks }
    }
}
