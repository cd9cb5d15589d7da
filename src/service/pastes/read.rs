//! Reading pastes, one verb with three purposes (a `Reading`):
//! - `read_with`: raw, download, API and the reveal click; counts a visit and
//!   spends one view of a counted paste (burn-after-read, `max_views`): its
//!   last view deletes it;
//! - `read_page`: the HTML page; counts a visit, but a counted paste only
//!   asks for the click (so link previews never spend a view);
//! - `read_unless_burning`: the text of `GET /{id}` for a program; counts a
//!   visit, never spends a view;
//! - `read_quietly`: HEAD and statistics; neither counts nor burns.
//!
//! And `warm`, the job that assembles a view ahead of its first read.
//!
//! Each takes the reader (the signed-in user, if any). A private paste is
//! shown to its author only; to anyone else it is the same 404 as a missing
//! one. Private pastes are never cached: every read of one comes from the
//! store and is checked there, so no shared cache entry can ever hand one
//! to someone else.
//!
//! Only the page renders: a page read of a view without a current render
//! renders it and caches the view with it; raw, API and quiet reads never
//! render, and a hot page read finds the render in the cache.

use std::sync::Arc;

use time::OffsetDateTime;

use super::PasteService;
use super::lock::Opened;
use super::render::{Made, Purpose};
use crate::domain::{AuthorSummary, Paste, PasteId, Visibility};
use crate::error::AppError;
use crate::service::rate_limit::Limit;
use crate::service::views::{Lookup, PasteView};

/// A password presented for a password-protected paste, and the client
/// presenting it (whose guesses are counted, beside the paste's).
pub(crate) struct Key {
    /// The password as sent.
    pub(crate) password: String,
    /// The client (`Client`), the subject of its guess limit.
    pub(crate) client: String,
}

/// What a read is for: it decides whether a visit is counted, whether a
/// burn-after-read paste burns, and whether the view comes back rendered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reading {
    /// The HTML page: counts a visit and renders; a burn-after-read paste
    /// only asks for the click (so link previews cannot burn it).
    Page,
    /// Raw, download, API and the reveal click: counts a visit and burns a
    /// burn-after-read paste; never renders.
    Raw,
    /// HEAD, statistics and forks: neither counts nor burns nor renders.
    Quiet,
}

impl Reading {
    fn is_visit(self) -> bool {
        self != Reading::Quiet
    }
}

/// What a page view found.
#[derive(Debug)]
pub(crate) enum PageRead {
    /// An ordinary paste: shown, the visit counted, with its visit count
    /// (this one included, as far as this clone can tell without waiting).
    Shown {
        /// The paste, rendered (shared: `PasteView::owned` to change it).
        view: Arc<PasteView>,
        /// Its visits.
        visits: u64,
    },
    /// A password-protected paste: its page asks for the password (a POST,
    /// like the click). Nothing of it is returned but the views it has
    /// left, if it has a limit.
    NeedsPassword {
        /// Views left before the unlock, for a counted one.
        views_left: Option<u32>,
    },
    /// A counted paste (burn-after-read, `max_views`): its content is
    /// revealed only by a click (a POST), which spends a view. Nothing of it
    /// is returned but the views it has left.
    NeedsClick {
        /// Views left before the click (1 for burn-after-read).
        views_left: u32,
    },
}

/// What is behind an id, before any burning.
enum Found {
    /// A paste that may be cached and shown any number of times (its visit,
    /// if the reading is one, already counted); the cache's shared view.
    Plain(Arc<PasteView>),
    /// A counted paste (burn-after-read, `max_views`: a view limit) or a
    /// password-protected one, straight from the store: never cached; only
    /// the store's atomic take may show a counted one, only its password a
    /// protected one.
    StoreOnly(Box<Paste>),
}

impl PasteService {
    /// Finds a paste, cache first, for `reading`. A visit is counted as
    /// `VisitService` decides (in the cache lookup, or in this clone). A
    /// cached view is checked against the clock on every hit: it is gone the
    /// moment its paste expires. A page reading gets the view rendered (and
    /// cached so).
    async fn find(
        &self,
        id: &PasteId,
        now: OffsetDateTime,
        reading: Reading,
        reader: Option<&AuthorSummary>,
    ) -> Result<Found, AppError> {
        let visit = reading.is_visit().then(|| self.visits.visit(id));
        let page = reading == Reading::Page;
        match self
            .views
            .get(id, visit.as_ref().and_then(|v| v.lookup_field()))
            .await
        {
            // Never cached; should one be (an older clone), only its author
            // may have it.
            Lookup::Hit(view)
                if view.meta.visibility == Visibility::Private
                    && view.meta.author.as_ref() != reader.map(|r| &r.username) =>
            {
                return Err(AppError::NotFound);
            }
            Lookup::Hit(mut view) if !view.is_expired(now) => {
                // A hot page's view holds its render: shared as it is.
                if page && !view.is_rendered() {
                    let mut owned = PasteView::owned(view);
                    let made = self.render_for(&mut owned, Purpose::Page).await;
                    if made == Made::Rendered {
                        // Only the render was added: a clone still showing
                        // the view without it shows the same paste, so no
                        // one waits.
                        self.views.refresh(&owned).await.pass();
                    }
                    self.rendered(id, made).await;
                    view = Arc::new(owned);
                }
                if let Some(visit) = visit {
                    self.visits.count(visit, true).await;
                }
                return Ok(Found::Plain(view));
            }
            Lookup::Hit(_) | Lookup::Gone => return Err(AppError::NotFound),
            Lookup::Removed(category) => return Err(AppError::Removed(category)),
            Lookup::Miss => {}
        }
        match self.store.find_paste(id, now).await? {
            None => Err(self.not_found(id).await),
            Some(paste) if !readable_by(&paste, reader) => Err(AppError::NotFound),
            Some(paste) if paste.view_limit().is_some() || paste.fields.lock.is_some() => {
                Ok(Found::StoreOnly(Box::new(paste)))
            }
            Some(paste) => {
                let mut view = PasteView::assemble(&paste);
                let made = match page {
                    true => self.render_for(&mut view, Purpose::Page).await,
                    false => Made::Current,
                };
                if paste.fields.visibility != Visibility::Private {
                    self.views.fill(&cacheable(&view, made)).await;
                }
                self.rendered(id, made).await;
                if let Some(visit) = visit {
                    self.visits.count(visit, false).await;
                }
                Ok(Found::Plain(Arc::new(view)))
            }
        }
    }

    /// Reads a paste for raw, download and API answers and the reveal click
    /// (`Reading::Raw`). A counted paste spends one view in the store's
    /// atomic take: of concurrent readers exactly as many as it has views
    /// left get it (one for burn-after-read), the others get 404. With the
    /// password of a password-protected paste when the reader gave one, it
    /// is opened with it (each attempt spends a guess of the paste's and of
    /// the client's, right or wrong) before any view of it is spent; without
    /// one it is 403 `password_required`, with a wrong one 403
    /// `wrong_password`.
    pub(crate) async fn read_with(
        &self,
        id: &PasteId,
        reader: Option<&AuthorSummary>,
        key: Option<&Key>,
    ) -> Result<PasteView, AppError> {
        self.read_shared(id, reader, key)
            .await
            .map(PasteView::owned)
    }

    /// `read_with`, answering the cache's shared view as it is (a hot read
    /// copies nothing, and finds the answers made of it by earlier reads).
    /// No span of its own: the request's span names the paste's path.
    pub(crate) async fn read_shared(
        &self,
        id: &PasteId,
        reader: Option<&AuthorSummary>,
        key: Option<&Key>,
    ) -> Result<Arc<PasteView>, AppError> {
        let now = self.clock.now();
        match self.find(id, now, Reading::Raw, reader).await? {
            Found::Plain(view) => Ok(view),
            Found::StoreOnly(paste) => {
                let opened = self.unlock(&paste, key).await?;
                let mut view = match paste.view_limit() {
                    Some(_) => self.spend_view(id, now).await?,
                    None => PasteView::assemble(&paste),
                };
                if let Some(opened) = opened {
                    view.open(opened);
                }
                Ok(Arc::new(view))
            }
        }
    }

    /// Opens a password-protected paste with `key` (`None` for any other).
    async fn unlock(&self, paste: &Paste, key: Option<&Key>) -> Result<Option<Opened>, AppError> {
        let Some(lock) = &paste.fields.lock else {
            return Ok(None);
        };
        let key = key.ok_or(AppError::PastePasswordRequired)?;
        self.limiter
            .take(&[
                (Limit::UnlockPaste, paste.id().as_str()),
                (Limit::UnlockClient, &key.client),
            ])
            .await?;
        match self.locks.open(key.password.clone(), lock.clone()).await? {
            Some(opened) => Ok(Some(opened)),
            None => {
                tracing::info!(paste = %paste.id(), "a wrong paste password");
                Err(AppError::WrongPastePassword)
            }
        }
    }

    /// Reads a paste for its HTML page without burning it (`Reading::Page`),
    /// with its visit count.
    pub(crate) async fn read_page(
        &self,
        id: &PasteId,
        reader: Option<&AuthorSummary>,
    ) -> Result<PageRead, AppError> {
        match self
            .find(id, self.clock.now(), Reading::Page, reader)
            .await?
        {
            Found::Plain(view) => {
                let visits = self.visits.total(&view).await;
                Ok(PageRead::Shown { view, visits })
            }
            Found::StoreOnly(paste) => {
                let views_left = paste
                    .view_limit()
                    .map(|n| n.saturating_sub(paste.views_spent));
                Ok(match (paste.fields.lock.is_some(), views_left) {
                    (true, views_left) => PageRead::NeedsPassword { views_left },
                    (false, views_left) => PageRead::NeedsClick {
                        views_left: views_left.unwrap_or(1),
                    },
                })
            }
        }
    }

    /// Reads a paste's text for a program at its page address
    /// (`Reading::Raw`, a visit), but a counted paste spends no view:
    /// `None` (only `read_with` spends one). A password-protected one is opened
    /// with `key`, as `read_with` does. The view is the cache's shared one.
    pub(crate) async fn read_unless_burning(
        &self,
        id: &PasteId,
        reader: Option<&AuthorSummary>,
        key: Option<&Key>,
    ) -> Result<Option<Arc<PasteView>>, AppError> {
        match self
            .find(id, self.clock.now(), Reading::Raw, reader)
            .await?
        {
            Found::Plain(view) => Ok(Some(view)),
            Found::StoreOnly(paste) if paste.view_limit().is_some() => Ok(None),
            Found::StoreOnly(paste) => {
                let opened = self.unlock(&paste, key).await?;
                let mut view = PasteView::assemble(&paste);
                if let Some(opened) = opened {
                    view.open(opened);
                }
                Ok(Some(Arc::new(view)))
            }
        }
    }

    /// Reads a paste without it being a visit (`Reading::Quiet`): nothing
    /// counted, nothing burned.
    pub(crate) async fn read_quietly(
        &self,
        id: &PasteId,
        reader: Option<&AuthorSummary>,
    ) -> Result<PasteView, AppError> {
        let now = self.clock.now();
        Ok(match self.find(id, now, Reading::Quiet, reader).await? {
            Found::Plain(view) => PasteView::owned(view),
            Found::StoreOnly(paste) => PasteView::assemble(&paste),
        })
    }

    /// Spends one view of a counted paste in the store (never cached, so
    /// the store's count is the only one); the view comes back with the
    /// views left after this one. The last one removes the paste.
    async fn spend_view(&self, id: &PasteId, now: OffsetDateTime) -> Result<PasteView, AppError> {
        let Some(paste) = self.store.take_paste(id, now).await? else {
            return Err(self.not_found(id).await);
        };
        let mut view = PasteView::assemble(&paste);
        view.meta.views_left = view.meta.views_left.map(|n| n.saturating_sub(1));
        if view.meta.views_left == Some(0) {
            tracing::info!(paste = %id, "deleted by its last view");
            self.author_changed(&paste).await;
        }
        Ok(view)
    }

    /// The `assemble` job: caches the view of a paste ahead of its first read
    /// (nothing if it is gone or burns on read); true when it was cached.
    pub(crate) async fn warm(&self, id: &PasteId) -> Result<bool, AppError> {
        match self.store.find_paste(id, self.clock.now()).await? {
            Some(paste)
                if paste.view_limit().is_none()
                    && paste.fields.lock.is_none()
                    && paste.fields.visibility != Visibility::Private =>
            {
                let mut view = PasteView::assemble(&paste);
                let made = self.render_for(&mut view, Purpose::Job).await;
                // Nobody is answered after this job: a clone that still
                // holds the "missing" mark of a brand new id drops it when
                // Redis tells it, and nothing was acknowledged before.
                let (cached, fence) = self.views.warm(&cacheable(&view, made)).await;
                fence.pass();
                self.rendered(id, made).await;
                Ok(cached)
            }
            _ => Ok(false),
        }
    }
}

/// What of `view` may be cached: all of it, but for plain text made for
/// one read only (no render came back in time), which the next read
/// renders again.
fn cacheable(view: &PasteView, made: Made) -> std::borrow::Cow<'_, PasteView> {
    match made {
        Made::Interim => std::borrow::Cow::Owned(PasteView {
            rendered: None,
            ..view.clone()
        }),
        _ => std::borrow::Cow::Borrowed(view),
    }
}

/// True when `reader` may see `paste`: anyone, unless it is private, which
/// only its author may.
pub(super) fn readable_by(paste: &Paste, reader: Option<&AuthorSummary>) -> bool {
    paste.fields.visibility != Visibility::Private || is_author(paste, reader)
}

/// True when `reader` wrote `paste` (by user id: a name could be reused).
pub(super) fn is_author(paste: &Paste, reader: Option<&AuthorSummary>) -> bool {
    matches!(
        (&paste.fields.author, reader),
        (Some(author), Some(reader)) if author.id == reader.id
    )
}
