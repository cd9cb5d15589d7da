//! The Redis cache: shared by every clone of the fleet.
//!
//! One `ConnectionManager` per process, built at start without waiting for
//! Redis (a clone starts while Redis is down and connects on first use); it
//! reconnects by itself. Short timeouts turn an outage into fast misses.

use std::time::Duration;

use async_trait::async_trait;
use bytes::Bytes;
use redis::aio::{ConnectionManager, ConnectionManagerConfig};

use super::{Cache, CacheError, WindowCount};

/// A Redis-backed cache.
pub struct RedisCache {
    manager: ConnectionManager,
}

fn failed(e: redis::RedisError) -> CacheError {
    CacheError(e.to_string())
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
        let client = redis::Client::open(url).map_err(failed)?;
        let config = ConnectionManagerConfig::new()
            .set_response_timeout(Some(response_timeout))
            .set_connection_timeout(Some(connect_timeout))
            .set_number_of_retries(1)
            .set_max_delay(Duration::from_millis(500));
        let manager = ConnectionManager::new_lazy_with_config(client, config).map_err(failed)?;
        Ok(Self { manager })
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

    async fn delete(&self, key: &str) -> Result<(), CacheError> {
        let mut conn = self.manager.clone();
        redis::cmd("DEL")
            .arg(key)
            .query_async::<()>(&mut conn)
            .await
            .map_err(failed)
    }

    async fn hit(&self, key: &str, window: Duration) -> Result<WindowCount, CacheError> {
        let mut conn = self.manager.clone();
        // One round trip, atomic: start the window if new, count, read its age.
        let (count, pttl): (u64, i64) = redis::pipe()
            .atomic()
            .cmd("SET")
            .arg(key)
            .arg(0)
            .arg("NX")
            .arg("PX")
            .arg(millis(window))
            .ignore()
            .cmd("INCR")
            .arg(key)
            .cmd("PTTL")
            .arg(key)
            .query_async(&mut conn)
            .await
            .map_err(failed)?;
        let resets_in = Duration::from_millis(u64::try_from(pttl).unwrap_or(0));
        Ok(WindowCount { count, resets_in })
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
