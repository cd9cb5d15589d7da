//! Decoded views of the cache that has no near tier (the embedded default's
//! in-process cache, or Redis with `near_cache.enabled = false`): the view
//! decoded from a cached value is kept with that value, and a lookup that
//! finds the same bytes in the cache again takes the decoded view instead
//! of decoding its header once more.
//!
//! It is never a copy that could be stale: the cache stays the only
//! authority, every lookup still asks it, and a kept view is used only
//! when the cache answered exactly the bytes it was decoded from (the same
//! buffer, or equal bytes). It only spares the decoding, and keeps the
//! answers made of a view (`answers`) for the next read of it.

use std::sync::Arc;

use bytes::Bytes;

use super::model::PasteView;

/// Bytes of cached values (and the pages made of them) kept decoded. Hot
/// views are few; the cache holds the rest as bytes.
const MAX_BYTES: u64 = 16 << 20;

/// What is kept of one key: the bytes and their view.
#[derive(Clone)]
struct Kept {
    bytes: Bytes,
    view: Arc<PasteView>,
}

/// The decoded views, by cache key.
pub(crate) struct Decoded {
    kept: moka::sync::Cache<String, Kept>,
}

impl Decoded {
    pub(crate) fn new() -> Self {
        Self {
            kept: moka::sync::Cache::builder()
                .max_capacity(MAX_BYTES)
                // Pages made later are not weighed here: a view's page is
                // about its render's size, which the bound leaves room for.
                .weigher(|key: &String, kept: &Kept| {
                    u32::try_from(key.len() + 2 * kept.bytes.len() + 512).unwrap_or(u32::MAX)
                })
                .build(),
        }
    }

    /// The view of `bytes`, the cached value of `key`: the one kept when it
    /// was decoded from these same bytes, else decoded now (and kept).
    /// `None` when the bytes are no view.
    pub(crate) fn view(&self, key: &str, bytes: Bytes) -> Option<Arc<PasteView>> {
        if let Some(kept) = self.kept.get(key)
            && same(&kept.bytes, &bytes)
        {
            return Some(kept.view);
        }
        let view = Arc::new(PasteView::decode(&bytes)?);
        self.kept.insert(
            key.to_owned(),
            Kept {
                bytes,
                view: view.clone(),
            },
        );
        Some(view)
    }

    /// Forgets `key` (this process replaced or removed its value).
    pub(crate) fn forget(&self, key: &str) {
        self.kept.invalidate(key);
    }
}

/// True when `a` and `b` are the same value: the same buffer (the
/// in-process cache hands out its own), or equal bytes (a value read from
/// Redis again).
fn same(a: &Bytes, b: &Bytes) -> bool {
    a.len() == b.len() && (a.as_ptr() == b.as_ptr() || a == b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::paste::now_millis;
    use crate::domain::{Content, DeleteToken, NewPaste, Paste, PasteId, Visibility};

    fn encoded(text: &str) -> (PasteView, Bytes) {
        let view = PasteView::assemble(&Paste::new(NewPaste {
            id: PasteId::random(8),
            content: Content::parse(text.into(), 100).expect("valid"),
            title: None,
            language: None,
            visibility: Visibility::Public,
            burn_after_read: false,
            max_views: None,
            lock: None,
            created_at: now_millis(),
            expires_at: None,
            author: None,
            delete_token_hash: DeleteToken::random().hash(),
            end_to_end: false,
            files: Vec::new(),
        }));
        let bytes = view.encode();
        (view, bytes)
    }

    #[test]
    fn a_view_is_reused_only_for_the_bytes_it_was_decoded_from() {
        let decoded = Decoded::new();
        let (view, bytes) = encoded("one");
        let first = decoded.view("k", bytes.clone()).expect("a view");
        assert_eq!(*first, view);
        let again = decoded
            .view("k", Bytes::copy_from_slice(&bytes))
            .expect("a view");
        assert!(Arc::ptr_eq(&first, &again), "equal bytes: the kept view");
        let (other, other_bytes) = encoded("two");
        let changed = decoded.view("k", other_bytes).expect("a view");
        assert_eq!(*changed, other, "other bytes under the key: decoded again");
        assert!(decoded.view("k", Bytes::from_static(b"GONE")).is_none());
    }
}
