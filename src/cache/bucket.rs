//! Token buckets as the cache keeps them: the generic cell rate algorithm
//! (GCRA), which stores one number per client (the time at which its bucket
//! is full again) and so needs one atomic read-and-write per request, in
//! Redis or in process.
//!
//! Unlike fixed windows, a bucket lets a client spend `burst` at once and
//! then one more every `interval`: there is no window boundary at which it
//! may spend twice its limit.
//!
//! The arithmetic lives here only (`Rate::decide`, `decide_all`). The Redis
//! backend must run it where the horizons are, atomically, so its Lua script
//! (`cache/redis.rs`) mirrors these steps line for line: computing in Rust and
//! writing back with a compare-and-set would cost two round trips and retries
//! under contention. The cache conformance suite holds both to the same
//! answers.

use std::num::NonZeroU32;
use std::time::Duration;

/// `burst` requests at once, refilled at one every `interval_ms`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    burst: u32,
    interval_ms: u64,
}

impl Rate {
    /// `n` at once, refilled at `n` a minute: one every `60 / n` seconds.
    pub fn per_minute(n: NonZeroU32) -> Self {
        Self::new(n, Duration::from_secs(60))
    }

    /// `n` at once, refilled at `n` per `period`.
    pub fn new(n: NonZeroU32, period: Duration) -> Self {
        let burst = n.get();
        let interval_ms = (period.as_millis() as u64 / u64::from(burst)).max(1);
        Self { burst, interval_ms }
    }

    /// Requests allowed at once, with a full bucket.
    pub fn burst(&self) -> u32 {
        self.burst
    }

    /// Milliseconds between two refilled tokens.
    pub fn interval_ms(&self) -> u64 {
        self.interval_ms
    }

    /// How far ahead of now a full-spent bucket reaches, in milliseconds: a
    /// request that would push the bucket's horizon past it is refused.
    pub fn capacity_ms(&self) -> u64 {
        u64::from(self.burst) * self.interval_ms
    }

    /// One request at `now_ms`, given the horizon stored for the client (the
    /// time its bucket is full again, absent when it is full): the decision,
    /// and the horizon to store when the request is allowed.
    pub fn decide(&self, stored: Option<u64>, now_ms: u64) -> (Taken, Option<u64>) {
        // Never more than a full bucket ahead: a horizon stored by a clone
        // whose clock runs ahead cannot refuse for longer than that.
        let horizon = stored
            .unwrap_or(now_ms)
            .clamp(now_ms, now_ms + self.capacity_ms());
        let next = horizon + self.interval_ms;
        if next - now_ms > self.capacity_ms() {
            (self.taken(false, horizon - now_ms), None)
        } else {
            (self.taken(true, next - now_ms), Some(next))
        }
    }

    /// What a decision means to the client, from whether the request was
    /// `allowed` and how far ahead the bucket's horizon is (`ahead_ms`, after
    /// the request when it was allowed). The Redis script returns just these
    /// two numbers.
    pub fn taken(&self, allowed: bool, ahead_ms: u64) -> Taken {
        let capacity = self.capacity_ms();
        let remaining = capacity.saturating_sub(ahead_ms) / self.interval_ms;
        let retry_after = if allowed {
            Duration::ZERO
        } else {
            Duration::from_millis(
                (ahead_ms + self.interval_ms)
                    .saturating_sub(capacity)
                    .max(1),
            )
        };
        Taken {
            allowed,
            remaining: u32::try_from(remaining)
                .unwrap_or(self.burst)
                .min(self.burst),
            full_in: Duration::from_millis(ahead_ms),
            retry_after,
        }
    }
}

/// One bucket of a [`Cache::take`](super::Cache::take): where its horizon is
/// kept and how fast it refills.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bucket<'a> {
    /// The cache key of its horizon (built in `keys`).
    pub key: &'a str,
    /// Its size and refill.
    pub rate: Rate,
}

/// Whether a `take` spends a token or only looks for one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spend {
    /// Spend one token of every bucket, or none when any is empty.
    Take,
    /// Spend nothing: say whether each bucket has a token now (a request
    /// checked before its body arrives, which spends only once it is whole).
    Look,
}

/// The decision of one request at several buckets at once, given each
/// bucket's stored horizon: each bucket's answer, and the horizons to store
/// (present only when every bucket had a token and `spend` takes). A request
/// refused by one bucket spends nothing from the others.
pub fn decide_all(
    buckets: &[(Rate, Option<u64>)],
    now_ms: u64,
    spend: Spend,
) -> (Vec<Taken>, Option<Vec<u64>>) {
    let decided: Vec<(Taken, Option<u64>)> = buckets
        .iter()
        .map(|(rate, stored)| rate.decide(*stored, now_ms))
        .collect();
    let all = decided.iter().all(|(taken, _)| taken.allowed);
    let store = (all && spend == Spend::Take)
        .then(|| decided.iter().filter_map(|(_, next)| *next).collect());
    (decided.into_iter().map(|(taken, _)| taken).collect(), store)
}

/// The answer to one request at a bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Taken {
    /// The request may go ahead (a token was spent).
    pub allowed: bool,
    /// Requests left that could go ahead at once.
    pub remaining: u32,
    /// Time until the bucket is full again (`RateLimit-Reset`).
    pub full_in: Duration,
    /// When refused, time until one token is back (`Retry-After`).
    pub retry_after: Duration,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rate(n: u32) -> Rate {
        Rate::per_minute(NonZeroU32::new(n).expect("not zero"))
    }

    /// Runs `decide` as a backend would, keeping the horizon.
    fn spend(rate: Rate, stored: &mut Option<u64>, now_ms: u64) -> Taken {
        let (taken, next) = rate.decide(*stored, now_ms);
        if next.is_some() {
            *stored = next;
        }
        taken
    }

    #[test]
    fn a_full_bucket_gives_its_burst_then_refuses_until_a_token_is_back() {
        let rate = rate(3); // one token every 20 s
        let mut stored = None;
        let remaining: Vec<u32> = (0..3)
            .map(|_| spend(rate, &mut stored, 1_000).remaining)
            .collect();
        assert_eq!(remaining, [2, 1, 0]);
        let refused = spend(rate, &mut stored, 1_000);
        assert!(!refused.allowed);
        assert_eq!(refused.retry_after, Duration::from_secs(20));
        assert_eq!(refused.full_in, Duration::from_secs(60));
        assert!(!spend(rate, &mut stored, 20_999).allowed, "a token is 20 s");
        let back = spend(rate, &mut stored, 21_000);
        assert!(back.allowed);
        assert_eq!(back.remaining, 0);
    }

    #[test]
    fn no_boundary_lets_a_client_spend_twice_its_limit() {
        // Fixed one-minute windows allowed 2n around a window's end; a bucket
        // allows n at once and then one per interval, whatever the time.
        let rate = rate(60);
        for start in [59_000u64, 119_999, 3_600_000] {
            let mut stored = None;
            let allowed = (0..200)
                .filter(|i| spend(rate, &mut stored, start + i * 10).allowed)
                .count();
            // 2 s of requests: the burst of 60, and 1 more refilled.
            assert_eq!(allowed, 61, "from {start}");
        }
    }

    #[test]
    fn an_idle_bucket_fills_up_and_no_further() {
        let rate = rate(2);
        let mut stored = None;
        spend(rate, &mut stored, 0);
        spend(rate, &mut stored, 0);
        let later = spend(rate, &mut stored, 10 * 60_000);
        assert!(later.allowed);
        assert_eq!(later.remaining, 1, "full again is two, not more");
    }

    #[test]
    fn a_horizon_from_a_clock_far_ahead_refuses_for_one_bucket_at_most() {
        let rate = rate(60);
        let (refused, _) = rate.decide(Some(10_000_000), 1_000);
        assert!(!refused.allowed);
        assert_eq!(refused.retry_after, Duration::from_secs(1));
        assert_eq!(refused.full_in, Duration::from_secs(60));
    }

    #[test]
    fn a_set_refused_by_one_bucket_spends_from_none() {
        let (one, three) = (rate(1), rate(3));
        let (taken, store) = decide_all(&[(three, None), (one, Some(60_000))], 0, Spend::Take);
        assert!(taken[0].allowed && !taken[1].allowed);
        assert_eq!(
            store, None,
            "nothing is stored: the first bucket keeps its token"
        );
        let (taken, store) = decide_all(&[(three, None), (one, None)], 0, Spend::Take);
        assert!(taken.iter().all(|t| t.allowed));
        assert_eq!(store, Some(vec![20_000, 60_000]));
        let (taken, store) = decide_all(&[(one, None)], 0, Spend::Look);
        assert!(taken[0].allowed);
        assert_eq!(store, None, "a look spends nothing");
    }

    #[test]
    fn a_rate_faster_than_a_millisecond_still_refills() {
        let rate = Rate::new(NonZeroU32::new(5000).expect("n"), Duration::from_secs(1));
        assert_eq!(rate.interval_ms(), 1);
        let mut stored = None;
        assert!((0..5000).all(|_| spend(rate, &mut stored, 0).allowed));
        assert!(!spend(rate, &mut stored, 0).allowed);
        assert!(spend(rate, &mut stored, 1).allowed);
    }
}
