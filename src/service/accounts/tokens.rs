//! API tokens: made (from the settings page, or by exchanging a username and
//! password), listed, revoked, and checked on every API request that carries
//! one as `Authorization: Bearer`.
//!
//! The store keeps the SHA-256 of each secret, never the secret: a leaked
//! database holds no usable token. A secret names its token's id, so
//! checking one is one indexed read and a constant-time comparison.

use std::sync::Arc;

use time::OffsetDateTime;

use super::token_use::TokenUse;
use crate::cache::Cache;
use crate::clock::Clock;
use crate::domain::{ApiToken, AuthorSummary, TokenId, TokenName, TokenSecret, UserId};
use crate::error::{AccountError, AppError};
use crate::store::{DocumentStore, StoreError};

/// Most tokens one user may hold: a bound on what a settings page lists.
pub(crate) const MAX_PER_USER: usize = 50;

/// The token use cases.
pub(crate) struct Tokens {
    store: Arc<dyn DocumentStore>,
    clock: Clock,
    uses: TokenUse,
    /// Where an operator's disabled-account marks are read.
    cache: Arc<dyn Cache>,
}

impl Tokens {
    /// Tokens kept in `store`, their last uses (and the operator's
    /// disabled-account marks) in `cache`.
    pub(crate) fn new(store: Arc<dyn DocumentStore>, cache: Arc<dyn Cache>, clock: Clock) -> Self {
        Self {
            store,
            clock,
            uses: TokenUse::new(cache.clone()),
            cache,
        }
    }

    /// A new token for `user`, named `name`: the secret (to show once) and
    /// what is stored.
    #[tracing::instrument(skip(self, user), fields(user = %user.username))]
    pub(crate) async fn issue(
        &self,
        user: &AuthorSummary,
        name: &str,
    ) -> Result<(TokenSecret, ApiToken), AppError> {
        let name = TokenName::parse(name).ok_or(AccountError::InvalidTokenName)?;
        if self.store.user_tokens(&user.id).await?.len() >= MAX_PER_USER {
            return Err(AccountError::TooManyTokens { max: MAX_PER_USER }.into());
        }
        let secret = TokenSecret::random();
        let token = ApiToken {
            id: secret.id().clone(),
            user: user.clone(),
            name,
            hash: secret.hash(),
            created_at: self.clock.now_millis(),
        };
        match self.store.insert_token(&token).await {
            Ok(()) => {
                tracing::info!(token = %token.id, "API token made");
                Ok((secret, token))
            }
            // 62^12 ids: a collision is a broken random source, not bad luck.
            Err(StoreError::Conflict) => Err(AppError::Internal(anyhow::anyhow!(
                "an API token id was drawn twice"
            ))),
            Err(e) => Err(e.into()),
        }
    }

    /// The user a bearer token stands for; `InvalidToken` for anything that
    /// is not a live token (malformed, unknown, revoked, wrong secret).
    pub(crate) async fn authenticate(&self, bearer: &str) -> Result<AuthorSummary, AppError> {
        let secret = TokenSecret::parse(bearer).ok_or(AccountError::InvalidToken)?;
        match self.store.find_token(secret.id()).await? {
            Some(token) if token.hash.matches_secret(secret.as_str()) => {
                // Disabling deletes the account's tokens; one exchanged in
                // the same instant could outlive that pass, not the mark.
                if crate::service::admin::refuses_sessions_of(self.cache.as_ref(), &token.user.id)
                    .await
                {
                    return Err(AccountError::InvalidToken.into());
                }
                self.uses.note(&token.id, self.clock.now()).await;
                Ok(token.user)
            }
            _ => Err(AccountError::InvalidToken.into()),
        }
    }

    /// `user`'s tokens, oldest first, each with its last use if that is
    /// remembered (`token_use`).
    pub(crate) async fn list(
        &self,
        user: &UserId,
    ) -> Result<Vec<(ApiToken, Option<OffsetDateTime>)>, AppError> {
        let tokens = self.store.user_tokens(user).await?;
        let mut listed = Vec::with_capacity(tokens.len());
        for token in tokens {
            let last = self.uses.last(&token.id).await;
            listed.push((token, last));
        }
        Ok(listed)
    }

    /// Revokes one of `user`'s tokens at once (every clone reads the store);
    /// another user's token, or none, is `NotFound`.
    pub(crate) async fn revoke(&self, user: &UserId, id: &str) -> Result<(), AppError> {
        let id = TokenId::parse(id).ok_or(AppError::NotFound)?;
        if self.store.delete_token(user, &id).await? {
            tracing::info!(token = %id, "API token revoked");
            Ok(())
        } else {
            Err(AppError::NotFound)
        }
    }
}
