//! The paste domain in plain types.
//!
//! Every value here is checked once, when it is parsed from the outside world, so
//! the rest of the code cannot hold an empty paste, an id with a slash in it or an
//! expiry past the configured maximum. Nothing in this module does I/O.

pub mod content;
pub mod error;
pub mod expiry;
pub mod language;
pub mod paste;
pub mod paste_id;
pub mod title;
pub mod token;
pub mod user;
pub mod visibility;

pub use content::Content;
pub use error::ValidationError;
pub use expiry::Expiry;
pub use language::Language;
pub use paste::{AuthorSummary, NewPaste, Paste, PasteStats};
pub use paste_id::PasteId;
pub use title::Title;
pub use token::{DeleteToken, TokenHash};
pub use user::{ListCursor, PageRequest, PasteSummary, User, UserStats, Username};
pub use visibility::Visibility;
