//! The text of a paste.

use super::ValidationError;

/// The exact text pasted: UTF-8, not blank, at most the configured size.
/// It is kept byte for byte; raw reads hand back exactly these bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Content(String);

impl Content {
    /// Checks size first (so an oversize paste is a 413 whatever else is wrong).
    pub fn parse(text: String, max_bytes: usize) -> Result<Self, ValidationError> {
        if text.len() > max_bytes {
            return Err(ValidationError::TooLarge { limit: max_bytes });
        }
        if text.trim().is_empty() {
            return Err(ValidationError::EmptyContent);
        }
        Ok(Self(text))
    }

    /// Bytes from a raw body or a file upload: they must be UTF-8.
    pub(crate) fn from_bytes(bytes: Vec<u8>, max_bytes: usize) -> Result<Self, ValidationError> {
        if bytes.len() > max_bytes {
            return Err(ValidationError::TooLarge { limit: max_bytes });
        }
        let text = String::from_utf8(bytes).map_err(|_| ValidationError::NotText)?;
        Self::parse(text, max_bytes)
    }

    /// Content that was valid when it was stored; the store vouches for it.
    pub(crate) fn trusted(text: String) -> Self {
        Self(text)
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Size in bytes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Always false: content is never empty. Present for clippy's sake.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Lines in the text, counting a last line without a newline.
    pub(crate) fn line_count(&self) -> usize {
        self.0.lines().count().max(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_content_is_refused() {
        assert_eq!(
            Content::parse(" \n\t".into(), 10),
            Err(ValidationError::EmptyContent)
        );
        assert_eq!(
            Content::parse(String::new(), 10),
            Err(ValidationError::EmptyContent)
        );
    }

    #[test]
    fn size_is_counted_in_bytes_and_checked_first() {
        assert_eq!(
            Content::parse("ééé".into(), 5),
            Err(ValidationError::TooLarge { limit: 5 })
        );
        assert!(Content::parse("éé".into(), 4).is_ok());
        assert_eq!(
            Content::from_bytes(vec![0xff; 6], 5),
            Err(ValidationError::TooLarge { limit: 5 })
        );
    }

    #[test]
    fn invalid_utf8_is_not_text() {
        assert_eq!(
            Content::from_bytes(vec![b'a', 0xff, 0xfe], 10),
            Err(ValidationError::NotText)
        );
    }

    #[test]
    fn content_is_kept_byte_for_byte() {
        let text = "  fn main() {}\r\n\ttabs\u{0}nul  \n";
        assert_eq!(
            Content::parse(text.into(), 100).expect("valid").as_str(),
            text
        );
    }
}
