//! Behaviour every backend of a seam must have, written once per seam.
//!
//! Each file holds plain async functions taking the trait object; every
//! backend calls all of them. `store`: the embedded backend always runs; the
//! MongoDB backend runs when `PASTEBIN_TEST_MONGODB_URI` names a server (a
//! replica set: visit batches use transactions) at build time, otherwise its
//! tests are ignored with that reason, so the count shows them. `cache` and
//! `queue`: the in-process backends and the Redis ones, on a `redis-server`
//! each test starts (a missing `redis-server` fails, it never skips).

mod archive;
mod cache;
mod forks;
mod operator;
mod queue;
mod revisions;
mod store;
