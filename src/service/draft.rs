//! A paste as it arrives from any surface (form, multipart, raw body, JSON),
//! before it is checked.

use std::time::Duration;

use crate::domain::{AuthorSummary, Content, Expiry, Language, Title, ValidationError, Visibility};

/// Where the text of a draft came from.
#[derive(Debug, Clone)]
pub(crate) enum DraftContent {
    /// Typed text (a form field or a JSON string).
    Text(String),
    /// Bytes of a body or a file upload; they must be UTF-8.
    Bytes(Vec<u8>),
}

/// Unchecked fields, as strings, the same whatever the surface.
#[derive(Debug, Clone, Default)]
pub(crate) struct Draft {
    /// The text; missing is an error.
    pub(crate) content: Option<DraftContent>,
    /// `title`
    pub(crate) title: Option<String>,
    /// `language`
    pub(crate) language: Option<String>,
    /// `expires`
    pub(crate) expires: Option<String>,
    /// `visibility`
    pub(crate) visibility: Option<String>,
    /// `burn_after_read` as written (`on`, `true`, `1`...).
    pub(crate) burn_after_read: Option<String>,
    /// The name of an uploaded file: a default title and language hint.
    pub(crate) file_name: Option<String>,
    /// `show_token`: the text answer's second line is the delete token
    /// (for a shell user without `-i`). How the answer is shaped, not a
    /// field of the paste: never stored, not in the fingerprint.
    pub(crate) show_token: Option<String>,
    /// `csrf_token`: a signed-in user's form carries its session's (checked
    /// by the route before the draft goes further; never stored).
    pub(crate) csrf_token: Option<String>,
    /// Who creates it: the signed-in user (session or API token), embedded
    /// in the paste; `None` for an anonymous paste.
    pub(crate) author: Option<AuthorSummary>,
}

/// A checked draft: every field valid.
#[derive(Debug, Clone)]
pub(crate) struct PasteRequest {
    /// The text.
    pub(crate) content: Content,
    /// Title.
    pub(crate) title: Option<Title>,
    /// Language hint.
    pub(crate) language: Option<Language>,
    /// Life.
    pub(crate) expiry: Expiry,
    /// Who may see it.
    pub(crate) visibility: Visibility,
    /// One view only.
    pub(crate) burn_after_read: bool,
    /// Its author, if signed in.
    pub(crate) author: Option<AuthorSummary>,
}

/// The limits a draft is checked against (made by `startup` from `limits.*`).
#[derive(Debug, Clone)]
pub(crate) struct Rules {
    /// `limits.max_paste_bytes`
    pub(crate) max_paste_bytes: usize,
    /// `limits.max_title_chars`
    pub(crate) max_title_chars: usize,
    /// `limits.max_expiry`
    pub(crate) max_expiry: Duration,
    /// `limits.max_expiry` as written.
    pub(crate) max_expiry_text: String,
    /// `limits.revisions_kept`: earlier revisions an edit keeps.
    pub(crate) revisions_kept: u64,
}

/// Reads a yes/no field the way forms and curl write it.
pub(crate) fn parse_flag(field: &'static str, text: &str) -> Result<bool, ValidationError> {
    match text.trim().to_ascii_lowercase().as_str() {
        "" | "0" | "false" | "off" | "no" => Ok(false),
        "1" | "true" | "on" | "yes" => Ok(true),
        _ => Err(ValidationError::InvalidFlag {
            field,
            value: text.to_owned(),
        }),
    }
}

impl Draft {
    /// A digest of everything the client sent, to tell a retry of the same
    /// creation from a different one under the same `Idempotency-Key`.
    pub(crate) fn fingerprint(&self) -> String {
        use sha2::{Digest, Sha256};
        let mut hash = Sha256::new();
        let content: &[u8] = match &self.content {
            None => b"",
            Some(DraftContent::Text(text)) => text.as_bytes(),
            Some(DraftContent::Bytes(bytes)) => bytes,
        };
        hash.update((content.len() as u64).to_le_bytes());
        hash.update(content);
        let fields = [
            &self.title,
            &self.language,
            &self.expires,
            &self.visibility,
            &self.burn_after_read,
            &self.file_name,
        ];
        for field in fields {
            match field {
                None => hash.update([0u8]),
                Some(value) => {
                    hash.update([1u8]);
                    hash.update((value.len() as u64).to_le_bytes());
                    hash.update(value.as_bytes());
                }
            }
        }
        if let Some(author) = &self.author {
            hash.update(author.id.as_str().as_bytes());
        }
        crate::domain::token::hex(&hash.finalize())
    }

    /// Checks every field; the content first, so size beats everything else.
    pub(crate) fn check(self, rules: &Rules) -> Result<PasteRequest, ValidationError> {
        let content = match self.content {
            None => return Err(ValidationError::EmptyContent),
            Some(DraftContent::Text(text)) => Content::parse(text, rules.max_paste_bytes)?,
            Some(DraftContent::Bytes(bytes)) => Content::from_bytes(bytes, rules.max_paste_bytes)?,
        };
        // A field sent is judged even when blank (a lone newline is no
        // title); only a field that gives nothing falls back to the file name.
        let file_name = self.file_name.as_deref();
        let title = match self.title.as_deref() {
            Some(t) => Title::parse(t, rules.max_title_chars)?,
            None => None,
        }
        .or_else(|| file_name.and_then(|n| Title::from_file_name(n, rules.max_title_chars)));
        let language = match self.language.as_deref() {
            Some(l) => Language::parse(l)?,
            None => None,
        }
        .or_else(|| file_name.and_then(Language::from_file_name));
        let expiry = Expiry::parse(
            self.expires.as_deref().unwrap_or(""),
            rules.max_expiry,
            &rules.max_expiry_text,
        )?;
        let visibility = Visibility::parse(self.visibility.as_deref().unwrap_or(""))?;
        if visibility == Visibility::Private && self.author.is_none() {
            return Err(ValidationError::PrivateNeedsAccount);
        }
        let burn_after_read = parse_flag(
            "burn_after_read",
            self.burn_after_read.as_deref().unwrap_or(""),
        )?;
        Ok(PasteRequest {
            content,
            title,
            language,
            expiry,
            visibility,
            burn_after_read,
            author: self.author,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> Rules {
        Rules {
            max_paste_bytes: 100,
            max_title_chars: 20,
            max_expiry: Duration::from_secs(86_400),
            max_expiry_text: "1d".into(),
            revisions_kept: 10,
        }
    }

    fn draft(content: &str) -> Draft {
        Draft {
            content: Some(DraftContent::Text(content.into())),
            ..Draft::default()
        }
    }

    #[test]
    fn a_bare_draft_gets_the_defaults() {
        let request = draft("hello").check(&rules()).expect("valid");
        assert_eq!(request.expiry, Expiry::Never);
        assert_eq!(request.visibility, Visibility::Public);
        assert!(!request.burn_after_read);
        assert_eq!(request.title, None);
    }

    #[test]
    fn a_file_name_gives_title_and_language_unless_they_are_given() {
        let mut d = draft("fn main() {}");
        d.file_name = Some("src/main.rs".into());
        let request = d.clone().check(&rules()).expect("valid");
        assert_eq!(request.title.expect("title").as_str(), "main.rs");
        assert_eq!(request.language.expect("language").as_str(), "rust");
        d.title = Some("Mine".into());
        d.language = Some("text".into());
        let request = d.check(&rules()).expect("valid");
        assert_eq!(request.title.expect("title").as_str(), "Mine");
        assert_eq!(request.language.expect("language").as_str(), "text");
    }

    #[test]
    fn a_blank_title_falls_back_to_the_file_name_but_a_newline_is_refused() {
        let mut d = draft("x");
        d.file_name = Some("notes.md".into());
        d.title = Some("  ".into());
        d.language = Some(String::new());
        let request = d.clone().check(&rules()).expect("valid");
        assert_eq!(request.title.expect("title").as_str(), "notes.md");
        assert_eq!(request.language.expect("language").as_str(), "markdown");
        d.title = Some("\n".into());
        assert_eq!(
            d.check(&rules()).err(),
            Some(ValidationError::TitleControlCharacters)
        );
    }

    #[test]
    fn private_needs_an_author() {
        let mut d = draft("x");
        d.visibility = Some("private".into());
        assert_eq!(
            d.clone().check(&rules()).err(),
            Some(ValidationError::PrivateNeedsAccount)
        );
        d.author = Some(AuthorSummary {
            id: crate::domain::UserId::random(),
            username: crate::domain::Username::parse("ada").expect("a name"),
        });
        let request = d
            .check(&rules())
            .expect("an author may keep a paste private");
        assert_eq!(request.visibility, Visibility::Private);
    }

    #[test]
    fn size_is_checked_before_other_fields() {
        let mut d = draft(&"x".repeat(101));
        d.expires = Some("nonsense".into());
        assert_eq!(
            d.check(&rules()).err(),
            Some(ValidationError::TooLarge { limit: 100 })
        );
    }

    #[test]
    fn fingerprints_tell_drafts_apart_whatever_the_field() {
        let a = draft("hello");
        let mut b = draft("hello");
        assert_eq!(a.fingerprint(), b.fingerprint());
        b.title = Some(String::new());
        assert_ne!(
            a.fingerprint(),
            b.fingerprint(),
            "an empty field differs from a missing one"
        );
        let mut c = draft("hello");
        c.language = Some("x".into());
        let mut d = draft("hello");
        d.expires = Some("x".into());
        assert_ne!(c.fingerprint(), d.fingerprint());
    }

    #[test]
    fn flags_read_like_forms_write_them() {
        assert_eq!(parse_flag("f", "on"), Ok(true));
        assert_eq!(parse_flag("f", "TRUE"), Ok(true));
        assert_eq!(parse_flag("f", ""), Ok(false));
        assert!(parse_flag("f", "maybe").is_err());
    }
}
