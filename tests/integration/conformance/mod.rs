//! Behaviour every document store backend must have, written once.
//!
//! `store` holds plain async functions taking the trait object; each backend
//! calls all of them. The embedded backend always runs. The MongoDB backend
//! runs when `PASTEBIN_TEST_MONGODB_URI` names a server (a replica set: visit
//! batches use transactions) at build time; otherwise its tests are ignored
//! with that reason, so the count shows them.

mod store;
