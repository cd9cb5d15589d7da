//! Revisions: every edit of a paste makes a numbered one. The paste keeps the
//! latest whole (the hot read stays one document); earlier ones live apart,
//! one record each, read only by the history pages.

use time::OffsetDateTime;

use super::{AuthorSummary, Content, Language, Paste, PasteId, Title, Visibility};

/// Who made the latest revision of a paste, when, and how it changed its
/// predecessor. A paste never edited is at revision 1, made by its author
/// at its creation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevisionMark {
    /// 1 for the paste as created, one more per edit.
    pub number: u64,
    /// When it was made.
    pub at: OffsetDateTime,
    /// Who made it (`None`: anonymous, or with the delete token).
    pub by: Option<AuthorSummary>,
    /// Lines added against the previous revision (all of them for the first).
    pub lines_added: u64,
    /// Lines removed against the previous revision.
    pub lines_removed: u64,
}

impl RevisionMark {
    /// The revision a paste is created at.
    pub fn first(fields: &super::NewPaste) -> Self {
        Self {
            number: 1,
            at: fields.created_at,
            by: fields.author.clone(),
            lines_added: fields.content.line_count() as u64,
            lines_removed: 0,
        }
    }
}

/// A revision kept apart from its paste: the paste as it was before an edit.
/// Whole, never a diff: a revision page is then one indexed read, and the
/// number kept per paste bounds the space (see `docs/design.md`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revision {
    /// The paste.
    pub paste_id: PasteId,
    /// Its number, who made it, when, and what it changed.
    pub mark: RevisionMark,
    /// The text.
    pub content: Content,
    /// The title.
    pub title: Option<Title>,
    /// The language hint.
    pub language: Option<Language>,
}

impl Revision {
    /// The latest revision, as its paste holds it.
    pub fn latest_of(paste: &Paste) -> Self {
        Self {
            paste_id: paste.id().clone(),
            mark: paste.latest_revision(),
            content: paste.fields.content.clone(),
            title: paste.fields.title.clone(),
            language: paste.fields.language.clone(),
        }
    }

    /// Its size in bytes.
    pub fn size_bytes(&self) -> u64 {
        self.content.len() as u64
    }
}

/// An edit of a paste, every field checked, ready for the store. It names
/// the revision it was made against (`base`): the store applies it only if
/// the paste is still at it, so a retried or racing edit makes one revision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasteEdit {
    /// The paste.
    pub id: PasteId,
    /// The revision the editor saw; the edit makes `base + 1`.
    pub base: u64,
    /// The new text.
    pub content: Content,
    /// The new title.
    pub title: Option<Title>,
    /// The new language hint.
    pub language: Option<Language>,
    /// The new visibility.
    pub visibility: Visibility,
    /// The new expiry (`None`: never).
    pub expires_at: Option<OffsetDateTime>,
    /// Who edits, when, and what changed (`number` is `base + 1`).
    pub mark: RevisionMark,
    /// Earlier revisions kept at most; older ones are dropped by the edit.
    pub keep: u64,
}

impl PasteEdit {
    /// True when `paste` is what this edit makes of its base: a retry of an
    /// edit whose answer was lost finds its own work done.
    pub fn is_applied_in(&self, paste: &Paste) -> bool {
        paste
            .revision
            .as_ref()
            .is_some_and(|r| r.number == self.mark.number && r.by == self.mark.by)
            && paste.fields.content == self.content
            && paste.fields.title == self.title
            && paste.fields.language == self.language
            && paste.fields.visibility == self.visibility
            && paste.fields.expires_at == self.expires_at
    }
}

/// What the store did with an edit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditOutcome {
    /// Applied (or found applied by an earlier try): the paste as it now is.
    Edited(Box<Paste>),
    /// The paste is at another revision than the edit's base: nothing changed.
    Stale {
        /// Its revision now.
        current: u64,
    },
    /// No such live paste.
    Missing,
}

/// One line of a paste's history: a revision without its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevisionLine {
    /// Who, when, what changed.
    pub mark: RevisionMark,
    /// Its size in bytes.
    pub size_bytes: u64,
}
