//! A paste's history: its revisions listed, one read, two compared. These
//! are store reads (the history pages are not the hot path); who may see
//! the paste may see its history, and no one else learns it exists.

use super::PasteService;
use super::read::readable_by;
use crate::domain::{AuthorSummary, Paste, PasteId, Revision, RevisionLine};
use crate::error::AppError;
use crate::render::diff::{self, Hunk};

/// Longest a diff page's diff may take (then it is coarser, never late).
const DIFF_TIME: std::time::Duration = std::time::Duration::from_secs(1);

/// The history of a paste: the paste, and every revision kept, latest first.
#[derive(Debug)]
pub(crate) struct History {
    /// The paste as it is now.
    pub(crate) paste: Box<Paste>,
    /// Its revisions kept, the latest (the paste itself) first.
    pub(crate) lines: Vec<RevisionLine>,
}

/// Two revisions compared.
#[derive(Debug)]
pub(crate) struct Comparison {
    /// The older side.
    pub(crate) from: Revision,
    /// The newer side.
    pub(crate) to: Revision,
    /// The hunks, for a page.
    pub(crate) hunks: Vec<Hunk>,
    /// The unified diff as text.
    pub(crate) text: String,
}

impl PasteService {
    /// The paste, if `reader` may see it. A paste with a view limit has no
    /// history to show (looking would be a read that spends no view), nor a
    /// sealed one (password, end-to-end): none of them is ever edited.
    async fn historic(
        &self,
        id: &PasteId,
        reader: Option<&AuthorSummary>,
    ) -> Result<Paste, AppError> {
        Some(self.find_live(id, self.clock.now()).await?)
            .filter(|p| {
                readable_by(p, reader)
                    && p.view_limit().is_none()
                    && p.fields.lock.is_none()
                    && !p.fields.end_to_end
            })
            .ok_or(AppError::NotFound)
    }

    /// Every revision kept of `id`, latest first.
    pub(crate) async fn history(
        &self,
        id: &PasteId,
        reader: Option<&AuthorSummary>,
    ) -> Result<History, AppError> {
        let paste = self.historic(id, reader).await?;
        let mut lines = self.store.paste_revisions(id).await?;
        lines.push(RevisionLine {
            mark: paste.latest_revision(),
            size_bytes: paste.fields.content.len() as u64,
        });
        lines.reverse();
        Ok(History {
            paste: Box::new(paste),
            lines,
        })
    }

    /// Revision `number` of `id` (the latest is the paste itself).
    pub(crate) async fn revision(
        &self,
        id: &PasteId,
        number: u64,
        reader: Option<&AuthorSummary>,
    ) -> Result<Revision, AppError> {
        let paste = self.historic(id, reader).await?;
        self.revision_of(&paste, number).await
    }

    async fn revision_of(&self, paste: &Paste, number: u64) -> Result<Revision, AppError> {
        if number == paste.revision_number() {
            return Ok(Revision::latest_of(paste));
        }
        if number > paste.revision_number() {
            return Err(AppError::NotFound);
        }
        self.store
            .find_revision(paste.id(), number)
            .await?
            .ok_or(AppError::NotFound)
    }

    /// Revisions `a` and `b` of `id` compared (`a` older), on a blocking
    /// thread.
    pub(crate) async fn compare(
        &self,
        id: &PasteId,
        (a, b): (u64, u64),
        reader: Option<&AuthorSummary>,
    ) -> Result<Comparison, AppError> {
        let paste = self.historic(id, reader).await?;
        let from = self.revision_of(&paste, a).await?;
        let to = self.revision_of(&paste, b).await?;
        let (old, new) = (
            from.content.as_str().to_owned(),
            to.content.as_str().to_owned(),
        );
        let names = (format!("{id}/r/{a}"), format!("{id}/r/{b}"));
        let (hunks, text) = tokio::task::spawn_blocking(move || {
            diff::unified(&old, &new, (&names.0, &names.1), DIFF_TIME)
        })
        .await
        .map_err(|e| AppError::Internal(e.into()))?;
        Ok(Comparison {
            from,
            to,
            hunks,
            text,
        })
    }
}
