//! Claiming: a signed-in user makes an anonymous paste theirs with its
//! delete token (pasted before they had an account, or signed out).

use super::PasteService;
use crate::cache::near::Fence;
use crate::domain::PasteId;
use crate::domain::{AuthorSummary, DeleteToken};
use crate::error::{AccountError, AppError};
use crate::service::views::PasteView;

impl PasteService {
    /// Makes the anonymous paste `id` `by`'s, given its delete token. The
    /// store sets the author and raises the user's counter in one step; the
    /// cached view is replaced (not removed: the paste stays readable) and
    /// the user's cached page forgotten. It answers once no clone's near
    /// tier can show the paste unclaimed (the fence of `refresh`).
    #[tracing::instrument(skip(self, token, by))]
    pub(crate) async fn claim(
        &self,
        id: &PasteId,
        token: Option<&str>,
        by: &AuthorSummary,
    ) -> Result<(), AppError> {
        let now = self.clock.now();
        let paste = self
            .find_live(id, now)
            .await
            .map(Some)?
            // Someone else's private paste is as missing here as anywhere:
            // neither a wrong nor a right token may tell that it exists.
            .filter(|p| super::read::readable_by(p, Some(by)))
            .ok_or(AppError::NotFound)?;
        let token = token
            .filter(|t| !t.trim().is_empty())
            .ok_or(AppError::MissingDeleteToken)?;
        if !paste
            .fields
            .delete_token_hash
            .verify(&DeleteToken::presented(token))
        {
            return Err(AppError::WrongDeleteToken);
        }
        match &paste.fields.author {
            Some(author) if author.id == by.id => return Ok(()),
            Some(_) => return Err(AccountError::AlreadyClaimed.into()),
            None => {}
        }
        if !self.store.claim_paste(id, by, now).await? {
            // Claimed, deleted or expired since it was read.
            return Err(AccountError::AlreadyClaimed.into());
        }
        tracing::info!(paste = %id, user = %by.username, "claimed");
        let fence = match self.store.find_paste(id, now).await? {
            Some(claimed) if claimed.view_limit().is_none() && claimed.fields.lock.is_none() => {
                self.views.refresh(&PasteView::assemble(&claimed)).await
            }
            _ => Fence::none(),
        };
        self.user_pages.invalidate(&by.username).await;
        // Answered once no clone's near tier shows the paste unclaimed.
        fence.wait().await;
        Ok(())
    }
}
