//! The language a paste is written in, as a hint for highlighting.

use super::ValidationError;

/// A language of the highlighter's catalog, kept by its token (`rust`,
/// `c++`, `batch-file`). Any name the catalog knows is accepted: the token,
/// the name in any case (`Batch File`), or a file extension (`rs`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Language(String);

impl Language {
    /// The longest token kept.
    pub(crate) const MAX_LEN: usize = 32;

    /// The longest name accepted (names are longer than tokens:
    /// `Bourne Again Shell (bash)`).
    pub(crate) const MAX_SENT: usize = 64;

    /// `Ok(None)` for an empty hint; otherwise a language of the catalog.
    pub fn parse(text: &str) -> Result<Option<Self>, ValidationError> {
        if text.is_empty() {
            return Ok(None);
        }
        let refused = || {
            // An excerpt: an error never echoes much of what it was sent.
            let excerpt: String = text.chars().take(Self::MAX_SENT).collect();
            ValidationError::InvalidLanguage(excerpt)
        };
        if text.len() > Self::MAX_SENT || text.trim() != text {
            return Err(refused());
        }
        crate::render::catalog()
            .find(text)
            .map(|entry| Some(Self(entry.token.clone())))
            .ok_or_else(refused)
    }

    /// The language a file name suggests, if the catalog knows it.
    pub(crate) fn from_file_name(name: &str) -> Option<Self> {
        crate::render::catalog()
            .for_file_name(name)
            .map(|entry| Self(entry.token.clone()))
    }

    /// Stored names were checked when written (by this catalog or an older
    /// one: a name it no longer knows is shown as plain text).
    pub(crate) fn trusted(text: String) -> Self {
        Self(text)
    }

    /// The token.
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }

    /// A token of the shape tokens have, known or not (stored and cached
    /// values are read back with this: an older release may have kept a
    /// name this catalog no longer has).
    fn kept(text: &str) -> Option<Self> {
        let plain = !text.is_empty()
            && text.len() <= Self::MAX_LEN
            && text
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"+#._-".contains(&b));
        plain.then(|| Self(text.to_owned()))
    }
}

super::text_serde!(
    Language,
    |text: &str| Language::kept(text),
    "a language name"
);

impl std::fmt::Display for Language {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_lowercased_and_checked() {
        assert_eq!(
            Language::parse("Rust")
                .expect("valid")
                .expect("some")
                .as_str(),
            "rust"
        );
        assert_eq!(
            Language::parse("C++")
                .expect("valid")
                .expect("some")
                .as_str(),
            "c++"
        );
        assert_eq!(Language::parse(""), Ok(None));
        assert!(Language::parse("<script>").is_err());
        assert!(Language::parse(" rust").is_err());
        assert!(Language::parse(" ").is_err());
        assert!(Language::parse(&"a".repeat(33)).is_err());
        assert!(Language::parse("klingon").is_err(), "not in the catalog");
        assert_eq!(
            Language::parse("Batch File")
                .expect("valid")
                .expect("some")
                .as_str(),
            "batch-file"
        );
        assert_eq!(
            Language::parse("rs")
                .expect("valid")
                .expect("some")
                .as_str(),
            "rust"
        );
    }

    #[test]
    fn file_extensions_suggest_a_language() {
        assert_eq!(
            Language::from_file_name("notes.rs")
                .expect("known")
                .as_str(),
            "rust"
        );
        assert_eq!(
            Language::from_file_name("Dockerfile")
                .expect("known")
                .as_str(),
            "dockerfile"
        );
        assert_eq!(Language::from_file_name("x.unknownext"), None);
    }
}
