//! API tokens: named, revocable secrets a user makes for scripts. The
//! secret is shown once; the store keeps its SHA-256 only.

use time::OffsetDateTime;

use super::{AuthorSummary, PasteId, TokenHash};

/// Characters of a token's public id.
const ID_CHARS: usize = 12;
/// Characters of a token's secret part (base62, about 190 bits).
const SECRET_CHARS: usize = 32;
/// What every token starts with, so a leaked one is recognisable (secret
/// scanners) and never mistaken for a delete token.
const PREFIX: &str = "pbt_";

/// A token's public id: names it in lists and revocations, and finds it
/// from the secret in one indexed read.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TokenId(String);

impl TokenId {
    /// Reads an id; `None` for anything an id cannot be.
    pub fn parse(text: &str) -> Option<Self> {
        (text.len() == ID_CHARS && text.bytes().all(|b| b.is_ascii_alphanumeric()))
            .then(|| Self(text.to_owned()))
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for TokenId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a person calls a token ("laptop", "CI"): 1 to 64 characters, no
/// control characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenName(String);

impl TokenName {
    /// Longest name, in characters.
    pub const MAX_CHARS: usize = 64;

    /// A name, trimmed; `None` when empty, too long or holding control characters.
    pub fn parse(text: &str) -> Option<Self> {
        let name = text.trim();
        let ok = !name.is_empty()
            && name.chars().count() <= Self::MAX_CHARS
            && !name.chars().any(char::is_control);
        ok.then(|| Self(name.to_owned()))
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The secret of a token, `pbt_{id}_{secret}`: shown once at creation, then
/// presented as `Authorization: Bearer`.
#[derive(Clone, PartialEq, Eq)]
pub struct TokenSecret {
    id: TokenId,
    text: String,
}

impl std::fmt::Debug for TokenSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "TokenSecret({}, ..)", self.id)
    }
}

impl TokenSecret {
    /// A fresh token from the CSPRNG.
    pub fn random() -> Self {
        let id = TokenId(PasteId::random(ID_CHARS).as_str().to_owned());
        let text = format!("{PREFIX}{id}_{}", PasteId::random(SECRET_CHARS));
        Self { id, text }
    }

    /// A presented token; `None` when it cannot be one (then no lookup is made).
    pub fn parse(text: &str) -> Option<Self> {
        let rest = text.trim().strip_prefix(PREFIX)?;
        let (id, secret) = rest.split_once('_')?;
        let ok = secret.len() == SECRET_CHARS && secret.bytes().all(|b| b.is_ascii_alphanumeric());
        ok.then_some(())?;
        Some(Self {
            id: TokenId::parse(id)?,
            text: text.trim().to_owned(),
        })
    }

    /// The public id inside it.
    pub fn id(&self) -> &TokenId {
        &self.id
    }

    /// The whole secret, to show once.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// What the store keeps.
    pub fn hash(&self) -> TokenHash {
        TokenHash::of_secret(&self.text)
    }
}

/// A stored token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiToken {
    /// Its public id.
    pub id: TokenId,
    /// Whose it is (embedded, so a request with it needs no user lookup).
    pub user: AuthorSummary,
    /// What its owner calls it.
    pub name: TokenName,
    /// SHA-256 of the secret.
    pub hash: TokenHash,
    /// When it was made (millisecond precision, as stored).
    pub created_at: OffsetDateTime,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_reads_back_and_verifies_against_its_hash() {
        let secret = TokenSecret::random();
        assert!(secret.as_str().starts_with("pbt_"));
        let again = TokenSecret::parse(secret.as_str()).expect("reads back");
        assert_eq!(again.id(), secret.id());
        assert!(secret.hash().matches_secret(again.as_str()));
        assert!(!secret.hash().matches_secret(TokenSecret::random().as_str()));
        for junk in [
            "",
            "pbt_",
            "pbt_abc_def",
            "Bearer x",
            "pbt_abcdefghijkl_short",
        ] {
            assert!(TokenSecret::parse(junk).is_none(), "{junk:?}");
        }
    }

    #[test]
    fn names_are_short_plain_lines() {
        assert_eq!(TokenName::parse("  CI  ").map(|n| n.0), Some("CI".into()));
        assert!(TokenName::parse("").is_none());
        assert!(TokenName::parse("a\nb").is_none());
        assert!(TokenName::parse(&"x".repeat(65)).is_none());
    }
}
