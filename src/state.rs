//! What every handler can reach: the services and how to name links.

use std::sync::Arc;

use crate::cache::resilient::ResilientCache;
use crate::domain::PasteId;
use crate::metrics::Metrics;
use crate::service::{PasteService, RateLimiter};
use crate::store::DocumentStore;

/// Shared by every worker thread of the HTTP server; built once at start.
pub struct AppState {
    /// The paste use cases.
    pub pastes: PasteService,
    /// User pages.
    pub users: crate::service::UserService,
    /// Creation rate limits.
    pub limiter: RateLimiter,
    /// The store, for readiness checks only (handlers go through services).
    pub store: Arc<dyn DocumentStore>,
    /// The cache, for readiness checks only.
    pub cache: Arc<ResilientCache>,
    /// The job queue, for readiness checks only.
    pub queue: Arc<dyn crate::queue::JobQueue>,
    /// Proxies whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Metrics of this process.
    pub metrics: Arc<Metrics>,
    /// Base of the links handed out, without a trailing slash.
    pub public_url: String,
    /// max-age of cacheable raw reads.
    pub raw_max_age_secs: u64,
}

impl AppState {
    /// The page of a paste.
    pub fn paste_url(&self, id: &PasteId) -> String {
        format!("{}/{id}", self.public_url)
    }

    /// The raw text of a paste.
    pub fn raw_url(&self, id: &PasteId) -> String {
        format!("{}/raw/{id}", self.public_url)
    }
}
