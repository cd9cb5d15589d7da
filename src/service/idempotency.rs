//! `Idempotency-Key`: a creation retried with the same key (by a client or a
//! balancer, on any clone) gets the paste of the first attempt, for 24 hours.
//! The same key with a different paste is refused. Keys are scoped to the
//! client's address: two clients never see each other's records.
//!
//! The paste's id and delete token are drawn before the key is claimed and
//! kept in the record, so a retry after an attempt that died half-way (after
//! the paste was stored, before the answer was recorded) resumes with the
//! same id: the store's unique id decides, and no second paste is made.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use serde::{Deserialize, Serialize};

use super::pastes::Created;
use crate::cache::{Cache, keys};
use crate::error::AppError;

/// How long a key is remembered.
const REMEMBERED: Duration = Duration::from_secs(24 * 3600);
/// How long an attempt may hold a key before a retry may resume it.
const LEASE: Duration = Duration::from_secs(30);

/// The paste an attempt will create: drawn before the key is claimed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    /// The paste id.
    pub id: String,
    /// The delete token.
    pub token: String,
}

/// What is kept under a key.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
enum Record {
    /// An attempt with this key is under way (or died).
    Pending {
        fingerprint: String,
        plan: Plan,
        started_ms: u64,
    },
    /// It is done: here is what it answered.
    Done {
        fingerprint: String,
        created: Box<Created>,
    },
}

/// The outcome of claiming a key.
pub enum Claim {
    /// The key is ours: create the planned paste, then `complete`.
    Fresh,
    /// Already done with the same paste: answer this again.
    Replay(Box<Created>),
    /// An earlier attempt stopped answering: finish its plan (the paste may
    /// already be stored).
    Resume(Plan),
}

/// Keeps idempotency records in the cache.
pub struct Idempotency {
    cache: Arc<dyn Cache>,
}

fn encode(record: &Record) -> Bytes {
    Bytes::from(serde_json::to_vec(record).unwrap_or_default())
}

fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default()
        .as_millis() as u64
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

    /// Claims `key` of `client` for a creation with this `fingerprint` and
    /// `plan`. With the cache down the creation goes ahead unprotected
    /// (logged), as creation must keep working without Redis.
    pub async fn claim(
        &self,
        client: &str,
        key: &str,
        fingerprint: &str,
        plan: &Plan,
    ) -> Result<Claim, AppError> {
        let cache_key = keys::idempotency(client, key);
        let pending = encode(&Record::Pending {
            fingerprint: fingerprint.to_owned(),
            plan: plan.clone(),
            started_ms: now_ms(),
        });
        for _ in 0..2 {
            match self
                .cache
                .set_if_absent(&cache_key, pending.clone(), REMEMBERED)
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
                Ok(Record::Pending {
                    fingerprint: f,
                    plan,
                    started_ms,
                }) if f == fingerprint => {
                    if now_ms().saturating_sub(started_ms) < LEASE.as_millis() as u64 {
                        Err(AppError::IdempotencyInProgress)
                    } else {
                        Ok(Claim::Resume(plan))
                    }
                }
                _ => Err(AppError::IdempotencyKeyReused),
            };
        }
        Err(AppError::IdempotencyInProgress)
    }

    /// Remembers what the creation answered, for replays.
    pub async fn complete(&self, client: &str, key: &str, fingerprint: &str, created: &Created) {
        let record = Record::Done {
            fingerprint: fingerprint.to_owned(),
            created: Box::new(created.clone()),
        };
        let cache_key = keys::idempotency(client, key);
        if let Err(e) = self
            .cache
            .set(&cache_key, encode(&record), REMEMBERED)
            .await
        {
            tracing::warn!(error = %e, "Idempotency-Key not recorded: the cache is down");
        }
    }

    /// Frees the key after a creation that was refused (bad input), so a
    /// corrected retry can use it; only if the record is still this attempt's.
    pub async fn abandon(&self, client: &str, key: &str, plan: &Plan) {
        let cache_key = keys::idempotency(client, key);
        let ours = match self.cache.get(&cache_key).await {
            Ok(Some(bytes)) => matches!(
                serde_json::from_slice::<Record>(&bytes),
                Ok(Record::Pending { plan: p, .. }) if p == *plan
            ),
            _ => false,
        };
        if ours {
            let _ = self.cache.delete(&cache_key).await;
        }
    }
}
