//! The Redis cache: shared by every clone of the fleet.
//!
//! One connection to the primary per process (`redis_link::Primary`), built
//! at start without waiting for Redis (a clone starts while Redis is down
//! and connects on first use); it reconnects by itself, and behind Sentinel
//! follows a failover. Short timeouts turn an outage into fast misses.
//!
//! Behind Sentinel, replication is asynchronous: a failover may promote a
//! replica that missed the last writes. The writes whose loss would show a
//! reader stale content (tombstones, replaced views) wait until a replica
//! has them (`WAIT 1`) before they count as done; Sentinel promotes the
//! replica with the most data, so it has them.

use std::time::Duration;

use async_trait::async_trait;
use bytes::Bytes;

use super::{Bucket, Cache, CacheError, Spend, Taken};
use crate::redis_link::{self, Patience, Primary, RedisTarget};

mod scripts;

use scripts::Scripts;

/// The most a tombstone may take from Redis's answer to `TIME` to its run.
/// On one connection the two follow each other within a millisecond; it
/// is also at most half the response timeout, so a tombstone the caller
/// stopped waiting for is always past its deadline.
const TOMBSTONE_BUDGET: Duration = Duration::from_millis(250);

/// A Redis-backed cache.
pub struct RedisCache {
    manager: Primary,
    scripts: Scripts,
    /// Replicas a write that must survive a failover waits for (0: none).
    replicas: u32,
    /// How long that wait may take.
    replica_wait: Duration,
    /// How long a tombstone may take to run (see `TOMBSTONE_BUDGET`).
    tombstone_budget: Duration,
}

fn failed(e: redis::RedisError) -> CacheError {
    CacheError::Redis(e)
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX).max(1)
}

impl RedisCache {
    /// Prepares the connection to `url`; nothing is sent until first use.
    pub fn connect(
        url: &str,
        response_timeout: Duration,
        connect_timeout: Duration,
    ) -> Result<Self, CacheError> {
        Self::connect_to(
            &RedisTarget::single(url),
            Patience {
                response: response_timeout,
                connect: connect_timeout,
            },
        )
    }

    /// Prepares the connection to the primary of `target`.
    pub fn connect_to(target: &RedisTarget, patience: Patience) -> Result<Self, CacheError> {
        let manager = target.connect(patience).map_err(failed)?;
        Ok(Self {
            manager,
            scripts: Scripts::new(),
            replicas: target.replicas_to_wait(),
            replica_wait: patience.response / 2,
            tombstone_budget: TOMBSTONE_BUDGET.min(patience.response / 2),
        })
    }

    /// `redis_link::replicated` with this cache's count and patience.
    async fn replicated(&self, conn: &mut Primary) -> Result<(), CacheError> {
        redis_link::replicated(conn, self.replicas, self.replica_wait)
            .await
            .map_err(failed)
    }
}

#[async_trait]
impl Cache for RedisCache {
    fn backend(&self) -> &'static str {
        "redis"
    }

    async fn get(&self, key: &str) -> Result<Option<Bytes>, CacheError> {
        let mut conn = self.manager.clone();
        let value: Option<Vec<u8>> = redis::cmd("GET")
            .arg(key)
            .query_async(&mut conn)
            .await
            .map_err(failed)?;
        Ok(value.map(Bytes::from))
    }

    async fn get_counting(
        &self,
        key: &str,
        prefix: &[u8],
        counter: &str,
        field: &str,
    ) -> Result<Option<Bytes>, CacheError> {
        let mut conn = self.manager.clone();
        let value: Option<Vec<u8>> = self
            .scripts
            .get_counting
            .key(key)
            .key(counter)
            .arg(prefix)
            .arg(field)
            .invoke_async(&mut conn)
            .await
            .map_err(failed)?;
        Ok(value.map(Bytes::from))
    }

    async fn set(&self, key: &str, value: Bytes, ttl: Duration) -> Result<(), CacheError> {
        let mut conn = self.manager.clone();
        redis::cmd("SET")
            .arg(key)
            .arg(value.as_ref())
            .arg("PX")
            .arg(millis(ttl))
            .query_async::<()>(&mut conn)
            .await
            .map_err(failed)
    }

    async fn set_if_absent(
        &self,
        key: &str,
        value: Bytes,
        ttl: Duration,
    ) -> Result<bool, CacheError> {
        let mut conn = self.manager.clone();
        let set: Option<String> = redis::cmd("SET")
            .arg(key)
            .arg(value.as_ref())
            .arg("NX")
            .arg("PX")
            .arg(millis(ttl))
            .query_async(&mut conn)
            .await
            .map_err(failed)?;
        Ok(set.is_some())
    }

    /// Behind Sentinel it waits for a replica: a log-out lost in a
    /// failover would bring the session back.
    async fn delete(&self, key: &str) -> Result<(), CacheError> {
        let mut conn = self.manager.one_connection();
        redis::cmd("DEL")
            .arg(key)
            .query_async::<()>(&mut conn)
            .await
            .map_err(failed)?;
        self.replicated(&mut conn).await
    }

    async fn replace_unless(
        &self,
        key: &str,
        value: Bytes,
        ttl: Duration,
        unless: &[u8],
    ) -> Result<bool, CacheError> {
        let mut conn = self.manager.one_connection();
        let replaced: u32 = self
            .scripts
            .replace_unless
            .key(key)
            .arg(value.as_ref())
            .arg(millis(ttl))
            .arg(unless)
            .invoke_async(&mut conn)
            .await
            .map_err(failed)?;
        // A view replaced because the paste changed: lost in a failover, the
        // old one would be read again. An error makes the caller retry.
        self.replicated(&mut conn).await?;
        Ok(replaced == 1)
    }

    async fn set_unless(
        &self,
        key: &str,
        value: Bytes,
        ttl: Duration,
        unless: &[u8],
    ) -> Result<bool, CacheError> {
        let mut conn = self.manager.clone();
        let stored: u32 = self
            .scripts
            .set_unless
            .key(key)
            .arg(value.as_ref())
            .arg(millis(ttl))
            .arg(unless)
            .invoke_async(&mut conn)
            .await
            .map_err(failed)?;
        Ok(stored == 1)
    }

    /// Two steps on one connection: `TIME` proves Redis answers now and
    /// gives the deadline in its own clock (no skew with this host's), then
    /// the script writes only before that deadline. Frozen before `TIME`:
    /// nothing that writes was sent. Frozen after: the script runs on
    /// resume, past its deadline, and writes nothing. Behind Sentinel a
    /// third: `WAIT` until a replica has it, or the tombstone is an error
    /// (and the caller undoes it and refuses the change).
    async fn set_tombstone(
        &self,
        key: &str,
        value: Bytes,
        ttl: Duration,
    ) -> Result<(), CacheError> {
        let mut conn = self.manager.one_connection();
        let (secs, micros): (u64, u64) = redis::cmd("TIME")
            .query_async(&mut conn)
            .await
            .map_err(failed)?;
        let deadline_ms = secs * 1_000 + micros / 1_000 + millis(self.tombstone_budget);
        let written: u32 = self
            .scripts
            .set_tombstone
            .key(key)
            .arg(value.as_ref())
            .arg(millis(ttl))
            .arg(deadline_ms)
            .invoke_async(&mut conn)
            .await
            .map_err(failed)?;
        if written == 1 {
            self.replicated(&mut conn).await
        } else {
            Err(CacheError::Late)
        }
    }

    async fn remove_if(&self, key: &str, value: &[u8]) -> Result<bool, CacheError> {
        let mut conn = self.manager.clone();
        let removed: u32 = self
            .scripts
            .remove_if
            .key(key)
            .arg(value)
            .invoke_async(&mut conn)
            .await
            .map_err(failed)?;
        Ok(removed == 1)
    }

    async fn take(
        &self,
        buckets: &[Bucket<'_>],
        now_ms: u64,
        spend: Spend,
    ) -> Result<Vec<Taken>, CacheError> {
        let mut invocation = self.scripts.take_tokens.prepare_invoke();
        invocation.arg(now_ms).arg(u8::from(spend == Spend::Take));
        for b in buckets {
            invocation
                .key(b.key)
                .arg(b.rate.interval_ms())
                .arg(b.rate.capacity_ms());
        }
        let mut conn = self.manager.clone();
        let answers: Vec<u64> = invocation.invoke_async(&mut conn).await.map_err(failed)?;
        if answers.len() != 2 * buckets.len() {
            return Err(CacheError::Redis(redis::RedisError::from((
                redis::ErrorKind::UnexpectedReturnType,
                "the bucket script answered another count of numbers",
                format!("{} numbers for {} buckets", answers.len(), buckets.len()),
            ))));
        }
        Ok(buckets
            .iter()
            .zip(answers.chunks_exact(2))
            .map(|(b, answer)| b.rate.taken(answer[0] == 1, answer[1]))
            .collect())
    }

    async fn add_count(&self, key: &str, field: &str, by: u64) -> Result<(), CacheError> {
        let mut conn = self.manager.clone();
        redis::cmd("HINCRBY")
            .arg(key)
            .arg(field)
            .arg(by)
            .query_async::<()>(&mut conn)
            .await
            .map_err(failed)
    }

    async fn add_counts(&self, key: &str, counts: &[(String, u64)]) -> Result<(), CacheError> {
        if counts.is_empty() {
            return Ok(());
        }
        // MULTI/EXEC: all of the batch or none of it. A batch refused before
        // EXEC is put back and sent again whole; only an answer lost after
        // EXEC ran could count it twice.
        let mut pipe = redis::pipe();
        pipe.atomic();
        for (field, by) in counts {
            pipe.cmd("HINCRBY").arg(key).arg(field).arg(*by).ignore();
        }
        let mut conn = self.manager.clone();
        pipe.query_async::<()>(&mut conn).await.map_err(failed)
    }

    async fn count(&self, key: &str, field: &str) -> Result<u64, CacheError> {
        let mut conn = self.manager.clone();
        let n: Option<u64> = redis::cmd("HGET")
            .arg(key)
            .arg(field)
            .query_async(&mut conn)
            .await
            .map_err(failed)?;
        Ok(n.unwrap_or(0))
    }

    /// Behind Sentinel the taken batch waits for a replica before the fold
    /// applies it: a take lost in a failover would leave the counts in the
    /// counter, to be folded again under another batch.
    async fn take_counts(&self, key: &str, batch: &str) -> Result<Vec<(String, u64)>, CacheError> {
        let mut conn = self.manager.one_connection();
        let pairs: std::collections::HashMap<String, u64> = self
            .scripts
            .take_counts
            .key(key)
            .key(batch)
            .key(format!("{batch}:done"))
            .arg(millis(super::keys::VISITS_BATCH_LIFE))
            .invoke_async(&mut conn)
            .await
            .map_err(failed)?;
        self.replicated(&mut conn).await?;
        Ok(pairs.into_iter().collect())
    }

    async fn finish_counts(&self, batch: &str) -> Result<(), CacheError> {
        let mut conn = self.manager.clone();
        redis::pipe()
            .atomic()
            .cmd("DEL")
            .arg(batch)
            .ignore()
            .cmd("SET")
            .arg(format!("{batch}:done"))
            .arg(1)
            .arg("PX")
            .arg(millis(super::keys::FINISHED_BATCH_LIFE))
            .ignore()
            .query_async::<()>(&mut conn)
            .await
            .map_err(failed)
    }

    async fn ping(&self) -> Result<(), CacheError> {
        let mut conn = self.manager.clone();
        redis::cmd("PING")
            .query_async::<String>(&mut conn)
            .await
            .map(drop)
            .map_err(failed)
    }
}
