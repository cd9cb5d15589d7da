//! What a cached view holds.

use bytes::Bytes;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::answers::Answers;
use crate::domain::{
    ForkOrigin, Language, Paste, PasteId, PasteStats, Title, Username, Visibility,
};
use crate::render::Rendered;

/// What the view keeps besides the content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct ViewMeta {
    /// Id.
    pub(crate) id: PasteId,
    /// Title.
    pub(crate) title: Option<Title>,
    /// Language hint.
    pub(crate) language: Option<Language>,
    /// Who may see it.
    pub(crate) visibility: Visibility,
    /// Deleted by its first read (such views are never cached).
    pub(crate) burn_after_read: bool,
    /// Size of the content in bytes.
    pub(crate) size_bytes: u64,
    /// Creation time.
    #[serde(with = "time::serde::rfc3339")]
    pub(crate) created_at: OffsetDateTime,
    /// Expiry time.
    #[serde(with = "time::serde::rfc3339::option")]
    pub(crate) expires_at: Option<OffsetDateTime>,
    /// Author's name, if any.
    pub(crate) author: Option<Username>,
    /// Hex SHA-256 of the content (the ETag).
    pub(crate) content_sha256: String,
    /// Visits stored when the view was assembled.
    pub(crate) stats: PasteStats,
    /// Lines of the content, for the page.
    pub(crate) lines: usize,
    /// The paste this one was forked from, if any (and whether it is gone).
    #[serde(default)]
    pub(crate) forked_from: Option<ForkOrigin>,
    /// Forks of this paste, as last counted by the `count_forks` job.
    #[serde(default)]
    pub(crate) fork_count: u64,
    /// The content is an end-to-end encrypted envelope: never rendered,
    /// shown by the page's script only (absent in views cached before).
    #[serde(default)]
    pub(crate) end_to_end: bool,
    /// Deleted after this many views (`None`: no limit but that of
    /// `burn_after_read`). Such views are never cached.
    #[serde(default)]
    pub(crate) max_views: Option<u32>,
    /// For a paste with a view limit, the views it has left: before the
    /// read, as the store had it; after a read that spent one, net of it
    /// (0: that read was the last and the paste is gone). `None` without a
    /// limit.
    #[serde(default)]
    pub(crate) views_left: Option<u32>,
    /// Password-protected: the store holds its title and content sealed;
    /// such views are never cached, opened or not.
    #[serde(default)]
    pub(crate) locked: bool,
    /// Its latest revision's number (1 until edited; views cached before
    /// revisions existed read as 1).
    #[serde(default = "first_revision")]
    pub(crate) revision: u64,
    /// A multi-file paste's files (absent for one text, and in views
    /// cached before files existed); `size_bytes` and `lines` are then the
    /// totals, and the view's bytes the files one after another.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) files: Vec<super::FileMeta>,
}

impl ViewMeta {
    /// True when every read that shows the content spends one of a limited
    /// number of views (burn-after-read, `max_views`): such a view is read
    /// from the store's atomic take, never from a cache.
    pub(crate) fn is_counted(&self) -> bool {
        self.burn_after_read || self.max_views.is_some()
    }

    /// True when no cache may hold this view: counted or locked.
    pub(crate) fn is_store_only(&self) -> bool {
        self.is_counted() || self.locked
    }
}

fn first_revision() -> u64 {
    1
}

/// A paste as readers see it: metadata, the exact content bytes and, once a
/// page needed it, the paste rendered for the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PasteView {
    /// Everything but the content.
    pub(crate) meta: ViewMeta,
    /// The content: bytes, shared, never copied per read. Raw reads send them
    /// as they are; only the page and the API need them as text.
    pub(crate) content: Bytes,
    /// The page's rendering (highlighted or Markdown HTML), made by the
    /// `assemble` job or the first page read; raw and API reads never make it.
    pub(crate) rendered: Option<Rendered>,
    /// What hot reads made of this view (`answers`): empty in every copy.
    pub(crate) answers: Answers,
}

impl PasteView {
    /// Assembles the view of a stored paste.
    pub(crate) fn assemble(paste: &Paste) -> Self {
        let content = super::files::bytes(paste)
            .unwrap_or_else(|| Bytes::copy_from_slice(paste.fields.content.as_str().as_bytes()));
        Self {
            meta: Self::meta_of(paste),
            content,
            rendered: None,
            answers: Answers::default(),
        }
    }

    /// A view to change, out of a shared one: the view itself when no one
    /// else holds it, else a copy; either way without the answers made of
    /// it (they would not follow the change).
    pub(crate) fn owned(shared: std::sync::Arc<Self>) -> Self {
        let mut view = std::sync::Arc::unwrap_or_clone(shared);
        view.answers = Answers::default();
        view
    }

    /// The metadata of a paste's view.
    pub(crate) fn meta_of(paste: &Paste) -> ViewMeta {
        let f = &paste.fields;
        let files = super::files::metas(paste);
        let (size_bytes, lines) = match files.is_empty() {
            true => (f.content.len() as u64, f.content.line_count()),
            false => (
                files.iter().map(|f| f.size_bytes).sum(),
                files.iter().map(|f| f.lines).sum(),
            ),
        };
        ViewMeta {
            id: f.id.clone(),
            title: f.title.clone(),
            language: f.language.clone(),
            visibility: f.visibility,
            burn_after_read: f.burn_after_read,
            size_bytes,
            created_at: f.created_at,
            expires_at: f.expires_at,
            author: f.author.as_ref().map(|a| a.username.clone()),
            content_sha256: paste.content_sha256.clone(),
            stats: paste.stats.clone(),
            lines,
            forked_from: paste.forked_from.clone(),
            fork_count: paste.fork_count,
            end_to_end: f.end_to_end,
            max_views: f.max_views,
            views_left: paste
                .view_limit()
                .map(|limit| limit.saturating_sub(paste.views_spent)),
            locked: f.lock.is_some(),
            revision: paste.revision_number(),
            files,
        }
    }

    /// The content as text, for the page and the API, which escape it anyway
    /// (a pass over every byte). Raw reads send the bytes and never pay this
    /// check. Content is UTF-8 from its creation on: bytes that are not are a
    /// corrupt cache entry, an internal error rather than a wrong page.
    pub(crate) fn text(&self) -> Result<&str, crate::error::AppError> {
        std::str::from_utf8(&self.content).map_err(|e| {
            crate::error::AppError::Internal(anyhow::anyhow!(
                "the cached view of {} is not UTF-8: {e}",
                self.meta.id
            ))
        })
    }

    /// Puts an opened lock's title and content in the view of a
    /// password-protected paste (read from the store: never cached).
    pub(crate) fn open(&mut self, opened: crate::service::pastes::Opened) {
        self.meta.title = opened.title;
        self.meta.size_bytes = opened.content.len() as u64;
        self.meta.lines = opened.content.line_count();
        self.content = Bytes::from(opened.content.as_str().to_owned());
        self.rendered = None;
        self.answers = Answers::default();
    }

    /// True when the view holds a render of this release's renderer.
    pub(crate) fn is_rendered(&self) -> bool {
        self.rendered.as_ref().is_some_and(Rendered::is_current)
    }

    /// True once the paste has expired.
    pub(crate) fn is_expired(&self, now: OffsetDateTime) -> bool {
        self.meta.expires_at.is_some_and(|at| at <= now)
    }
}
