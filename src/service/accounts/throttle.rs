//! Log-in attempts, throttled per account and per client address in the
//! cache's token buckets (fleet-wide with Redis), before any password is
//! checked: guessing is slowed wherever the guesses land.
//!
//! Every attempt spends a token, successful ones too: the cache has no
//! "peek", and a person logs in rarely, so in practice it is failures that
//! empty a bucket. The account's bucket is keyed by the name as typed
//! (lowercased), so unknown names are throttled exactly like known ones.

use std::num::NonZeroU32;
use std::sync::Arc;

use crate::cache::{Cache, Rate, Taken, keys};
use crate::clock::Clock;
use crate::error::{AppError, Limited};

/// The two buckets every log-in attempt spends from.
pub(crate) struct LoginThrottle {
    cache: Arc<dyn Cache>,
    clock: Clock,
    rate: Rate,
}

impl LoginThrottle {
    /// `per_minute` attempts per account and per address.
    pub(crate) fn new(cache: Arc<dyn Cache>, clock: Clock, per_minute: NonZeroU32) -> Self {
        Self {
            cache,
            clock,
            rate: Rate::per_minute(per_minute),
        }
    }

    /// Spends one attempt of `client` on `username`; `RateLimited` when
    /// either bucket is empty. A cache that cannot count lets the attempt
    /// through: argon2 still makes each guess cost tens of milliseconds.
    pub(crate) async fn attempt(&self, client: &str, username: &str) -> Result<(), AppError> {
        let now = u64::try_from(self.clock.now().unix_timestamp_nanos() / 1_000_000).unwrap_or(0);
        let name = username.trim().to_ascii_lowercase();
        for key in [
            keys::login_rate_client(client),
            keys::login_rate_account(&name),
        ] {
            match self.cache.take(&key, self.rate, now).await {
                Ok(taken) if taken.allowed => {}
                Ok(taken) => return Err(self.refusal(&taken)),
                Err(e) => tracing::debug!(error = %e, "a log-in attempt not counted"),
            }
        }
        Ok(())
    }

    fn refusal(&self, taken: &Taken) -> AppError {
        let secs = |d: std::time::Duration| (d.as_secs_f64().ceil() as u64).max(1);
        AppError::RateLimited {
            kind: Limited::LogIns,
            limit: self.rate.burst(),
            retry_after_secs: secs(taken.retry_after),
            reset_secs: secs(taken.full_in),
        }
    }
}
