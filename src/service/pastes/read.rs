//! Reading pastes, one verb with three purposes:
//! - `read`: raw, download, API and the reveal click; counts a visit and burns
//!   a burn-after-read paste;
//! - `read_page`: the HTML page; counts a visit, but a burn-after-read paste
//!   only asks for the click (so link previews cannot burn it);
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

use time::OffsetDateTime;

use super::render::{Made, Purpose};
use super::{PasteService, parse_id};
use crate::domain::{AuthorSummary, Paste, PasteId, Visibility};
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
        reader: Option<&AuthorSummary>,
        page: bool,
    ) -> Result<Found, AppError> {
        // A clone that counts visits itself asks the cache for the view alone.
        let field = (visit && !self.visits.counts_locally()).then(|| self.visits.field(id));
        match self.views.get(id, field.as_deref()).await {
            // Never cached; should one be (an older clone), only its author
            // may have it.
            Lookup::Hit(view)
                if view.meta.visibility == Visibility::Private
                    && view.meta.author.as_ref() != reader.map(|r| &r.username) =>
            {
                return Err(AppError::NotFound);
            }
            Lookup::Hit(mut view) if !view.is_expired(now) => {
                if page {
                    let made = self.render_for(&mut view, Purpose::Page).await;
                    if made == Made::Rendered {
                        self.views.refresh(&view).await;
                    }
                    self.rendered(id, made).await;
                }
                return Ok(Found::Plain(view, field.is_some()));
            }
            Lookup::Hit(_) | Lookup::Gone => return Err(AppError::NotFound),
            Lookup::Miss => {}
        }
        match self.store.find_paste(id, now).await? {
            None => {
                self.views.remember_missing(id).await;
                Err(AppError::NotFound)
            }
            Some(paste) if !readable_by(&paste, reader) => Err(AppError::NotFound),
            Some(paste) if paste.fields.burn_after_read => Ok(Found::Burn(Box::new(paste))),
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
                Ok(Found::Plain(Box::new(view), false))
            }
        }
    }

    /// Reads a paste for raw, download and API answers and the reveal click.
    /// A burn-after-read paste is taken out of the store by this read: of
    /// concurrent readers exactly one gets it, the others get 404.
    #[tracing::instrument(skip(self, reader))]
    pub(crate) async fn read(
        &self,
        id: &str,
        reader: Option<&AuthorSummary>,
    ) -> Result<PasteView, AppError> {
        let (id, now) = (parse_id(id)?, self.clock.now());
        match self.find(&id, now, true, reader, false).await? {
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
    #[tracing::instrument(skip(self, reader))]
    pub(crate) async fn read_page(
        &self,
        id: &str,
        reader: Option<&AuthorSummary>,
    ) -> Result<PageRead, AppError> {
        let (id, now) = (parse_id(id)?, self.clock.now());
        match self.find(&id, now, true, reader, true).await? {
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
    pub(crate) async fn read_quietly(
        &self,
        id: &str,
        reader: Option<&AuthorSummary>,
    ) -> Result<PasteView, AppError> {
        let (id, now) = (parse_id(id)?, self.clock.now());
        Ok(match self.find(&id, now, false, reader, false).await? {
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
        self.author_changed(&paste).await;
        Ok(PasteView::assemble(&paste))
    }

    /// The `assemble` job: caches the view of a paste ahead of its first read
    /// (nothing if it is gone or burns on read); true when it was cached.
    pub(crate) async fn warm(&self, id: &PasteId) -> Result<bool, AppError> {
        match self.store.find_paste(id, self.clock.now()).await? {
            Some(paste)
                if !paste.fields.burn_after_read
                    && paste.fields.visibility != Visibility::Private =>
            {
                let mut view = PasteView::assemble(&paste);
                let made = self.render_for(&mut view, Purpose::Job).await;
                let warmed = self.views.warm(&cacheable(&view, made)).await;
                self.rendered(id, made).await;
                Ok(warmed)
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
