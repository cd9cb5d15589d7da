//! Clones sharing Redis: cached objects, invalidation, fleet-wide limits,
//! idempotency, and an outage.

mod clones;
mod edits;
mod history;
mod limits;
mod max_views;
pub(crate) mod near;
mod outage;
mod password;
mod recovery;
mod visit_batches;
