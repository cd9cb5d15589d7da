//! The invalidation link of a near tier: a dedicated RESP3 connection with
//! `CLIENT TRACKING ON BCAST PREFIX <prefix>`, so Redis pushes the name of
//! every key under the prefix that any client changes, or that expires or is
//! evicted (and a null on `FLUSHALL`).
//!
//! The link asks `ROLE` every `heartbeat`; an answer proves every push sent
//! before it was applied (pushes and answers share the connection, in
//! order), which keeps the tier serving, and says the node is still the
//! primary. An error, a timeout, a disconnection or a node that is no longer
//! the primary (demoted by a Sentinel failover: it would no longer hear the
//! writes) empties the tier, and the link reconnects by itself: to the
//! primary Sentinel names now, so the tier refills only once its link is on
//! the new primary.

use std::convert::Infallible;
use std::sync::Weak;
use std::time::{Duration, Instant};

use redis::aio::MultiplexedConnection;
use redis::{AsyncConnectionConfig, ProtocolVersion, PushInfo, PushKind, Value};
use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};

use super::near::{NearTier, Weigh};
use crate::redis_link::RedisTarget;

/// Where the link connects and how patient it is.
#[derive(Debug, Clone)]
pub(crate) struct LinkSettings {
    /// Where the primary is.
    pub(crate) target: RedisTarget,
    /// Keys tracked: those starting with this.
    pub(crate) prefix: String,
    /// How long a connection or a heartbeat may take.
    pub(crate) timeout: Duration,
}

/// Pause between attempts to reconnect a lost link.
const RECONNECT_EVERY: Duration = Duration::from_millis(200);

/// Keeps `tier` coherent until it is dropped.
pub(crate) fn spawn<V: Weigh + Clone + Send + Sync + 'static>(
    tier: Weak<NearTier<V>>,
    settings: LinkSettings,
) {
    tokio::spawn(async move {
        let mut reported = false;
        loop {
            let Some(near) = tier.upgrade() else { return };
            let Err(e) = track(&near, &settings).await;
            // Once per outage: when a working link is lost, or the first
            // attempt fails (a Redis that refuses tracking says so here).
            if near.link_down() || !reported {
                tracing::warn!(error = %e, "near cache link to Redis lost; reads go to Redis until it is back");
                reported = true;
            }
            drop(near);
            tokio::time::sleep(RECONNECT_EVERY).await;
            if tier.strong_count() == 0 {
                return;
            }
        }
    });
}

/// One life of the link: connects, tracks, and heartbeats until it fails
/// (it returns only with an error).
async fn track<V: Weigh + Clone + Send + Sync + 'static>(
    near: &NearTier<V>,
    settings: &LinkSettings,
) -> Result<Infallible, redis::RedisError> {
    let (tx, mut pushes) = unbounded_channel();
    let client = settings.target.primary_client(settings.timeout).await?;
    let info = client.get_connection_info().clone();
    let resp3 = info
        .redis_settings()
        .clone()
        .set_protocol(ProtocolVersion::RESP3);
    let client = redis::Client::open(info.set_redis_settings(resp3))?;
    let config = AsyncConnectionConfig::new()
        .set_connection_timeout(Some(settings.timeout))
        .set_response_timeout(Some(settings.timeout))
        .set_push_sender(tx);
    let mut conn = client
        .get_multiplexed_async_connection_with_config(&config)
        .await?;
    redis::cmd("CLIENT")
        .arg("TRACKING")
        .arg("ON")
        .arg("BCAST")
        .arg("PREFIX")
        .arg(&settings.prefix)
        .query_async::<()>(&mut conn)
        .await?;
    near.link_up();
    tracing::info!("near cache link to Redis is tracking");
    loop {
        heartbeat(near, &mut conn, &mut pushes).await?;
        let due = tokio::time::sleep(near.heartbeat());
        tokio::pin!(due);
        loop {
            tokio::select! {
                () = &mut due => break,
                push = pushes.recv() => {
                    if !apply(near, push) {
                        return Err(disconnected());
                    }
                }
            }
        }
    }
}

/// One `ROLE`; on its answer, applies every push received before it and
/// marks the tier proven as of when it was sent, if the node is the primary.
async fn heartbeat<V: Weigh + Clone + Send + Sync + 'static>(
    near: &NearTier<V>,
    conn: &mut MultiplexedConnection,
    pushes: &mut UnboundedReceiver<PushInfo>,
) -> Result<(), redis::RedisError> {
    let sent = Instant::now();
    let role: Value = redis::cmd("ROLE").query_async(conn).await?;
    if !is_primary(&role) {
        return Err(redis::RedisError::from((
            redis::ErrorKind::Io,
            "the tracked node is no longer the primary",
        )));
    }
    while let Ok(push) = pushes.try_recv() {
        if !apply(near, Some(push)) {
            return Err(disconnected());
        }
    }
    near.proven(sent);
    Ok(())
}

/// Applies one push; false when it says the connection is gone.
fn apply<V: Weigh + Clone + Send + Sync + 'static>(
    near: &NearTier<V>,
    push: Option<PushInfo>,
) -> bool {
    let Some(push) = push else { return false };
    match push.kind {
        PushKind::Disconnection => false,
        PushKind::Invalidate => {
            match push.data.first() {
                Some(Value::Array(keys)) => {
                    for key in keys {
                        if let Value::BulkString(key) = key {
                            near.evict(&String::from_utf8_lossy(key));
                        }
                    }
                    near.told(keys.len() as u64);
                }
                // A null: the whole database was flushed.
                _ => {
                    near.evict_all();
                    near.told(1);
                }
            }
            true
        }
        _ => true,
    }
}

/// Whether a `ROLE` answer says `master`.
fn is_primary(role: &Value) -> bool {
    let first = match role {
        Value::Array(items) => items.first(),
        _ => None,
    };
    match first {
        Some(Value::BulkString(name)) => name.as_slice() == b"master",
        Some(Value::SimpleString(name)) => name == "master",
        _ => false,
    }
}

fn disconnected() -> redis::RedisError {
    redis::RedisError::from((redis::ErrorKind::Io, "the tracking connection was closed"))
}
