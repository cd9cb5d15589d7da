//! Takedowns: an operator removes a paste without its delete token
//! (`service::admin`), and every read of it then answers 410.
//!
//! The order is a delete's (`remove`): the cache first, so that no clone can
//! serve the content once the store has changed, then the store. Here the
//! cache gets a *removed mark* (`views::removed`) that lives as long as a
//! view, the store a removal record (kept for good: the id is never drawn
//! again) and then loses the document and its revisions. The call returns
//! once the mark's fence has passed: no clone's near tier shows it then.

use time::OffsetDateTime;

use super::PasteService;
use crate::domain::{Paste, PasteId, Removal};
use crate::error::AppError;

impl PasteService {
    /// Takes `removal.id` down. `Ok(Some(paste))` with what was removed;
    /// `Ok(None)` when it was not stored (already removed, deleted or
    /// expired: the record and the mark are written anyway, so the id
    /// answers 410 from now on and is never reused). A cache that cannot be
    /// marked changes nothing (503), as for a delete.
    #[tracing::instrument(skip(self, removal), fields(paste = %removal.id))]
    pub(crate) async fn take_down(&self, removal: &Removal) -> Result<Option<Paste>, AppError> {
        let id = &removal.id;
        let tombstone = self
            .views
            .invalidate_removed(id, removal.category)
            .await
            .map_err(|e| AppError::Unavailable(format!("cannot mark cached copies: {e}")))?;
        if let Err(e) = self.operator.record_removal(removal).await {
            self.views.revoke(tombstone);
            return Err(e.into());
        }
        // The removal is recorded: from here on the paste answers 410
        // whatever else fails, and a retry of the command finishes the job.
        let paste = self
            .store
            .find_paste(id, OffsetDateTime::UNIX_EPOCH)
            .await?;
        if paste.is_some() {
            self.store.delete_paste(id).await?;
        }
        tombstone.fence().wait().await;
        if let Some(paste) = &paste {
            // The cached revisions and diffs hold its text too: a takedown
            // leaves no copy for their week's life (reads already 410).
            self.views.forget(self.history_keys(paste)).await;
            self.author_changed(paste).await;
            self.orphan_forks_later(id).await;
            if let Some(origin) = &paste.forked_from {
                self.count_forks_later(&origin.id).await;
            }
        }
        tracing::info!(category = %removal.category, "taken down by the operator");
        Ok(paste)
    }

    /// The paste stored under `id` and live at `now`; else what its
    /// absence answers (`not_found`).
    pub(super) async fn find_live(
        &self,
        id: &PasteId,
        now: OffsetDateTime,
    ) -> Result<Paste, AppError> {
        match self.store.find_paste(id, now).await? {
            Some(paste) => Ok(paste),
            None => Err(self.not_found(id).await),
        }
    }

    /// What a read that found no paste under `id` answers: 410 when an
    /// operator took it down (and the cache is marked so again, the mark
    /// having expired), else 404 (the id is remembered as missing for a
    /// while). A store that cannot say is a 404: the paste is gone either way.
    pub(super) async fn not_found(&self, id: &PasteId) -> AppError {
        match self.operator.find_removal(id).await {
            Ok(Some(removal)) => {
                self.views.remember_removed(id, removal.category).await;
                AppError::Removed(removal.category)
            }
            Ok(None) => {
                self.views.remember_missing(id).await;
                AppError::NotFound
            }
            Err(e) => {
                tracing::warn!(paste = %id, error = %e, "removal records unreadable; answered 404");
                AppError::NotFound
            }
        }
    }
}
