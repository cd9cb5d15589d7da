//! Forks: a paste made from another, and the link back to it.

use time::OffsetDateTime;

use super::{ListCursor, PasteId, Title, Username, Visibility};

/// What a fork keeps of the paste it was made from, copied at fork time
/// (denormalized: the fork's page names its origin without reading it).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ForkOrigin {
    /// The original's id.
    pub id: PasteId,
    /// Its title when it was forked.
    pub title: Option<Title>,
    /// Its author's name when it was forked; `None` when anonymous.
    pub author: Option<Username>,
    /// Set once the original is gone (deleted or swept): the `orphan_forks`
    /// job writes it, so the fork's page says so without a second read.
    #[serde(default)]
    pub gone: bool,
}

/// One line of a paste's list of forks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForkSummary {
    /// The fork's id.
    pub id: PasteId,
    /// Its title.
    pub title: Option<Title>,
    /// Its author's name; `None` when anonymous.
    pub author: Option<Username>,
    /// Who may see it.
    pub visibility: Visibility,
    /// When it was made (the list's order, with the id).
    pub created_at: OffsetDateTime,
}

impl ForkSummary {
    /// The cursor that asks for the forks after this one.
    pub fn cursor(&self) -> ListCursor {
        ListCursor {
            created_at: self.created_at,
            id: self.id.clone(),
        }
    }
}
