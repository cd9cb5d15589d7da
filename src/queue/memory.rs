//! The in-process queue of the embedded default: at-least-once within the
//! process (a job in hand is retried if its handler fails), gone with it.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use async_trait::async_trait;
use tokio::sync::Notify;

use super::{Delivery, Job, JobQueue, QueueError, RetryPolicy};

#[derive(Default)]
struct State {
    next_id: u64,
    ready: VecDeque<(u64, Job, u32)>,
    delayed: Vec<(Instant, u64, Job, u32)>,
    in_hand: HashMap<u64, (Job, u32)>,
    dead: usize,
}

/// An in-process queue.
pub struct MemoryQueue {
    state: Mutex<State>,
    wake: Notify,
    policy: RetryPolicy,
}

impl MemoryQueue {
    /// An empty queue.
    pub fn new(policy: RetryPolicy) -> Self {
        Self {
            state: Mutex::new(State::default()),
            wake: Notify::new(),
            policy,
        }
    }

    fn take(&self, max: usize) -> Vec<Delivery> {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let now = Instant::now();
        let (due, later): (Vec<_>, Vec<_>) = std::mem::take(&mut state.delayed)
            .into_iter()
            .partition(|d| d.0 <= now);
        state.delayed = later;
        for (_, id, job, attempt) in due {
            state.ready.push_back((id, job, attempt));
        }
        let mut out = Vec::new();
        while out.len() < max {
            let Some((id, job, attempt)) = state.ready.pop_front() else {
                break;
            };
            state.in_hand.insert(id, (job.clone(), attempt + 1));
            out.push(Delivery {
                id: id.to_string(),
                job,
                attempt: attempt + 1,
            });
        }
        out
    }
}

#[async_trait]
impl JobQueue for MemoryQueue {
    fn backend(&self) -> &'static str {
        "in-process"
    }

    async fn enqueue(&self, job: &Job) -> Result<(), QueueError> {
        {
            let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
            state.next_id += 1;
            let id = state.next_id;
            state.ready.push_back((id, job.clone(), 0));
        }
        self.wake.notify_one();
        Ok(())
    }

    async fn reserve(
        &self,
        _consumer: &str,
        max: usize,
        wait: Duration,
    ) -> Result<Vec<Delivery>, QueueError> {
        let deadline = Instant::now() + wait;
        loop {
            let taken = self.take(max);
            if !taken.is_empty() {
                return Ok(taken);
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Ok(Vec::new());
            }
            // Wake for a new job, or poll for delayed ones coming due.
            let _ =
                tokio::time::timeout(left.min(Duration::from_millis(100)), self.wake.notified())
                    .await;
        }
    }

    async fn ack(&self, delivery: &Delivery) -> Result<(), QueueError> {
        let id: u64 = delivery.id.parse().unwrap_or(0);
        self.state
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .in_hand
            .remove(&id);
        Ok(())
    }

    async fn retry(&self, delivery: &Delivery, error: &str) -> Result<(), QueueError> {
        let id: u64 = delivery.id.parse().unwrap_or(0);
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let Some((job, attempt)) = state.in_hand.remove(&id) else {
            return Ok(());
        };
        if attempt >= self.policy.max_attempts {
            state.dead += 1;
            tracing::error!(
                kind = job.kind(),
                attempt,
                error,
                "job failed for the last time; dropped"
            );
        } else {
            let due = Instant::now() + self.policy.delay_after(attempt);
            state.delayed.push((due, id, job, attempt));
        }
        Ok(())
    }

    async fn depth(&self) -> Result<u64, QueueError> {
        let state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        Ok((state.ready.len() + state.delayed.len() + state.in_hand.len()) as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn queue() -> MemoryQueue {
        MemoryQueue::new(RetryPolicy {
            max_attempts: 2,
            backoff: Duration::from_millis(10),
            reclaim_after: Duration::from_secs(1),
        })
    }

    #[tokio::test]
    async fn a_failed_job_comes_back_after_its_delay_then_is_dropped() {
        let q = queue();
        q.enqueue(&Job::Sweep).await.expect("queued");
        let first = q.reserve("w", 10, Duration::ZERO).await.expect("reserved");
        assert_eq!(first.len(), 1);
        assert_eq!(first[0].attempt, 1);
        q.retry(&first[0], "boom").await.expect("retried");
        assert!(
            q.reserve("w", 10, Duration::ZERO)
                .await
                .expect("reserved")
                .is_empty(),
            "not before its delay"
        );
        let second = q
            .reserve("w", 10, Duration::from_millis(500))
            .await
            .expect("reserved");
        assert_eq!(second[0].attempt, 2);
        q.retry(&second[0], "boom").await.expect("retried");
        assert_eq!(
            q.depth().await.expect("depth"),
            0,
            "dead after the last attempt"
        );
    }
}
