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
//! `history` caches a paste's revisions and diffs, immutable, read only
//! after the paste's own view has said the paste is still there.
//!
//! Burn-after-read pastes are never cached: each of their reads goes to the
//! store's atomic take.
//!
//! With Redis, `near` keeps decoded views in the clone's memory in front of
//! it (`cache::near`), which another clone's change reaches within
//! `near_cache.max_lag_ms`. Hence the fence rule: every write of a view
//! (`invalidate`, `refresh`, `warm`, and any later edit) returns a
//! `#[must_use]` `Fence`, and a path that tells someone the change is done
//! (a delete, a claim) answers only after awaiting it: past it, no clone's
//! near tier shows the old view. Writes no answer depends on (a render or
//! counts added to a view, a job's first view, a sweep of what readers
//! already saw as expired) `pass` their fence, saying why.
//!
//! A delete ends one of two ways only: deleted for good, or not deleted and
//! no trace. It writes its tombstone first (a view left in a cache that is
//! down would be served again when it returns), so a refused delete must not
//! leave one behind, not even one that lands later: Redis frozen (`SIGSTOP`,
//! a stalled host) keeps the write in its socket and runs it on resume, after
//! the delete answered 503. So:
//! - the tombstone is written by a script that first checks a deadline in
//!   Redis's own clock (taken by a `TIME` answered just before on the same
//!   connection, so no clock skew enters): run late, it writes nothing;
//! - each tombstone carries a nonce, and a delete that did not get its
//!   answer (it may have run in time, the answer lost), or whose store delete
//!   failed, removes its own tombstone, and only its own, once Redis answers
//!   again (compare-and-delete, after every late copy is past its deadline);
//! - the store is changed only once the tombstone is confirmed.
//!
//! The near tiers need nothing more: a frozen Redis answers no PING, so
//! every clone stops serving from memory within `max_lag_ms` and empties its
//! tier when the link times out, and a tombstone that never ran was never
//! told to them.
//!
//! The other order (store first, then the tombstone, retried) was rejected:
//! until a retry lands, every clone would serve the view of a paste already
//! answered as deleted, and a clone that dies meanwhile leaves it for a
//! view's whole life. What remains: a freeze between the tombstone's run and
//! its answer shows the paste missing until Redis is back and the clean-up
//! ran (a clone killed meanwhile: until the tombstone expires), never longer.
//!
//! Hot reads share one decoded view: the near tier's (`near`), or without
//! one the decoded tier's (`decoded`: the view decoded from the cache's
//! bytes, reused while the cache answers the same bytes). A `Lookup::Hit`
//! hands out that `Arc`, never a copy, and the answers made of it (the
//! `ETag`, a lasting `Cache-Control`, the anonymous page around its visit
//! count: `answers`) are made by its first read and kept with it. A view is
//! changed only as an owned copy (`PasteView::owned`), which starts without
//! them: a made answer never outlives the view it was made of.

mod answers;
mod cache;
mod codec;
mod decoded;
mod files;
mod history;
mod model;
mod near;
mod removed;

pub(crate) use answers::Shell;
pub(crate) use cache::{Lookup, ViewCache, ViewTtls};
pub(crate) use files::FileMeta;
pub(crate) use history::{DiffView, RevisionView, ShownHunk, ShownLine};
pub(crate) use model::{PasteView, ViewMeta};
pub(crate) use near::NearView;
