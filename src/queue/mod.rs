//! The job queue seam: durable, at-least-once delivery of jobs to workers.
//!
//! Redis Streams with a consumer group when Redis is configured (several
//! `pastebin worker` processes share the work, and take over the jobs of one
//! that died); an in-process queue for the embedded default, drained by the
//! worker loop inside `serve`. Handlers must be idempotent: a job may run
//! more than once.

pub mod memory;
pub mod redis_streams;

use std::time::Duration;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use crate::domain::PasteId;

/// A job: data with a stable name, so old and new workers agree on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Job {
    /// Assemble a paste's view and cache it ahead of its first read.
    Assemble {
        /// The paste id.
        id: PasteId,
    },
    /// Fold counted visits into the stored statistics; `batch` makes a
    /// redelivered fold count nothing twice.
    FoldVisits {
        /// A unique id of this fold.
        batch: String,
    },
    /// Delete expired pastes and their cached views.
    Sweep,
    /// Recount the forks of a paste into its `fork_count` (enqueued by each
    /// fork made or deleted; a recount, so a rerun changes nothing).
    CountForks {
        /// The original's id.
        id: PasteId,
    },
    /// Mark the forks of a paste that is gone (deleted) as forked from a
    /// deleted paste (set once, so a rerun changes nothing).
    OrphanForks {
        /// The original's id.
        id: PasteId,
    },
}

impl Job {
    /// The job's name, for metrics and logs.
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Job::Assemble { .. } => "assemble",
            Job::FoldVisits { .. } => "fold_visits",
            Job::Sweep => "sweep",
            Job::CountForks { .. } => "count_forks",
            Job::OrphanForks { .. } => "orphan_forks",
        }
    }
}

/// A job handed to one worker, to be acknowledged or given back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    /// The queue's id of this delivery.
    pub(crate) id: String,
    /// The job.
    pub job: Job,
    /// How many times it has been handed out, this time included.
    pub attempt: u32,
}

/// The queue could not be reached or refused, with its cause.
#[derive(Debug, thiserror::Error)]
pub enum QueueError {
    /// Redis failed, timed out or refused.
    #[error("the job queue is unavailable: {0}")]
    Redis(#[source] ::redis::RedisError),
    /// Redis had lost the consumer group (restarted empty, flushed); it was
    /// made again.
    #[error("the job queue is unavailable: {}", redis_streams::GROUP_LOST)]
    GroupLost,
}

/// Retry policy of failed jobs.
#[derive(Debug, Clone, Copy)]
pub struct RetryPolicy {
    /// Attempts before a job goes to the dead letters.
    pub max_attempts: u32,
    /// Delay before the first retry; doubled at each further one.
    pub backoff: Duration,
    /// A job held this long by a worker that does not answer is taken over.
    pub reclaim_after: Duration,
}

impl RetryPolicy {
    /// The delay before attempt `attempt + 1`.
    pub(crate) fn delay_after(&self, attempt: u32) -> Duration {
        self.backoff
            .saturating_mul(2u32.saturating_pow(attempt.saturating_sub(1)).min(1024))
    }
}

/// Where jobs wait for workers.
#[async_trait]
pub trait JobQueue: Send + Sync + 'static {
    /// A short name for logs and `/readyz`.
    fn backend(&self) -> &'static str;

    /// Adds a job; durable once this returns.
    async fn enqueue(&self, job: &Job) -> Result<(), QueueError>;

    /// Up to `max` jobs for `consumer`, waiting up to `wait` when there are
    /// none; includes jobs retried after their delay and jobs taken over from
    /// workers that died.
    async fn reserve(
        &self,
        consumer: &str,
        max: usize,
        wait: Duration,
    ) -> Result<Vec<Delivery>, QueueError>;

    /// The job is done: it will not be delivered again.
    async fn ack(&self, delivery: &Delivery) -> Result<(), QueueError>;

    /// The job failed: retried after a delay, or dead-lettered after the last attempt.
    async fn retry(&self, delivery: &Delivery, error: &str) -> Result<(), QueueError>;

    /// Jobs waiting or in hand.
    async fn depth(&self) -> Result<u64, QueueError>;

    /// What `/readyz` asks: the depth, or why jobs may not be flowing. A
    /// queue that repairs itself (a lost consumer group) reports the repair
    /// here once, as an error, so an operator sees it happened.
    async fn check(&self) -> Result<u64, QueueError> {
        self.depth().await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jobs_have_stable_names_on_the_wire() {
        let job = Job::Assemble {
            id: PasteId::parse("abcdEFGH").expect("an id"),
        };
        assert_eq!(
            serde_json::to_string(&job).expect("json"),
            r#"{"kind":"assemble","id":"abcdEFGH"}"#
        );
        assert_eq!(
            serde_json::to_string(&Job::Sweep).expect("json"),
            r#"{"kind":"sweep"}"#
        );
    }

    #[test]
    fn backoff_doubles_per_attempt() {
        let policy = RetryPolicy {
            max_attempts: 5,
            backoff: Duration::from_millis(100),
            reclaim_after: Duration::from_secs(30),
        };
        assert_eq!(policy.delay_after(1), Duration::from_millis(100));
        assert_eq!(policy.delay_after(3), Duration::from_millis(400));
    }
}
