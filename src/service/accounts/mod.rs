//! Accounts: sign-up, log-in and log-out, and the sessions they open.
//!
//! Passwords are hashed with argon2id on the blocking pool (`hasher`);
//! sessions live in the cache seam only (`sessions`); failed guesses are
//! slowed fleet-wide (`throttle`). An unknown user and a wrong password get
//! the same answer after the same work, so names cannot be probed.

mod hasher;
mod sessions;
mod throttle;
mod tokens;

use std::sync::Arc;

pub(crate) use hasher::Hasher;
pub(crate) use sessions::{Session, Sessions};
pub(crate) use throttle::LoginThrottle;
pub(crate) use tokens::Tokens;

use crate::clock::Clock;
use crate::configuration::Signup;
use crate::domain::{Password, PasswordProblem, User, UserId, UserStats, Username};
use crate::error::{AccountError, AppError};
use crate::store::{DocumentStore, StoreError};

/// The account use cases.
pub(crate) struct AccountService {
    store: Arc<dyn DocumentStore>,
    hasher: Hasher,
    throttle: LoginThrottle,
    clock: Clock,
    signup: Signup,
    require_login_to_create: bool,
}

/// The account rules, made by `startup` from `accounts.*`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct AccountRules {
    /// Argon2id memory, KiB.
    pub(crate) password_memory_kib: u32,
    /// Argon2id passes.
    pub(crate) password_iterations: u32,
    /// Whether sign-up is open.
    pub(crate) signup: Signup,
    /// Only signed-in users may create pastes.
    pub(crate) require_login_to_create: bool,
}

/// What the account service is built from.
pub(crate) struct AccountParts {
    /// Where users are kept.
    pub(crate) store: Arc<dyn DocumentStore>,
    /// The log-in throttle.
    pub(crate) throttle: LoginThrottle,
    /// The clock.
    pub(crate) clock: Clock,
}

impl AccountService {
    /// The service with these rules.
    pub(crate) fn new(parts: AccountParts, accounts: &AccountRules) -> Self {
        Self {
            store: parts.store,
            hasher: Hasher::new(accounts.password_memory_kib, accounts.password_iterations),
            throttle: parts.throttle,
            clock: parts.clock,
            signup: accounts.signup,
            require_login_to_create: accounts.require_login_to_create,
        }
    }

    /// True when sign-up is open.
    pub(crate) fn signup_open(&self) -> bool {
        self.signup == Signup::Open
    }

    /// True when only signed-in users may create pastes.
    pub(crate) fn login_required_to_create(&self) -> bool {
        self.require_login_to_create
    }

    /// Makes an account. The store's unique index decides between two
    /// sign-ups of one name at once: one gets it, the other `UsernameTaken`.
    #[tracing::instrument(skip(self, password))]
    pub(crate) async fn sign_up(&self, username: &str, password: &str) -> Result<User, AppError> {
        if !self.signup_open() {
            return Err(AccountError::SignupClosed.into());
        }
        let username = Username::parse(username).ok_or(AccountError::InvalidUsername)?;
        let password = Password::new_one(password).map_err(|p| match p {
            PasswordProblem::TooShort => AccountError::PasswordTooShort {
                min: Password::MIN_CHARS,
            },
            PasswordProblem::TooLong => AccountError::PasswordTooLong {
                max: Password::MAX_BYTES,
            },
        })?;
        // A name that is visibly taken is refused before paying for a hash.
        if self.store.find_user(&username).await?.is_some() {
            return Err(AccountError::UsernameTaken.into());
        }
        let user = User {
            id: UserId::random(),
            username,
            created_at: self.clock.now_millis(),
            stats: UserStats::default(),
            password_hash: Some(self.hasher.hash(password).await?),
        };
        match self.store.insert_user(&user).await {
            Ok(()) => {
                tracing::info!(user = %user.username, "signed up");
                Ok(user)
            }
            Err(StoreError::Conflict) => Err(AccountError::UsernameTaken.into()),
            Err(e) => Err(e.into()),
        }
    }

    /// The user these credentials name, after one attempt is counted for
    /// `client` and the name. Unknown name, a name no user can have, a user
    /// without a password and a wrong password are one answer, after one
    /// argon2 run each.
    #[tracing::instrument(skip(self, password))]
    pub(crate) async fn log_in(
        &self,
        client: &str,
        username: &str,
        password: &str,
    ) -> Result<User, AppError> {
        self.throttle.attempt(client, username).await?;
        let user = match Username::parse(username) {
            Some(name) => self.store.find_user(&name).await?,
            None => None,
        };
        let password = Password::presented(password).ok_or(AccountError::BadCredentials)?;
        let stored = user.as_ref().and_then(|u| u.password_hash.clone());
        let verified = self.hasher.verify(password, stored).await?;
        match user {
            Some(user) if verified => {
                tracing::info!(user = %user.username, "logged in");
                Ok(user)
            }
            _ => {
                tracing::info!("a log-in failed");
                Err(AccountError::BadCredentials.into())
            }
        }
    }
}
