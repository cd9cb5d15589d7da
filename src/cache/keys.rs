//! Every cache key format, in one place, versioned: a change of format takes a
//! new version prefix, so old and new clones never read each other's bytes.

use sha2::{Digest, Sha256};

use crate::domain::PasteId;
use crate::domain::token::hex;

/// Prefix of every paste view key: the in-process cache keeps these (large)
/// apart from small control entries.
pub const PASTE_VIEW_PREFIX: &str = "v2:paste:";

/// The assembled view of a paste (or its tombstone). v2: views carry monthly stats.
pub fn paste_view(id: &PasteId) -> String {
    format!("{PASTE_VIEW_PREFIX}{id}")
}

/// Creations by one client in one window.
pub fn create_rate(client: &str, window_start: u64) -> String {
    format!("v1:rate:create:{client}:{window_start}")
}

/// The record of an `Idempotency-Key` sent by `client`: keys of different
/// clients never meet. Hashed, so any client text makes a short, safe key.
/// v2: records carry the paste drawn for the first attempt.
pub fn idempotency(client: &str, key: &str) -> String {
    let mut hash = Sha256::new();
    hash.update(client.as_bytes());
    hash.update([0u8]);
    hash.update(key.as_bytes());
    format!("v2:idem:{}", hex(&hash.finalize()))
}

/// Visits counted and not yet folded into the store: field `{id}|{YYYY-MM}`.
pub const VISITS_PENDING: &str = "v1:visits:pending";

/// Visits taken by one fold job (kept until the store has them).
pub fn visits_batch(batch: &str) -> String {
    format!("v1:visits:batch:{batch}")
}

/// The field of one paste's visits in one month.
pub fn visits_field(id: &PasteId, month: &str) -> String {
    format!("{id}|{month}")
}

/// The lease that lets one worker of the fleet enqueue a periodic job for one slot.
pub fn periodic(kind: &str, slot: u64) -> String {
    format!("v1:periodic:{kind}:{slot}")
}

/// The readiness probe's key.
pub const PING: &str = "v1:ping";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_versioned_and_client_text_is_hashed() {
        let id = PasteId::parse("abcdEFGH").expect("an id");
        assert_eq!(paste_view(&id), "v2:paste:abcdEFGH");
        let key = idempotency("203.0.113.9", "any text: with spaces\nand newlines");
        assert!(key.starts_with("v2:idem:") && key.len() == 8 + 64);
        assert_ne!(
            key,
            idempotency("203.0.113.10", "any text: with spaces\nand newlines")
        );
    }
}
