//! The cache conformance suite: what `pastebin::cache::Cache` promises, run
//! against the in-process cache, against Redis (a real `redis-server` of each
//! test's own; without one the Redis cases fail loudly), and against Redis
//! behind `ResilientCache`, the wrapper the app always puts in front.

use std::num::NonZeroU32;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use bytes::Bytes;
use pastebin::cache::memory::MemoryCache;
use pastebin::cache::redis::RedisCache;
use pastebin::cache::resilient::ResilientCache;
use pastebin::cache::{Bucket, Cache, Rate, Spend, Taken};

use crate::support::held_link::HeldLink;
use crate::support::redis::RedisServer;
use crate::support::sentinel::SentinelSet;

/// Long enough that nothing expires while a test looks.
const LONG: Duration = Duration::from_secs(60);
/// Short enough to wait out.
const SHORT: Duration = Duration::from_millis(150);
/// Waits out `SHORT`, with a margin for a slow machine.
const PAST_SHORT: Duration = Duration::from_millis(300);
const TOMBSTONE: &[u8] = b"GONE";
/// What live values start with, for counting reads.
const LIVE: &[u8] = b"PV";

/// A key of a paste view (the in-process cache keeps views apart from small
/// control entries), and a key of everything else: every case runs on both.
fn keys(name: &str) -> [String; 2] {
    [
        format!("{}{name}", pastebin::cache::keys::PASTE_VIEW_PREFIX),
        format!("test:{name}"),
    ]
}

fn bytes(text: &'static str) -> Bytes {
    Bytes::from_static(text.as_bytes())
}

async fn get(cache: &Arc<dyn Cache>, key: &str) -> Option<Bytes> {
    cache.get(key).await.expect("the cache answers a get")
}

/// A value reads back until its time to live is over; `set` replaces it.
pub async fn values_read_back_until_they_expire(cache: Arc<dyn Cache>) {
    for key in keys("ttl") {
        assert_eq!(get(&cache, &key).await, None, "{key} starts absent");
        cache.set(&key, bytes("one"), LONG).await.expect("set");
        assert_eq!(get(&cache, &key).await, Some(bytes("one")));
        cache.set(&key, bytes("two"), SHORT).await.expect("set");
        assert_eq!(get(&cache, &key).await, Some(bytes("two")), "replaced");
        tokio::time::sleep(PAST_SHORT).await;
        assert_eq!(get(&cache, &key).await, None, "{key} expired");
    }
}

/// `set_if_absent` stores only the first value, and again once it expired.
pub async fn set_if_absent_keeps_the_first_value(cache: Arc<dyn Cache>) {
    for key in keys("lease") {
        let first = cache.set_if_absent(&key, bytes("first"), SHORT).await;
        assert!(first.expect("set_if_absent"), "{key}: stored when absent");
        let second = cache.set_if_absent(&key, bytes("second"), LONG).await;
        assert!(!second.expect("set_if_absent"), "{key}: not over a value");
        assert_eq!(get(&cache, &key).await, Some(bytes("first")));
        tokio::time::sleep(PAST_SHORT).await;
        let later = cache.set_if_absent(&key, bytes("later"), LONG).await;
        assert!(later.expect("set_if_absent"), "{key}: stored once expired");
        assert_eq!(get(&cache, &key).await, Some(bytes("later")));
    }
}

/// Of twenty concurrent `set_if_absent` calls on one key exactly one wins.
pub async fn set_if_absent_has_one_winner_under_a_race(cache: Arc<dyn Cache>) {
    let racers = (0..20).map(|_| {
        let cache = cache.clone();
        tokio::spawn(async move { cache.set_if_absent("test:race", bytes("x"), LONG).await })
    });
    let mut winners = 0;
    for racer in racers {
        if racer.await.expect("joined").expect("set_if_absent") {
            winners += 1;
        }
    }
    assert_eq!(winners, 1);
}

/// `replace_unless` refreshes a value but never stores over an absent key
/// or a tombstone: what was removed is not revived.
pub async fn replace_unless_never_revives_a_tombstone(cache: Arc<dyn Cache>) {
    for key in keys("replace") {
        let absent = cache
            .replace_unless(&key, bytes("view"), LONG, TOMBSTONE)
            .await;
        assert!(
            !absent.expect("replace_unless"),
            "{key}: absent stays absent"
        );
        assert_eq!(get(&cache, &key).await, None);

        cache.set(&key, bytes("old view"), LONG).await.expect("set");
        let live = cache
            .replace_unless(&key, bytes("new view"), LONG, TOMBSTONE)
            .await;
        assert!(
            live.expect("replace_unless"),
            "{key}: a live value is replaced"
        );
        assert_eq!(get(&cache, &key).await, Some(bytes("new view")));

        cache
            .set(&key, Bytes::from_static(TOMBSTONE), LONG)
            .await
            .expect("set");
        let dead = cache
            .replace_unless(&key, bytes("revived"), LONG, TOMBSTONE)
            .await;
        assert!(!dead.expect("replace_unless"), "{key}: a tombstone stays");
        assert_eq!(get(&cache, &key).await.as_deref(), Some(TOMBSTONE));
    }
}

/// The time to live given to `replace_unless` applies to the new value.
pub async fn replace_unless_sets_the_new_lifetime(cache: Arc<dyn Cache>) {
    for key in keys("replace-ttl") {
        cache.set(&key, bytes("old"), LONG).await.expect("set");
        let replaced = cache.replace_unless(&key, bytes("new"), SHORT, TOMBSTONE);
        assert!(replaced.await.expect("replace_unless"));
        tokio::time::sleep(PAST_SHORT).await;
        assert_eq!(get(&cache, &key).await, None, "{key} expired");
    }
}

/// `set_unless` stores over an absent key, a live value or any other mark,
/// but never over a tombstone (a value that starts with the marker it
/// names: each delete's tombstone carries its own nonce after it): a late
/// writer cannot undo a delete.
pub async fn set_unless_never_overwrites_a_tombstone(cache: Arc<dyn Cache>) {
    for key in keys("set-unless") {
        let set_unless = async |value: &'static str| {
            let stored = cache.set_unless(&key, bytes(value), LONG, TOMBSTONE);
            stored.await.expect("set_unless")
        };
        assert!(set_unless("first").await, "{key}: stored when absent");
        assert_eq!(get(&cache, &key).await, Some(bytes("first")));
        assert!(
            set_unless("second").await,
            "{key}: a live value is replaced"
        );
        assert_eq!(get(&cache, &key).await, Some(bytes("second")));
        cache.set(&key, bytes("MISS"), LONG).await.expect("set");
        assert!(set_unless("third").await, "{key}: another mark is replaced");
        assert_eq!(get(&cache, &key).await, Some(bytes("third")));

        let longer = [TOMBSTONE, b" and more"].concat();
        cache
            .set(&key, Bytes::from(longer.clone()), LONG)
            .await
            .expect("set");
        assert!(
            !set_unless("fourth").await,
            "{key}: a tombstone with its nonce stays"
        );
        assert_eq!(get(&cache, &key).await, Some(Bytes::from(longer)));

        cache
            .set(&key, Bytes::from_static(TOMBSTONE), LONG)
            .await
            .expect("set");
        assert!(!set_unless("revived").await, "{key}: a tombstone stays");
        assert_eq!(get(&cache, &key).await.as_deref(), Some(TOMBSTONE));
    }
}

/// The time to live given to `set_unless` applies to what it stored, over
/// an absent key and over a value that lived longer.
pub async fn set_unless_sets_the_new_lifetime(cache: Arc<dyn Cache>) {
    for key in keys("set-unless-ttl") {
        let fresh = cache.set_unless(&key, bytes("short"), SHORT, TOMBSTONE);
        assert!(fresh.await.expect("set_unless"));
        tokio::time::sleep(PAST_SHORT).await;
        assert_eq!(get(&cache, &key).await, None, "{key}: stored, expired");

        cache.set(&key, bytes("long"), LONG).await.expect("set");
        let over = cache.set_unless(&key, bytes("short"), SHORT, TOMBSTONE);
        assert!(over.await.expect("set_unless"));
        tokio::time::sleep(PAST_SHORT).await;
        assert_eq!(get(&cache, &key).await, None, "{key}: replaced, expired");
    }
}

/// Twenty writers keep calling `write` on `key`; the tombstone is set once
/// they are under way, and they go on for a while after it. Then the key must
/// hold the tombstone: however the calls interleave, none lands after it.
async fn race_a_tombstone<W, F>(cache: &Arc<dyn Cache>, key: &str, write: W)
where
    W: Fn(Arc<dyn Cache>, String) -> F + Clone + Send + 'static,
    F: Future<Output = bool> + Send,
{
    const WRITERS: usize = 20;
    /// Calls before the tombstone, and again after it, before the writers stop.
    const CALLS: usize = 200;
    /// A writer gives up after this many calls, whatever happens.
    const MAX_CALLS: usize = 10_000;
    let done = Arc::new(AtomicUsize::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let writers: Vec<_> = (0..WRITERS)
        .map(|_| {
            let (cache, key, write) = (cache.clone(), key.to_owned(), write.clone());
            let (done, stop) = (done.clone(), stop.clone());
            tokio::spawn(async move {
                for _ in 0..MAX_CALLS {
                    if stop.load(Ordering::Relaxed) {
                        break;
                    }
                    write(cache.clone(), key.clone()).await;
                    done.fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();
    let wait_for = async |calls: usize| {
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while done.load(Ordering::Relaxed) < calls {
            assert!(std::time::Instant::now() < deadline, "the writers stalled");
            tokio::task::yield_now().await;
        }
    };
    wait_for(CALLS).await;
    cache
        .set(key, Bytes::from_static(TOMBSTONE), LONG)
        .await
        .expect("set");
    wait_for(done.load(Ordering::Relaxed) + CALLS).await;
    stop.store(true, Ordering::Relaxed);
    for writer in writers {
        writer.await.expect("joined");
    }
    assert_eq!(
        get(cache, key).await.as_deref(),
        Some(TOMBSTONE),
        "{key}: a write that raced the delete or came after it undid it"
    );
}

/// Late assemblies racing a delete: no `set_unless` lands after the
/// tombstone (a read then a write that are not one step can lose this).
pub async fn set_unless_racing_a_tombstone_never_wins(cache: Arc<dyn Cache>) {
    let key = format!(
        "{}set-unless-race",
        pastebin::cache::keys::PASTE_VIEW_PREFIX
    );
    race_a_tombstone(&cache, &key, async |cache, key| {
        let stored = cache.set_unless(&key, bytes("late view"), LONG, TOMBSTONE);
        stored.await.expect("set_unless")
    })
    .await;
}

/// Refreshes racing a delete: no `replace_unless` lands after the tombstone.
pub async fn replace_unless_racing_a_tombstone_never_wins(cache: Arc<dyn Cache>) {
    let key = format!("{}replace-race", pastebin::cache::keys::PASTE_VIEW_PREFIX);
    cache.set(&key, bytes("view"), LONG).await.expect("set");
    race_a_tombstone(&cache, &key, async |cache, key| {
        let replaced = cache.replace_unless(&key, bytes("refreshed"), LONG, TOMBSTONE);
        replaced.await.expect("replace_unless")
    })
    .await;
}

/// A counting read returns what `get` would, and counts a read only when the
/// value starts with the prefix of live values: not an absent key, not a
/// tombstone, not a value that merely contains the prefix further on.
pub async fn a_counting_read_counts_live_values_only(cache: Arc<dyn Cache>) {
    for key in keys("counted") {
        let counter = format!("test:visits:{key}");
        let read = async || {
            let read = cache.get_counting(&key, LIVE, &counter, "f").await;
            read.expect("get_counting")
        };
        let count = async || cache.count(&counter, "f").await.expect("count");
        assert_eq!(read().await, None);
        assert_eq!(count().await, 0, "{key}: an absent value is not counted");
        cache
            .set(&key, Bytes::from_static(TOMBSTONE), LONG)
            .await
            .expect("set");
        assert_eq!(read().await.as_deref(), Some(TOMBSTONE));
        assert_eq!(count().await, 0, "{key}: a tombstone is not counted");
        cache.set(&key, bytes("x PV"), LONG).await.expect("set");
        assert_eq!(read().await, Some(bytes("x PV")));
        assert_eq!(count().await, 0, "{key}: the prefix must lead");
        cache.set(&key, bytes("PV view"), LONG).await.expect("set");
        for expected in 1..=3 {
            assert_eq!(read().await, Some(bytes("PV view")));
            assert_eq!(count().await, expected, "{key}: each live read counts");
        }
        let other = cache.count(&counter, "g").await.expect("count");
        assert_eq!(other, 0, "{key}: only the named field counts");
    }
}

fn per_minute(n: u32) -> Rate {
    Rate::per_minute(NonZeroU32::new(n).expect("not zero"))
}

/// Spends from the one bucket `key`.
async fn take(cache: &Arc<dyn Cache>, key: &str, rate: Rate, now_ms: u64) -> Taken {
    let answers = cache
        .take(&[Bucket { key, rate }], now_ms, Spend::Take)
        .await
        .expect("take");
    assert_eq!(answers.len(), 1, "one answer per bucket");
    answers[0]
}

/// A far-off, fixed "now": buckets follow the caller's clock, not the
/// backend's, so every backend gives the same answers at the same times.
const NOW_MS: u64 = 1_800_000_000_000;

/// A bucket gives its burst at once, refuses the next request without
/// spending, and gives one more when a token is back: the steps of
/// `Rate::decide`, the same on every backend. Buckets of other keys are apart.
pub async fn buckets_spend_their_burst_then_refill(cache: Arc<dyn Cache>) {
    let rate = per_minute(3); // a token every 20 s
    let key = "test:bucket";
    let mut remaining = Vec::new();
    for _ in 0..3 {
        let taken = take(&cache, key, rate, NOW_MS).await;
        assert!(taken.allowed);
        remaining.push(taken.remaining);
    }
    assert_eq!(remaining, [2, 1, 0]);
    for _ in 0..2 {
        let refused = take(&cache, key, rate, NOW_MS + 5_000).await;
        assert!(!refused.allowed, "the burst is spent");
        assert_eq!(refused.retry_after, Duration::from_secs(15));
        assert_eq!(refused.full_in, Duration::from_secs(55));
    }
    let other = take(&cache, "test:other-bucket", rate, NOW_MS).await;
    assert_eq!(other.remaining, 2, "other keys are apart");
    let back = take(&cache, key, rate, NOW_MS + 20_000).await;
    assert!(
        back.allowed,
        "a token is back after 20 s, refusals spent nothing"
    );
    assert_eq!(back.remaining, 0);
    let full = take(&cache, key, rate, NOW_MS + 600_000).await;
    assert_eq!(full.remaining, 2, "an idle bucket fills up, and no further");
}

/// Forty concurrent requests at a bucket of twenty: exactly twenty allowed.
pub async fn buckets_are_atomic_under_concurrency(cache: Arc<dyn Cache>) {
    let rate = per_minute(20);
    let takers = (0..40).map(|_| {
        let cache = cache.clone();
        tokio::spawn(async move { take(&cache, "test:busy", rate, NOW_MS).await })
    });
    let mut remaining = Vec::new();
    for taker in takers {
        let taken = taker.await.expect("joined");
        if taken.allowed {
            remaining.push(taken.remaining);
        }
    }
    remaining.sort_unstable();
    assert_eq!(remaining, (0..20).collect::<Vec<u32>>());
}

/// A set of buckets is one step: a request refused by one bucket spends
/// from none, an allowed one from all, and each answer is its own bucket's.
pub async fn a_set_of_buckets_spends_from_all_or_none(cache: Arc<dyn Cache>) {
    let (wide, narrow) = (per_minute(3), per_minute(1));
    let set = [
        Bucket {
            key: "test:set-wide",
            rate: wide,
        },
        Bucket {
            key: "test:set-narrow",
            rate: narrow,
        },
    ];
    let first = cache.take(&set, NOW_MS, Spend::Take).await.expect("take");
    assert!(first.iter().all(|t| t.allowed));
    assert_eq!(
        first.iter().map(|t| t.remaining).collect::<Vec<_>>(),
        [2, 0]
    );
    let refused = cache.take(&set, NOW_MS, Spend::Take).await.expect("take");
    assert!(refused[0].allowed && !refused[1].allowed);
    assert_eq!(refused[1].retry_after, Duration::from_secs(60));
    let wide_alone = take(&cache, "test:set-wide", wide, NOW_MS).await;
    assert_eq!(
        wide_alone.remaining, 1,
        "the refused set spent nothing of it"
    );
    assert!(
        cache
            .take(&[], NOW_MS, Spend::Take)
            .await
            .expect("take")
            .is_empty()
    );
}

/// Forty concurrent requests at a set whose narrowest bucket holds ten:
/// exactly ten allowed, and the wider bucket spent exactly ten times.
pub async fn a_set_of_buckets_is_atomic_under_concurrency(cache: Arc<dyn Cache>) {
    let (wide, narrow) = (per_minute(20), per_minute(10));
    let takers = (0..40).map(|_| {
        let cache = cache.clone();
        tokio::spawn(async move {
            let set = [
                Bucket {
                    key: "test:busy-wide",
                    rate: wide,
                },
                Bucket {
                    key: "test:busy-narrow",
                    rate: narrow,
                },
            ];
            cache.take(&set, NOW_MS, Spend::Take).await.expect("take")
        })
    });
    let mut allowed = 0;
    for taker in takers {
        if taker.await.expect("joined").iter().all(|t| t.allowed) {
            allowed += 1;
        }
    }
    assert_eq!(allowed, 10);
    let wide_alone = take(&cache, "test:busy-wide", wide, NOW_MS).await;
    assert_eq!(wide_alone.remaining, 9, "ten spent by the set, one now");
}

/// A look says whether a token is there and spends none, even when done
/// again and again; once the bucket is empty it says so.
pub async fn a_look_spends_nothing(cache: Arc<dyn Cache>) {
    let rate = per_minute(2);
    let bucket = [Bucket {
        key: "test:look",
        rate,
    }];
    for _ in 0..5 {
        let looked = cache
            .take(&bucket, NOW_MS, Spend::Look)
            .await
            .expect("look");
        assert!(looked[0].allowed);
    }
    assert_eq!(take(&cache, "test:look", rate, NOW_MS).await.remaining, 1);
    assert_eq!(take(&cache, "test:look", rate, NOW_MS).await.remaining, 0);
    let looked = cache
        .take(&bucket, NOW_MS, Spend::Look)
        .await
        .expect("look");
    assert!(!looked[0].allowed, "an empty bucket says so");
    assert_eq!(looked[0].retry_after, Duration::from_secs(30));
}

/// Counter maps add up by field, concurrently too; absent ones read 0.
pub async fn counter_maps_add_up_by_field(cache: Arc<dyn Cache>) {
    assert_eq!(cache.count("test:map", "a").await.expect("count"), 0);
    let adders = (0..20).map(|i| {
        let cache = cache.clone();
        let field = if i % 2 == 0 { "a" } else { "b" };
        tokio::spawn(async move { cache.add_count("test:map", field, 3).await })
    });
    for adder in adders {
        adder.await.expect("joined").expect("add_count");
    }
    assert_eq!(cache.count("test:map", "a").await.expect("count"), 30);
    assert_eq!(cache.count("test:map", "b").await.expect("count"), 30);
    assert_eq!(cache.count("test:map", "c").await.expect("count"), 0);
}

fn sorted(mut counts: Vec<(String, u64)>) -> Vec<(String, u64)> {
    counts.sort();
    counts
}

fn pairs(counts: &[(&str, u64)]) -> Vec<(String, u64)> {
    counts.iter().map(|(f, n)| ((*f).to_owned(), *n)).collect()
}

/// Taking counts moves them to the batch; a retry of the batch gets the same
/// counts and leaves what was added since; a finished batch gives nothing.
pub async fn taken_counts_are_retried_as_a_batch_and_never_twice(cache: Arc<dyn Cache>) {
    let (key, batch) = ("test:pending", "test:batch:1");
    let nothing = cache.take_counts(key, batch).await.expect("take_counts");
    assert!(nothing.is_empty(), "nothing counted, nothing taken");
    cache.add_count(key, "x", 2).await.expect("add_count");
    cache.add_count(key, "y", 5).await.expect("add_count");

    let taken = cache.take_counts(key, batch).await.expect("take_counts");
    assert_eq!(sorted(taken), pairs(&[("x", 2), ("y", 5)]));
    assert_eq!(cache.count(key, "x").await.expect("count"), 0, "moved");

    cache.add_count(key, "x", 1).await.expect("add_count");
    let retried = cache.take_counts(key, batch).await.expect("take_counts");
    assert_eq!(
        sorted(retried),
        pairs(&[("x", 2), ("y", 5)]),
        "a retry gets the batch as it was"
    );
    assert_eq!(
        cache.count(key, "x").await.expect("count"),
        1,
        "a retry leaves what was counted since"
    );

    cache.finish_counts(batch).await.expect("finish_counts");
    let late = cache.take_counts(key, batch).await.expect("take_counts");
    assert!(late.is_empty(), "a finished batch gives nothing: {late:?}");
    assert_eq!(
        cache.count(key, "x").await.expect("count"),
        1,
        "a late retry takes nothing"
    );

    let next = cache
        .take_counts(key, "test:batch:2")
        .await
        .expect("take_counts");
    assert_eq!(next, pairs(&[("x", 1)]), "the next batch takes the rest");
}

/// `delete` removes a value or a counter map; deleting nothing is fine.
pub async fn delete_removes_values_and_counters(cache: Arc<dyn Cache>) {
    for key in keys("deleted") {
        cache.set(&key, bytes("v"), LONG).await.expect("set");
        cache.delete(&key).await.expect("delete");
        assert_eq!(get(&cache, &key).await, None, "{key} deleted");
        cache.delete(&key).await.expect("deleting nothing");
    }
    cache.add_count("test:counted", "f", 4).await.expect("add");
    cache.delete("test:counted").await.expect("delete");
    assert_eq!(cache.count("test:counted", "f").await.expect("count"), 0);
}

/// A delete's tombstone is removed only by that delete (`remove_if` with
/// its exact value), and counts as a tombstone for `set_unless` and
/// `replace_unless` by its marker; an empty marker marks nothing.
pub async fn a_tombstone_is_removed_only_by_its_own_delete(cache: Arc<dyn Cache>) {
    for key in keys("tombstoned") {
        cache.set(&key, bytes("view"), LONG).await.expect("set");
        cache
            .set_tombstone(&key, bytes("GONE-mine"), LONG)
            .await
            .expect("a tombstone is written");
        assert_eq!(get(&cache, &key).await, Some(bytes("GONE-mine")));
        let refused = cache.replace_unless(&key, bytes("v2"), LONG, TOMBSTONE);
        assert!(!refused.await.expect("replace_unless"), "{key}: marked");
        let refused = cache.set_unless(&key, bytes("v2"), LONG, TOMBSTONE);
        assert!(!refused.await.expect("set_unless"), "{key}: marked");
        let other = cache.remove_if(&key, b"GONE-theirs").await;
        assert!(!other.expect("remove_if"), "{key}: not another's");
        assert_eq!(get(&cache, &key).await, Some(bytes("GONE-mine")));
        let own = cache.remove_if(&key, b"GONE-mine").await;
        assert!(own.expect("remove_if"), "{key}: its own");
        assert_eq!(get(&cache, &key).await, None);

        cache.set(&key, bytes("live"), LONG).await.expect("set");
        let replaced = cache.replace_unless(&key, bytes("renewed"), LONG, b"");
        assert!(replaced.await.expect("replace_unless"), "{key}: no marker");
    }
}

/// A cache that is up answers a ping, and names its backend as `/readyz`
/// and the logs show it.
pub async fn a_running_cache_answers_a_ping_and_names_itself(cache: Arc<dyn Cache>, name: &str) {
    cache.ping().await.expect("the cache answers a ping");
    assert_eq!(cache.backend(), name);
}

macro_rules! conformance {
    ($backend:ident, $name:literal, $open:expr $(, #[$race:meta])?) => {
        mod $backend {
            use super::*;
            conformance!(@case $open, values_read_back_until_they_expire);
            conformance!(@case $open, set_if_absent_keeps_the_first_value);
            conformance!(@case $open, set_if_absent_has_one_winner_under_a_race);
            conformance!(@case $open, replace_unless_never_revives_a_tombstone);
            conformance!(@case $open, replace_unless_sets_the_new_lifetime);
            conformance!(@case $open, set_unless_never_overwrites_a_tombstone);
            conformance!(@case $open, set_unless_sets_the_new_lifetime);
            conformance!(@case $open, set_unless_racing_a_tombstone_never_wins $(, #[$race])?);
            conformance!(@case $open, replace_unless_racing_a_tombstone_never_wins $(, #[$race])?);
            conformance!(@case $open, a_counting_read_counts_live_values_only);
            conformance!(@case $open, buckets_spend_their_burst_then_refill);
            conformance!(@case $open, buckets_are_atomic_under_concurrency);
            conformance!(@case $open, a_set_of_buckets_spends_from_all_or_none);
            conformance!(@case $open, a_set_of_buckets_is_atomic_under_concurrency);
            conformance!(@case $open, a_look_spends_nothing);
            conformance!(@case $open, counter_maps_add_up_by_field);
            conformance!(@case $open, taken_counts_are_retried_as_a_batch_and_never_twice);
            conformance!(@case $open, delete_removes_values_and_counters);
            conformance!(@case $open, a_tombstone_is_removed_only_by_its_own_delete);
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn a_running_cache_answers_a_ping_and_names_itself() {
                let (cache, _server) = $open;
                super::a_running_cache_answers_a_ping_and_names_itself(cache, $name).await;
            }
        }
    };
    (@case $open:expr, $name:ident $(, #[$attr:meta])?) => {
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        $(#[$attr])?
        async fn $name() {
            let (cache, _server) = $open;
            super::$name(cache).await;
        }
    };
}

fn in_process() -> (Arc<dyn Cache>, ()) {
    (Arc::new(MemoryCache::new(1 << 20)), ())
}

/// A cache on a Redis of the test's own, stopped when the test ends.
async fn redis() -> (Arc<dyn Cache>, RedisServer) {
    let server = RedisServer::start().await;
    let cache = RedisCache::connect(
        &server.url(),
        Duration::from_secs(2),
        Duration::from_secs(2),
    )
    .expect("the Redis connection is prepared");
    (Arc::new(cache), server)
}

/// The Redis cache behind the outage bookkeeping the app puts in front of
/// every cache: the wrapper must pass every call through unchanged.
async fn resilient_redis() -> (Arc<dyn Cache>, RedisServer) {
    let (inner, server) = redis().await;
    let metrics = Arc::new(pastebin::metrics::Metrics::default());
    (Arc::new(ResilientCache::new(inner, metrics)), server)
}

conformance!(memory_cache, "in-process", in_process());
conformance!(redis_cache, "redis", redis().await);
conformance!(resilient_redis_cache, "redis", resilient_redis().await);

/// A tombstone that reaches Redis only after its writer stopped waiting
/// (held between `TIME` and the script, as in the socket of a Redis frozen
/// there) writes nothing when it runs: a refused delete cannot land later.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tombstone_held_past_its_answer_writes_nothing() {
    let server = RedisServer::start().await;
    let link = HeldLink::start(server.port(), b"EVALSHA").await;
    let cache = RedisCache::connect(
        &link.redis_url(),
        Duration::from_millis(300),
        Duration::from_secs(2),
    )
    .expect("the Redis connection is prepared");
    let direct = RedisCache::connect(&server.url(), LONG, LONG).expect("prepared");
    let key = format!("{}held", pastebin::cache::keys::PASTE_VIEW_PREFIX);
    direct.set(&key, bytes("view"), LONG).await.expect("set");
    // Loads the script, so the held call is the script itself.
    direct
        .set_tombstone("test:loads-the-script", bytes("GONE"), LONG)
        .await
        .expect("written");
    let held = cache.set_tombstone(&key, bytes("GONE-held"), LONG).await;
    assert!(held.is_err(), "unanswered within the response timeout");
    link.release();
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        direct.get(&key).await.expect("a get"),
        Some(bytes("view")),
        "the held tombstone ran past its deadline and wrote nothing"
    );
    direct
        .set_tombstone(&key, bytes("GONE-now"), LONG)
        .await
        .expect("answered in time, written");
    assert_eq!(
        direct.get(&key).await.expect("a get"),
        Some(bytes("GONE-now"))
    );
}

/// A cache on the primary of a Sentinel deployment of the test's own,
/// found through its sentinels (every write that waits for a replica has two).
async fn sentinel() -> (Arc<dyn Cache>, SentinelSet) {
    let set = SentinelSet::start().await;
    let cache = RedisCache::connect_to(
        &set.target(),
        pastebin::redis_link::Patience {
            response: Duration::from_secs(2),
            connect: Duration::from_secs(2),
        },
    )
    .expect("the Redis connection is prepared");
    (Arc::new(cache), set)
}

conformance!(sentinel_cache, "redis", sentinel().await);
