//! Use cases: the only code that combines the store with everything else.
//!
//! Handlers turn requests into a `Draft` and hand it here; they never touch the
//! store. The read path never writes a visit to the store: visits are counted in
//! memory (`visits`) and folded in by a background job.

pub mod draft;
pub mod idempotency;
pub mod pastes;
pub mod rate_limit;
pub mod users;
pub mod views;
pub mod visits;

pub use draft::{Draft, Rules};
pub use pastes::{Created, PasteService};
pub use rate_limit::{RateLimiter, RateStatus};
pub use users::{AuthorPage, UserService};
pub use views::{PasteView, ViewCache};
pub use visits::Visits;
