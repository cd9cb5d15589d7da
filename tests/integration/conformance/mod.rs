//! Behaviour every document store backend must have, written once.
//!
//! `store` holds plain async functions taking the trait object; each backend
//! calls all of them. The embedded backend always runs. The MongoDB backend
//! does not exist yet in this build (its issue adds it and runs this same
//! suite when `PASTEBIN_TEST_MONGODB_URI` is set).

mod store;
