//! What every handler can reach: the services and how to name links. No
//! backend is reachable from here: handlers go through services.

use crate::routes::body::Uploads;
use crate::routes::client::Clients;
use std::fmt::Display;
use std::sync::Arc;

use crate::clock::Clock;
use crate::metrics::Metrics;
use crate::service::{
    AccountService, PasteService, RateLimiter, Readiness, Sessions, Tokens, UserService,
    VisitService,
};

/// Shared by every worker thread of the HTTP server; built once at start.
pub(crate) struct AppState {
    /// The paste use cases.
    pub(crate) pastes: Arc<PasteService>,
    /// Visits shown beside a paste.
    pub(crate) visits: Arc<VisitService>,
    /// User pages.
    pub(crate) users: UserService,
    /// Sign-up and log-in.
    pub(crate) accounts: AccountService,
    /// Sessions of signed-in users.
    pub(crate) sessions: Sessions,
    /// API tokens.
    pub(crate) tokens: Tokens,
    /// Rate limits: creations, and not-found answers.
    pub(crate) limiter: std::sync::Arc<RateLimiter>,
    /// `/readyz`.
    pub(crate) readiness: Readiness,
    /// The bounds request bodies are received within.
    pub(crate) uploads: Uploads,
    /// Who a request is counted as.
    pub(crate) clients: Clients,
    /// Metrics of this process.
    pub(crate) metrics: Arc<Metrics>,
    /// How links to this service are written.
    pub(crate) links: Links,
    /// max-age of cacheable raw reads.
    pub(crate) raw_max_age_secs: u64,
    /// The services' clock, for the few answers that depend on the time.
    pub(crate) clock: Clock,
}

/// The links the service hands out, under `server.public_url`.
#[derive(Debug, Clone)]
pub(crate) struct Links {
    base: String,
}

impl Links {
    /// Links under `base` (without a trailing slash).
    pub(crate) fn new(base: String) -> Self {
        Self { base }
    }

    /// The base URL.
    pub(crate) fn base(&self) -> &str {
        &self.base
    }

    /// True when links are `https://`: cookies are then `Secure`.
    pub(crate) fn is_https(&self) -> bool {
        self.base.starts_with("https://")
    }

    /// The page of a paste.
    pub(crate) fn page(&self, id: &impl Display) -> String {
        format!("{}/{id}", self.base)
    }

    /// The raw text of a paste.
    pub(crate) fn raw(&self, id: &impl Display) -> String {
        format!("{}/raw/{id}", self.base)
    }
}
