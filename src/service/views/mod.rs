//! Cached paste views: everything the page, raw and API answers need, assembled
//! once and cached whole, so a hot read touches neither the store nor any
//! renderer.
//!
//! `model` is what a view holds (typed: ids, visibility, language and months
//! are domain values, parsed once when the bytes are decoded); `codec` is its
//! byte layout in the cache; `cache` is the policy that keeps clones
//! consistent:
//! - fills only add (`set_if_absent`), never replace;
//! - a delete first overwrites the key with a tombstone that outlives any read
//!   in flight, and no write but another delete replaces a tombstone (a slow
//!   reader or a late assemble job cannot bring a deleted paste back);
//! - an id probed and not found gets a separate "missing" mark, which the
//!   paste's own assembly may replace (the id was free, now it is taken);
//! - a view never outlives its paste (TTL capped by the expiry, and checked on
//!   every hit).
//!
//! Burn-after-read pastes are never cached: each of their reads goes to the
//! store's atomic take.
//!
//! With Redis, `near` keeps decoded views in the clone's memory in front of
//! it (`cache::near`): a delete evicts them on every clone before it is
//! acknowledged (the fence of `invalidate`).

mod cache;
mod codec;
mod model;
mod near;

pub(crate) use cache::{Lookup, ViewCache, ViewTtls};
pub(crate) use model::{PasteView, ViewMeta};
pub(crate) use near::NearView;
