//! Every cache key format, in one place, versioned: a change of format takes a
//! new version prefix, so old and new clones never read each other's bytes.

use sha2::{Digest, Sha256};

use crate::domain::PasteId;
use crate::domain::token::hex;

/// The assembled view of a paste (or its tombstone).
pub fn paste_view(id: &PasteId) -> String {
    format!("v1:paste:{id}")
}

/// Creations by one client in one window.
pub fn create_rate(client: &str, window_start: u64) -> String {
    format!("v1:rate:create:{client}:{window_start}")
}

/// The record of an `Idempotency-Key`; the key is hashed, so any client text
/// makes a short, safe key.
pub fn idempotency(key: &str) -> String {
    format!("v1:idem:{}", hex(&Sha256::digest(key.as_bytes())))
}

/// The readiness probe's key.
pub const PING: &str = "v1:ping";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_versioned_and_client_text_is_hashed() {
        let id = PasteId::parse("abcdEFGH").expect("an id");
        assert_eq!(paste_view(&id), "v1:paste:abcdEFGH");
        let key = idempotency("any text: with spaces\nand newlines");
        assert!(key.starts_with("v1:idem:") && key.len() == 8 + 64);
    }
}
