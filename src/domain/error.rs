//! Why a piece of input was refused.

/// A value from outside that does not make a paste. Each variant has its own
/// machine-readable code and status (decided in `crate::error`), so a client can
/// tell a paste that is too large (413) from a field that is wrong (422).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValidationError {
    /// The content is over `limits.max_paste_bytes`.
    #[error("the paste is larger than the limit of {} ({limit} bytes)", human_bytes(*limit))]
    TooLarge {
        /// The configured limit.
        limit: usize,
    },
    /// Nothing but white space, or nothing at all.
    #[error("the content is empty")]
    EmptyContent,
    /// Bytes that are not UTF-8 text.
    #[error("the content is not UTF-8 text")]
    NotText,
    /// `expires` is not a preset nor a duration.
    #[error(
        "`expires` must be `never` or a duration such as 10m, 1h, 1d, 1w, 30d or 1y, with nothing around it (got \"{}\")",
        Excerpt(.0)
    )]
    InvalidExpiry(String),
    /// `expires` is longer than the configured maximum.
    #[error("`expires` may be at most {max}")]
    ExpiryTooLong {
        /// The configured maximum, as written in the settings.
        max: String,
    },
    /// `visibility` is not one of the three.
    #[error(
        "`visibility` must be public, unlisted or private, in lowercase (got \"{}\")",
        Excerpt(.0)
    )]
    InvalidVisibility(String),
    /// A private paste needs an owner: only a signed-in user may make one.
    #[error("private pastes need an account: log in (or send an API token), or use unlisted")]
    PrivateNeedsAccount,
    /// The title is too long.
    #[error("the title may be at most {max} characters")]
    TitleTooLong {
        /// The configured maximum.
        max: usize,
    },
    /// The title holds control characters (new lines, escapes...).
    #[error("the title must not contain control characters")]
    TitleControlCharacters,
    /// The language hint names no language of the catalog (the field holds
    /// a short excerpt of what was sent).
    #[error(
        "unknown language \"{}\": send a token, name or file extension listed at /api/v1/languages (or none)",
        Excerpt(.0)
    )]
    InvalidLanguage(String),
    /// `end_to_end` is set but the content is not a v1 envelope
    /// (`docs/encryption.md`); says which part is wrong.
    #[error(
        "the content of an end-to-end encrypted paste must be an e2e-v1 envelope (docs/encryption.md): {0}"
    )]
    InvalidEnvelope(&'static str),
    /// The envelope's authenticated header claims other metadata than the
    /// paste is created with (a reader would refuse to decrypt it).
    #[error("the envelope's header says another {0} than the paste's fields: they must agree")]
    EnvelopeMismatch(&'static str),
    /// A field the server would show in clear beside an end-to-end
    /// encrypted paste (a title, a language) or a listing of it (public).
    #[error("an end-to-end encrypted paste cannot have {0}")]
    NotForEndToEnd(&'static str),
    /// A report's reason that is not one of the listed categories, or its
    /// details too long or not plain text.
    #[error("{0}")]
    InvalidReport(&'static str),
    /// A yes/no field holds something else.
    #[error("`{field}` must be true or false (got \"{}\")", Excerpt(.value))]
    InvalidFlag {
        /// The field's name.
        field: &'static str,
        /// What it held.
        value: String,
    },
    /// `max_views` is not a whole number from 1 to the configured maximum.
    #[error("`max_views` must be a whole number from 1 to {max} (got \"{}\")", Excerpt(.value))]
    InvalidMaxViews {
        /// The configured maximum (`limits.max_views`).
        max: u32,
        /// What it held.
        value: String,
    },
    /// Both `burn_after_read` and `max_views` were asked for: one view limit
    /// only (burn-after-read is `max_views=1`).
    #[error(
        "send either `burn_after_read` or `max_views`, not both (burn_after_read is max_views=1)"
    )]
    TwoViewLimits,
    /// One file of a multi-file paste is over `limits.max_file_bytes`.
    #[error("the file \"{}\" is larger than the limit of {} per file ({limit} bytes)", Excerpt(.name), human_bytes(*limit))]
    FileTooLarge {
        /// The file's name.
        name: String,
        /// The configured limit.
        limit: usize,
    },
    /// More files than `limits.max_files` in one paste.
    #[error("a paste may have at most {max} files")]
    TooManyFiles {
        /// The configured limit.
        max: usize,
    },
    /// A file name that is empty, too long, `.`/`..` or has control
    /// characters or quotes.
    #[error(
        "a file name must be 1 to 100 characters, without control characters or quotes, and not . or .. (got \"{}\")",
        Excerpt(.0)
    )]
    InvalidFileName(String),
    /// Two files of one paste with the same name.
    #[error("two files are named \"{}\": each file of a paste needs its own name", Excerpt(.0))]
    DuplicateFileName(String),
    /// A multi-file paste asked for something only a paste of one text can
    /// have (a password, end-to-end encryption).
    #[error("a multi-file paste cannot have {0}: send one text, or no {0}")]
    NotForFiles(&'static str),
    /// A paste's `password` is longer than the limit.
    #[error("a paste's `password` may be at most {max} bytes")]
    PastePasswordTooLong {
        /// The limit.
        max: usize,
    },
}

/// A size as people write it: `2 MiB`, `512 KiB`, `1.5 MiB`, `100 bytes`.
pub(crate) fn human_bytes(bytes: usize) -> String {
    const KIB: usize = 1024;
    const MIB: usize = 1024 * 1024;
    let (unit, name) = match bytes {
        b if b >= MIB => (MIB, "MiB"),
        b if b >= KIB => (KIB, "KiB"),
        b => return format!("{b} bytes"),
    };
    if bytes.is_multiple_of(unit) {
        format!("{} {name}", bytes / unit)
    } else {
        format!("{:.1} {name}", bytes as f64 / unit as f64)
    }
}

/// A piece of user input quoted in an error message: at most
/// `Excerpt::MAX_CHARS` characters of it, then `…`, with quotes, back
/// slashes and control characters escaped, so no message ever echoes a
/// whole body or breaks the line it is on.
pub(crate) struct Excerpt<'a>(pub(crate) &'a str);

impl Excerpt<'_> {
    /// The most characters of input an error message quotes.
    pub(crate) const MAX_CHARS: usize = 40;
}

impl std::fmt::Display for Excerpt<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write_cut(f, self.0, Self::MAX_CHARS)
    }
}

/// Writes at most `max` characters of `text`, escaped, then `…` if cut.
pub(crate) fn write_cut(
    f: &mut std::fmt::Formatter<'_>,
    text: &str,
    max: usize,
) -> std::fmt::Result {
    let mut chars = text.chars();
    for c in chars.by_ref().take(max) {
        match c {
            '"' | '\\' => write!(f, "\\{c}")?,
            c if c.is_control() => write!(f, "{}", c.escape_debug())?,
            c => write!(f, "{c}")?,
        }
    }
    if chars.next().is_some() {
        f.write_str("…")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_excerpt_is_short_and_escaped() {
        assert_eq!(Excerpt("1h").to_string(), "1h");
        let long = "x".repeat(100);
        assert_eq!(Excerpt(&long).to_string(), format!("{}…", "x".repeat(40)));
        assert_eq!(Excerpt(&"é".repeat(40)).to_string(), "é".repeat(40));
        assert_eq!(Excerpt("a\nb\"c'").to_string(), "a\\nb\\\"c'");
        let message = ValidationError::InvalidExpiry("9\n".repeat(20_000)).to_string();
        assert!(message.len() < 200, "{message}");
    }
}
