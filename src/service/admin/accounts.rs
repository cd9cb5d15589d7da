//! Disabling and enabling accounts (`admin user disable|enable`).
//!
//! A disabled account cannot log in (`AccountService::log_in` asks the
//! store's record), its API tokens are deleted from the store (every clone
//! reads tokens there, so they end at once), and its sessions end at their
//! next request on any clone: a mark in the cache (`keys::account_disabled`)
//! that every session lookup checks, kept as long as a session may live.
//! With `remove_pastes`, each of its pastes is taken down as well.

use bytes::Bytes;

use super::{Acting, AdminService};
use crate::cache::{Cache, keys};
use crate::domain::{DisabledAccount, PageRequest, User, UserId, Username};
use crate::error::AppError;

/// Pastes of a user read per page while taking them down.
const PAGE: usize = 100;

/// What `disable` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Disabled {
    /// API tokens deleted.
    pub(crate) tokens: usize,
    /// Pastes taken down.
    pub(crate) pastes: usize,
}

/// True when `user`'s sessions are refused: an operator disabled the account.
/// A cache that cannot answer refuses nothing (the session itself was read
/// from that cache a moment ago).
pub(crate) async fn refuses_sessions_of(cache: &dyn Cache, user: &UserId) -> bool {
    matches!(cache.get(&keys::account_disabled(user)).await, Ok(Some(_)))
}

impl AdminService {
    async fn user(&self, name: &Username) -> Result<User, AppError> {
        self.parts
            .store
            .find_user(name)
            .await?
            .ok_or(AppError::NoSuchUser)
    }

    /// Disables `name`'s account: its sessions and tokens end on every clone
    /// before this returns; with `remove_pastes`, its pastes are taken down.
    pub(crate) async fn disable(
        &self,
        name: &Username,
        remove_pastes: bool,
        acting: &Acting,
    ) -> Result<Disabled, AppError> {
        let user = self.user(name).await?;
        // The mark first: a cache that cannot keep it changes nothing. It is
        // written as a tombstone is, so behind Sentinel it waits for a
        // replica (a failover right after this returns keeps it); an error
        // may leave it written, which only disables what a rerun would.
        self.parts
            .cache
            .set_tombstone(
                &keys::account_disabled(&user.id),
                Bytes::from_static(b"1"),
                self.parts.session_max,
            )
            .await
            .map_err(|e| AppError::Unavailable(format!("cannot end the sessions: {e}")))?;
        let record = DisabledAccount {
            user: user.id.clone(),
            username: user.username.clone(),
            operator: acting.operator.clone(),
            at: self.parts.clock.now_millis(),
        };
        self.parts
            .operator
            .set_disabled(&user.id, Some(&record))
            .await?;
        let mut done = Disabled {
            tokens: 0,
            pastes: 0,
        };
        for token in self.parts.store.user_tokens(&user.id).await? {
            if self.parts.store.delete_token(&user.id, &token.id).await? {
                done.tokens += 1;
            }
        }
        if remove_pastes {
            done.pastes = self.remove_all_of(&user, acting).await?;
            tokio::time::sleep(self.parts.fleet_lag).await;
        }
        let action = match remove_pastes {
            true => "user_disable_remove_pastes",
            false => "user_disable",
        };
        self.audit(acting, action, name.as_str()).await?;
        Ok(done)
    }

    /// Takes down every paste of `user`; how many.
    async fn remove_all_of(&self, user: &User, acting: &Acting) -> Result<usize, AppError> {
        let mut removed = 0;
        loop {
            // Each page starts over: the pastes of the last one are gone.
            let page = PageRequest {
                after: None,
                limit: PAGE,
                public_only: false,
            };
            let pastes = self
                .parts
                .store
                .author_pastes(&user.id, &page, self.parts.clock.now())
                .await?;
            if pastes.is_empty() {
                return Ok(removed);
            }
            for paste in pastes {
                self.take_down(&paste.id, acting).await?;
                removed += 1;
            }
        }
    }

    /// Enables `name`'s account again: it may log in (its old sessions and
    /// tokens stay ended; pastes taken down stay down).
    pub(crate) async fn enable(&self, name: &Username, acting: &Acting) -> Result<(), AppError> {
        let user = self.user(name).await?;
        self.parts.operator.set_disabled(&user.id, None).await?;
        self.parts
            .cache
            .delete(&keys::account_disabled(&user.id))
            .await
            .map_err(|e| AppError::Unavailable(format!("cannot lift the sessions' mark: {e}")))?;
        self.audit(acting, "user_enable", name.as_str()).await
    }
}
