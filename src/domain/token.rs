//! Secret delete tokens, kept only as hashes.

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::PasteId;

/// The secret handed out once at creation. Only its SHA-256 is stored: a leaked
/// database does not let anyone delete pastes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeleteToken(String);

/// SHA-256 of a delete token (32 bytes), as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenHash([u8; 32]);

impl DeleteToken {
    /// 32 base62 characters from the CSPRNG (about 190 bits).
    pub fn random() -> Self {
        Self(PasteId::random(32).as_str().to_owned())
    }

    /// A token presented by a client; any text is acceptable to compare.
    pub(crate) fn presented(text: &str) -> Self {
        Self(text.trim().to_owned())
    }

    /// The hash to store.
    pub fn hash(&self) -> TokenHash {
        TokenHash(Sha256::digest(self.0.as_bytes()).into())
    }

    /// The token, to show the creator once.
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

impl TokenHash {
    /// True when `token` hashes to this; the comparison takes the same time
    /// whatever the bytes, so timing tells an attacker nothing.
    pub(crate) fn verify(&self, token: &DeleteToken) -> bool {
        self.0.ct_eq(&token.hash().0).into()
    }

    /// The hash of any other secret (API tokens).
    pub(crate) fn of_secret(text: &str) -> Self {
        Self(Sha256::digest(text.as_bytes()).into())
    }

    /// True when `text` hashes to this, compared in constant time.
    pub(crate) fn matches_secret(&self, text: &str) -> bool {
        self.0.ct_eq(&Self::of_secret(text).0).into()
    }

    /// Lowercase hex, the stored form.
    pub(crate) fn to_hex(&self) -> String {
        hex(&self.0)
    }

    /// Reads the stored form back.
    pub(crate) fn from_hex(text: &str) -> Option<Self> {
        if text.len() != 64 {
            return None;
        }
        let mut out = [0u8; 32];
        for (i, byte) in out.iter_mut().enumerate() {
            *byte = u8::from_str_radix(text.get(2 * i..2 * i + 2)?, 16).ok()?;
        }
        Some(Self(out))
    }
}

/// Lowercase hex of some bytes.
pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_verifies_against_its_own_hash_only() {
        let token = DeleteToken::random();
        let hash = token.hash();
        assert!(hash.verify(&DeleteToken::presented(token.as_str())));
        assert!(!hash.verify(&DeleteToken::random()));
        assert!(!hash.verify(&DeleteToken::presented("")));
    }

    #[test]
    fn hashes_round_trip_through_hex() {
        let hash = DeleteToken::random().hash();
        assert_eq!(TokenHash::from_hex(&hash.to_hex()), Some(hash));
        assert_eq!(TokenHash::from_hex("zz"), None);
        assert_eq!(TokenHash::from_hex(&"g".repeat(64)), None);
    }
}
