//! Reading pastes, one verb with three purposes:
//! - `read`: raw, download, API and the reveal click; counts a visit and burns
//!   a burn-after-read paste;
//! - `read_page`: the HTML page; counts a visit, but a burn-after-read paste
//!   only asks for the click (so link previews cannot burn it);
//! - `read_quietly`: HEAD and statistics; neither counts nor burns.
//!
//! And `warm`, the job that assembles a view ahead of its first read.
//!
//! Only the page renders: a page read of a view without a current render
//! renders it and caches the view with it; raw, API and quiet reads never
//! render, and a hot page read finds the render in the cache.

use time::OffsetDateTime;

use super::{PasteService, parse_id};
use crate::domain::{Paste, PasteId};
use crate::error::AppError;
use crate::service::views::{Lookup, PasteView};

/// What a page view found.
#[derive(Debug)]
pub(crate) enum PageRead {
    /// An ordinary paste: shown, and the view counted.
    Shown(Box<PasteView>),
    /// A burn-after-read paste: its content is revealed only by a click (a
    /// POST). Nothing of it is returned.
    NeedsClick,
}

/// What is behind an id, before any burning.
enum Found {
    /// A paste that may be cached and shown any number of times; `counted`
    /// when the cache lookup already counted this visit.
    Plain(Box<PasteView>, bool),
    /// A burn-after-read paste, straight from the store.
    Burn(Box<Paste>),
}

impl PasteService {
    /// Finds a paste, cache first. With `visit`, a hit on a live view counts
    /// the visit in the same cache step. A cached view is checked against the
    /// clock on every hit: it is gone the moment its paste expires. With
    /// `page`, the view comes back rendered (and is cached so).
    async fn find(
        &self,
        id: &PasteId,
        now: OffsetDateTime,
        visit: bool,
        page: bool,
    ) -> Result<Found, AppError> {
        let field = visit.then(|| self.visits.field(id));
        match self.views.get(id, field.as_deref()).await {
            Lookup::Hit(mut view) if !view.is_expired(now) => {
                if page && self.ensure_rendered(&mut view).await {
                    self.views.refresh(&view).await;
                }
                return Ok(Found::Plain(view, visit));
            }
            Lookup::Hit(_) | Lookup::Gone => return Err(AppError::NotFound),
            Lookup::Miss => {}
        }
        match self.store.find_paste(id, now).await? {
            None => {
                self.views.remember_missing(id).await;
                Err(AppError::NotFound)
            }
            Some(paste) if paste.fields.burn_after_read => Ok(Found::Burn(Box::new(paste))),
            Some(paste) => {
                let mut view = PasteView::assemble(&paste);
                if page {
                    self.ensure_rendered(&mut view).await;
                }
                self.views.fill(&view).await;
                Ok(Found::Plain(Box::new(view), false))
            }
        }
    }

    /// Reads a paste for raw, download and API answers and the reveal click.
    /// A burn-after-read paste is taken out of the store by this read: of
    /// concurrent readers exactly one gets it, the others get 404.
    #[tracing::instrument(skip(self))]
    pub(crate) async fn read(&self, id: &str) -> Result<PasteView, AppError> {
        let (id, now) = (parse_id(id)?, self.clock.now());
        match self.find(&id, now, true, false).await? {
            Found::Plain(view, counted) => {
                if !counted {
                    self.visits.record(&id).await;
                }
                Ok(*view)
            }
            Found::Burn(_) => self.burn(&id, now).await,
        }
    }

    /// Reads a paste for its HTML page without burning it.
    #[tracing::instrument(skip(self))]
    pub(crate) async fn read_page(&self, id: &str) -> Result<PageRead, AppError> {
        let (id, now) = (parse_id(id)?, self.clock.now());
        match self.find(&id, now, true, true).await? {
            Found::Plain(view, counted) => {
                if !counted {
                    self.visits.record(&id).await;
                }
                Ok(PageRead::Shown(view))
            }
            Found::Burn(_) => Ok(PageRead::NeedsClick),
        }
    }

    /// Reads a paste without it being a visit: nothing counted, nothing burned.
    pub(crate) async fn read_quietly(&self, id: &str) -> Result<PasteView, AppError> {
        let (id, now) = (parse_id(id)?, self.clock.now());
        Ok(match self.find(&id, now, false, false).await? {
            Found::Plain(view, _) => *view,
            Found::Burn(paste) => PasteView::assemble(&paste),
        })
    }

    async fn burn(&self, id: &PasteId, now: OffsetDateTime) -> Result<PasteView, AppError> {
        let paste = self
            .store
            .take_paste(id, now)
            .await?
            .ok_or(AppError::NotFound)?;
        tracing::info!(paste = %id, "burned after reading");
        Ok(PasteView::assemble(&paste))
    }

    /// The `assemble` job: caches the view of a paste ahead of its first read
    /// (nothing if it is gone or burns on read); true when it was cached.
    pub(crate) async fn warm(&self, id: &PasteId) -> Result<bool, AppError> {
        match self.store.find_paste(id, self.clock.now()).await? {
            Some(paste) if !paste.fields.burn_after_read => {
                let mut view = PasteView::assemble(&paste);
                self.ensure_rendered(&mut view).await;
                Ok(self.views.warm(&view).await)
            }
            _ => Ok(false),
        }
    }
}
