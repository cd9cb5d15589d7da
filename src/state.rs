//! What every handler can reach: the services, and how this process speaks
//! HTTP. No backend is reachable from here: handlers go through services.

use std::fmt::Display;

use crate::routes::plumbing::body::Uploads;
use crate::routes::plumbing::client::Clients;
use crate::service::Services;

/// Shared by every worker thread of the HTTP server; built once at start.
pub(crate) struct AppState {
    /// Every use case, built once (`Services::build`).
    pub(crate) services: Services,
    /// The HTTP side's own rules.
    pub(crate) http: Http,
}

/// How this process speaks HTTP, made by `startup` from the settings.
pub(crate) struct Http {
    /// The bounds request bodies are received within.
    pub(crate) uploads: Uploads,
    /// Who a request is counted as.
    pub(crate) clients: Clients,
    /// How links to this service are written.
    pub(crate) links: Links,
    /// max-age of cacheable raw reads.
    pub(crate) raw_max_age_secs: u64,
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

    /// One file of a multi-file paste, its name percent-encoded as a path
    /// segment.
    pub(crate) fn raw_file(&self, id: &impl Display, name: &str) -> String {
        format!("{}/raw/{id}/{}", self.base, segment(name))
    }
}

/// A name as one path segment: everything but unreserved characters
/// (RFC 3986) percent-encoded.
pub(crate) fn segment(name: &str) -> String {
    const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');
    percent_encoding::utf8_percent_encode(name, SEGMENT).to_string()
}
