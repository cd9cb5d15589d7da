//! Accounts: sign-up, log-in and log-out, and the sessions they open.
//!
//! Passwords are hashed with argon2id on the blocking pool (`hasher`);
//! sessions live in the cache seam only (`sessions`); log-ins and sign-ups
//! spend the rate limiter's buckets fleet-wide, and a browser that logged in
//! before keeps an allowance of its own (`devices`). An unknown user and a
//! wrong password get the same answer after the same work, and so do a taken
//! name and a free one at sign-up, so names cannot be probed by timing.

mod devices;
mod hasher;
mod sessions;
mod token_use;
mod tokens;

use std::sync::Arc;

pub(crate) use devices::DEVICE_LIFE;
use devices::{Devices, account_key};
pub(crate) use hasher::Hasher;
pub(crate) use sessions::{Session, Sessions};
pub(crate) use tokens::Tokens;

use crate::cache::Cache;
use crate::clock::Clock;
use crate::configuration::Signup;
use crate::domain::{Password, PasswordProblem, User, UserId, UserStats, Username};
use crate::error::{AccountError, AppError};
use crate::metrics::Metrics;
use crate::service::rate_limit::{Limit, RateLimiter};
use crate::store::{DocumentStore, StoreError};

/// The account use cases.
pub(crate) struct AccountService {
    store: Arc<dyn DocumentStore>,
    operator: Arc<dyn crate::store::OperatorStore>,
    hasher: Hasher,
    limiter: Arc<RateLimiter>,
    devices: Devices,
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
    /// Which accounts an operator disabled.
    pub(crate) operator: Arc<dyn crate::store::OperatorStore>,
    /// The limits log-ins and sign-ups spend.
    pub(crate) limiter: Arc<RateLimiter>,
    /// Where device cookies are remembered.
    pub(crate) cache: Arc<dyn Cache>,
    /// Counts password hashes.
    pub(crate) metrics: Arc<Metrics>,
    /// The clock.
    pub(crate) clock: Clock,
}

/// A successful log-in.
pub(crate) struct LoggedIn {
    /// Who logged in.
    pub(crate) user: User,
    /// The attempt came with a device cookie this account trusts (no new
    /// one is needed).
    pub(crate) trusted_device: bool,
}

impl AccountService {
    /// The service with these rules.
    pub(crate) fn new(parts: AccountParts, accounts: &AccountRules) -> Self {
        Self {
            store: parts.store,
            operator: parts.operator,
            hasher: Hasher::new(
                accounts.password_memory_kib,
                accounts.password_iterations,
                parts.metrics,
            ),
            limiter: parts.limiter,
            devices: Devices::new(parts.cache),
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

    /// Makes an account, after one sign-up of `client` is counted. The
    /// store's unique index decides between two sign-ups of one name at
    /// once: one gets it, the other `UsernameTaken`. The password is hashed
    /// whether or not the name is free, so a taken name costs the same work
    /// as a free one and the answer's time does not tell them apart.
    #[tracing::instrument(skip(self, password))]
    pub(crate) async fn sign_up(
        &self,
        client: &str,
        username: &str,
        password: &str,
    ) -> Result<User, AppError> {
        if !self.signup_open() {
            return Err(AccountError::SignupClosed.into());
        }
        self.limiter.take(&[(Limit::SignUps, client)]).await?;
        let username = Username::parse(username).ok_or(AccountError::InvalidUsername)?;
        let password = Password::new_one(password).map_err(|p| match p {
            PasswordProblem::TooShort => AccountError::PasswordTooShort {
                min: Password::MIN_CHARS,
            },
            PasswordProblem::TooLong => AccountError::PasswordTooLong {
                max: Password::MAX_BYTES,
            },
        })?;
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

    /// The user these credentials name, after one attempt is counted: from
    /// the allowance of the browser's `device` cookie when this account
    /// trusts it, else from `client`'s address and the account name's shared
    /// allowance (both in one round trip). Unknown name, a name no user can
    /// have, a user without a password and a wrong password are one answer,
    /// after one argon2 run each.
    #[tracing::instrument(skip(self, device, password))]
    pub(crate) async fn log_in(
        &self,
        client: &str,
        device: Option<&str>,
        username: &str,
        password: &str,
    ) -> Result<LoggedIn, AppError> {
        let account = account_key(username);
        let trusted_device = match device {
            Some(cookie) if self.devices.vouches(cookie, &account).await => Some(cookie),
            _ => None,
        };
        match trusted_device {
            Some(cookie) => self.limiter.take(&[(Limit::LogInDevice, cookie)]).await?,
            None => {
                self.limiter
                    .take(&[
                        (Limit::LogInAddress, client),
                        (Limit::LogInAccount, &account),
                    ])
                    .await?
            }
        };
        let user = match Username::parse(username) {
            Some(name) => self.store.find_user(&name).await?,
            None => None,
        };
        let password = Password::presented(password).ok_or(AccountError::BadCredentials)?;
        let stored = user.as_ref().and_then(|u| u.password_hash.clone());
        let verified = self.hasher.verify(password, stored).await?;
        match user {
            Some(user) if verified => {
                // Told only to whoever knows the password.
                if self.operator.find_disabled(&user.id).await?.is_some() {
                    tracing::info!(user = %user.username, "a log-in to a disabled account");
                    return Err(AccountError::Disabled.into());
                }
                tracing::info!(user = %user.username, "logged in");
                Ok(LoggedIn {
                    user,
                    trusted_device: trusted_device.is_some(),
                })
            }
            _ => {
                tracing::info!("a log-in failed");
                Err(AccountError::BadCredentials.into())
            }
        }
    }

    /// A device cookie for a browser that just logged in (or signed up) as
    /// `user`: its log-ins then spend an allowance of their own. `None` when
    /// the cache cannot keep one.
    pub(crate) async fn trust_device(&self, user: &User) -> Option<String> {
        self.devices
            .trust(&account_key(user.username.as_str()))
            .await
    }
}
