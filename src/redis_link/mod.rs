//! How this process reaches the Redis primary: one fixed URL (`redis.url`),
//! or the primary Sentinel names (`redis.sentinels` + `redis.service_name`).
//!
//! Everything that talks to Redis (cache, sessions, rate limits, the job
//! queue) holds a [`Primary`], which implements the client's
//! `ConnectionLike`, so commands, pipelines and scripts are sent the same way
//! on both topologies. Behind Sentinel it follows a failover by itself
//! (`follow`); it never retries a command on another node (a command that
//! failed may have run): the caller sees the error, as with one Redis that
//! went away, and the next command goes to the new primary.
//!
//! The near cache's tracking link is not a `Primary`: it needs a connection
//! of its own, and asks `RedisTarget::primary_client` where to open it.

use std::time::Duration;

use redis::aio::{ConnectionLike, ConnectionManager, ConnectionManagerConfig};
use redis::{Cmd, Pipeline, RedisFuture, Value};

mod follow;

use follow::Followed;

/// Where the primary is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RedisTarget {
    /// One Redis at this URL.
    Single(String),
    /// The primary the sentinels at these URLs name for `service`.
    Sentinel {
        /// `redis://host:port` of each sentinel.
        sentinels: Vec<String>,
        /// The name the sentinels monitor the primary under.
        service: String,
    },
}

/// How patient a connection is.
#[derive(Debug, Clone, Copy)]
pub struct Patience {
    /// Longest wait for an answer.
    pub response: Duration,
    /// Longest wait for a connection (for Sentinel: to find the primary and
    /// connect to it).
    pub connect: Duration,
}

impl RedisTarget {
    /// One Redis at `url`.
    pub fn single(url: &str) -> Self {
        Self::Single(url.to_owned())
    }

    /// Whether a failover may hand the data to a replica that missed the
    /// last writes (asynchronous replication): then writes that must
    /// survive it wait for a replica (`WAIT`).
    pub(crate) fn replicas_to_wait(&self) -> u32 {
        u32::from(matches!(self, Self::Sentinel { .. }))
    }

    /// Prepares a connection to the primary; nothing is sent until first use.
    pub fn connect(&self, patience: Patience) -> redis::RedisResult<Primary> {
        match self {
            Self::Single(url) => {
                let client = redis::Client::open(url.as_str())?;
                let config = ConnectionManagerConfig::new()
                    .set_response_timeout(Some(patience.response))
                    .set_connection_timeout(Some(patience.connect))
                    .set_number_of_retries(1)
                    .set_max_delay(Duration::from_millis(500));
                Ok(Primary::Fixed(ConnectionManager::new_lazy_with_config(
                    client, config,
                )?))
            }
            Self::Sentinel { sentinels, service } => Ok(Primary::Followed(Followed::new(
                sentinels, service, patience,
            )?)),
        }
    }

    /// A client of the primary as of now (Sentinel is asked, and the node it
    /// names has confirmed with `ROLE` that it is the primary).
    pub(crate) async fn primary_client(
        &self,
        within: Duration,
    ) -> redis::RedisResult<redis::Client> {
        match self {
            Self::Single(url) => redis::Client::open(url.as_str()),
            Self::Sentinel { sentinels, service } => {
                follow::find_primary(sentinels, service, within).await
            }
        }
    }
}

/// Waits until `replicas` replicas have every write made so far on `conn`
/// (`WAIT`), at most `within`; an error when fewer did (the writes are on
/// the primary, and a failover now may lose them). Nothing to wait for
/// when `replicas` is 0.
pub(crate) async fn replicated(
    conn: &mut Primary,
    replicas: u32,
    within: Duration,
) -> redis::RedisResult<()> {
    if replicas == 0 {
        return Ok(());
    }
    let within_ms = u64::try_from(within.as_millis()).unwrap_or(u64::MAX).max(1);
    let acknowledged: u32 = redis::cmd("WAIT")
        .arg(replicas)
        .arg(within_ms)
        .query_async(conn)
        .await?;
    if acknowledged >= replicas {
        Ok(())
    } else {
        Err(redis::RedisError::from((
            redis::ErrorKind::Io,
            "no replica acknowledged the write in time",
        )))
    }
}

/// A connection to the primary, cheap to clone (clones share it).
#[derive(Clone)]
pub enum Primary {
    /// One Redis: the client's manager, which reconnects by itself.
    Fixed(ConnectionManager),
    /// The primary Sentinel names, found again after a failover.
    Followed(Followed),
}

impl Primary {
    /// A handle whose commands all go on the connection its first one used
    /// (a write and its `WAIT`); after a failover they fail rather than
    /// continue on the new primary. One Redis: the same manager.
    pub(crate) fn one_connection(&self) -> Self {
        match self {
            Self::Fixed(manager) => Self::Fixed(manager.clone()),
            Self::Followed(followed) => Self::Followed(followed.pinned()),
        }
    }
}

impl ConnectionLike for Primary {
    fn req_packed_command<'a>(&'a mut self, cmd: &'a Cmd) -> RedisFuture<'a, Value> {
        match self {
            Self::Fixed(manager) => manager.req_packed_command(cmd),
            Self::Followed(followed) => followed.req_packed_command(cmd),
        }
    }

    fn req_packed_commands<'a>(
        &'a mut self,
        pipeline: &'a Pipeline,
        offset: usize,
        count: usize,
    ) -> RedisFuture<'a, Vec<Value>> {
        match self {
            Self::Fixed(manager) => manager.req_packed_commands(pipeline, offset, count),
            Self::Followed(followed) => followed.req_packed_commands(pipeline, offset, count),
        }
    }

    fn get_db(&self) -> i64 {
        match self {
            Self::Fixed(manager) => manager.get_db(),
            Self::Followed(followed) => followed.get_db(),
        }
    }
}
