//! Creating, reading, burning and deleting pastes.
//!
//! Reads go cache first: a hot read is one cache lookup, no store operation.
//! Burn-after-read pastes are never cached, so each of their reads reaches the
//! store's atomic take and exactly one reader, on any clone, gets them.

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::Visits;
use super::draft::{Draft, Rules};
use super::idempotency::{Claim, Idempotency, Plan};
use super::views::{Lookup, PasteView, ViewCache, ViewMeta};
use crate::domain::paste::now_millis;
use crate::domain::{DeleteToken, Expiry, NewPaste, Paste, PasteId};
use crate::error::AppError;
use crate::metrics::Metrics;
use crate::queue::{Job, JobQueue};
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
    /// A paste that may be cached and shown any number of times; `counted`
    /// when the cache lookup already counted this visit.
    Plain(Box<PasteView>, bool),
    /// A burn-after-read paste, straight from the store.
    Burn(Box<Paste>),
}

/// The paste use cases.
pub struct PasteService {
    store: Arc<dyn DocumentStore>,
    views: Arc<ViewCache>,
    idempotency: Idempotency,
    visits: Arc<Visits>,
    queue: Arc<dyn JobQueue>,
    metrics: Arc<Metrics>,
    rules: Rules,
    id_length: usize,
}

/// The backends the paste use cases combine.
pub struct Backing {
    /// The document store.
    pub store: Arc<dyn DocumentStore>,
    /// Cached views.
    pub views: Arc<ViewCache>,
    /// Idempotency records.
    pub idempotency: Idempotency,
    /// Visit counters.
    pub visits: Arc<Visits>,
    /// The job queue.
    pub queue: Arc<dyn JobQueue>,
    /// Metrics.
    pub metrics: Arc<Metrics>,
}

impl PasteService {
    /// The service over its backends.
    pub fn new(backing: Backing, rules: Rules, id_length: usize) -> Self {
        Self {
            store: backing.store,
            views: backing.views,
            idempotency: backing.idempotency,
            visits: backing.visits,
            queue: backing.queue,
            metrics: backing.metrics,
            rules,
            id_length,
        }
    }

    /// The limits drafts are checked against.
    pub fn rules(&self) -> &Rules {
        &self.rules
    }

    /// Creates a paste; with an `Idempotency-Key` from `client`, a retry gets
    /// the first answer.
    pub async fn create_once(
        &self,
        draft: Draft,
        client: &str,
        key: Option<&str>,
    ) -> Result<Created, AppError> {
        let Some(key) = key else {
            return self.create(draft, None).await;
        };
        Idempotency::check_key(key)?;
        let fingerprint = draft.fingerprint();
        let plan = Plan {
            id: PasteId::random(self.id_length).to_string(),
            token: DeleteToken::random().as_str().to_owned(),
        };
        let plan = match self
            .idempotency
            .claim(client, key, &fingerprint, &plan)
            .await?
        {
            Claim::Replay(created) => {
                return Ok(Created {
                    replayed: true,
                    ..*created
                });
            }
            Claim::Fresh => plan,
            Claim::Resume(earlier) => earlier,
        };
        match self.create(draft, Some(&plan)).await {
            Ok(created) => {
                self.idempotency
                    .complete(client, key, &fingerprint, &created)
                    .await;
                Ok(created)
            }
            Err(e) => {
                self.idempotency.abandon(client, key, &plan).await;
                Err(e)
            }
        }
    }

    /// Checks a draft and stores it, under the planned id and token when given
    /// (an idempotent creation), else under fresh random ones; another id on a
    /// collision. A planned id that is taken by the planned paste itself (an
    /// earlier attempt stored it) answers that paste.
    #[tracing::instrument(skip_all, fields(paste))]
    pub async fn create(&self, draft: Draft, plan: Option<&Plan>) -> Result<Created, AppError> {
        let request = draft.check(&self.rules)?;
        let created_at = now_millis();
        let expires_at = match request.expiry {
            Expiry::Never => None,
            Expiry::After(life) => Some(
                time::Duration::try_from(life)
                    .ok()
                    .and_then(|life| created_at.checked_add(life))
                    .ok_or_else(|| {
                        crate::domain::ValidationError::InvalidExpiry(format!(
                            "{}s",
                            life.as_secs()
                        ))
                    })?,
            ),
        };
        let planned_id = plan.and_then(|p| PasteId::parse(&p.id));
        let delete_token =
            plan.map_or_else(DeleteToken::random, |p| DeleteToken::presented(&p.token));
        let mut paste = Paste::new(NewPaste {
            id: planned_id
                .clone()
                .unwrap_or_else(|| PasteId::random(self.id_length)),
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
                    if !paste.fields.burn_after_read {
                        self.assemble_later(paste.id()).await;
                    }
                    return Ok(Created {
                        meta: PasteView::meta_of(&paste),
                        delete_token: delete_token.as_str().to_owned(),
                        replayed: false,
                    });
                }
                Err(StoreError::Conflict) => {
                    if planned_id.as_ref() == Some(paste.id())
                        && let Some(stored) = self
                            .store
                            .find_paste(paste.id(), OffsetDateTime::now_utc())
                            .await?
                        && stored.fields.delete_token_hash.verify(&delete_token)
                    {
                        return Ok(Created {
                            meta: PasteView::meta_of(&stored),
                            delete_token: delete_token.as_str().to_owned(),
                            replayed: true,
                        });
                    }
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

    /// Asks a worker to assemble and cache the new paste's view before its
    /// first read. The paste is stored either way: if the queue is down, the
    /// first read assembles it instead.
    async fn assemble_later(&self, id: &PasteId) {
        let job = Job::Assemble { id: id.to_string() };
        if let Err(e) = self.queue.enqueue(&job).await {
            tracing::warn!(paste = %id, error = %e, "assembly not queued; the first read will do it");
        }
    }

    /// Finds a paste, cache first. With `visit`, a hit on a live view counts
    /// the visit in the same cache step.
    async fn find(
        &self,
        id: &PasteId,
        now: OffsetDateTime,
        visit: bool,
    ) -> Result<Found, AppError> {
        let lookup = if visit {
            self.views.get_counting(id, &Visits::field(id)).await
        } else {
            self.views.get(id).await
        };
        match lookup {
            Lookup::Hit(view) if !view.is_expired(now) => return Ok(Found::Plain(view, visit)),
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
                Ok(Found::Plain(Box::new(view), false))
            }
        }
    }

    /// Reads a paste for raw, download and API answers. A burn-after-read paste
    /// is taken out of the store by this read: of concurrent readers exactly one
    /// gets it, the others get 404.
    #[tracing::instrument(skip(self))]
    pub async fn read(&self, id: &str) -> Result<PasteView, AppError> {
        let (id, now) = (parse_id(id)?, OffsetDateTime::now_utc());
        match self.find(&id, now, true).await? {
            Found::Plain(view, counted) => {
                if !counted {
                    self.visits.record(&id).await;
                }
                Ok(*view)
            }
            Found::Burn(_) => self.burn(&id, now).await,
        }
    }

    /// Finds a paste without reading it: no visit, no burn (HEAD requests).
    pub async fn look(&self, id: &str) -> Result<PasteView, AppError> {
        let (id, now) = (parse_id(id)?, OffsetDateTime::now_utc());
        Ok(match self.find(&id, now, false).await? {
            Found::Plain(view, _) => *view,
            Found::Burn(paste) => PasteView::assemble(&paste),
        })
    }

    /// Looks at a paste for its HTML page without burning it.
    #[tracing::instrument(skip(self))]
    pub async fn peek(&self, id: &str) -> Result<Peek, AppError> {
        let (id, now) = (parse_id(id)?, OffsetDateTime::now_utc());
        match self.find(&id, now, true).await? {
            Found::Plain(view, counted) => {
                if !counted {
                    self.visits.record(&id).await;
                }
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
    /// of this month counted and not yet folded in.
    pub async fn views(&self, view: &PasteView) -> u64 {
        view.meta.stored_views + self.pending(view).await
    }

    async fn pending(&self, view: &PasteView) -> u64 {
        match PasteId::parse(&view.meta.id) {
            Some(id) => self.visits.pending_for(&id).await,
            None => 0,
        }
    }

    /// Visits per month of a paste, oldest first, this month's unfolded ones
    /// included. Looking at statistics is not a visit and burns nothing.
    pub async fn stats(&self, id: &str) -> Result<(PasteView, Vec<(String, u64)>), AppError> {
        let view = self.look(id).await?;
        let mut monthly = view.meta.monthly.clone();
        let pending = self.pending(&view).await;
        if pending > 0 {
            *monthly
                .entry(crate::domain::paste::month_key(OffsetDateTime::now_utc()))
                .or_insert(0) += pending;
        }
        Ok((view, monthly.into_iter().collect()))
    }
}

fn parse_id(raw: &str) -> Result<PasteId, AppError> {
    PasteId::parse(raw).ok_or(AppError::NotFound)
}
