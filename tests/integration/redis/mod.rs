//! Clones sharing Redis: cached objects, invalidation, fleet-wide limits,
//! idempotency, and an outage.

mod clones;
mod limits;
mod outage;
mod recovery;
