//! A pastebin that scales out the classic way.
//!
//! The architecture, one line per part (each is a module of the same name):
//!
//! - `routes`: the route table in one function and thin handlers, one resource
//!   per path so that a method it lacks is a 405 with `Allow`. The resources
//!   (`web` pages, `api`, `raw`, `health`, `assets`) lean on
//!   `routes::plumbing`: the request's facts as extractors, each computed at
//!   most once per request and kept in its extensions (`Client`, who it is
//!   counted as; `Format`, the answer's format; `Caller`, anonymous, a session
//!   or a bearer token on every surface; `IdempotencyKey`; `PastePath`, a
//!   parsed paste id; `CsrfForm`, a small form with its CSRF check). A body
//!   becomes service input in `plumbing::input` (JSON, forms, multipart, list
//!   queries); a failure is answered in its surface's format by type
//!   (`plumbing::failure`: every status and error code, once);
//!   `plumbing::miss_budget` wraps the routes with the not-found budget.
//! - `domain`: plain types parsed once at the edge (`PasteId`, `Content`,
//!   `Visibility`, `Month`...), with serde that parses stored and queued data.
//! - `service`: the use cases, the only code that combines backends.
//!   `Services::build` makes each once from the backends and the
//!   `ServiceRules` `startup` made from the settings (nothing below `startup`
//!   reads `Settings`); handlers reach them through `AppState { services,
//!   http }`, and handlers and jobs are one call into them. `service::views` is the cached object and its consistency rules;
//!   `service::accounts` signs users up and in, keeps their sessions in the
//!   cache seam and their API tokens in the store. `service::admin` is the
//!   operator's tools (`pastebin admin`, the Report form), over the
//!   `store::operator` seam.
//! - `store`, `cache`, `queue`: the three seams, each with an embedded or
//!   in-process backend and a fleet one (MongoDB, Redis, Redis Streams).
//! - `render`: highlighting, Markdown and language detection, pure CPU work
//!   within size and time bounds; its output is cached inside the view.
//! - `worker`: the job loop; `service::periodic` schedules fleet-wide jobs.
//! - `startup`: opens the backends (the near tier and its Redis tracking link
//!   among them) and builds the application, the same way
//!   for `main` and for tests; `configuration`: the settings, checked at start;
//!   `clock`: the time services read (manual in tests); `shutdown`: the
//!   drain before a clean stop, so a rolling restart loses no request.
//! - `error`: what went wrong, never how it is answered.
//! - `cli`: the command line; `client`: its `paste`/`get`/`delete`/`login`,
//!   a blocking client of the JSON API that needs no server configuration.

pub mod cache;
pub mod cli;
pub(crate) mod client;
pub mod clock;
pub mod configuration;
pub mod domain;
pub(crate) mod error;
pub mod metrics;
pub(crate) mod middleware;
pub mod queue;
pub mod redis_link;
pub(crate) mod render;
pub(crate) mod routes;
pub(crate) mod service;
pub(crate) mod shutdown;
pub mod startup;
pub(crate) mod state;
pub mod store;
pub mod telemetry;
pub mod worker;
