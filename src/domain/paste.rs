//! A paste and what is needed to make one.

use std::collections::BTreeMap;

use time::OffsetDateTime;

use super::{Content, Language, PasteId, Title, TokenHash, Visibility};

/// The author of a paste as embedded in it (denormalized: a page showing the
/// paste needs no second lookup). `None` on anonymous pastes.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AuthorSummary {
    /// The user's id.
    pub id: super::UserId,
    /// The user's name at the time of writing.
    pub username: super::Username,
}

/// Visits, in total and per calendar month (UTC).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PasteStats {
    /// All visits ever counted.
    pub total_views: u64,
    /// Visits per month, oldest first.
    pub monthly: BTreeMap<super::Month, u64>,
}

/// A paste ready to be stored: every field valid, the token already hashed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPaste {
    /// Its id (a fresh one is drawn on collision).
    pub id: PasteId,
    /// The text.
    pub content: Content,
    /// Optional title.
    pub title: Option<Title>,
    /// Optional language hint.
    pub language: Option<Language>,
    /// Who may see it.
    pub visibility: Visibility,
    /// Deleted by its first successful view.
    pub burn_after_read: bool,
    /// Deleted by its N-th successful view (`None`: no limit but the one
    /// of `burn_after_read`).
    pub max_views: Option<u32>,
    /// For a password-protected paste, its sealed title and content (the
    /// `content` field then holds `LOCKED_CONTENT`, the title none).
    pub lock: Option<super::PasteLock>,
    /// When it was made (millisecond precision, as stored).
    pub created_at: OffsetDateTime,
    /// When it stops being served; `None` keeps it.
    pub expires_at: Option<OffsetDateTime>,
    /// Its author, if signed in.
    pub author: Option<AuthorSummary>,
    /// Hash of the delete token.
    pub delete_token_hash: TokenHash,
    /// The content is an end-to-end encrypted envelope (`domain::envelope`,
    /// `docs/encryption.md`): stored and served as it is, never rendered,
    /// highlighted, searched or listed.
    pub end_to_end: bool,
    /// A multi-file paste's files, every one in order (`content` and
    /// `language` are then the first's); empty for a paste of one text.
    pub files: Vec<super::PasteFile>,
}

/// A stored paste.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paste {
    /// Everything it was created with.
    pub fields: NewPaste,
    /// Lowercase hex SHA-256 of the content: the ETag of raw reads.
    pub(crate) content_sha256: String,
    /// Visits counted so far.
    pub stats: PasteStats,
    /// The paste this one was forked from, if any.
    pub forked_from: Option<super::ForkOrigin>,
    /// Forks of this paste, as the `count_forks` job last counted them
    /// (a denormalized counter, never changed on the request path).
    pub fork_count: u64,
    /// Views of its limit already spent (`view_limit`), before the read that
    /// returned it; always 0 for a paste without a limit.
    pub views_spent: u32,
    /// Its latest revision once it was edited; `None` until then (revision
    /// 1 is then made of its creation: `latest_revision`).
    pub revision: Option<super::RevisionMark>,
    /// The creating client's address tag (`service::admin::AddressTags`: a
    /// keyed hash, never the address), for the operator's `admin recent`;
    /// `None` on pastes made before it was recorded.
    pub client: Option<String>,
}

impl Paste {
    /// A paste as it is first stored: no visits yet, the content hashed once.
    pub fn new(fields: NewPaste) -> Self {
        use sha2::{Digest, Sha256};
        let content_sha256 = match fields.files.is_empty() {
            true => super::token::hex(&Sha256::digest(fields.content.as_str().as_bytes())),
            false => super::files::digest(&fields.files),
        };
        Self {
            fields,
            content_sha256,
            stats: PasteStats::default(),
            revision: None,
            forked_from: None,
            fork_count: 0,
            views_spent: 0,
            client: None,
        }
    }

    /// How many views it has in all before it is deleted: `max_views`, or
    /// one for burn-after-read; `None` for a paste read any number of times.
    pub fn view_limit(&self) -> Option<u32> {
        match self.fields.burn_after_read {
            true => Some(1),
            false => self.fields.max_views,
        }
    }

    /// The paste after `edit` (the store applies it after its checks).
    pub fn edited(&self, edit: &super::PasteEdit) -> Self {
        let mut fields = self.fields.clone();
        fields.content = edit.content.clone();
        fields.title = edit.title.clone();
        fields.language = edit.language.clone();
        fields.visibility = edit.visibility;
        fields.expires_at = edit.expires_at;
        let mut edited = Self::new(fields);
        edited.stats = self.stats.clone();
        edited.revision = Some(edit.mark.clone());
        edited.client = self.client.clone();
        edited
    }

    /// Its latest revision: the last edit's, or its creation's.
    pub fn latest_revision(&self) -> super::RevisionMark {
        self.revision
            .clone()
            .unwrap_or_else(|| super::RevisionMark::first(&self.fields))
    }

    /// The number of its latest revision (1 until it is edited).
    pub fn revision_number(&self) -> u64 {
        self.revision.as_ref().map_or(1, |r| r.number)
    }

    /// The id.
    pub fn id(&self) -> &PasteId {
        &self.fields.id
    }
}

/// `now` cut to whole milliseconds, the precision BSON dates keep (tests and
/// tools that build pastes by hand; services read their `Clock`).
pub fn now_millis() -> OffsetDateTime {
    crate::clock::Clock::System.now_millis()
}
