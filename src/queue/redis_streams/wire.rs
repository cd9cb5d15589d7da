//! What the queue writes to and reads from Redis: the job envelope, the
//! shape of stream replies, and the two scripts.

use redis::Value;
use serde::{Deserialize, Serialize};

use crate::queue::Job;

/// Moves due retries from the delayed set to the stream, atomically.
pub(super) const PROMOTE: &str = r"
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, ARGV[2])
for _, envelope in ipairs(due) do
  if redis.call('ZREM', KEYS[1], envelope) == 1 then
    redis.call('XADD', KEYS[2], '*', 'e', envelope)
  end
end
return #due
";

/// A job and how many times it was tried before this entry was written.
#[derive(Debug, Serialize, Deserialize)]
pub(super) struct Envelope {
    pub(super) job: Job,
    pub(super) prior: u32,
    /// Makes retries of equal jobs distinct members of the delayed set.
    uid: String,
}

impl Envelope {
    pub(super) fn new(job: Job, prior: u32) -> Self {
        Self {
            job,
            prior,
            uid: uuid::Builder::from_random_bytes(rand::random())
                .into_uuid()
                .to_string(),
        }
    }

    pub(super) fn encode(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// Counts what is waiting and whether the group exists, in one round trip.
pub(super) const STATE: &str = r"
local group = 0
if redis.call('EXISTS', KEYS[1]) == 1 then
  for _, g in ipairs(redis.call('XINFO', 'GROUPS', KEYS[1])) do
    if g[2] == ARGV[1] then group = 1 end
  end
end
return {redis.call('XLEN', KEYS[1]), redis.call('ZCARD', KEYS[2]), group}
";

pub(super) fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default()
        .as_millis() as u64
}

/// Entries of a stream reply: `[[id, [field, value, ...]], ...]`.
pub(super) fn entries(value: &Value) -> Vec<(String, Option<Envelope>)> {
    let Value::Array(items) = value else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|item| {
            let Value::Array(parts) = item else {
                return None;
            };
            let id: String = redis::from_redis_value(parts.first()?.clone()).ok()?;
            let fields: Vec<String> = parts
                .get(1)
                .and_then(|f| redis::from_redis_value(f.clone()).ok())?;
            let envelope = fields
                .chunks(2)
                .find(|pair| pair.first().map(String::as_str) == Some("e"))
                .and_then(|pair| serde_json::from_str(pair.get(1)?).ok());
            Some((id, envelope))
        })
        .collect()
}
