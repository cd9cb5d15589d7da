//! Why a request could not be read, before any of its values is judged.

use crate::domain::error::Excerpt;

/// A parser's own message (serde's, the multipart reader's), which may quote
/// the input: cut to `QUOTED_CHARS`, so a whole body is never echoed.
struct Quoted<'a>(&'a str);

/// The longest parser message kept: enough for `expected ... at line 3
/// column 7`, never a body.
const QUOTED_CHARS: usize = 160;

impl std::fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        crate::domain::error::write_cut(f, self.0, QUOTED_CHARS)
    }
}

/// A request whose body, fields or query cannot be read. Each variant has one
/// code (decided with every other code in `routes::plumbing::failure`); the messages say
/// what to send instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum RequestError {
    /// The body is not JSON at all.
    #[error("the body is not valid JSON: {}", Quoted(.0))]
    MalformedJson(String),
    /// JSON, but not an object.
    #[error("the body must be a JSON object with a `content` field")]
    NotAnObject,
    /// A required field is absent.
    #[error("the field `{0}` is missing")]
    MissingField(&'static str),
    /// A field holds a value of the wrong JSON type.
    #[error("the field `{field}` must be {expected}")]
    WrongType {
        /// The field.
        field: &'static str,
        /// What it must hold, in words.
        expected: &'static str,
    },
    /// A field name this surface does not take.
    #[error("unknown field `{}`; the fields are {known}", Excerpt(.name))]
    UnknownField {
        /// The name as sent.
        name: String,
        /// The fields there are, in words.
        known: &'static str,
    },
    /// A field given twice.
    #[error("the field `{}` is given more than once", Excerpt(.0))]
    DuplicateField(String),
    /// The text given twice, in two ways.
    #[error("{0}")]
    ContentTwice(&'static str),
    /// A small field over its size.
    #[error("the field `{}` is longer than {max} bytes", Excerpt(.name))]
    FieldTooLong {
        /// The field.
        name: String,
        /// Its limit in bytes.
        max: usize,
    },
    /// A field that is not UTF-8 text.
    #[error("the field `{}` is not UTF-8 text", Excerpt(.0))]
    FieldNotText(String),
    /// A form body whose field names cannot be read.
    #[error("a form field name is not UTF-8 text")]
    MalformedForm,
    /// A multipart body that cannot be read.
    #[error("the multipart body could not be read: {}", Quoted(.0))]
    MalformedMultipart(String),
    /// More parts than a paste has fields.
    #[error("a paste takes at most {0} form fields")]
    TooManyParts(usize),
    /// An encoded body (JSON, a percent-encoded form) over its limit, which
    /// counts the escapes: the text itself may be under the paste limit.
    #[error(
        "the body is larger than {} ({limit} bytes) with its encoding; send large or heavily escaped text with PUT / or as multipart, which carry it as it is",
        crate::domain::error::human_bytes(*limit)
    )]
    EncodedTooLarge {
        /// The body's limit in bytes.
        limit: usize,
    },
    /// The body did not arrive whole in time.
    #[error("the request body did not arrive within {secs} s; send it at once, or a smaller one")]
    BodyTimeout {
        /// `limits.body_timeout_secs`.
        secs: u64,
    },
    /// The connection failed while the body arrived.
    #[error("the request body could not be read: {}", Quoted(.0))]
    UnreadableBody(String),
    /// The body's media type is not one this route reads.
    #[error("{0}")]
    UnsupportedMediaType(&'static str),
    /// A list cursor that was not handed out here.
    #[error("`cursor` must be a next_cursor this service handed out")]
    InvalidCursor,
    /// A list limit out of range.
    #[error("`limit` must be a number from 1 to {0}")]
    InvalidLimit(usize),
    /// An `Idempotency-Key` header that cannot be a key.
    #[error(
        "Idempotency-Key must be 16 to 255 visible ASCII characters: draw it at random (a UUID)"
    )]
    InvalidIdempotencyKey,
    /// A revision number that is not one.
    #[error("revision must be a revision number (1, 2, ...), not {0:?}")]
    InvalidRevision(String),
}
