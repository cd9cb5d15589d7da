//! The paste domain in plain types.
//!
//! Every value here is checked once, when it is parsed from the outside world, so
//! the rest of the code cannot hold an empty paste, an id with a slash in it or an
//! expiry past the configured maximum. Nothing in this module does I/O.

pub(crate) mod api_token;
pub(crate) mod content;
pub(crate) mod envelope;
pub(crate) mod error;
pub(crate) mod expiry;
pub(crate) mod files;
pub(crate) mod fork;
pub(crate) mod language;
pub(crate) mod listing;
pub(crate) mod moderation;
pub(crate) mod month;
pub(crate) mod password;
pub mod paste;
pub(crate) mod paste_id;
pub mod paste_lock;
pub(crate) mod revision;
pub(crate) mod title;
pub(crate) mod token;
pub(crate) mod user;
pub(crate) mod visibility;

pub use api_token::{ApiToken, TokenId, TokenName, TokenSecret};
pub use content::Content;
pub(crate) use error::ValidationError;
pub(crate) use expiry::Expiry;
pub use files::{FileName, PasteFile};
pub use fork::{ForkOrigin, ForkSummary};
pub use language::Language;
pub use listing::Search;
pub use moderation::{
    AuditEntry, Category, DisabledAccount, Note, REPORT_ID_CHARS, RecentFilter, RecentPaste,
    Removal, Report, ReportId, Resolution,
};
pub use month::Month;
pub use password::{Password, PasswordHash, PasswordProblem};
pub use paste::{AuthorSummary, NewPaste, Paste, PasteStats};
pub use paste_id::PasteId;
pub use paste_lock::PasteLock;
pub use revision::{EditOutcome, PasteEdit, Revision, RevisionLine, RevisionMark};
pub use title::Title;
pub use token::{DeleteToken, TokenHash};
pub use user::{ListCursor, PageRequest, PasteSummary, User, UserId, UserStats, Username};
pub use visibility::Visibility;

/// Serde for a type that is written as text and checked when read back: a
/// stored or queued value that does not parse is an error, never a value the
/// rest of the code could not hold.
macro_rules! text_serde {
    ($ty:ty, $parse:expr, $expected:literal) => {
        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }

        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = std::borrow::Cow::<'de, str>::deserialize(d)?;
                let parse = $parse;
                parse(&text).ok_or_else(|| {
                    serde::de::Error::invalid_value(serde::de::Unexpected::Str(&text), &$expected)
                })
            }
        }
    };
}
pub(crate) use text_serde;
