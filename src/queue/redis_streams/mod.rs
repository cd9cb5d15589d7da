//! The job queue on Redis Streams.
//!
//! - `v1:jobs`: the stream; consumer group `workers`. A job is delivered to one
//!   worker (`XREADGROUP`), stays in the group's pending list until that worker
//!   acknowledges it (`XACK`, then `XDEL` to keep the stream short), and is
//!   taken over (`XAUTOCLAIM`) when its worker has been silent for
//!   `reclaim_after`: a worker killed mid-job loses nothing.
//! - `v1:jobs:delayed`: a sorted set of failed jobs waiting for their retry
//!   (score: when), moved back to the stream by a script, atomically.
//! - `v1:jobs:dead`: a stream of jobs that failed `max_attempts` times (the
//!   latest ten thousand or so are kept).
//!
//! Redis may lose the group while the queue runs (a restart without
//! persistence, `FLUSHALL`, a failover to an empty replica). Every command
//! that needs the group recreates it when Redis answers `NOGROUP`, from the
//! start of the stream (`0`), so jobs enqueued since are delivered, and
//! [`JobQueue::check`] reports the loss to `/readyz` once.
//!
//! Behind Sentinel replication is asynchronous, so an enqueue returns only
//! once a replica has the job (`WAIT 1`): Sentinel promotes the replica with
//! the most data, so a job its maker was told is queued survives a failover.
//! What can still be lost is the state the workers wrote in the last moments
//! (an acknowledgement, a retry's move), so a job may run twice: handlers are
//! idempotent (docs/operating.md, "Failover").

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

mod lost;
mod wire;

use async_trait::async_trait;
use redis::Value;

pub(crate) use self::lost::GROUP_LOST;
use self::lost::{Lost, failed, lost_group};
use self::wire::{Envelope, PROMOTE, STATE, entries, now_ms};

use super::{Delivery, Job, JobQueue, QueueError, RetryPolicy};

use crate::redis_link::{self, Patience, Primary, RedisTarget};

use crate::cache::keys::{JOBS_DEAD as DEAD, JOBS_DELAYED as DELAYED, JOBS_STREAM as STREAM};

const GROUP: &str = "workers";
/// Dead letters kept for inspection (the oldest are trimmed past this, roughly).
const DEAD_KEPT: u64 = 10_000;

/// The Redis Streams queue.
pub struct RedisStreamsQueue {
    commands: Primary,
    blocking: Primary,
    policy: RetryPolicy,
    /// Replicas an enqueue waits for (behind Sentinel: one), so a job
    /// acknowledged to its maker survives a failover.
    replicas: u32,
    replica_wait: Duration,
    group_ready: AtomicBool,
    /// The scripts, hashed once (a call sends the hash, not the text).
    promote: redis::Script,
    state: redis::Script,
}

impl RedisStreamsQueue {
    /// A queue on the Redis at `url`; `wait` is the longest a `reserve` blocks.
    pub fn connect(
        url: &str,
        policy: RetryPolicy,
        response_timeout: Duration,
    ) -> Result<Self, QueueError> {
        Self::connect_to(&RedisTarget::single(url), policy, response_timeout)
    }

    /// A queue on the primary of `target` (behind Sentinel, the new primary
    /// after a failover: see the module's note on what one can lose).
    pub fn connect_to(
        target: &RedisTarget,
        policy: RetryPolicy,
        response_timeout: Duration,
    ) -> Result<Self, QueueError> {
        let patience = |response| Patience {
            response,
            connect: Duration::from_millis(500),
        };
        let commands = target.connect(patience(response_timeout)).map_err(failed)?;
        // Blocking reads hold their connection: they get one of their own.
        let blocking = target
            .connect(patience(Duration::from_secs(10)))
            .map_err(failed)?;
        Ok(Self {
            commands,
            blocking,
            policy,
            replicas: target.replicas_to_wait(),
            replica_wait: response_timeout / 2,
            group_ready: AtomicBool::new(false),
            promote: redis::Script::new(PROMOTE),
            state: redis::Script::new(STATE),
        })
    }

    /// Forgets that the group exists (Redis said it does not) and makes it again.
    async fn recreate_group(&self) -> Result<(), QueueError> {
        self.group_ready.store(false, Ordering::Relaxed);
        tracing::warn!("{GROUP_LOST}");
        self.ensure_group().await
    }

    async fn ensure_group(&self) -> Result<(), QueueError> {
        if self.group_ready.load(Ordering::Relaxed) {
            return Ok(());
        }
        let mut conn = self.commands.clone();
        let created: Result<(), _> = redis::cmd("XGROUP")
            .arg("CREATE")
            .arg(STREAM)
            .arg(GROUP)
            .arg("0")
            .arg("MKSTREAM")
            .query_async(&mut conn)
            .await;
        match created {
            Ok(()) => {}
            Err(e) if e.code() == Some("BUSYGROUP") => {}
            Err(e) => return Err(failed(e)),
        }
        self.group_ready.store(true, Ordering::Relaxed);
        Ok(())
    }

    /// Finishes an entry: acknowledged and removed, with `then` in the same
    /// transaction. When the group is gone the entry is removed all the same.
    async fn finish(&self, id: &str, then: Option<redis::Cmd>) -> Result<(), QueueError> {
        match self.finish_once(id, then.clone()).await {
            Err(e) if lost_group(&e) => {
                self.recreate_group().await?;
                self.finish_once(id, then).await.map_err(failed)
            }
            done => done.map_err(failed),
        }
    }

    async fn finish_once(&self, id: &str, then: Option<redis::Cmd>) -> redis::RedisResult<()> {
        let mut conn = self.commands.clone();
        let mut pipe = redis::pipe();
        pipe.atomic();
        if let Some(cmd) = then {
            pipe.add_command(cmd).ignore();
        }
        pipe.cmd("XACK").arg(STREAM).arg(GROUP).arg(id).ignore();
        pipe.cmd("XDEL").arg(STREAM).arg(id).ignore();
        pipe.query_async::<()>(&mut conn).await
    }

    fn dead_letter(envelope: &Envelope, error: &str) -> redis::Cmd {
        let mut cmd = redis::cmd("XADD");
        cmd.arg(DEAD)
            .arg("MAXLEN")
            .arg("~")
            .arg(DEAD_KEPT)
            .arg("*")
            .arg("e")
            .arg(envelope.encode())
            .arg("error")
            .arg(error);
        cmd
    }

    /// One attempt of `reserve`; `Lost::Group` when Redis no longer has the group.
    async fn reserve_once(
        &self,
        consumer: &str,
        max: usize,
        wait: Duration,
    ) -> Result<Vec<Delivery>, Lost> {
        let mut conn = self.commands.clone();
        self.promote
            .key(DELAYED)
            .key(STREAM)
            .arg(now_ms())
            .arg(max)
            .invoke_async::<u64>(&mut conn)
            .await?;
        let mut out = self.reclaim(consumer, max).await?;
        if out.len() >= max {
            return Ok(out);
        }
        let mut read = redis::cmd("XREADGROUP");
        read.arg("GROUP")
            .arg(GROUP)
            .arg(consumer)
            .arg("COUNT")
            .arg(max - out.len());
        let block = wait.as_millis() as u64;
        if block > 0 {
            read.arg("BLOCK").arg(block.min(5_000));
        }
        read.arg("STREAMS").arg(STREAM).arg(">");
        let mut blocking = self.blocking.clone();
        let reply: Value = read.query_async(&mut blocking).await?;
        if let Value::Array(streams) = reply {
            for stream in streams {
                let Value::Array(pair) = stream else { continue };
                for (id, envelope) in pair.get(1).map(entries).unwrap_or_default() {
                    match envelope {
                        Some(envelope) => out.push(Delivery {
                            id,
                            job: envelope.job,
                            attempt: envelope.prior + 1,
                        }),
                        None => self.finish(&id, None).await?,
                    }
                }
            }
        }
        Ok(out)
    }

    /// Takes over jobs whose worker went silent; those tried too often die.
    async fn reclaim(&self, consumer: &str, max: usize) -> Result<Vec<Delivery>, Lost> {
        let mut conn = self.commands.clone();
        let reply: Value = redis::cmd("XAUTOCLAIM")
            .arg(STREAM)
            .arg(GROUP)
            .arg(consumer)
            .arg(self.policy.reclaim_after.as_millis() as u64)
            .arg("0-0")
            .arg("COUNT")
            .arg(max)
            .query_async(&mut conn)
            .await?;
        let Value::Array(parts) = reply else {
            return Ok(Vec::new());
        };
        let claimed = parts.get(1).map(entries).unwrap_or_default();
        let mut out = Vec::new();
        for (id, envelope) in claimed {
            let Some(envelope) = envelope else {
                self.finish(&id, None).await?; // unreadable: nothing to run
                continue;
            };
            let delivered: Value = redis::cmd("XPENDING")
                .arg(STREAM)
                .arg(GROUP)
                .arg(&id)
                .arg(&id)
                .arg(1)
                .query_async(&mut conn)
                .await?;
            let times = match &delivered {
                Value::Array(rows) => rows
                    .first()
                    .and_then(|row| match row {
                        Value::Array(f) => f
                            .get(3)
                            .and_then(|v| redis::from_redis_value::<u32>(v.clone()).ok()),
                        _ => None,
                    })
                    .unwrap_or(1),
                _ => 1,
            };
            let attempt = envelope.prior + times;
            if attempt > self.policy.max_attempts {
                tracing::error!(
                    kind = envelope.job.kind(),
                    attempt,
                    "job abandoned by its workers too often; dead-lettered"
                );
                let dead = Self::dead_letter(&envelope, "its workers stopped answering");
                self.finish(&id, Some(dead)).await?;
                continue;
            }
            tracing::warn!(
                kind = envelope.job.kind(),
                attempt,
                "took over a job from a silent worker"
            );
            out.push(Delivery {
                id,
                job: envelope.job,
                attempt,
            });
        }
        Ok(out)
    }
}

#[async_trait]
impl JobQueue for RedisStreamsQueue {
    fn backend(&self) -> &'static str {
        "redis-streams"
    }

    async fn enqueue(&self, job: &Job) -> Result<(), QueueError> {
        self.ensure_group().await?;
        let mut conn = self.commands.one_connection();
        redis::cmd("XADD")
            .arg(STREAM)
            .arg("*")
            .arg("e")
            .arg(Envelope::new(job.clone(), 0).encode())
            .query_async::<String>(&mut conn)
            .await
            .map_err(failed)?;
        // An error here leaves the job on the primary (it may run) and tells
        // its maker it may not: makers handle both (they run it inline or
        // leave it to the next occasion), and handlers are idempotent.
        redis_link::replicated(&mut conn, self.replicas, self.replica_wait)
            .await
            .map_err(failed)
    }

    async fn reserve(
        &self,
        consumer: &str,
        max: usize,
        wait: Duration,
    ) -> Result<Vec<Delivery>, QueueError> {
        self.ensure_group().await?;
        match self.reserve_once(consumer, max, wait).await {
            Err(Lost::Group) => {
                self.recreate_group().await?;
                self.reserve_once(consumer, max, wait)
                    .await
                    .map_err(Lost::into_error)
            }
            done => done.map_err(Lost::into_error),
        }
    }

    async fn ack(&self, delivery: &Delivery) -> Result<(), QueueError> {
        self.finish(&delivery.id, None).await
    }

    async fn retry(&self, delivery: &Delivery, error: &str) -> Result<(), QueueError> {
        let envelope = Envelope::new(delivery.job.clone(), delivery.attempt);
        let then = if delivery.attempt >= self.policy.max_attempts {
            tracing::error!(
                kind = delivery.job.kind(),
                attempt = delivery.attempt,
                error,
                "job failed for the last time; dead-lettered"
            );
            Self::dead_letter(&envelope, error)
        } else {
            let due = now_ms() + self.policy.delay_after(delivery.attempt).as_millis() as u64;
            let mut cmd = redis::cmd("ZADD");
            cmd.arg(DELAYED).arg(due).arg(envelope.encode());
            cmd
        };
        self.finish(&delivery.id, Some(then)).await
    }

    async fn check(&self) -> Result<u64, QueueError> {
        let had_group = self.group_ready.load(Ordering::Relaxed);
        let mut conn = self.commands.clone();
        let (waiting, delayed, group): (u64, u64, u8) = self
            .state
            .key(STREAM)
            .key(DELAYED)
            .arg(GROUP)
            .invoke_async(&mut conn)
            .await
            .map_err(failed)?;
        if group == 1 {
            return Ok(waiting + delayed);
        }
        if had_group {
            self.recreate_group().await?;
            return Err(QueueError::GroupLost);
        }
        // Never made by this process yet (a fresh Redis): not a loss.
        self.ensure_group().await?;
        Ok(waiting + delayed)
    }

    async fn depth(&self) -> Result<u64, QueueError> {
        let mut conn = self.commands.clone();
        let (waiting, delayed): (u64, u64) = redis::pipe()
            .cmd("XLEN")
            .arg(STREAM)
            .cmd("ZCARD")
            .arg(DELAYED)
            .query_async(&mut conn)
            .await
            .map_err(failed)?;
        Ok(waiting + delayed)
    }
}
