//! Paste identifiers: random base62 strings.

use std::fmt;

use rand::Rng;

const ALPHABET: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// The shortest and longest ids accepted in URLs. New ids have the configured
/// length; older ones keep theirs when the setting changes.
pub(crate) const MIN_LEN: usize = 4;
/// See `MIN_LEN`.
pub(crate) const MAX_LEN: usize = 32;

/// A paste's id: base62, drawn from a CSPRNG so that ids cannot be guessed or
/// enumerated. Anything else in an URL (`..`, slashes, percent signs) is not an id.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PasteId(String);

impl PasteId {
    /// A fresh random id of `len` characters. `rand::rng()` is a ChaCha-based
    /// CSPRNG seeded from the operating system.
    pub fn random(len: usize) -> Self {
        let mut rng = rand::rng();
        let id = (0..len)
            .map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]))
            .collect();
        Self(id)
    }

    /// Accepts only what `random` could have made; `None` for anything else.
    pub(crate) fn parse(raw: &str) -> Option<Self> {
        let ok = (MIN_LEN..=MAX_LEN).contains(&raw.len())
            && raw.bytes().all(|b| b.is_ascii_alphanumeric());
        ok.then(|| Self(raw.to_owned()))
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PasteId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

super::text_serde!(
    PasteId,
    PasteId::parse,
    "a paste id (4 to 32 base62 characters)"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_ids_have_the_asked_length_and_parse_back() {
        for len in [6, 8, 32] {
            let id = PasteId::random(len);
            assert_eq!(id.as_str().len(), len);
            assert_eq!(PasteId::parse(id.as_str()), Some(id));
        }
    }

    #[test]
    fn random_ids_do_not_repeat() {
        let ids: std::collections::HashSet<_> = (0..10_000).map(|_| PasteId::random(8)).collect();
        assert_eq!(ids.len(), 10_000);
    }

    #[test]
    fn path_tricks_and_odd_lengths_are_not_ids() {
        for raw in [
            "",
            "abc",
            "..",
            "../etc",
            "abc%2Fdef",
            "abc/defg",
            "abcd efg",
            "ab-cdefg",
            "é1234567",
        ] {
            assert_eq!(PasteId::parse(raw), None, "{raw:?}");
        }
        assert_eq!(PasteId::parse(&"a".repeat(33)), None);
    }
}
