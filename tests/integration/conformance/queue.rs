//! The job queue conformance suite: what `pastebin::queue::JobQueue`
//! promises, run against the in-process queue and against Redis Streams (a
//! real `redis-server` of each test's own; without one the Redis cases fail
//! loudly).

use std::sync::Arc;
use std::time::{Duration, Instant};

use pastebin::queue::memory::MemoryQueue;
use pastebin::queue::redis_streams::RedisStreamsQueue;
use pastebin::queue::{Delivery, Job, JobQueue, RetryPolicy};

use crate::support::redis::RedisServer;
use crate::support::sentinel::SentinelSet;

/// Every backend of the suite runs with this policy.
const POLICY: RetryPolicy = RetryPolicy {
    max_attempts: 2,
    backoff: Duration::from_millis(100),
    reclaim_after: Duration::from_millis(300),
};

/// The n-th distinct job of a test (jobs are compared by value).
fn job(n: usize) -> Job {
    Job::FoldVisits {
        batch: format!("batch-{n}"),
    }
}

async fn reserve(queue: &Arc<dyn JobQueue>, consumer: &str, max: usize) -> Vec<Delivery> {
    queue
        .reserve(consumer, max, Duration::ZERO)
        .await
        .expect("the queue answers a reserve")
}

async fn depth(queue: &Arc<dyn JobQueue>) -> u64 {
    queue.depth().await.expect("the queue answers depth")
}

/// Asks (without blocking) until something is delivered to `consumer`.
async fn next_delivery(queue: &Arc<dyn JobQueue>, consumer: &str, within: Duration) -> Delivery {
    let deadline = Instant::now() + within;
    loop {
        if let Some(delivery) = reserve(queue, consumer, 1).await.pop() {
            return delivery;
        }
        assert!(Instant::now() < deadline, "nothing delivered in {within:?}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// Jobs come out in order, once each, counted in the depth until acknowledged.
pub async fn jobs_are_delivered_in_order_and_gone_once_acknowledged(queue: Arc<dyn JobQueue>) {
    assert_eq!(depth(&queue).await, 0);
    assert!(reserve(&queue, "w", 10).await.is_empty(), "nothing yet");
    for n in 0..3 {
        queue.enqueue(&job(n)).await.expect("enqueued");
    }
    assert_eq!(depth(&queue).await, 3);
    let delivered = reserve(&queue, "w", 10).await;
    let jobs: Vec<Job> = delivered.iter().map(|d| d.job.clone()).collect();
    assert_eq!(jobs, [job(0), job(1), job(2)]);
    assert!(delivered.iter().all(|d| d.attempt == 1), "{delivered:?}");
    assert_eq!(depth(&queue).await, 3, "jobs in hand still count");
    assert!(
        reserve(&queue, "other", 10).await.is_empty(),
        "a job in hand is not handed to another worker"
    );
    for delivery in &delivered {
        queue.ack(delivery).await.expect("acknowledged");
    }
    assert_eq!(depth(&queue).await, 0);
    assert!(reserve(&queue, "w", 10).await.is_empty(), "never again");
}

/// `reserve` hands out at most `max` jobs; the rest wait for the next call.
pub async fn reserve_hands_out_at_most_max(queue: Arc<dyn JobQueue>) {
    for n in 0..5 {
        queue.enqueue(&job(n)).await.expect("enqueued");
    }
    let first = reserve(&queue, "w", 2).await;
    let rest = reserve(&queue, "w", 10).await;
    assert_eq!((first.len(), rest.len()), (2, 3));
    for delivery in first.iter().chain(&rest) {
        queue.ack(delivery).await.expect("acknowledged");
    }
    assert_eq!(depth(&queue).await, 0);
}

/// A waiting `reserve` returns as soon as a job is enqueued, and empty-handed
/// after its wait when none is.
pub async fn a_waiting_reserve_wakes_for_a_new_job(queue: Arc<dyn JobQueue>) {
    let started = Instant::now();
    let none = queue
        .reserve("w", 10, Duration::from_millis(200))
        .await
        .expect("reserved");
    assert!(none.is_empty());
    assert!(started.elapsed() >= Duration::from_millis(150), "it waited");

    let waiter = {
        let queue = queue.clone();
        tokio::spawn(async move { queue.reserve("w", 10, Duration::from_secs(4)).await })
    };
    tokio::time::sleep(Duration::from_millis(100)).await;
    let enqueued = Instant::now();
    queue.enqueue(&job(0)).await.expect("enqueued");
    let woken = waiter.await.expect("joined").expect("reserved");
    assert_eq!(woken.len(), 1);
    assert!(
        enqueued.elapsed() < Duration::from_secs(2),
        "woke after {:?}",
        enqueued.elapsed()
    );
}

/// A failed job comes back after its delay as the next attempt, and after the
/// last attempt it is dead-lettered: never delivered again, not in the depth.
pub async fn a_failed_job_is_retried_after_its_delay_then_dead_lettered(queue: Arc<dyn JobQueue>) {
    queue.enqueue(&job(0)).await.expect("enqueued");
    let first = next_delivery(&queue, "w", Duration::from_secs(1)).await;
    assert_eq!(first.attempt, 1);
    let failed_at = Instant::now();
    queue.retry(&first, "boom").await.expect("given back");
    assert_eq!(depth(&queue).await, 1, "a delayed job still counts");
    assert!(
        reserve(&queue, "w", 10).await.is_empty(),
        "not before its delay"
    );

    let second = next_delivery(&queue, "w", Duration::from_secs(2)).await;
    assert!(
        failed_at.elapsed() >= POLICY.backoff,
        "back after {:?}",
        failed_at.elapsed()
    );
    assert_eq!((second.job.clone(), second.attempt), (job(0), 2));
    queue
        .retry(&second, "boom again")
        .await
        .expect("given back");
    assert_eq!(depth(&queue).await, 0, "dead after the last attempt");
    // Past the delay a second retry would have had (the backoff doubles).
    tokio::time::sleep(POLICY.backoff * 4).await;
    assert!(reserve(&queue, "w", 10).await.is_empty(), "never again");
}

/// A job held by a worker that went silent is handed to another after
/// `reclaim_after`, as the next attempt; one abandoned on its last attempt
/// is dead-lettered.
pub async fn a_job_held_by_a_dead_worker_is_taken_over(queue: Arc<dyn JobQueue>) {
    queue.enqueue(&job(0)).await.expect("enqueued");
    let held = reserve(&queue, "doomed", 10).await;
    assert_eq!(held.len(), 1);
    assert!(
        reserve(&queue, "heir", 10).await.is_empty(),
        "not before the holder has been silent long enough"
    );
    tokio::time::sleep(POLICY.reclaim_after).await;
    let taken = next_delivery(&queue, "heir", Duration::from_secs(2)).await;
    assert_eq!((taken.job.clone(), taken.attempt), (job(0), 2));
    assert_eq!(depth(&queue).await, 1);

    // The heir dies too, on the last attempt: nobody gets the job again.
    tokio::time::sleep(POLICY.reclaim_after * 2).await;
    assert!(reserve(&queue, "third", 10).await.is_empty());
    assert_eq!(depth(&queue).await, 0, "dead-lettered");
}

macro_rules! conformance {
    ($backend:ident, $open:expr $(, #[$reclaim:meta])?) => {
        mod $backend {
            use super::*;
            conformance!(@case $open, jobs_are_delivered_in_order_and_gone_once_acknowledged);
            conformance!(@case $open, reserve_hands_out_at_most_max);
            conformance!(@case $open, a_waiting_reserve_wakes_for_a_new_job);
            conformance!(@case $open, a_failed_job_is_retried_after_its_delay_then_dead_lettered);
            conformance!(@case $open, a_job_held_by_a_dead_worker_is_taken_over $(, #[$reclaim])?);
        }
    };
    (@case $open:expr, $name:ident $(, #[$attr:meta])?) => {
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        $(#[$attr])?
        async fn $name() {
            let (queue, _server) = $open;
            super::$name(queue).await;
        }
    };
}

fn in_process() -> (Arc<dyn JobQueue>, ()) {
    (Arc::new(MemoryQueue::new(POLICY)), ())
}

/// A queue on a Redis of the test's own, stopped when the test ends.
async fn redis_streams() -> (Arc<dyn JobQueue>, RedisServer) {
    let server = RedisServer::start().await;
    let queue = RedisStreamsQueue::connect(&server.url(), POLICY, Duration::from_secs(2))
        .expect("the Redis connection is prepared");
    (Arc::new(queue), server)
}

conformance!(
    memory_queue,
    in_process(),
    #[ignore = "in-process: a worker dies only with its process, and the queue dies with it"]
);
conformance!(redis_streams_queue, redis_streams().await);

/// A queue on the primary of a Sentinel deployment of the test's own.
async fn sentinel_streams() -> (Arc<dyn JobQueue>, SentinelSet) {
    let set = SentinelSet::start().await;
    let queue = RedisStreamsQueue::connect_to(&set.target(), POLICY, Duration::from_secs(2))
        .expect("the Redis connection is prepared");
    (Arc::new(queue), set)
}

conformance!(sentinel_streams_queue, sentinel_streams().await);
