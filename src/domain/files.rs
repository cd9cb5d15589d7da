//! The files of a multi-file paste: each a name, a language and a text.
//!
//! A paste made of one text has no files (`NewPaste::files` is empty) and
//! keeps the shape it always had. A multi-file paste lists every file, in
//! the order sent; its `content` and `language` are its first file's, so a
//! surface that reads one text reads that one.

use super::{Content, Language, ValidationError};

/// A file's name: what the page shows, its anchor (`#a.rs`, `#a.rs-L12`)
/// and the last segment of its raw URL (`/raw/{id}/a.rs`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileName(String);

impl FileName {
    /// The longest name, in characters.
    pub(crate) const MAX_CHARS: usize = 100;

    /// A name as sent: its last path segment (a browser may send a path),
    /// 1 to `MAX_CHARS` characters, no control characters, not `.` or `..`.
    pub fn parse(text: &str) -> Result<Self, ValidationError> {
        let base = text.rsplit(['/', '\\']).next().unwrap_or(text).trim();
        let bad = base.is_empty()
            || base == "."
            || base == ".."
            || base.chars().count() > Self::MAX_CHARS
            || base.chars().any(|c| c.is_control() || c == '"');
        if bad {
            return Err(ValidationError::InvalidFileName(text.to_owned()));
        }
        Ok(Self(base.to_owned()))
    }

    /// The name given to the `n`-th file (from 1) when none was sent.
    pub(crate) fn numbered(n: usize) -> Self {
        Self(format!("file{n}.txt"))
    }

    /// Stored names were checked when written.
    pub(crate) fn trusted(text: String) -> Self {
        Self(text)
    }

    /// The name.
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for FileName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

super::text_serde!(
    FileName,
    |text: &str| FileName::parse(text).ok(),
    "a file name"
);

/// One file of a multi-file paste.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasteFile {
    /// Its name, unique in the paste.
    pub name: FileName,
    /// Its language: named by the sender, else from its name; `None` is
    /// detected from the text when rendered, as for a one-text paste.
    pub language: Option<Language>,
    /// Its text.
    pub content: Content,
}

/// Checks a list of files against the paste's limits: at most `max_files`,
/// every name used once, every text within what is left of `max_bytes`
/// (the whole paste's bound).
pub(crate) fn check_files(
    files: &[PasteFile],
    max_files: usize,
    max_bytes: usize,
) -> Result<(), ValidationError> {
    if files.len() > max_files {
        return Err(ValidationError::TooManyFiles { max: max_files });
    }
    let total: usize = files.iter().map(|f| f.content.len()).sum();
    if total > max_bytes {
        return Err(ValidationError::TooLarge { limit: max_bytes });
    }
    let mut names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
    names.sort_unstable();
    if let Some(pair) = names.windows(2).find(|w| w[0] == w[1]) {
        return Err(ValidationError::DuplicateFileName(pair[0].to_owned()));
    }
    Ok(())
}

/// The hex SHA-256 that stands for a multi-file paste's bytes (its ETag):
/// every name, language and text, each length-prefixed, so no two lists
/// of files share one.
pub(crate) fn digest(files: &[PasteFile]) -> String {
    use sha2::{Digest, Sha256};
    let mut hash = Sha256::new();
    hash.update(b"files:");
    for file in files {
        let language = file.language.as_ref().map_or("", |l| l.as_str());
        for part in [file.name.as_str(), language, file.content.as_str()] {
            hash.update((part.len() as u64).to_le_bytes());
            hash.update(part.as_bytes());
        }
    }
    super::token::hex(&hash.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &str, text: &str) -> PasteFile {
        PasteFile {
            name: FileName::parse(name).expect("a name"),
            language: None,
            content: Content::parse(text.into(), 100).expect("text"),
        }
    }

    #[test]
    fn a_name_is_its_last_segment_and_never_a_path() {
        assert_eq!(FileName::parse("src/a.rs").expect("ok").as_str(), "a.rs");
        assert_eq!(FileName::parse("C:\\x\\b.py").expect("ok").as_str(), "b.py");
        assert_eq!(FileName::parse("é ü.txt").expect("ok").as_str(), "é ü.txt");
        for bad in ["", " ", ".", "..", "a/..", "x\ny", "a\"b", &"n".repeat(101)] {
            assert!(FileName::parse(bad).is_err(), "{bad:?} is refused");
        }
    }

    #[test]
    fn the_list_is_checked_against_every_limit() {
        let two = [file("a.rs", "fn a() {}"), file("b.py", "pass")];
        assert_eq!(check_files(&two, 2, 100), Ok(()));
        assert_eq!(
            check_files(&two, 1, 100),
            Err(ValidationError::TooManyFiles { max: 1 })
        );
        assert_eq!(
            check_files(&two, 2, 10),
            Err(ValidationError::TooLarge { limit: 10 })
        );
        let twice = [file("a.rs", "x"), file("a.rs", "y")];
        assert_eq!(
            check_files(&twice, 2, 100),
            Err(ValidationError::DuplicateFileName("a.rs".into()))
        );
    }

    #[test]
    fn the_digest_tells_names_and_texts_apart() {
        let a = digest(&[file("a", "bc")]);
        assert_ne!(a, digest(&[file("ab", "c")]));
        assert_ne!(a, digest(&[file("a", "bd")]));
        assert_eq!(a, digest(&[file("a", "bc")]));
    }
}
