//! Forks: a reader makes a paste of their own from one they can read.
//!
//! A fork is a creation like any other (the creation path's rate limit,
//! `Idempotency-Key`, render queued for a worker), from a draft built of the
//! original's view, with a `forked_from` link back. The original's fork count
//! is never touched on the request path: each fork enqueues `count_forks`,
//! which recounts (so a job run twice, or after a `kill -9`, counts each
//! fork once) and refreshes the original's cached view through its fence.
//!
//! When an original goes (deleted, or swept), `orphan_forks` marks its forks
//! so their pages say "forked from a deleted paste" from their own document:
//! a fork's page stays one cached object, and never reads its original.

use super::{Created, PasteService};
use crate::domain::{AuthorSummary, ForkOrigin, PasteId, Visibility};
use crate::error::AppError;
use crate::queue::Job;
use crate::service::RateStatus;
use crate::service::draft::{Draft, DraftContent};
use crate::service::views::PasteView;

impl PasteService {
    /// Forks `original` for `by` (anonymous when `None`: the fork then has a
    /// delete token of its own, like any anonymous paste), once per
    /// `Idempotency-Key`. A paste the reader cannot read is the same 404 a
    /// read gives (a private one is its owner's only); a burn-after-read
    /// paste is refused, since reading it to copy it would burn it.
    #[tracing::instrument(skip(self, by, client, key))]
    pub(crate) async fn fork_once(
        &self,
        original: &PasteId,
        by: Option<&AuthorSummary>,
        client: &str,
        key: Option<&str>,
    ) -> Result<(Created, Option<RateStatus>), AppError> {
        let view = self.read_quietly(original, by).await?;
        if view.meta.is_counted() {
            return Err(AppError::BurnNotForkable);
        }
        if view.meta.locked {
            return Err(AppError::LockedNotForkable);
        }
        if view.meta.end_to_end {
            return Err(AppError::EndToEndNotForkable);
        }
        if view.has_files() {
            return Err(AppError::MultiFile);
        }
        let draft = fork_draft(&view, by)?;
        let answer = self.create_once(draft, client, key).await?;
        // Also on a replay: the first attempt may have died before this.
        self.count_forks_later(original).await;
        Ok(answer)
    }

    /// Asks a worker to recount `original`'s forks. If the queue is down,
    /// the count stays behind until the next fork or delete of a fork.
    pub(super) async fn count_forks_later(&self, original: &PasteId) {
        let job = Job::CountForks {
            id: original.clone(),
        };
        if let Err(e) = self.queue.enqueue(&job).await {
            tracing::warn!(paste = %original, error = %e, "fork recount not queued");
        }
    }

    /// Asks a worker to mark the forks of a deleted paste; done here when
    /// the queue is down (the delete is acknowledged only after either; a
    /// store that fails then too leaves the forks saying "forked from" a
    /// link that answers 404, logged).
    pub(super) async fn orphan_forks_later(&self, original: &PasteId) {
        let job = Job::OrphanForks {
            id: original.clone(),
        };
        if let Err(e) = self.queue.enqueue(&job).await {
            tracing::warn!(paste = %original, error = %e, "orphan_forks not queued; marking now");
            if let Err(e) = self.orphan_forks(original).await {
                tracing::error!(paste = %original, error = %e, "forks of a deleted paste not marked");
            }
        }
    }

    /// The `count_forks` job: recounts and, when the count changed,
    /// refreshes the original's cached view (awaiting its fence, so once the
    /// job is acknowledged no clone shows the old count).
    pub(crate) async fn count_forks(&self, original: &PasteId) -> Result<(), AppError> {
        let now = self.clock.now();
        let Some(count) = self.store.recount_forks(original, now).await? else {
            return Ok(()); // the original is gone: nothing shows a count
        };
        if count.changed
            && let Some(paste) = self.store.find_paste(original, now).await?
        {
            self.views
                .refresh(&PasteView::assemble(&paste))
                .await
                .wait()
                .await;
        }
        Ok(())
    }

    /// The `orphan_forks` job: marks the forks of a paste that is gone and
    /// refreshes their cached views.
    pub(crate) async fn orphan_forks(&self, original: &PasteId) -> Result<(), AppError> {
        let now = self.clock.now();
        for fork in self.store.orphan_forks(original).await? {
            if let Some(paste) = self.store.find_paste(&fork, now).await? {
                self.views
                    .refresh(&PasteView::assemble(&paste))
                    .await
                    .wait()
                    .await;
            }
        }
        Ok(())
    }
}

/// The draft of a fork: the original's text, title, language and
/// visibility (a fork of an unlisted paste stays unlisted, of a private one
/// private: only its owner forks it), by `by`, linked back.
fn fork_draft(view: &PasteView, by: Option<&AuthorSummary>) -> Result<Draft, AppError> {
    let meta = &view.meta;
    let visibility = match meta.visibility {
        Visibility::Private if by.is_none() => return Err(AppError::NotFound),
        v => v,
    };
    Ok(Draft {
        content: Some(DraftContent::Text(view.text()?.to_owned())),
        title: meta.title.as_ref().map(|t| t.as_str().to_owned()),
        language: meta.language.as_ref().map(|l| l.as_str().to_owned()),
        visibility: Some(visibility.as_str().to_owned()),
        author: by.cloned(),
        forked_from: Some(ForkOrigin {
            id: meta.id.clone(),
            title: meta.title.clone(),
            author: meta.author.clone(),
            gone: false,
        }),
        ..Draft::default()
    })
}

/// A page of a paste's forks, as `/{id}/forks` shows it.
#[derive(Debug)]
pub(crate) struct ForksPage {
    /// The original, as its reader may see it.
    pub(crate) original: crate::service::views::ViewMeta,
    /// Its forks the reader may see, newest first.
    pub(crate) forks: Vec<crate::domain::ForkSummary>,
    /// The cursor of the next page, when there is one.
    pub(crate) next: Option<crate::domain::ListCursor>,
}

impl PasteService {
    /// The forks of `original` that `by` may see listed, a page of `limit`
    /// after `after`: the original is read as a quiet read is (a private one
    /// is its owner's; no visit), its forks by one indexed query.
    pub(crate) async fn forks(
        &self,
        original: &PasteId,
        by: Option<&AuthorSummary>,
        query: crate::service::users::ListQuery,
    ) -> Result<ForksPage, AppError> {
        let view = self.read_quietly(original, by).await?;
        let page = crate::domain::PageRequest {
            after: query.cursor,
            limit: query.limit + 1,
            public_only: true,
        };
        let mut forks = self
            .store
            .paste_forks(original, by.map(|b| &b.id), &page, self.clock.now())
            .await?;
        let next = (forks.len() > query.limit).then(|| {
            forks.truncate(query.limit);
            forks.last().map(crate::domain::ForkSummary::cursor)
        });
        Ok(ForksPage {
            original: view.meta,
            forks,
            next: next.flatten(),
        })
    }
}
