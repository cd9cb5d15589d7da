//! The in-process cache of the embedded default: bounded by bytes, per-entry
//! time to live. It belongs to one process: clones need Redis.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use async_trait::async_trait;
use bytes::Bytes;
use moka::Expiry;
use moka::sync::Cache as Moka;

use super::{Bucket, Cache, CacheError, Rate, Spend, Taken, bucket};

#[derive(Clone)]
struct Entry {
    value: Bytes,
    ttl: Duration,
    born: Instant,
}

struct PerEntry;

impl Expiry<String, Entry> for PerEntry {
    fn expire_after_create(&self, _: &String, entry: &Entry, _: Instant) -> Option<Duration> {
        Some(entry.ttl)
    }

    fn expire_after_update(
        &self,
        _: &String,
        entry: &Entry,
        _: Instant,
        _: Option<Duration>,
    ) -> Option<Duration> {
        Some(entry.ttl.saturating_sub(entry.born.elapsed()))
    }
}

/// The marker of a finished counter batch.
/// True when `value` carries the marker `unless` (see `Cache::set_unless`):
/// it starts with it, and an empty marker marks nothing.
fn marked(value: &[u8], unless: &[u8]) -> bool {
    !unless.is_empty() && value.starts_with(unless)
}

fn done_key(batch: &str) -> String {
    format!("{batch}:done")
}

/// Counter maps, by key then field.
type CounterMaps = HashMap<String, HashMap<String, u64>>;

/// Small entries (rate counters, idempotency records, leases) kept apart from
/// paste views, so a cache full of large views never evicts a rate limit.
const MAX_CONTROL_ENTRIES: u64 = 1_000_000;

/// A bounded in-process cache.
pub struct MemoryCache {
    entries: Moka<String, Entry>,
    control: Moka<String, Entry>,
    counters: Mutex<CounterMaps>,
    /// Held while a set of token buckets is decided and stored.
    buckets: Mutex<()>,
}

impl MemoryCache {
    /// A cache holding at most about `max_bytes` of keys and values.
    pub fn new(max_bytes: u64) -> Self {
        let control = Moka::builder()
            .max_capacity(MAX_CONTROL_ENTRIES)
            .expire_after(PerEntry)
            .build();
        let entries = Moka::builder()
            .max_capacity(max_bytes)
            .weigher(|key: &String, entry: &Entry| {
                u32::try_from(key.len() + entry.value.len() + 64).unwrap_or(u32::MAX)
            })
            .expire_after(PerEntry)
            .build();
        Self {
            entries,
            control,
            counters: Mutex::new(HashMap::new()),
            buckets: Mutex::new(()),
        }
    }
}

impl MemoryCache {
    /// Paste, revision and diff views (large, weighed by bytes) or
    /// everything else (counted).
    fn map(&self, key: &str) -> &Moka<String, Entry> {
        if super::keys::is_large(key) {
            &self.entries
        } else {
            &self.control
        }
    }
}

#[async_trait]
impl Cache for MemoryCache {
    fn backend(&self) -> &'static str {
        "in-process"
    }

    async fn get(&self, key: &str) -> Result<Option<Bytes>, CacheError> {
        Ok(self.map(key).get(key).map(|e| e.value))
    }

    async fn get_counting(
        &self,
        key: &str,
        prefix: &[u8],
        counter: &str,
        field: &str,
    ) -> Result<Option<Bytes>, CacheError> {
        let value = self.map(key).get(key).map(|e| e.value);
        if value.as_deref().is_some_and(|v| v.starts_with(prefix)) {
            self.add_count(counter, field, 1).await?;
        }
        Ok(value)
    }

    async fn set(&self, key: &str, value: Bytes, ttl: Duration) -> Result<(), CacheError> {
        // Under the key's lock like `set_unless`: a plain insert could land
        // between its look at a key and its write, and a tombstone written
        // that way would be overwritten by the view it was meant to stop.
        let born = Instant::now();
        self.map(key)
            .entry(key.to_owned())
            .and_compute_with(|_| moka::ops::compute::Op::Put(Entry { value, ttl, born }));
        Ok(())
    }

    async fn set_if_absent(
        &self,
        key: &str,
        value: Bytes,
        ttl: Duration,
    ) -> Result<bool, CacheError> {
        let born = Instant::now();
        let entry = self
            .map(key)
            .entry(key.to_owned())
            .or_insert_with(|| Entry { value, ttl, born });
        Ok(entry.is_fresh())
    }

    async fn delete(&self, key: &str) -> Result<(), CacheError> {
        self.map(key).invalidate(key);
        self.counters
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(key);
        Ok(())
    }

    async fn replace_unless(
        &self,
        key: &str,
        value: Bytes,
        ttl: Duration,
        unless: &[u8],
    ) -> Result<bool, CacheError> {
        use moka::ops::compute::Op;
        let born = Instant::now();
        let outcome =
            self.map(key)
                .entry(key.to_owned())
                .and_compute_with(|current| match current {
                    Some(e) if !marked(&e.value().value, unless) => {
                        Op::Put(Entry { value, ttl, born })
                    }
                    _ => Op::Nop,
                });
        Ok(matches!(
            outcome,
            moka::ops::compute::CompResult::ReplacedWith(_)
        ))
    }

    async fn set_unless(
        &self,
        key: &str,
        value: Bytes,
        ttl: Duration,
        unless: &[u8],
    ) -> Result<bool, CacheError> {
        use moka::ops::compute::Op;
        let born = Instant::now();
        let outcome =
            self.map(key)
                .entry(key.to_owned())
                .and_compute_with(|current| match current {
                    Some(e) if marked(&e.value().value, unless) => Op::Nop,
                    _ => Op::Put(Entry { value, ttl, born }),
                });
        Ok(matches!(
            outcome,
            moka::ops::compute::CompResult::ReplacedWith(_)
                | moka::ops::compute::CompResult::Inserted(_)
        ))
    }

    /// In one process nothing is ever held in flight: a plain `set`.
    async fn set_tombstone(
        &self,
        key: &str,
        value: Bytes,
        ttl: Duration,
    ) -> Result<(), CacheError> {
        self.set(key, value, ttl).await
    }

    async fn remove_if(&self, key: &str, value: &[u8]) -> Result<bool, CacheError> {
        use moka::ops::compute::{CompResult, Op};
        let outcome =
            self.map(key)
                .entry(key.to_owned())
                .and_compute_with(|current| match current {
                    Some(e) if e.value().value.as_ref() == value => Op::Remove,
                    _ => Op::Nop,
                });
        Ok(matches!(outcome, CompResult::Removed(_)))
    }

    async fn take(
        &self,
        buckets: &[Bucket<'_>],
        now_ms: u64,
        spend: Spend,
    ) -> Result<Vec<Taken>, CacheError> {
        // One lock over every bucket (only `take` writes them): a set is
        // decided and stored as one step, as the Redis script does.
        let _one_at_a_time = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        let stored: Vec<(Rate, Option<u64>)> = buckets
            .iter()
            .map(|b| {
                let horizon = self.map(b.key).get(b.key).and_then(|e| {
                    let bytes: [u8; 8] = e.value.as_ref().try_into().ok()?;
                    Some(u64::from_le_bytes(bytes))
                });
                (b.rate, horizon)
            })
            .collect();
        let (taken, store) = bucket::decide_all(&stored, now_ms, spend);
        for (b, next) in buckets.iter().zip(store.into_iter().flatten()) {
            // Kept as long as any horizon can reach: gone means full.
            self.map(b.key).insert(
                b.key.to_owned(),
                Entry {
                    value: Bytes::copy_from_slice(&next.to_le_bytes()),
                    ttl: Duration::from_millis(b.rate.capacity_ms()),
                    born: Instant::now(),
                },
            );
        }
        Ok(taken)
    }

    async fn add_count(&self, key: &str, field: &str, by: u64) -> Result<(), CacheError> {
        let mut maps = self.counters.lock().unwrap_or_else(|p| p.into_inner());
        // Every hot read counts here: the key and the field are copied
        // only the first time.
        if !maps.contains_key(key) {
            maps.insert(key.to_owned(), HashMap::new());
        }
        if let Some(map) = maps.get_mut(key) {
            match map.get_mut(field) {
                Some(n) => *n += by,
                None => {
                    map.insert(field.to_owned(), by);
                }
            }
        }
        Ok(())
    }

    async fn count(&self, key: &str, field: &str) -> Result<u64, CacheError> {
        let maps = self.counters.lock().unwrap_or_else(|p| p.into_inner());
        Ok(maps
            .get(key)
            .and_then(|m| m.get(field))
            .copied()
            .unwrap_or(0))
    }

    async fn take_counts(&self, key: &str, batch: &str) -> Result<Vec<(String, u64)>, CacheError> {
        if self.control.contains_key(&done_key(batch)) {
            return Ok(Vec::new());
        }
        let mut maps = self.counters.lock().unwrap_or_else(|p| p.into_inner());
        if !maps.contains_key(batch)
            && let Some(taken) = maps.remove(key)
        {
            maps.insert(batch.to_owned(), taken);
        }
        Ok(maps
            .get(batch)
            .map(|m| m.iter().map(|(k, v)| (k.clone(), *v)).collect())
            .unwrap_or_default())
    }

    async fn finish_counts(&self, batch: &str) -> Result<(), CacheError> {
        self.counters
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(batch);
        let born = Instant::now();
        let marker = Entry {
            value: Bytes::from_static(b"1"),
            ttl: super::keys::FINISHED_BATCH_LIFE,
            born,
        };
        self.control.insert(done_key(batch), marker);
        Ok(())
    }

    async fn ping(&self) -> Result<(), CacheError> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn values_expire_and_set_if_absent_keeps_the_first() {
        let cache = MemoryCache::new(1 << 20);
        assert!(
            cache
                .set_if_absent("k", Bytes::from_static(b"a"), Duration::from_millis(50))
                .await
                .expect("ok")
        );
        assert!(
            !cache
                .set_if_absent("k", Bytes::from_static(b"b"), Duration::from_secs(5))
                .await
                .expect("ok")
        );
        assert_eq!(
            cache.get("k").await.expect("ok").as_deref(),
            Some(&b"a"[..])
        );
        tokio::time::sleep(Duration::from_millis(80)).await;
        assert_eq!(cache.get("k").await.expect("ok"), None);
    }

    #[tokio::test]
    async fn a_counting_read_counts_live_values_only() {
        let cache = MemoryCache::new(1 << 20);
        let ttl = Duration::from_secs(60);
        assert_eq!(
            cache
                .get_counting("v5:paste:a", b"PV", "c", "f")
                .await
                .expect("ok"),
            None
        );
        cache
            .set("v5:paste:a", Bytes::from_static(b"GONE"), ttl)
            .await
            .expect("ok");
        cache
            .get_counting("v5:paste:a", b"PV", "c", "f")
            .await
            .expect("ok");
        assert_eq!(
            cache.count("c", "f").await.expect("ok"),
            0,
            "absent and marked: not counted"
        );
        cache
            .set("v5:paste:a", Bytes::from_static(b"PV view"), ttl)
            .await
            .expect("ok");
        let read = cache
            .get_counting("v5:paste:a", b"PV", "c", "f")
            .await
            .expect("ok");
        assert_eq!(read.as_deref(), Some(&b"PV view"[..]));
        assert_eq!(cache.count("c", "f").await.expect("ok"), 1);
    }
}
