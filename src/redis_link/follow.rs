//! Following the primary Sentinel names.
//!
//! One multiplexed connection at a time, to the node the sentinels named and
//! that confirmed it is the primary. A command that fails in a way a
//! failover causes (the connection dropped or refused, no answer in time, a
//! `READONLY` node that was demoted under us) drops that connection, and the
//! next command asks the sentinels again. Asking happens once at a time,
//! within the connect timeout, and not more than every `ASK_AGAIN_AFTER`
//! while it fails: during the seconds Sentinel takes to agree that the
//! primary is down, commands fail fast instead of queueing on a dead node.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use redis::aio::{ConnectionLike, MultiplexedConnection};
use redis::sentinel::{SentinelClient, SentinelNodeConnectionInfo, SentinelServerType};
use redis::{
    AsyncConnectionConfig, Cmd, ErrorKind, IntoConnectionInfo, Pipeline, RedisError, RedisFuture,
    Value,
};

use super::Patience;

/// Pause between two failed searches for the primary.
const ASK_AGAIN_AFTER: Duration = Duration::from_millis(100);

/// A connection to whichever node is the primary now; clones share it.
#[derive(Clone)]
pub struct Followed {
    shared: Arc<Shared>,
    /// For an exchange that must stay on one connection (a write and the
    /// `WAIT` for it): the generation its first command used.
    pin: Pin,
}

#[derive(Clone, Copy)]
enum Pin {
    Free,
    Unset,
    To(u64),
}

struct Shared {
    /// Locked by the one task that searches; others wait for its result.
    sentinel: tokio::sync::Mutex<SentinelClient>,
    current: Mutex<Current>,
    config: AsyncConnectionConfig,
    connect_within: Duration,
}

#[derive(Default)]
struct Current {
    /// The connection in use and its generation (which `forget` names).
    connection: Option<(u64, MultiplexedConnection)>,
    generation: u64,
    failed_at: Option<Instant>,
}

impl Followed {
    pub(super) fn new(
        sentinels: &[String],
        service: &str,
        patience: Patience,
    ) -> redis::RedisResult<Self> {
        let sentinel = sentinel_client(sentinels, service)?;
        Ok(Self {
            shared: Arc::new(Shared {
                sentinel: tokio::sync::Mutex::new(sentinel),
                current: Mutex::new(Current::default()),
                config: AsyncConnectionConfig::new()
                    .set_connection_timeout(Some(patience.connect))
                    .set_response_timeout(Some(patience.response)),
                connect_within: patience.connect,
            }),
            pin: Pin::Free,
        })
    }

    /// A handle whose commands all go on one connection: once it is lost,
    /// they fail instead of going to the next primary.
    pub(super) fn pinned(&self) -> Self {
        Self {
            shared: self.shared.clone(),
            pin: Pin::Unset,
        }
    }

    /// `connection`, kept to one connection for a pinned handle.
    async fn pinned_connection(&mut self) -> redis::RedisResult<(u64, MultiplexedConnection)> {
        let (generation, conn) = self.connection().await?;
        match self.pin {
            Pin::Free => {}
            Pin::Unset => self.pin = Pin::To(generation),
            Pin::To(first) if first != generation => {
                return Err(no_primary("the connection of this exchange was lost"));
            }
            Pin::To(_) => {}
        }
        Ok((generation, conn))
    }

    fn current(&self) -> Option<(u64, MultiplexedConnection)> {
        let current = self
            .shared
            .current
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        current.connection.clone()
    }

    /// The connection to the primary, found now if there is none.
    async fn connection(&self) -> redis::RedisResult<(u64, MultiplexedConnection)> {
        if let Some(found) = self.current() {
            return Ok(found);
        }
        let mut sentinel = self.shared.sentinel.lock().await;
        if let Some(found) = self.current() {
            return Ok(found);
        }
        let failed_at = self
            .shared
            .current
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .failed_at;
        if failed_at.is_some_and(|at| at.elapsed() < ASK_AGAIN_AFTER) {
            return Err(no_primary("the primary was not found a moment ago"));
        }
        let config = &self.shared.config;
        let search = async {
            let client = sentinel.async_get_client().await?;
            client
                .get_multiplexed_async_connection_with_config(config)
                .await
        };
        let found = tokio::time::timeout(self.shared.connect_within, search)
            .await
            .unwrap_or_else(|_| Err(no_primary("no primary found within the connect timeout")));
        let mut current = self
            .shared
            .current
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        match found {
            Ok(connection) => {
                current.generation += 1;
                current.failed_at = None;
                let generation = current.generation;
                current.connection = Some((generation, connection.clone()));
                tracing::info!(generation, "connected to the Redis primary Sentinel names");
                Ok((generation, connection))
            }
            Err(e) => {
                current.failed_at = Some(Instant::now());
                Err(e)
            }
        }
    }

    /// Drops connection `generation` if it is still the one in use.
    fn forget(&self, generation: u64, error: &RedisError) {
        let mut current = self
            .shared
            .current
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if current
            .connection
            .as_ref()
            .is_some_and(|(g, _)| *g == generation)
        {
            current.connection = None;
            tracing::warn!(%error, "Redis primary connection lost; asking Sentinel again");
        }
    }

    fn after<T>(&self, generation: u64, result: redis::RedisResult<T>) -> redis::RedisResult<T> {
        if let Err(e) = &result
            && failover_sign(e)
        {
            self.forget(generation, e);
        }
        result
    }

    pub(super) fn req_packed_command<'a>(&'a mut self, cmd: &'a Cmd) -> RedisFuture<'a, Value> {
        Box::pin(async move {
            let (generation, mut conn) = self.pinned_connection().await?;
            let result = conn.req_packed_command(cmd).await;
            self.after(generation, result)
        })
    }

    pub(super) fn req_packed_commands<'a>(
        &'a mut self,
        pipeline: &'a Pipeline,
        offset: usize,
        count: usize,
    ) -> RedisFuture<'a, Vec<Value>> {
        Box::pin(async move {
            let (generation, mut conn) = self.pinned_connection().await?;
            let result = conn.req_packed_commands(pipeline, offset, count).await;
            self.after(generation, result)
        })
    }

    pub(super) fn get_db(&self) -> i64 {
        0
    }
}

/// Whether `e` says this connection may no longer reach the primary.
fn failover_sign(e: &RedisError) -> bool {
    e.is_io_error()
        || e.is_connection_dropped()
        || e.is_connection_refusal()
        || e.is_timeout()
        || matches!(e.code(), Some("READONLY" | "MASTERDOWN" | "LOADING"))
}

fn no_primary(why: &'static str) -> RedisError {
    RedisError::from((ErrorKind::Io, "Redis Sentinel", why.to_owned()))
}

/// A client of the sentinels. The user, password and database of the first
/// sentinel URL serve for the data nodes too (the usual deployment: one
/// `requirepass` everywhere, and `sentinel auth-pass` for the sentinels).
fn sentinel_client(sentinels: &[String], service: &str) -> redis::RedisResult<SentinelClient> {
    let first = sentinels
        .first()
        .ok_or_else(|| no_primary("no sentinel is configured"))?;
    let nodes = SentinelNodeConnectionInfo::default().set_redis_connection_info(
        first
            .as_str()
            .into_connection_info()?
            .redis_settings()
            .clone(),
    );
    SentinelClient::build(
        sentinels.to_vec(),
        service.to_owned(),
        Some(nodes),
        SentinelServerType::Master,
    )
}

/// A client of the node the sentinels name primary now, confirmed by its
/// `ROLE`, found within `within`.
pub(super) async fn find_primary(
    sentinels: &[String],
    service: &str,
    within: Duration,
) -> redis::RedisResult<redis::Client> {
    let mut sentinel = sentinel_client(sentinels, service)?;
    tokio::time::timeout(within, sentinel.async_get_client())
        .await
        .unwrap_or_else(|_| Err(no_primary("no primary found within the connect timeout")))
}
