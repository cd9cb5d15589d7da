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
        "`expires` must be `never` or a duration such as 10m, 1h, 1d, 1w, 30d or 1y, with nothing around it (got {0:?})"
    )]
    InvalidExpiry(String),
    /// `expires` is longer than the configured maximum.
    #[error("`expires` may be at most {max}")]
    ExpiryTooLong {
        /// The configured maximum, as written in the settings.
        max: String,
    },
    /// `visibility` is not one of the three.
    #[error("`visibility` must be public, unlisted or private, in lowercase (got {0:?})")]
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
        "unknown language {0:?}: send a token, name or file extension listed at /api/v1/languages (or none)"
    )]
    InvalidLanguage(String),
    /// A yes/no field holds something else.
    #[error("`{field}` must be true or false (got {value:?})")]
    InvalidFlag {
        /// The field's name.
        field: &'static str,
        /// What it held.
        value: String,
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
