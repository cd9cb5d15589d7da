//! The near tier: a copy of hot cached objects in this clone's memory, in
//! front of Redis, bounded by bytes. Never the only copy (Redis has it) and
//! never served stale after a change is acknowledged:
//!
//! - Redis tells this clone of every change to a tracked key (`tracking`),
//!   and the entry is evicted when told;
//! - entries are served only while the link proved, within `max_lag`, that
//!   nothing is pending: a heartbeat answered on the tracking connection comes
//!   after every invalidation Redis sent before it. A writer that waits
//!   `max_lag` after its change (see `Fence`) is then never contradicted;
//! - a read that fetched from Redis before an invalidation and inserts after
//!   it would bring the old value back: each insert carries a `Ticket` taken
//!   before the fetch, and is undone when an invalidation of that key (or of
//!   everything) came in meanwhile;
//! - a lost link empties the tier; it serves again once the link is back.

use std::hash::{BuildHasher, RandomState};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use crate::metrics::Metrics;

/// Stripes of invalidation generations: a change to one key spoils only the
/// inserts in flight of the keys of its stripe.
const STRIPES: usize = 256;

/// What a cached value weighs, for the byte bound.
pub(crate) trait Weigh {
    /// Bytes held, roughly (the content dominates).
    fn weight(&self) -> u32;
}

/// Taken before a fetch from Redis; an insert with a stale ticket is dropped.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ticket {
    everything: u64,
    stripe: usize,
    key: u64,
}

/// Waits out the bound within which every clone has evicted a change.
#[derive(Debug, Clone, Copy)]
#[must_use = "a change is acknowledged only after its fence"]
pub(crate) struct Fence(Option<Instant>);

impl Fence {
    /// Nothing to wait for (no near tier anywhere).
    pub(crate) fn none() -> Self {
        Self(None)
    }

    /// Returns once every clone has evicted what was changed before the fence.
    pub(crate) async fn wait(self) {
        if let Some(at) = self.0 {
            tokio::time::sleep_until(at.into()).await;
        }
    }

    /// Waits for nothing: for a write that no answer depends on (a render
    /// or counts added to a view, a job's first view). Written out, so each
    /// such write says why it need not wait.
    pub(crate) fn pass(self) {}
}

/// The tier itself.
pub(crate) struct NearTier<V> {
    entries: moka::sync::Cache<String, V>,
    hasher: RandomState,
    everything: AtomicU64,
    stripes: Box<[AtomicU64]>,
    up: AtomicBool,
    /// Milliseconds since `epoch` at which the last answered heartbeat was sent.
    proven_ms: AtomicU64,
    epoch: Instant,
    max_lag: Duration,
    metrics: Arc<Metrics>,
}

impl<V: Weigh + Clone + Send + Sync + 'static> NearTier<V> {
    /// An empty tier of `max_bytes`, whose entries live at most `ttl`; it
    /// serves nothing until the link is proven (`proven`).
    pub(crate) fn new(
        max_bytes: u64,
        ttl: Duration,
        max_lag: Duration,
        metrics: Arc<Metrics>,
    ) -> Self {
        let entries = moka::sync::Cache::builder()
            .max_capacity(max_bytes)
            .weigher(|key: &String, value: &V| {
                value
                    .weight()
                    .saturating_add(u32::try_from(key.len()).unwrap_or(u32::MAX))
            })
            .time_to_live(ttl)
            .build();
        Self {
            entries,
            hasher: RandomState::new(),
            everything: AtomicU64::new(0),
            stripes: (0..STRIPES).map(|_| AtomicU64::new(0)).collect(),
            up: AtomicBool::new(false),
            proven_ms: AtomicU64::new(0),
            epoch: Instant::now(),
            max_lag,
            metrics,
        }
    }

    fn now_ms(&self) -> u64 {
        u64::try_from(self.epoch.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    fn stripe(&self, key: &str) -> usize {
        (self.hasher.hash_one(key) as usize) % STRIPES
    }

    /// True while the link is up and proven within `max_lag`.
    pub(crate) fn serving(&self) -> bool {
        self.up.load(Ordering::SeqCst)
            && self
                .now_ms()
                .saturating_sub(self.proven_ms.load(Ordering::SeqCst))
                <= self.max_lag.as_millis() as u64
    }

    /// The value of `key`, when held and the link is fresh.
    pub(crate) fn get(&self, key: &str) -> Option<V> {
        if !self.serving() {
            self.metrics.near_request("bypass");
            return None;
        }
        let found = self.entries.get(key);
        self.metrics
            .near_request(if found.is_some() { "hit" } else { "miss" });
        found
    }

    /// Taken before fetching `key` from Redis, for `insert`.
    pub(crate) fn ticket(&self, key: &str) -> Ticket {
        let stripe = self.stripe(key);
        Ticket {
            everything: self.everything.load(Ordering::SeqCst),
            stripe,
            key: self.stripes[stripe].load(Ordering::SeqCst),
        }
    }

    fn spoiled(&self, ticket: Ticket) -> bool {
        self.everything.load(Ordering::SeqCst) != ticket.everything
            || self.stripes[ticket.stripe].load(Ordering::SeqCst) != ticket.key
    }

    /// Keeps what was fetched with `ticket`, unless an invalidation of its key
    /// came in since the ticket was taken (then the value may be older than
    /// that change). Checked again after the insert: an invalidation racing
    /// with it undoes it.
    pub(crate) fn insert(&self, key: &str, value: V, ticket: Ticket) {
        if !self.serving() || self.spoiled(ticket) {
            return;
        }
        self.entries.insert(key.to_owned(), value);
        if self.spoiled(ticket) || !self.up.load(Ordering::SeqCst) {
            self.entries.invalidate(key);
        }
    }

    /// Evicts `key`: told by Redis, or changed by this clone.
    pub(crate) fn evict(&self, key: &str) {
        self.stripes[self.stripe(key)].fetch_add(1, Ordering::SeqCst);
        self.entries.invalidate(key);
    }

    /// Counts `n` evictions told by Redis.
    pub(crate) fn told(&self, n: u64) {
        self.metrics.near_invalidations(n);
    }

    /// Evicts everything (Redis was flushed, or the link lost).
    pub(crate) fn evict_all(&self) {
        self.everything.fetch_add(1, Ordering::SeqCst);
        self.entries.invalidate_all();
    }

    /// The fence of a change this clone just made in Redis: past it, every
    /// clone serving from its near tier has been told of the change.
    pub(crate) fn fence(&self) -> Fence {
        Fence(Some(Instant::now() + self.max_lag))
    }

    /// How often the link should prove itself to keep serving.
    pub(crate) fn heartbeat(&self) -> Duration {
        (self.max_lag / 4).max(Duration::from_millis(1))
    }

    /// The link is tracking again: everything from before is dropped (changes
    /// made while it was down were not told), then serving waits for `proven`.
    pub(crate) fn link_up(&self) {
        self.evict_all();
        self.up.store(true, Ordering::SeqCst);
    }

    /// The link is lost: serve nothing, keep nothing. True when it was up.
    pub(crate) fn link_down(&self) -> bool {
        let was_up = self.up.swap(false, Ordering::SeqCst);
        self.evict_all();
        if was_up {
            self.metrics.near_invalidations(1);
        }
        was_up
    }

    /// A heartbeat sent at `sent` was answered and every invalidation before its
    /// answer is applied.
    pub(crate) fn proven(&self, sent: Instant) {
        let ms = u64::try_from(sent.saturating_duration_since(self.epoch).as_millis())
            .unwrap_or(u64::MAX);
        self.proven_ms.fetch_max(ms, Ordering::SeqCst);
    }

    /// Entries held now (after pending maintenance), for tests.
    #[cfg(test)]
    fn len(&self) -> u64 {
        self.entries.run_pending_tasks();
        self.entries.entry_count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Clone)]
    struct Blob(usize);

    impl Weigh for Blob {
        fn weight(&self) -> u32 {
            self.0 as u32
        }
    }

    fn tier() -> NearTier<Blob> {
        let tier = NearTier::new(
            10_000,
            Duration::from_secs(60),
            Duration::from_secs(60),
            Arc::new(Metrics::new()),
        );
        tier.link_up();
        tier.proven(Instant::now());
        tier
    }

    #[test]
    fn an_insert_fetched_before_an_invalidation_is_dropped() {
        let tier = tier();
        let ticket = tier.ticket("k");
        tier.evict("k");
        tier.insert("k", Blob(10), ticket);
        assert!(tier.get("k").is_none(), "the older value stays out");
        let ticket = tier.ticket("k");
        tier.insert("k", Blob(10), ticket);
        assert!(tier.get("k").is_some());
        let ticket = tier.ticket("k");
        tier.evict_all();
        tier.insert("k", Blob(10), ticket);
        assert!(tier.get("k").is_none(), "a flush spoils every ticket");
    }

    #[test]
    fn nothing_is_served_while_the_link_is_down_or_unproven() {
        let tier = tier();
        tier.insert("k", Blob(10), tier.ticket("k"));
        tier.link_down();
        assert!(tier.get("k").is_none());
        tier.link_up();
        assert_eq!(tier.len(), 0, "a lost link empties the tier");
        let stale: NearTier<Blob> = NearTier::new(
            10_000,
            Duration::from_secs(60),
            Duration::from_millis(1),
            Arc::new(Metrics::new()),
        );
        stale.link_up();
        stale.proven(Instant::now());
        std::thread::sleep(Duration::from_millis(5));
        assert!(!stale.serving(), "a link not proven within max_lag");
    }

    #[test]
    fn the_tier_is_bounded_by_bytes() {
        let tier = tier();
        for i in 0..100 {
            let key = format!("k{i}");
            tier.insert(&key, Blob(1_000), tier.ticket(&key));
        }
        tier.entries.run_pending_tasks();
        assert!(tier.entries.weighted_size() <= 10_000);
    }
}
