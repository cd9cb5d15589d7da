//! Creating, reading, burning and deleting pastes.
//!
//! Reads go cache first: a hot read is one cache lookup, no store operation.
//! Burn-after-read pastes are never cached, so each of their reads reaches the
//! store's atomic take and exactly one reader, on any clone, gets them.

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::VisitTally;
use super::draft::{Draft, Rules};
use super::idempotency::{Claim, Idempotency};
use super::views::{Lookup, PasteView, ViewCache, ViewMeta};
use crate::domain::paste::now_millis;
use crate::domain::{DeleteToken, Expiry, NewPaste, Paste, PasteId};
use crate::error::AppError;
use crate::metrics::Metrics;
use crate::store::{DocumentStore, StoreError};

/// Ids drawn before a creation gives up; with 62^8 ids, even one collision is rare.
const ID_ATTEMPTS: usize = 5;

/// A paste just created, with the only copy of its delete token. Serializable,
/// so an idempotent retry can be answered exactly as the first attempt was.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Created {
    /// The paste's metadata.
    pub meta: ViewMeta,
    /// The secret that deletes it; never stored in the document.
    pub delete_token: String,
    /// True when this answers a retry with the same `Idempotency-Key`.
    #[serde(skip)]
    pub replayed: bool,
}

/// What a page view found.
#[derive(Debug)]
pub enum Peek {
    /// An ordinary paste: shown, and the view counted.
    Shown(Box<PasteView>),
    /// A burn-after-read paste: its content is revealed only by a click (a POST),
    /// so link previews cannot burn it. Nothing of it is returned.
    NeedsClick,
}

/// What is behind an id, before any burning.
enum Found {
    /// A paste that may be cached and shown any number of times.
    Plain(Box<PasteView>),
    /// A burn-after-read paste, straight from the store.
    Burn(Box<Paste>),
}

/// The paste use cases.
pub struct PasteService {
    store: Arc<dyn DocumentStore>,
    views: Arc<ViewCache>,
    idempotency: Idempotency,
    visits: Arc<VisitTally>,
    metrics: Arc<Metrics>,
    rules: Rules,
    id_length: usize,
}

impl PasteService {
    /// The service over one store and one cache.
    pub fn new(
        store: Arc<dyn DocumentStore>,
        views: Arc<ViewCache>,
        idempotency: Idempotency,
        visits: Arc<VisitTally>,
        metrics: Arc<Metrics>,
        rules: Rules,
        id_length: usize,
    ) -> Self {
        Self {
            store,
            views,
            idempotency,
            visits,
            metrics,
            rules,
            id_length,
        }
    }

    /// The limits drafts are checked against.
    pub fn rules(&self) -> &Rules {
        &self.rules
    }

    /// Creates a paste; with an `Idempotency-Key`, a retry gets the first answer.
    pub async fn create_once(&self, draft: Draft, key: Option<&str>) -> Result<Created, AppError> {
        let Some(key) = key else {
            return self.create(draft).await;
        };
        Idempotency::check_key(key)?;
        let fingerprint = draft.fingerprint();
        match self.idempotency.claim(key, &fingerprint).await? {
            Claim::Replay(created) => Ok(Created {
                replayed: true,
                ..*created
            }),
            Claim::Fresh => match self.create(draft).await {
                Ok(created) => {
                    self.idempotency.complete(key, &fingerprint, &created).await;
                    Ok(created)
                }
                Err(e) => {
                    self.idempotency.abandon(key).await;
                    Err(e)
                }
            },
        }
    }

    /// Checks a draft and stores it under a fresh random id (another on collision).
    #[tracing::instrument(skip_all, fields(paste))]
    pub async fn create(&self, draft: Draft) -> Result<Created, AppError> {
        let request = draft.check(&self.rules)?;
        let created_at = now_millis();
        let expires_at = match request.expiry {
            Expiry::Never => None,
            Expiry::After(life) => Some(created_at + life),
        };
        let delete_token = DeleteToken::random();
        let mut paste = Paste::new(NewPaste {
            id: PasteId::random(self.id_length),
            content: request.content,
            title: request.title,
            language: request.language,
            visibility: request.visibility,
            burn_after_read: request.burn_after_read,
            created_at,
            expires_at,
            author: None,
            delete_token_hash: delete_token.hash(),
        });
        for _ in 0..ID_ATTEMPTS {
            match self.store.insert_paste(&paste).await {
                Ok(()) => {
                    tracing::Span::current().record("paste", paste.id().as_str());
                    self.metrics.paste_created();
                    let view = PasteView::assemble(&paste);
                    self.views.store_new(&view).await;
                    return Ok(Created {
                        meta: view.meta,
                        delete_token: delete_token.as_str().to_owned(),
                        replayed: false,
                    });
                }
                Err(StoreError::Conflict) => {
                    tracing::warn!(id = %paste.id(), "paste id collision; drawing another");
                    paste.fields.id = PasteId::random(self.id_length);
                }
                Err(e) => return Err(e.into()),
            }
        }
        Err(AppError::Internal(anyhow::anyhow!(
            "{ID_ATTEMPTS} paste ids in a row were taken; ids.length is too short"
        )))
    }

    async fn find(&self, id: &PasteId, now: OffsetDateTime) -> Result<Found, AppError> {
        match self.views.get(id).await {
            Lookup::Hit(view) if !view.is_expired(now) => return Ok(Found::Plain(view)),
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
                let view = PasteView::assemble(&paste);
                self.views.fill(&view).await;
                Ok(Found::Plain(Box::new(view)))
            }
        }
    }

    /// Reads a paste for raw, download and API answers. A burn-after-read paste
    /// is taken out of the store by this read: of concurrent readers exactly one
    /// gets it, the others get 404.
    #[tracing::instrument(skip(self))]
    pub async fn read(&self, id: &str) -> Result<PasteView, AppError> {
        let (id, now) = (parse_id(id)?, OffsetDateTime::now_utc());
        match self.find(&id, now).await? {
            Found::Plain(view) => {
                self.visits.record(&id);
                Ok(*view)
            }
            Found::Burn(_) => self.burn(&id, now).await,
        }
    }

    /// Finds a paste without reading it: no visit, no burn (HEAD requests).
    pub async fn look(&self, id: &str) -> Result<PasteView, AppError> {
        let (id, now) = (parse_id(id)?, OffsetDateTime::now_utc());
        Ok(match self.find(&id, now).await? {
            Found::Plain(view) => *view,
            Found::Burn(paste) => PasteView::assemble(&paste),
        })
    }

    /// Looks at a paste for its HTML page without burning it.
    #[tracing::instrument(skip(self))]
    pub async fn peek(&self, id: &str) -> Result<Peek, AppError> {
        let (id, now) = (parse_id(id)?, OffsetDateTime::now_utc());
        match self.find(&id, now).await? {
            Found::Plain(view) => {
                self.visits.record(&id);
                Ok(Peek::Shown(view))
            }
            Found::Burn(_) => Ok(Peek::NeedsClick),
        }
    }

    /// The click that reveals a burn-after-read paste on its page (and any
    /// other paste, which is simply shown).
    #[tracing::instrument(skip(self))]
    pub async fn reveal(&self, id: &str) -> Result<PasteView, AppError> {
        self.read(id).await
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

    /// Deletes a paste with its delete token. Every cached view is marked gone
    /// before the store changes, and if that cannot be done nothing changes
    /// (503): a view left in a cache that is down would come back with it.
    #[tracing::instrument(skip(self, token))]
    pub async fn delete(&self, id: &str, token: Option<&str>) -> Result<(), AppError> {
        let id = parse_id(id)?;
        let paste = self
            .store
            .find_paste(&id, OffsetDateTime::now_utc())
            .await?
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
        self.views
            .invalidate(&id)
            .await
            .map_err(|e| AppError::Unavailable(format!("cannot invalidate cached copies: {e}")))?;
        if !self.store.delete_paste(&id).await? {
            return Err(AppError::NotFound);
        }
        tracing::info!(paste = %id, "deleted by its token");
        Ok(())
    }

    /// Views of a paste: those stored when its view was assembled plus those
    /// counted in memory here and not yet folded in.
    pub fn views(&self, view: &PasteView) -> u64 {
        let pending = PasteId::parse(&view.meta.id).map_or(0, |id| self.visits.pending_for(&id));
        view.meta.stored_views + pending
    }
}

fn parse_id(raw: &str) -> Result<PasteId, AppError> {
    PasteId::parse(raw).ok_or(AppError::NotFound)
}
