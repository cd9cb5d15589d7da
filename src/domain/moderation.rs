//! What the operator's tools keep: takedowns, reports from readers, disabled
//! accounts and the audit log of every admin action. Plain values, checked
//! once where they come in (the command line, the report form, a stored
//! document); nothing here does I/O.

use std::fmt;

use time::OffsetDateTime;

use super::{PasteId, UserId, Username};

/// Why content is taken down or reported: a short fixed list, so a page can
/// say why without quoting anyone's free text, and reports can be sorted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Category {
    /// Unlawful where the service runs.
    Illegal,
    /// Someone else's work, posted without the right to.
    Copyright,
    /// Someone's private data (addresses, credentials, documents).
    PersonalData,
    /// Malware, phishing, or links to them.
    Malware,
    /// Advertising or flooding.
    Spam,
    /// Harassment or threats.
    Abuse,
    /// Anything else (the free text says what).
    Other,
}

impl Category {
    /// Every category, in the order forms list them.
    pub const ALL: [Category; 7] = [
        Self::Spam,
        Self::Malware,
        Self::PersonalData,
        Self::Copyright,
        Self::Abuse,
        Self::Illegal,
        Self::Other,
    ];

    /// The category named `text` (its snake_case code).
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.code() == text.trim())
    }

    /// Its stable snake_case code (stored, typed on the command line).
    pub fn code(self) -> &'static str {
        match self {
            Self::Illegal => "illegal",
            Self::Copyright => "copyright",
            Self::PersonalData => "personal_data",
            Self::Malware => "malware",
            Self::Spam => "spam",
            Self::Abuse => "abuse",
            Self::Other => "other",
        }
    }

    /// How a page names it.
    pub fn label(self) -> &'static str {
        match self {
            Self::Illegal => "unlawful content",
            Self::Copyright => "copyright infringement",
            Self::PersonalData => "personal data",
            Self::Malware => "malware or phishing",
            Self::Spam => "spam",
            Self::Abuse => "harassment or abuse",
            Self::Other => "another reason",
        }
    }

    /// The codes, comma-separated, for help texts and error messages.
    pub fn codes() -> String {
        Self::ALL.map(Self::code).join(", ")
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Longest free text kept with a removal, a report or an audit entry.
pub const MAX_NOTE_CHARS: usize = 1000;

/// A free-text note: trimmed, non-empty, at most `MAX_NOTE_CHARS`
/// characters, without control characters but newlines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note(String);

impl Note {
    /// The note in `text`; `None` when it is empty, too long or has control
    /// characters.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim().replace("\r\n", "\n");
        let fine = !text.is_empty()
            && text.chars().count() <= MAX_NOTE_CHARS
            && !text.chars().any(|c| c.is_control() && c != '\n');
        fine.then_some(Self(text))
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A paste taken down by an operator. Kept for good: its id is never handed
/// out again, and every read of it answers 410 with the category.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Removal {
    /// The paste.
    pub id: PasteId,
    /// Why, as pages say it.
    pub category: Category,
    /// The operator's own words (never shown to readers).
    pub note: Option<Note>,
    /// Who took it down.
    pub operator: String,
    /// When.
    pub at: OffsetDateTime,
}

/// A disabled account: it cannot log in, and its sessions and tokens ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisabledAccount {
    /// The user.
    pub user: UserId,
    /// Their name then.
    pub username: Username,
    /// Who disabled it.
    pub operator: String,
    /// When.
    pub at: OffsetDateTime,
}

/// A report's id: random, URL-safe (a `PasteId` of its own length).
pub type ReportId = PasteId;

/// Characters of a report id.
pub const REPORT_ID_CHARS: usize = 10;

/// A reader's report of a paste, waiting for an operator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// Its id.
    pub id: ReportId,
    /// The paste reported.
    pub paste: PasteId,
    /// Why, by category.
    pub category: Category,
    /// The reader's words, if any.
    pub details: Option<Note>,
    /// The reporting client's address tag (`AddressTag`), never the address.
    pub client: String,
    /// When it was made.
    pub at: OffsetDateTime,
    /// How an operator closed it, once one did.
    pub resolution: Option<Resolution>,
}

/// How a report was closed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolution {
    /// Who.
    pub operator: String,
    /// When.
    pub at: OffsetDateTime,
    /// Their note.
    pub note: Option<Note>,
}

/// One admin action, as the audit log keeps it: who, what, when, why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// When.
    pub at: OffsetDateTime,
    /// Who (the OS user, or `--operator`).
    pub operator: String,
    /// What, a stable verb (`remove`, `user_disable`, `report_resolve`...).
    pub action: String,
    /// What it acted on (a paste id, a user name, a report id).
    pub target: String,
    /// Why: a category and the operator's note, as given.
    pub reason: Option<String>,
}

/// Which recent pastes an operator lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecentFilter {
    /// All of them.
    All,
    /// Those created from one client, by its address tag.
    Address(String),
    /// Those of one author.
    Author(UserId),
}

/// One line of `pastebin admin recent`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecentPaste {
    /// The paste.
    pub id: PasteId,
    /// When it was made.
    pub created_at: OffsetDateTime,
    /// Its author's name, if any.
    pub author: Option<Username>,
    /// Its title, if any.
    pub title: Option<String>,
    /// Its visibility.
    pub visibility: super::Visibility,
    /// The creating client's address tag (absent on pastes made before
    /// addresses were recorded).
    pub client: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_category_reads_back_from_its_code() {
        for c in Category::ALL {
            assert_eq!(Category::parse(c.code()), Some(c));
        }
        assert_eq!(Category::parse("nonsense"), None);
    }

    #[test]
    fn a_note_is_bounded_and_has_no_control_characters() {
        assert!(Note::parse("  ").is_none());
        assert!(Note::parse("a\u{7}b").is_none());
        assert!(Note::parse(&"x".repeat(MAX_NOTE_CHARS + 1)).is_none());
        assert_eq!(
            Note::parse(" line one\r\nline two ").map(|n| n.0),
            Some("line one\nline two".into())
        );
    }
}
