//! Creating, reading, burning and deleting pastes.

use std::sync::Arc;

use time::OffsetDateTime;

use super::VisitTally;
use super::draft::{Draft, Rules};
use crate::domain::paste::now_millis;
use crate::domain::{DeleteToken, Expiry, NewPaste, Paste, PasteId};
use crate::error::AppError;
use crate::metrics::Metrics;
use crate::store::{DocumentStore, StoreError};

/// Ids drawn before a creation gives up; with 62^8 ids, even one collision is rare.
const ID_ATTEMPTS: usize = 5;

/// A paste just created, with the only copy of its delete token.
#[derive(Debug)]
pub struct Created {
    /// The stored paste.
    pub paste: Paste,
    /// The secret that deletes it; never stored.
    pub delete_token: DeleteToken,
}

/// What a page view found.
#[derive(Debug)]
pub enum Peek {
    /// An ordinary paste: shown, and the view counted.
    Shown(Box<Paste>),
    /// A burn-after-read paste: its content is revealed only by a click (a POST),
    /// so link previews cannot burn it. Nothing of it is returned.
    NeedsClick,
}

/// The paste use cases.
pub struct PasteService {
    store: Arc<dyn DocumentStore>,
    visits: Arc<VisitTally>,
    metrics: Arc<Metrics>,
    rules: Rules,
    id_length: usize,
}

impl PasteService {
    /// The service over one store.
    pub fn new(
        store: Arc<dyn DocumentStore>,
        visits: Arc<VisitTally>,
        metrics: Arc<Metrics>,
        rules: Rules,
        id_length: usize,
    ) -> Self {
        Self {
            store,
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
                    return Ok(Created {
                        paste,
                        delete_token,
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

    /// Reads a paste for raw, download and API answers. A burn-after-read paste
    /// is taken out of the store by this read: of concurrent readers exactly one
    /// gets it, the others get 404.
    #[tracing::instrument(skip(self))]
    pub async fn read(&self, id: &str) -> Result<Paste, AppError> {
        let (id, now) = (parse_id(id)?, OffsetDateTime::now_utc());
        let paste = self
            .store
            .find_paste(&id, now)
            .await?
            .ok_or(AppError::NotFound)?;
        if paste.fields.burn_after_read {
            return self.burn(&id, now).await;
        }
        self.visits.record(&id);
        Ok(paste)
    }

    /// Finds a paste without reading it: no visit, no burn (HEAD requests).
    pub async fn look(&self, id: &str) -> Result<Paste, AppError> {
        let id = parse_id(id)?;
        let found = self
            .store
            .find_paste(&id, OffsetDateTime::now_utc())
            .await?;
        found.ok_or(AppError::NotFound)
    }

    /// Looks at a paste for its HTML page without burning it.
    #[tracing::instrument(skip(self))]
    pub async fn peek(&self, id: &str) -> Result<Peek, AppError> {
        let (id, now) = (parse_id(id)?, OffsetDateTime::now_utc());
        let paste = self
            .store
            .find_paste(&id, now)
            .await?
            .ok_or(AppError::NotFound)?;
        if paste.fields.burn_after_read {
            return Ok(Peek::NeedsClick);
        }
        self.visits.record(&id);
        Ok(Peek::Shown(Box::new(paste)))
    }

    /// The click that reveals a burn-after-read paste on its page (and any
    /// other paste, which is simply shown).
    #[tracing::instrument(skip(self))]
    pub async fn reveal(&self, id: &str) -> Result<Paste, AppError> {
        self.read(id).await
    }

    async fn burn(&self, id: &PasteId, now: OffsetDateTime) -> Result<Paste, AppError> {
        let paste = self
            .store
            .take_paste(id, now)
            .await?
            .ok_or(AppError::NotFound)?;
        tracing::info!(paste = %id, "burned after reading");
        Ok(paste)
    }

    /// Deletes a paste with its delete token.
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
        if !self.store.delete_paste(&id).await? {
            return Err(AppError::NotFound);
        }
        tracing::info!(paste = %id, "deleted by its token");
        Ok(())
    }

    /// Views of a paste: those stored plus those still counted in memory here.
    pub fn views(&self, paste: &Paste) -> u64 {
        paste.stats.total_views + self.visits.pending_for(paste.id())
    }
}

fn parse_id(raw: &str) -> Result<PasteId, AppError> {
    PasteId::parse(raw).ok_or(AppError::NotFound)
}
