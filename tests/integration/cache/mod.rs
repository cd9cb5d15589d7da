//! Cached objects, rate limits and idempotency in one process (no Redis).

mod in_process;
