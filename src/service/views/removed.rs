//! The removed state of a taken-down paste, as the view cache holds it: the
//! one place where a removal meets the cache of views.
//!
//! A takedown overwrites the paste's view key with a *removed mark*, written
//! the way a delete writes its tombstone (`ViewCache::invalidate`'s rules:
//! the deadline script, the fence, the undo of a mark whose answer was
//! lost). The mark starts with the tombstone's marker, so every rule that
//! keeps a tombstone in place (fills add only, warm and refresh never
//! replace one) keeps this one too; after the marker and the nonce it names
//! the category, so a hit answers 410 with it without asking the store.
//! Whatever serves views from these bytes (the near tier, pre-built
//! answers) learns "removed" from `Lookup::Removed`.
//!
//! The mark lives as long as a view may (`cache.view_ttl_secs`); once it has
//! gone, the next read misses, finds no paste in the store and asks the
//! store's removal record (`OperatorStore::find_removal`), and marks the key
//! again.

use bytes::Bytes;

use super::cache::{NONCE_BYTES, TOMBSTONE};
use crate::domain::Category;

/// What follows the marker and the nonce in a removed mark.
const REMOVED: &[u8] = b"REMOVED:";

/// A removed mark for `category`, with a fresh nonce.
pub(crate) fn mark(category: Category) -> Bytes {
    let mut value = TOMBSTONE.to_vec();
    value.extend_from_slice(&rand::random::<[u8; NONCE_BYTES]>());
    value.extend_from_slice(REMOVED);
    value.extend_from_slice(category.code().as_bytes());
    Bytes::from(value)
}

/// The category of a removed mark; `None` for any other value (a view, a
/// plain tombstone, a "missing" mark).
pub(crate) fn category_of(bytes: &[u8]) -> Option<Category> {
    let rest = bytes.strip_prefix(TOMBSTONE)?.get(NONCE_BYTES..)?;
    let code = rest.strip_prefix(REMOVED)?;
    Category::parse(std::str::from_utf8(code).ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mark_names_its_category_and_nothing_else_does() {
        for category in Category::ALL {
            assert_eq!(category_of(&mark(category)), Some(category));
        }
        assert_eq!(
            category_of(b"GONE0123456789abcdef"),
            None,
            "a plain tombstone"
        );
        assert_eq!(category_of(b"MISS"), None);
    }
}
