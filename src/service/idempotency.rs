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

use bytes::Bytes;
use serde::{Deserialize, Serialize};

use super::pastes::Created;
use crate::cache::keys::{IDEMPOTENCY_LEASE as LEASE, IDEMPOTENCY_LIFE as REMEMBERED};
use crate::cache::{Cache, keys};
use crate::clock::Clock;
use crate::domain::PasteId;
use crate::error::AppError;

/// The paste an attempt will create: drawn before the key is claimed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Plan {
    /// The paste id.
    pub(crate) id: PasteId,
    /// The delete token.
    pub(crate) token: String,
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
pub(crate) enum Claim {
    /// The key is ours: create the planned paste, then `complete`.
    Fresh,
    /// Already done with the same paste: answer this again.
    Replay(Box<Created>),
    /// An earlier attempt stopped answering: finish its plan (the paste may
    /// already be stored).
    Resume(Plan),
}

/// Keeps idempotency records in the cache.
pub(crate) struct Idempotency {
    cache: Arc<dyn Cache>,
    clock: Clock,
}

fn encode(record: &Record) -> Bytes {
    Bytes::from(serde_json::to_vec(record).unwrap_or_default())
}

impl Idempotency {
    /// Records in `cache` (Redis in a fleet).
    pub(crate) fn new(cache: Arc<dyn Cache>, clock: Clock) -> Self {
        Self { cache, clock }
    }

    fn now_ms(&self) -> u64 {
        u64::try_from(self.clock.now().unix_timestamp_nanos() / 1_000_000).unwrap_or(0)
    }

    /// Claims `key` of `client` for a creation with this `fingerprint` and
    /// `plan`. With the cache down the creation goes ahead unprotected
    /// (logged), as creation must keep working without Redis.
    pub(crate) async fn claim(
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
            started_ms: self.now_ms(),
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
                    if self.now_ms().saturating_sub(started_ms) < LEASE.as_millis() as u64 {
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
    pub(crate) async fn complete(
        &self,
        client: &str,
        key: &str,
        fingerprint: &str,
        created: &Created,
    ) {
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
    pub(crate) async fn abandon(&self, client: &str, key: &str, plan: &Plan) {
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
