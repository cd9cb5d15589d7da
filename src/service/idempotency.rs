//! `Idempotency-Key`: a creation retried with the same key (by a client or a
//! balancer, on any clone) gets the paste of the first attempt, for 24 hours.
//! The same key with a different paste is refused.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use serde::{Deserialize, Serialize};

use super::pastes::Created;
use crate::cache::{Cache, keys};
use crate::error::AppError;

/// How long a key is remembered.
const REMEMBERED: Duration = Duration::from_secs(24 * 3600);
/// How long a creation may hold a key before a retry may take it over.
const LEASE: Duration = Duration::from_secs(30);

/// What is kept under a key.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
enum Record {
    /// A creation with this key is under way.
    Pending { fingerprint: String },
    /// It is done: here is what it answered.
    Done {
        fingerprint: String,
        created: Box<Created>,
    },
}

/// The outcome of claiming a key.
pub enum Claim {
    /// The key is ours: create, then `complete` (or `abandon` on failure).
    Fresh,
    /// Already done with the same paste: answer this again.
    Replay(Box<Created>),
}

/// Keeps idempotency records in the cache.
pub struct Idempotency {
    cache: Arc<dyn Cache>,
}

fn encode(record: &Record) -> Bytes {
    Bytes::from(serde_json::to_vec(record).unwrap_or_default())
}

impl Idempotency {
    /// Records in `cache` (Redis in a fleet).
    pub fn new(cache: Arc<dyn Cache>) -> Self {
        Self { cache }
    }

    /// Checks a client's key: 1 to 255 visible ASCII characters.
    pub fn check_key(key: &str) -> Result<(), AppError> {
        let ok = (1..=255).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_graphic());
        if ok {
            Ok(())
        } else {
            Err(AppError::InvalidField {
                code: "invalid_idempotency_key",
                message: "Idempotency-Key must be 1 to 255 visible ASCII characters".into(),
            })
        }
    }

    /// Claims `key` for a creation with this `fingerprint`. With the cache
    /// down the creation goes ahead unprotected (logged), as creation must
    /// keep working without Redis.
    pub async fn claim(&self, key: &str, fingerprint: &str) -> Result<Claim, AppError> {
        let cache_key = keys::idempotency(key);
        let pending = encode(&Record::Pending {
            fingerprint: fingerprint.to_owned(),
        });
        for _ in 0..2 {
            match self
                .cache
                .set_if_absent(&cache_key, pending.clone(), LEASE)
                .await
            {
                Ok(true) => return Ok(Claim::Fresh),
                Ok(false) => {}
                Err(e) => {
                    tracing::warn!(error = %e, "Idempotency-Key not checked: the cache is down");
                    return Ok(Claim::Fresh);
                }
            }
            let Ok(Some(bytes)) = self.cache.get(&cache_key).await else {
                continue; // expired in between: claim again
            };
            return match serde_json::from_slice::<Record>(&bytes) {
                Ok(Record::Done {
                    fingerprint: f,
                    created,
                }) if f == fingerprint => Ok(Claim::Replay(created)),
                Ok(Record::Pending { fingerprint: f }) if f == fingerprint => {
                    Err(AppError::IdempotencyInProgress)
                }
                _ => Err(AppError::IdempotencyKeyReused),
            };
        }
        Err(AppError::IdempotencyInProgress)
    }

    /// Remembers what the creation answered, for replays.
    pub async fn complete(&self, key: &str, fingerprint: &str, created: &Created) {
        let record = Record::Done {
            fingerprint: fingerprint.to_owned(),
            created: Box::new(created.clone()),
        };
        if let Err(e) = self
            .cache
            .set(&keys::idempotency(key), encode(&record), REMEMBERED)
            .await
        {
            tracing::warn!(error = %e, "Idempotency-Key not recorded: the cache is down");
        }
    }

    /// Frees the key after a failed creation, so a corrected retry can use it.
    pub async fn abandon(&self, key: &str) {
        let _ = self.cache.delete(&keys::idempotency(key)).await;
    }
}
