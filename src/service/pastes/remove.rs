//! Pastes leaving: deleted by their token, or swept once expired. Either way
//! every cached view is marked gone first. Their cached revisions and diffs
//! are read only after that view, so they are never served again; a delete
//! also removes them, a sweep (which knows only ids) leaves them to their
//! lifetime.

use super::PasteService;
use super::read::{is_author, readable_by};
use crate::domain::PasteId;
use crate::domain::{AuthorSummary, DeleteToken};
use crate::error::AppError;

impl PasteService {
    /// Deletes a paste with its delete token, or for its author without
    /// one (`by` is the signed-in user, if any). The token alone suffices,
    /// whatever the visibility; without it, a private paste of someone else
    /// is as missing as it is to a reader. Every cached view is marked
    /// gone before the store changes, and if that cannot be done nothing
    /// changes (503): a view left in a cache that is down would come back with it.
    /// A refused delete leaves no trace either: its tombstone cannot land
    /// late, and one whose answer was lost (or whose store delete failed) is
    /// removed. It answers once no clone's near tier can serve the paste.
    #[tracing::instrument(skip(self, token, by))]
    pub(crate) async fn delete(
        &self,
        id: &PasteId,
        token: Option<&str>,
        by: Option<&AuthorSummary>,
    ) -> Result<(), AppError> {
        let paste = self.find_live(id, self.clock.now()).await?;
        // Refusals of a paste this caller may not see say it is missing.
        let hidden = |refusal: AppError| {
            if readable_by(&paste, by) {
                refusal
            } else {
                AppError::NotFound
            }
        };
        match token.filter(|t| !t.trim().is_empty()) {
            Some(token) => {
                if !paste
                    .fields
                    .delete_token_hash
                    .verify(&DeleteToken::presented(token))
                {
                    return Err(hidden(AppError::WrongDeleteToken));
                }
            }
            None if is_author(&paste, by) => {}
            None => return Err(hidden(AppError::MissingDeleteToken)),
        }
        let tombstone =
            self.views.invalidate(id).await.map_err(|e| {
                AppError::Unavailable(format!("cannot invalidate cached copies: {e}"))
            })?;
        match self.store.delete_paste(id).await {
            Ok(true) => {}
            // Deleted by someone else meanwhile: the tombstone is right.
            Ok(false) => return Err(AppError::NotFound),
            // Nothing deleted: nor may the tombstone stay.
            Err(e) => {
                self.views.revoke(tombstone);
                return Err(e.into());
            }
        }
        tombstone.fence().wait().await;
        // Unreadable already (read only after the view, now a tombstone):
        // this frees their memory.
        self.views.forget(self.history_keys(&paste)).await;
        self.author_changed(&paste).await;
        self.orphan_forks_later(id).await;
        if let Some(origin) = &paste.forked_from {
            self.count_forks_later(&origin.id).await;
        }
        tracing::info!(paste = %id, "deleted");
        Ok(())
    }

    /// The `sweep` job: purges what has expired by now and marks its cached
    /// views gone (readers see an expired paste as gone from the moment it
    /// expires; this frees the space); returns how many pastes.
    pub(crate) async fn sweep(&self) -> Result<usize, AppError> {
        let ids = self.store.purge_expired(self.clock.now()).await?;
        for id in &ids {
            // Readers saw each as gone from its expiry on: nothing waits.
            if let Ok(tombstone) = self.views.invalidate(id).await {
                tombstone.fence().pass();
            }
            // A fork outlives its original; its page says the original is
            // gone. (A swept fork's original is recounted by its next fork.)
            if let Err(e) = self.orphan_forks(id).await {
                tracing::warn!(paste = %id, error = %e, "forks of a swept paste not marked");
            }
        }
        if !ids.is_empty() {
            tracing::info!(purged = ids.len(), "swept expired pastes");
        }
        Ok(ids.len())
    }
}
