//! Creating a paste, once per `Idempotency-Key`.

use super::{Created, PasteService};
use crate::domain::paste_lock::LOCKED_CONTENT;
use crate::domain::{Content, DeleteToken, Expiry, NewPaste, Paste, PasteId, ValidationError};
use crate::error::AppError;
use crate::queue::Job;
use crate::service::draft::Draft;
use crate::service::idempotency::{Claim, Plan};
use crate::service::rate_limit::{Limit, RateStatus};
use crate::service::views::PasteView;
use crate::store::StoreError;

/// Ids drawn before a creation gives up; with 62^8 ids, even one collision is rare.
const ID_ATTEMPTS: usize = 5;

impl PasteService {
    /// Creates a paste from `client`; with an `Idempotency-Key`, a retry gets
    /// the first answer. The creation spends the client's token only once
    /// the draft is valid and is no replay (a refused draft, a replay or a
    /// body that never came whole spends nothing); its `RateStatus` comes
    /// back with it (none for a replay).
    pub(crate) async fn create_once(
        &self,
        draft: Draft,
        client: &str,
        key: Option<&str>,
    ) -> Result<(Created, Option<RateStatus>), AppError> {
        let Some(key) = key else {
            let (created, rate) = self.create(draft, client, None).await?;
            return Ok((created, Some(rate)));
        };
        let fingerprint = draft.fingerprint();
        let plan = Plan {
            id: PasteId::random(self.id_length),
            token: DeleteToken::random().as_str().to_owned(),
        };
        let plan = match self
            .idempotency
            .claim(client, key, &fingerprint, &plan)
            .await?
        {
            Claim::Replay(created) => {
                let replayed = Created {
                    replayed: true,
                    ..*created
                };
                return Ok((replayed, None));
            }
            Claim::Fresh => plan,
            Claim::Resume(earlier) => earlier,
        };
        match self.create(draft, client, Some(&plan)).await {
            Ok((created, rate)) => {
                self.idempotency
                    .complete(client, key, &fingerprint, &created)
                    .await;
                Ok((created, Some(rate)))
            }
            Err(e) => {
                self.idempotency.abandon(client, key, &plan).await;
                Err(e)
            }
        }
    }

    /// Checks a draft, spends `client`'s creation token, and stores it,
    /// under the planned id and token when given (an idempotent creation),
    /// else under fresh random ones; another id on a collision. A planned id
    /// that is taken by the planned paste itself (an earlier attempt stored
    /// it) answers that paste.
    #[tracing::instrument(skip_all, fields(paste))]
    async fn create(
        &self,
        draft: Draft,
        client: &str,
        plan: Option<&Plan>,
    ) -> Result<(Created, RateStatus), AppError> {
        let delete_token =
            plan.map_or_else(DeleteToken::random, |p| DeleteToken::presented(&p.token));
        let mut paste = self.checked(draft, plan, &delete_token).await?;
        paste.client = Some(self.addresses.tag(client));
        let rate = self.limiter.take(&[(Limit::Creations, client)]).await?;
        for _ in 0..ID_ATTEMPTS {
            match self.store.insert_paste(&paste).await {
                Ok(()) => {
                    tracing::Span::current().record("paste", paste.id().as_str());
                    self.metrics.paste_created();
                    self.author_changed(&paste).await;
                    // Nothing to assemble ahead for an envelope (never
                    // rendered, its first read copies it as it is), nor for a
                    // paste no cache may hold.
                    if paste.view_limit().is_none()
                        && paste.fields.lock.is_none()
                        && !paste.fields.end_to_end
                    {
                        self.assemble_later(paste.id()).await;
                    }
                    return Ok((created(&paste, &delete_token, false), rate));
                }
                Err(StoreError::Conflict) => {
                    if plan.is_some_and(|p| &p.id == paste.id())
                        && let Some(stored) =
                            self.store.find_paste(paste.id(), self.clock.now()).await?
                        && stored.fields.delete_token_hash.verify(&delete_token)
                    {
                        return Ok((created(&stored, &delete_token, true), rate));
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

    /// The paste a draft makes, every field checked, dated now; with a
    /// password, its title and content sealed (the plaintext's hash is not
    /// kept either: it would let a guess be checked without the key).
    async fn checked(
        &self,
        draft: Draft,
        plan: Option<&Plan>,
        token: &DeleteToken,
    ) -> Result<Paste, AppError> {
        let request = draft.check(&self.rules)?;
        let created_at = self.clock.now_millis();
        let expires_at = match request.expiry {
            Expiry::Never => None,
            Expiry::After(life) => Some(
                time::Duration::try_from(life)
                    .ok()
                    .and_then(|life| created_at.checked_add(life))
                    .ok_or_else(|| {
                        ValidationError::InvalidExpiry(format!("{}s", life.as_secs()))
                    })?,
            ),
        };
        let forked_from = request.forked_from;
        let (title, content, lock) = match request.password {
            None => (request.title, request.content, None),
            Some(password) => {
                let lock = self
                    .locks
                    .seal(password, request.title, request.content)
                    .await?;
                let placeholder = Content::trusted(LOCKED_CONTENT.to_owned());
                (None, placeholder, Some(lock))
            }
        };
        let mut paste = Paste::new(NewPaste {
            id: plan.map_or_else(|| PasteId::random(self.id_length), |p| p.id.clone()),
            content,
            title,
            language: request.language,
            visibility: request.visibility,
            burn_after_read: request.burn_after_read,
            max_views: request.max_views,
            lock,
            created_at,
            expires_at,
            author: request.author,
            delete_token_hash: token.hash(),
            end_to_end: request.end_to_end,
            files: request.files,
        });
        paste.forked_from = forked_from;
        Ok(paste)
    }

    /// Asks a worker to assemble and cache the new paste's view before its
    /// first read. The paste is stored either way: if the queue is down, or
    /// holds `render.max_queued` jobs already (the job is shed, and counted),
    /// the first read assembles it instead.
    pub(super) async fn assemble_later(&self, id: &PasteId) {
        if !self.renders.ahead.admit(self.queue.as_ref()).await {
            self.metrics.render_ahead_shed();
            return;
        }
        let job = Job::Assemble { id: id.clone() };
        if let Err(e) = self.queue.enqueue(&job).await {
            tracing::warn!(paste = %id, error = %e, "assembly not queued; the first read will do it");
        }
    }
}

fn created(paste: &Paste, token: &DeleteToken, replayed: bool) -> Created {
    Created {
        meta: PasteView::meta_of(paste),
        delete_token: token.as_str().to_owned(),
        replayed,
    }
}
