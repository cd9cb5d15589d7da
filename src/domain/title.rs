//! A paste's optional title.

use super::ValidationError;

/// A one-line title: no control characters, at most the configured number of
/// characters, kept trimmed. A blank title is no title.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Title(String);

impl Title {
    /// `Ok(None)` for a blank title. Length and characters are judged on the
    /// text as sent, before trimming, so that a JSON Schema can say exactly
    /// what is accepted (`maxLength` and a pattern of no control characters):
    /// a title that only a trim would bring under the limit, or a newline at
    /// its end, is refused.
    pub fn parse(text: &str, max_chars: usize) -> Result<Option<Self>, ValidationError> {
        if text.chars().count() > max_chars {
            return Err(ValidationError::TitleTooLong { max: max_chars });
        }
        if text.chars().any(char::is_control) {
            return Err(ValidationError::TitleControlCharacters);
        }
        let trimmed = text.trim();
        Ok((!trimmed.is_empty()).then(|| Self(trimmed.to_owned())))
    }

    /// A file name offered as a title: only its last path component, and cut to
    /// the limit rather than refused, since the user did not type it.
    pub(crate) fn from_file_name(name: &str, max_chars: usize) -> Option<Self> {
        let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
        let clean: String = base
            .chars()
            .filter(|c| !c.is_control())
            .take(max_chars)
            .collect();
        Self::parse(&clean, max_chars).ok().flatten()
    }

    /// Stored titles were checked when written.
    pub(crate) fn trusted(text: String) -> Self {
        Self(text)
    }

    /// The title.
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

super::text_serde!(
    Title,
    |text: &str| Title::parse(text, usize::MAX).ok().flatten(),
    "a one-line title"
);

impl std::fmt::Display for Title {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_is_none_and_text_is_trimmed() {
        assert_eq!(Title::parse("   ", 10), Ok(None));
        assert_eq!(
            Title::parse(" notes ", 10)
                .expect("valid")
                .expect("some")
                .as_str(),
            "notes"
        );
    }

    #[test]
    fn long_titles_and_control_characters_are_refused() {
        assert_eq!(
            Title::parse(&"é".repeat(11), 10),
            Err(ValidationError::TitleTooLong { max: 10 })
        );
        assert_eq!(
            Title::parse("a\nb", 10),
            Err(ValidationError::TitleControlCharacters)
        );
        assert_eq!(
            Title::parse("a\u{1b}[31m", 10),
            Err(ValidationError::TitleControlCharacters)
        );
        assert_eq!(
            Title::parse("notes\n", 10),
            Err(ValidationError::TitleControlCharacters)
        );
        assert_eq!(
            Title::parse(&format!(" {} ", "t".repeat(9)), 10),
            Err(ValidationError::TitleTooLong { max: 10 })
        );
    }

    #[test]
    fn file_names_keep_their_last_component() {
        let title = Title::from_file_name("../../etc/notes.rs", 200).expect("a title");
        assert_eq!(title.as_str(), "notes.rs");
        assert_eq!(
            Title::from_file_name("C:\\x\\y.txt", 200)
                .expect("a title")
                .as_str(),
            "y.txt"
        );
    }
}
