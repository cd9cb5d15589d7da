//! What a cached view holds.

use bytes::Bytes;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::domain::{Language, Paste, PasteId, PasteStats, Title, Username, Visibility};
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
    /// Its latest revision's number (1 until edited; views cached before
    /// revisions existed read as 1).
    #[serde(default = "first_revision")]
    pub(crate) revision: u64,
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
}

impl PasteView {
    /// Assembles the view of a stored paste.
    pub(crate) fn assemble(paste: &Paste) -> Self {
        Self {
            meta: Self::meta_of(paste),
            content: Bytes::copy_from_slice(paste.fields.content.as_str().as_bytes()),
            rendered: None,
        }
    }

    /// The metadata of a paste's view.
    pub(crate) fn meta_of(paste: &Paste) -> ViewMeta {
        let f = &paste.fields;
        ViewMeta {
            id: f.id.clone(),
            title: f.title.clone(),
            language: f.language.clone(),
            visibility: f.visibility,
            burn_after_read: f.burn_after_read,
            size_bytes: f.content.len() as u64,
            created_at: f.created_at,
            expires_at: f.expires_at,
            author: f.author.as_ref().map(|a| a.username.clone()),
            content_sha256: paste.content_sha256.clone(),
            stats: paste.stats.clone(),
            lines: f.content.line_count(),
            revision: paste.revision_number(),
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

    /// True when the view holds a render of this release's renderer.
    pub(crate) fn is_rendered(&self) -> bool {
        self.rendered.as_ref().is_some_and(Rendered::is_current)
    }

    /// True once the paste has expired.
    pub(crate) fn is_expired(&self, now: OffsetDateTime) -> bool {
        self.meta.expires_at.is_some_and(|at| at <= now)
    }
}
