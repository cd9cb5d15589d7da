//! A pastebin that scales out the classic way.
//!
//! The architecture, one line per part (each is a module of the same name):
//!
//! - `routes`: the route table in one function and thin handlers, one resource
//!   per path so that a method it lacks is a 405 with `Allow`. A request
//!   becomes service input in `routes::plumbing::input` (JSON, forms, multipart, list
//!   queries) and `routes::plumbing::headers`; a failure is answered in its surface's
//!   format by type (`routes::plumbing::failure`: every status and error code, once).
//!   `routes::plumbing::viewer` is a page's signed-in user (session cookie, CSRF
//!   check); `routes::plumbing::caller` the API's (bearer token).
//!   `routes::plumbing::miss_budget` wraps them with the not-found budget.
//! - `domain`: plain types parsed once at the edge (`PasteId`, `Content`,
//!   `Visibility`, `Month`...), with serde that parses stored and queued data.
//! - `service`: the use cases, the only code that combines backends.
//!   `Services::build` makes each once; handlers and jobs are one call into
//!   them. `service::views` is the cached object and its consistency rules;
//!   `service::accounts` signs users up and in, keeps their sessions in the
//!   cache seam and their API tokens in the store.
//! - `store`, `cache`, `queue`: the three seams, each with an embedded or
//!   in-process backend and a fleet one (MongoDB, Redis, Redis Streams).
//! - `render`: highlighting, Markdown and language detection, pure CPU work
//!   within size and time bounds; its output is cached inside the view.
//! - `worker`: the job loop; `service::periodic` schedules fleet-wide jobs.
//! - `startup`: opens the backends and builds the application, the same way
//!   for `main` and for tests; `configuration`: the settings, checked at start;
//!   `clock`: the time services read (manual in tests); `shutdown`: the
//!   drain before a clean stop, so a rolling restart loses no request.
//! - `error`: what went wrong, never how it is answered.

pub mod cache;
pub mod cli;
pub mod clock;
pub mod configuration;
pub mod domain;
pub(crate) mod error;
pub mod metrics;
pub(crate) mod middleware;
pub mod queue;
pub(crate) mod render;
pub(crate) mod routes;
pub(crate) mod service;
pub(crate) mod shutdown;
pub mod startup;
pub(crate) mod state;
pub mod store;
pub mod telemetry;
pub mod worker;
