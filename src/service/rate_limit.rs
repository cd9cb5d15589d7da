//! Rate limits per client, counted in the cache (in Redis they hold across
//! the whole fleet) as token buckets: creations, and not-found answers.
//!
//! The not-found budget is what keeps unlisted ids from being scanned: a
//! client that spends it gets 429 for everything until a token is back, hits
//! included (else a 200 among the refusals would still say which ids exist).
//! Hits must not pay a round trip for that, so a refusal is also remembered
//! in this process, where every request looks it up in memory; another clone
//! learns of it at that client's next miss there.

use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use moka::sync::Cache as Moka;

use crate::cache::{Cache, Rate, Taken, keys};
use crate::clock::Clock;
use crate::error::{AppError, Limited};

/// Where a client stands after a request was counted (`RateLimit-*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RateStatus {
    /// Requests allowed at once, with a full bucket.
    pub(crate) limit: u32,
    /// Requests left that could go ahead at once.
    pub(crate) remaining: u32,
    /// Seconds until the bucket is full again.
    pub(crate) reset_secs: u64,
}

impl RateStatus {
    fn of(rate: Rate, taken: &Taken) -> Self {
        Self {
            limit: rate.burst(),
            remaining: taken.remaining,
            reset_secs: whole_secs(taken.full_in),
        }
    }
}

fn whole_secs(d: Duration) -> u64 {
    d.as_secs_f64().ceil() as u64
}

/// The limits of one process, as configured.
pub(crate) struct Limits {
    /// Creations per client per minute.
    pub(crate) create_per_minute: NonZeroU32,
    /// Not-found answers per client per minute.
    pub(crate) misses_per_minute: NonZeroU32,
    /// Let creations through when the cache cannot count them.
    pub(crate) fail_open: bool,
}

/// Most clients remembered as refused by this process: past it the oldest
/// are forgotten (they are then refused again at their next miss).
const MAX_REFUSED: u64 = 100_000;

/// Counts creations and misses; remembers refused clients in this process.
pub(crate) struct RateLimiter {
    cache: Arc<dyn Cache>,
    clock: Clock,
    create: Rate,
    misses: Rate,
    fail_open: bool,
    /// Clients whose miss budget is spent: until when they are refused, and
    /// when their bucket is full again (ms since the epoch).
    refused: Moka<String, (u64, u64)>,
}

impl RateLimiter {
    /// A limiter of `limits`, counting in `cache`.
    pub(crate) fn new(cache: Arc<dyn Cache>, clock: Clock, limits: &Limits) -> Self {
        let misses = Rate::per_minute(limits.misses_per_minute);
        Self {
            cache,
            clock,
            create: Rate::per_minute(limits.create_per_minute),
            misses,
            fail_open: limits.fail_open,
            refused: Moka::builder()
                .max_capacity(MAX_REFUSED)
                .time_to_live(Duration::from_millis(misses.capacity_ms()))
                .build(),
        }
    }

    fn now_ms(&self) -> u64 {
        u64::try_from(self.clock.now().unix_timestamp_nanos() / 1_000_000).unwrap_or(0)
    }

    /// Counts one creation by `client`; `RateLimited` past the limit.
    pub(crate) async fn check_create(&self, client: &str) -> Result<RateStatus, AppError> {
        let rate = self.create;
        match self
            .cache
            .take(&keys::create_rate(client), rate, self.now_ms())
            .await
        {
            Ok(taken) if taken.allowed => Ok(RateStatus::of(rate, &taken)),
            Ok(taken) => Err(AppError::RateLimited {
                kind: Limited::Creations,
                limit: rate.burst(),
                retry_after_secs: whole_secs(taken.retry_after).max(1),
                reset_secs: whole_secs(taken.full_in).max(1),
            }),
            Err(e) if self.fail_open => {
                tracing::debug!(error = %e, "rate limit not counted; letting the creation through");
                Ok(full(rate))
            }
            Err(e) => Err(AppError::Unavailable(format!(
                "rate limits cannot be counted: {e}"
            ))),
        }
    }

    /// Refuses a client this process saw spend its miss budget, until a token
    /// is back: a lookup in memory, no round trip.
    pub(crate) fn admit(&self, client: &str) -> Result<(), AppError> {
        let Some((until, full_at)) = self.refused.get(client) else {
            return Ok(());
        };
        let now = self.now_ms();
        if until <= now {
            self.refused.invalidate(client);
            return Ok(());
        }
        let secs = |at: u64| whole_secs(Duration::from_millis(at.saturating_sub(now))).max(1);
        Err(AppError::RateLimited {
            kind: Limited::Misses,
            limit: self.misses.burst(),
            retry_after_secs: secs(until),
            reset_secs: secs(full_at),
        })
    }

    /// Counts one not-found answer to `client`: where it stands, or
    /// `RateLimited` when its budget is spent (remembered here, so its next
    /// requests are refused without a round trip). With the cache down a
    /// miss is not counted: reads never fail for the cache.
    pub(crate) async fn count_miss(&self, client: &str) -> Result<RateStatus, AppError> {
        let rate = self.misses;
        let now = self.now_ms();
        match self.cache.take(&keys::miss_rate(client), rate, now).await {
            Ok(taken) if taken.allowed => Ok(RateStatus::of(rate, &taken)),
            Ok(taken) => {
                let until = now + taken.retry_after.as_millis() as u64;
                let full_at = now + taken.full_in.as_millis() as u64;
                self.refused.insert(client.to_owned(), (until, full_at));
                Err(AppError::RateLimited {
                    kind: Limited::Misses,
                    limit: rate.burst(),
                    retry_after_secs: whole_secs(taken.retry_after).max(1),
                    reset_secs: whole_secs(taken.full_in).max(1),
                })
            }
            Err(e) => {
                tracing::debug!(error = %e, "a miss not counted: the cache is down");
                Ok(full(rate))
            }
        }
    }
}

/// A bucket that could not be looked at: shown as full.
fn full(rate: Rate) -> RateStatus {
    RateStatus {
        limit: rate.burst(),
        remaining: rate.burst(),
        reset_secs: 0,
    }
}
