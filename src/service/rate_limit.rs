//! Every rate limit of the service, in one place: token buckets kept in the
//! cache (in Redis they hold across the whole fleet), one per [`Limit`] and
//! client, with one clock and one conversion of a bucket's answer into
//! `RateLimit-*` and 429s. The bucket arithmetic itself is `cache::bucket`.
//!
//! A request may spend from several buckets in one step (a log-in spends
//! from its address's and its account's): one round trip, and a refusal by
//! one spends nothing from the others.
//!
//! The not-found budget is what keeps unlisted ids from being scanned: a
//! client that spends it gets 429 for everything until a token is back, hits
//! included (else a 200 among the refusals would still say which ids exist).
//! Hits must not pay a round trip for that, so a refusal is also remembered
//! in this process, where every request looks it up in memory; another clone
//! learns of it at that client's next miss there.

use std::num::NonZeroU32;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use moka::sync::Cache as Moka;

use crate::cache::{Bucket, Cache, Rate, Spend, Taken, keys};
use crate::clock::Clock;
use crate::error::{AppError, Limited};

/// What a bucket counts. Each is kept per subject: a client (its address,
/// or IPv6 network), an account name, or a device cookie.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Limit {
    /// Pastes created by a client (`limits.create_per_minute`).
    Creations,
    /// Not-found answers to a client (`limits.misses_per_minute`).
    Misses,
    /// Edits of pastes by a client (`limits.edit_per_minute`).
    Edits,
    /// Log-in attempts on an account by name, from browsers it has not
    /// trusted (`accounts.login_attempts_per_minute`).
    LogInAccount,
    /// Log-in attempts from a client address, on any account.
    LogInAddress,
    /// Log-in attempts from one browser the account trusts (its device
    /// cookie): its own allowance, apart from the account's.
    LogInDevice,
    /// Sign-ups from a client address (`accounts.signups_per_minute`).
    SignUps,
    /// Password guesses on one password-protected paste, from anyone
    /// (`limits.paste_unlocks_per_minute`).
    UnlockPaste,
    /// Password guesses from a client, on any paste.
    UnlockClient,
    /// Reports of pastes sent by a client (`limits.reports_per_hour`).
    Reports,
}

impl Limit {
    /// The cache key of `subject`'s bucket.
    fn key(self, subject: &str) -> String {
        match self {
            Self::Creations => keys::create_rate(subject),
            Self::Misses => keys::miss_rate(subject),
            Self::Edits => keys::edit_rate(subject),
            Self::LogInAccount => keys::login_rate_account(subject),
            Self::LogInAddress => keys::login_rate_client(subject),
            Self::LogInDevice => keys::login_rate_device(subject),
            Self::SignUps => keys::signup_rate(subject),
            Self::UnlockPaste => keys::unlock_rate_paste(subject),
            Self::UnlockClient => keys::unlock_rate_client(subject),
            Self::Reports => keys::report_rate(subject),
        }
    }

    /// How a refusal names it to the client.
    fn kind(self) -> Limited {
        match self {
            Self::Creations => Limited::Creations,
            Self::Misses => Limited::Misses,
            Self::Edits => Limited::Edits,
            Self::LogInAccount | Self::LogInAddress | Self::LogInDevice => Limited::LogIns,
            Self::SignUps => Limited::SignUps,
            Self::UnlockPaste | Self::UnlockClient => Limited::Unlocks,
            Self::Reports => Limited::Reports,
        }
    }
}

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

    /// A bucket that could not be looked at: shown as full.
    fn full(rate: Rate) -> Self {
        Self {
            limit: rate.burst(),
            remaining: rate.burst(),
            reset_secs: 0,
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
    /// Edits per client per minute.
    pub(crate) edit_per_minute: NonZeroU32,
    /// Log-in attempts per account, per address and per trusted browser.
    pub(crate) login_attempts_per_minute: NonZeroU32,
    /// Sign-ups per address per minute.
    pub(crate) signups_per_minute: NonZeroU32,
    /// Password guesses per protected paste, and per client.
    pub(crate) paste_unlocks_per_minute: NonZeroU32,
    /// Reports per client per hour.
    pub(crate) reports_per_hour: NonZeroU32,
    /// Let creations through when the cache cannot count them.
    pub(crate) fail_open: bool,
}

/// Most clients remembered as refused by this process: past it the oldest
/// are forgotten (they are then refused again at their next miss).
const MAX_REFUSED: u64 = 100_000;

/// Counts every limit; remembers clients refused for misses in this process.
pub(crate) struct RateLimiter {
    cache: Arc<dyn Cache>,
    clock: Clock,
    create: Rate,
    misses: Rate,
    edits: Rate,
    login: Rate,
    signups: Rate,
    unlocks: Rate,
    reports: Rate,
    fail_open: bool,
    /// Clients whose miss budget is spent: until when they are refused, and
    /// when their bucket is full again (ms since the epoch).
    refused: Moka<String, (u64, u64)>,
    /// The latest `until` of every refusal remembered (ms since the
    /// epoch): past it no client is refused, and `admit` looks nothing up.
    refused_until: AtomicU64,
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
            edits: Rate::per_minute(limits.edit_per_minute),
            login: Rate::per_minute(limits.login_attempts_per_minute),
            signups: Rate::per_minute(limits.signups_per_minute),
            unlocks: Rate::per_minute(limits.paste_unlocks_per_minute),
            reports: Rate::new(limits.reports_per_hour, Duration::from_secs(3600)),
            fail_open: limits.fail_open,
            refused: Moka::builder()
                .max_capacity(MAX_REFUSED)
                .time_to_live(Duration::from_millis(misses.capacity_ms()))
                .build(),
            refused_until: AtomicU64::new(0),
        }
    }

    fn rate(&self, limit: Limit) -> Rate {
        match limit {
            Limit::Creations => self.create,
            Limit::Misses => self.misses,
            Limit::Edits => self.edits,
            Limit::LogInAccount | Limit::LogInAddress | Limit::LogInDevice => self.login,
            Limit::SignUps => self.signups,
            Limit::UnlockPaste | Limit::UnlockClient => self.unlocks,
            Limit::Reports => self.reports,
        }
    }

    /// Whether a request goes ahead when the cache cannot count it: only
    /// creations may be configured to fail closed. Reads never fail for the
    /// cache, and log-ins and sign-ups are still bounded by the hash lanes.
    /// Password guesses on pastes always fail closed: no password-protected
    /// paste may be guessed at uncounted.
    fn open_without_cache(&self, limit: Limit) -> bool {
        match limit {
            Limit::Creations => self.fail_open,
            Limit::UnlockPaste | Limit::UnlockClient => false,
            _ => true,
        }
    }

    fn now_ms(&self) -> u64 {
        u64::try_from(self.clock.now().unix_timestamp_nanos() / 1_000_000).unwrap_or(0)
    }

    /// Spends one token from each of `buckets` (a limit and its subject) in
    /// one round trip, or none when any is empty: where the first bucket
    /// stands, or `RateLimited` by the first that refused.
    pub(crate) async fn take(&self, buckets: &[(Limit, &str)]) -> Result<RateStatus, AppError> {
        self.count(buckets, Spend::Take, self.now_ms()).await
    }

    /// `RateLimited` when one of `buckets` has no token now; spends nothing.
    /// For a request checked before its body arrives, which [`take`]s only
    /// once the body is whole and valid.
    ///
    /// [`take`]: Self::take
    pub(crate) async fn look(&self, buckets: &[(Limit, &str)]) -> Result<RateStatus, AppError> {
        self.count(buckets, Spend::Look, self.now_ms()).await
    }

    async fn count(
        &self,
        buckets: &[(Limit, &str)],
        spend: Spend,
        now: u64,
    ) -> Result<RateStatus, AppError> {
        let Some(&(first, _)) = buckets.first() else {
            return Err(AppError::Internal(anyhow::anyhow!(
                "a rate limit of no bucket"
            )));
        };
        let keys: Vec<String> = buckets.iter().map(|(l, s)| l.key(s)).collect();
        let set: Vec<Bucket<'_>> = buckets
            .iter()
            .zip(&keys)
            .map(|((limit, _), key)| Bucket {
                key,
                rate: self.rate(*limit),
            })
            .collect();
        match self.cache.take(&set, now, spend).await {
            Ok(answers) => {
                if let Some(((limit, subject), taken)) =
                    buckets.iter().zip(&answers).find(|(_, t)| !t.allowed)
                {
                    if *limit == Limit::Misses {
                        self.remember_refused(subject, taken, now);
                    }
                    return Err(self.refusal(*limit, taken));
                }
                let taken = answers.first().ok_or_else(|| {
                    AppError::Internal(anyhow::anyhow!("the cache answered for no bucket"))
                })?;
                Ok(RateStatus::of(self.rate(first), taken))
            }
            Err(e) if buckets.iter().all(|(l, _)| self.open_without_cache(*l)) => {
                tracing::debug!(error = %e, ?first, "a rate limit not counted: the cache is down");
                Ok(RateStatus::full(self.rate(first)))
            }
            Err(e) => Err(AppError::Unavailable(format!(
                "rate limits cannot be counted: {e}"
            ))),
        }
    }

    fn refusal(&self, limit: Limit, taken: &Taken) -> AppError {
        AppError::RateLimited {
            kind: limit.kind(),
            limit: self.rate(limit).burst(),
            retry_after_secs: whole_secs(taken.retry_after).max(1),
            reset_secs: whole_secs(taken.full_in).max(1),
        }
    }

    fn remember_refused(&self, client: &str, taken: &Taken, now: u64) {
        let until = now + taken.retry_after.as_millis() as u64;
        let full_at = now + taken.full_in.as_millis() as u64;
        self.refused.insert(client.to_owned(), (until, full_at));
        self.refused_until.fetch_max(until, Ordering::Relaxed);
    }

    /// Refuses a client this process saw spend its miss budget, until a token
    /// is back: a lookup in memory, no round trip.
    /// When no refusal is current (nearly always), that is all it costs: a
    /// clock read and an atomic load.
    pub(crate) fn admit(&self, client: &str) -> Result<(), AppError> {
        let now = self.now_ms();
        if self.refused_until.load(Ordering::Relaxed) <= now {
            return Ok(());
        }
        let Some((until, full_at)) = self.refused.get(client) else {
            return Ok(());
        };
        if until <= now {
            self.refused.invalidate(client);
            return Ok(());
        }
        let left = |at: u64| Duration::from_millis(at.saturating_sub(now));
        Err(self.refusal(
            Limit::Misses,
            &Taken {
                allowed: false,
                remaining: 0,
                full_in: left(full_at),
                retry_after: left(until),
            },
        ))
    }

    /// Counts one not-found answer to `client`: where it stands, or
    /// `RateLimited` when its budget is spent (remembered here, so its next
    /// requests are refused without a round trip).
    pub(crate) async fn count_miss(&self, client: &str) -> Result<RateStatus, AppError> {
        self.take(&[(Limit::Misses, client)]).await
    }
}
