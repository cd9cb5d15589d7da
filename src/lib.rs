//! A pastebin that scales out the classic way.
//!
//! Requests enter through `routes` (thin handlers, the whole table in one
//! function), become domain values (`domain`, parsed once at the edge), and are
//! served by `service`, the only code that combines the document store
//! (`store`, a seam with an embedded SQLite backend) with everything else.
//! `error` decides every status code once. `worker` holds the background jobs
//! (visit folding, the sweep of expired pastes). `startup` builds the whole
//! application from `configuration`, the same way for `main` and for tests.

pub mod cache;
pub mod cli;
pub mod clock;
pub mod configuration;
pub mod domain;
pub mod error;
pub mod metrics;
pub mod middleware;
pub mod queue;
pub mod routes;
pub mod service;
pub mod startup;
pub mod state;
pub mod store;
pub mod telemetry;
pub mod worker;
