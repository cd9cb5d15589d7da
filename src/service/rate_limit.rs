//! Creations per client address per minute, counted in the cache: in Redis
//! the limit holds across the whole fleet.

use std::sync::Arc;
use std::time::Duration;

use crate::cache::keys::RATE_WINDOW as WINDOW;
use crate::cache::{Cache, keys};
use crate::clock::Clock;
use crate::error::AppError;

/// Where a client stands after a creation was counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RateStatus {
    /// Creations allowed per window.
    pub(crate) limit: u32,
    /// Creations left in this window.
    pub(crate) remaining: u32,
    /// Seconds until the window ends.
    pub(crate) reset_secs: u64,
}

/// Fixed one-minute windows aligned on the clock, so every clone agrees on
/// the window without talking to the others.
pub(crate) struct RateLimiter {
    cache: Arc<dyn Cache>,
    clock: Clock,
    per_minute: u32,
    fail_open: bool,
}

impl RateLimiter {
    /// A limiter of `per_minute` creations; `fail_open` lets creations through
    /// (and logs) when the cache cannot count.
    pub(crate) fn new(
        cache: Arc<dyn Cache>,
        clock: Clock,
        per_minute: u32,
        fail_open: bool,
    ) -> Self {
        Self {
            cache,
            clock,
            per_minute,
            fail_open,
        }
    }

    /// Counts one creation by `client`; `RateLimited` past the limit.
    pub(crate) async fn check_create(&self, client: &str) -> Result<RateStatus, AppError> {
        let now = self.clock.unix_secs();
        let window_start = now - now % WINDOW.as_secs();
        let left = Duration::from_secs(window_start + WINDOW.as_secs() - now);
        let key = keys::create_rate(client, window_start);
        match self.cache.hit(&key, left.max(Duration::from_secs(1))).await {
            Ok(count) => {
                let reset_secs = count.resets_in.as_secs_f64().ceil() as u64;
                let used = u32::try_from(count.count).unwrap_or(u32::MAX);
                if used > self.per_minute {
                    return Err(AppError::RateLimited {
                        limit: self.per_minute,
                        retry_after_secs: reset_secs.max(1),
                    });
                }
                Ok(RateStatus {
                    limit: self.per_minute,
                    remaining: self.per_minute - used,
                    reset_secs,
                })
            }
            Err(e) if self.fail_open => {
                tracing::debug!(error = %e, "rate limit not counted; letting the creation through");
                Ok(RateStatus {
                    limit: self.per_minute,
                    remaining: self.per_minute,
                    reset_secs: left.as_secs(),
                })
            }
            Err(e) => Err(AppError::Unavailable(format!(
                "rate limits cannot be counted: {e}"
            ))),
        }
    }
}
