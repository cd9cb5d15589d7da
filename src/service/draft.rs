//! A paste as it arrives from any surface (form, multipart, raw body, JSON),
//! before it is checked.

use std::time::Duration;

use crate::domain::{
    AuthorSummary, Content, Expiry, ForkOrigin, Language, Title, ValidationError, Visibility,
};

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
    /// `end_to_end` as written: the content is an envelope encrypted by
    /// the client (`domain::envelope`), which the server never reads.
    pub(crate) end_to_end: Option<String>,
    /// `max_views` as written: deleted after this many views.
    pub(crate) max_views: Option<String>,
    /// `password`: the paste is sealed under it (never stored, never in the
    /// fingerprint but for whether there was one).
    pub(crate) password: Option<String>,
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
    /// The paste this draft forks (set by a fork, never by a form field).
    pub(crate) forked_from: Option<ForkOrigin>,
    /// The files of a multi-file draft (`service::draft_files`); empty for
    /// a draft of one text (`content`).
    pub(crate) files: Vec<super::draft_files::DraftFile>,
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
    /// Deleted after this many views (`None`: no limit, unless
    /// `burn_after_read`).
    pub(crate) max_views: Option<u32>,
    /// The password it is sealed under, if any (not blank).
    pub(crate) password: Option<String>,
    /// Its author, if signed in.
    pub(crate) author: Option<AuthorSummary>,
    /// The paste it forks, if any.
    pub(crate) forked_from: Option<ForkOrigin>,
    /// The content is an end-to-end encrypted envelope.
    pub(crate) end_to_end: bool,
    /// A multi-file paste's files (`content` is the first's); empty for one text.
    pub(crate) files: Vec<crate::domain::PasteFile>,
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
    /// `limits.max_views`
    pub(crate) max_views: u32,
    /// `limits.max_files`
    pub(crate) max_files: usize,
    /// `limits.max_file_bytes`
    pub(crate) max_file_bytes: usize,
}

/// Reads `max_views`: blank is no limit, else a whole number from 1 to `max`.
pub(crate) fn parse_max_views(text: &str, max: u32) -> Result<Option<u32>, ValidationError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    match text.parse::<u32>() {
        Ok(n) if (1..=max).contains(&n) && text.bytes().all(|b| b.is_ascii_digit()) => Ok(Some(n)),
        _ => Err(ValidationError::InvalidMaxViews {
            max,
            value: text.to_owned(),
        }),
    }
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
            &self.end_to_end,
            &self.max_views,
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
        // Only a multi-file draft adds this, so every other keeps its
        // fingerprint.
        for file in &self.files {
            hash.update(b"file:");
            let content: &[u8] = match &file.content {
                DraftContent::Text(text) => text.as_bytes(),
                DraftContent::Bytes(bytes) => bytes,
            };
            for part in [
                file.name.as_deref().unwrap_or("").as_bytes(),
                file.language.as_deref().unwrap_or("").as_bytes(),
                content,
            ] {
                hash.update((part.len() as u64).to_le_bytes());
                hash.update(part);
            }
        }
        // Only a fork adds this, so every other draft keeps its fingerprint.
        if let Some(origin) = &self.forked_from {
            hash.update(b"fork:");
            hash.update(origin.id.as_str().as_bytes());
        }
        // Whether it has a password, not the password: the fingerprint is
        // kept in the cache, and a fast hash of a password is a weak one.
        hash.update([u8::from(
            self.password.as_deref().is_some_and(|p| !p.is_empty()),
        )]);
        crate::domain::token::hex(&hash.finalize())
    }

    /// Checks every field; the content first, so size beats everything else.
    pub(crate) fn check(mut self, rules: &Rules) -> Result<PasteRequest, ValidationError> {
        self.one_file_as_text();
        if !self.files.is_empty() {
            return self.check_files(rules);
        }
        let content = match self.content {
            None => return Err(ValidationError::EmptyContent),
            Some(DraftContent::Text(text)) => Content::parse(text, rules.max_paste_bytes)?,
            Some(DraftContent::Bytes(bytes)) => Content::from_bytes(bytes, rules.max_paste_bytes)?,
        };
        // A field sent is judged even when blank (a lone newline is no
        // title); only a field that gives nothing falls back to the file name.
        let end_to_end = parse_flag("end_to_end", self.end_to_end.as_deref().unwrap_or(""))?;
        // An envelope uploaded as a file names no title or language.
        let file_name = self.file_name.as_deref().filter(|_| !end_to_end);
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
        let visibility = match self.visibility.as_deref() {
            // Never listed: an end-to-end encrypted paste is unlisted unless
            // its author keeps it private.
            None | Some("") if end_to_end => Visibility::Unlisted,
            v => Visibility::parse(v.unwrap_or(""))?,
        };
        if visibility == Visibility::Private && self.author.is_none() {
            return Err(ValidationError::PrivateNeedsAccount);
        }
        let burn_after_read = parse_flag(
            "burn_after_read",
            self.burn_after_read.as_deref().unwrap_or(""),
        )?;
        let max_views = parse_max_views(self.max_views.as_deref().unwrap_or(""), rules.max_views)?;
        if burn_after_read && max_views.is_some() {
            return Err(ValidationError::TwoViewLimits);
        }
        let password = self.password.filter(|p| !p.is_empty());
        if password
            .as_ref()
            .is_some_and(|p| p.len() > crate::service::pastes::MAX_PASSWORD_BYTES)
        {
            return Err(ValidationError::PastePasswordTooLong {
                max: crate::service::pastes::MAX_PASSWORD_BYTES,
            });
        }
        if end_to_end && password.is_some() {
            return Err(ValidationError::NotForEndToEnd(
                "a password on the server (its own password seals the envelope)",
            ));
        }
        if end_to_end {
            end_to_end_agrees(
                &content,
                &title,
                &language,
                &expiry,
                visibility,
                burn_after_read,
                rules,
            )?;
        }
        Ok(PasteRequest {
            content,
            title,
            language,
            expiry,
            visibility,
            burn_after_read,
            max_views,
            password,
            author: self.author,
            forked_from: self.forked_from,
            end_to_end,
            files: Vec::new(),
        })
    }

    /// Checks a multi-file draft: its files, then the paste's own fields as
    /// for one text (the first file's name is the default title); neither a
    /// password nor end-to-end encryption, which seal one text only.
    fn check_files(mut self, rules: &Rules) -> Result<PasteRequest, ValidationError> {
        let language = match self.language.as_deref() {
            Some(l) => Language::parse(l)?,
            None => None,
        };
        let files =
            super::draft_files::check(std::mem::take(&mut self.files), language.as_ref(), rules)?;
        if self.password.as_deref().is_some_and(|p| !p.is_empty()) {
            return Err(ValidationError::NotForFiles("a password"));
        }
        if parse_flag("end_to_end", self.end_to_end.as_deref().unwrap_or(""))? {
            return Err(ValidationError::NotForFiles("end-to-end encryption"));
        }
        let first = files.first().ok_or(ValidationError::EmptyContent)?;
        self.content = Some(DraftContent::Text(first.content.as_str().to_owned()));
        self.file_name = self
            .file_name
            .or_else(|| Some(first.name.as_str().to_owned()));
        self.language = first.language.as_ref().map(|l| l.as_str().to_owned());
        let mut request = self.check(rules)?;
        request.files = files;
        Ok(request)
    }
}

/// An end-to-end encrypted paste: the content is an envelope whose
/// authenticated header claims the paste's own expiry and burn flag (so a
/// reader who checks them against the page is not refused), and nothing is
/// shown in clear beside it (no title, no language) or listed (not public).
fn end_to_end_agrees(
    content: &Content,
    title: &Option<Title>,
    language: &Option<Language>,
    expiry: &Expiry,
    visibility: Visibility,
    burn_after_read: bool,
    rules: &Rules,
) -> Result<(), ValidationError> {
    let header = crate::domain::envelope::parse(content.as_str())?;
    if title.is_some() {
        return Err(ValidationError::NotForEndToEnd(
            "a title (the server would show it in clear)",
        ));
    }
    if language.is_some() {
        return Err(ValidationError::NotForEndToEnd(
            "a language (the server never reads it)",
        ));
    }
    if visibility == Visibility::Public {
        return Err(ValidationError::NotForEndToEnd(
            "public visibility (it is never listed)",
        ));
    }
    let claimed = Expiry::parse(&header.expires, rules.max_expiry, &rules.max_expiry_text)
        .map_err(|_| ValidationError::EnvelopeMismatch("expiry"))?;
    if &claimed != expiry {
        return Err(ValidationError::EnvelopeMismatch("expiry"));
    }
    if header.burn_after_read != burn_after_read {
        return Err(ValidationError::EnvelopeMismatch("burn_after_read"));
    }
    Ok(())
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
            max_views: 10,
            max_files: 3,
            max_file_bytes: 100,
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
    fn max_views_is_a_bounded_count_and_not_beside_burn_after_read() {
        assert_eq!(parse_max_views("", 10), Ok(None));
        assert_eq!(parse_max_views(" 5 ", 10), Ok(Some(5)));
        assert_eq!(parse_max_views("10", 10), Ok(Some(10)));
        for bad in ["0", "11", "-1", "+3", "2.5", "five", "99999999999"] {
            assert!(parse_max_views(bad, 10).is_err(), "{bad}");
        }
        let mut d = draft("x");
        d.max_views = Some("3".into());
        assert_eq!(d.clone().check(&rules()).expect("valid").max_views, Some(3));
        d.burn_after_read = Some("1".into());
        assert_eq!(
            d.check(&rules()).err(),
            Some(ValidationError::TwoViewLimits)
        );
    }

    #[test]
    fn flags_read_like_forms_write_them() {
        assert_eq!(parse_flag("f", "on"), Ok(true));
        assert_eq!(parse_flag("f", "TRUE"), Ok(true));
        assert_eq!(parse_flag("f", ""), Ok(false));
        assert!(parse_flag("f", "maybe").is_err());
    }
}
