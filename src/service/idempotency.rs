//! `Idempotency-Key`: a creation retried with the same key (by a client or a
//! balancer, on any clone) gets the paste of the first attempt, for 24 hours.
//! The same key with a different paste is refused. Keys are scoped to the
//! client's address: two clients never see each other's records.
//!
//! The paste's id and delete token are drawn before the key is claimed and
//! kept in the record, so a retry after an attempt that died half-way (after
//! the paste was stored, before the answer was recorded) resumes with the
//! same id: the store's unique id decides, and no second paste is made.
//!
//! A record never holds the delete token in the clear: it is sealed
//! (ChaCha20-Poly1305) under a key derived from the client, the
//! `Idempotency-Key` itself and the paste's fingerprint. Redis keeps only a
//! hash of the `Idempotency-Key`, so whoever reads Redis cannot open a
//! record; only a client that sends the same key and the same paste can. The
//! key is therefore the replay's credential, and must be drawn at random.

use std::sync::Arc;

use bytes::Bytes;
use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::pastes::Created;
use crate::cache::keys::{IDEMPOTENCY_LEASE as LEASE, IDEMPOTENCY_LIFE as REMEMBERED};
use crate::cache::{Cache, keys};
use crate::clock::Clock;
use crate::domain::PasteId;
use crate::error::AppError;

/// The paste an attempt will create: drawn before the key is claimed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Plan {
    /// The paste id.
    pub(crate) id: PasteId,
    /// The delete token.
    pub(crate) token: String,
}

/// What is kept under a key; `sealed` is the delete token, sealed.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
enum Record {
    /// An attempt with this key is under way (or died).
    Pending {
        fingerprint: String,
        id: PasteId,
        sealed: Vec<u8>,
        started_ms: u64,
    },
    /// It is done: here is what it answered (its token blanked).
    Done {
        fingerprint: String,
        created: Box<Created>,
        sealed: Vec<u8>,
    },
}

/// The key a record's token is sealed under: only a request with the same
/// client, `Idempotency-Key` and paste derives it.
struct Seal(ChaCha20Poly1305);

/// Bytes of a ChaCha20-Poly1305 nonce, stored before the sealed token.
const NONCE_BYTES: usize = 12;

impl Seal {
    fn new(client: &str, key: &str, fingerprint: &str) -> Self {
        let mut hash = Sha256::new();
        for part in ["pastebin idempotency seal v1", client, key, fingerprint] {
            hash.update((part.len() as u64).to_le_bytes());
            hash.update(part.as_bytes());
        }
        let secret: [u8; 32] = hash.finalize().into();
        Self(ChaCha20Poly1305::new(Key::from_slice(&secret)))
    }

    /// A fresh random nonce, then the sealed token.
    fn seal(&self, token: &str) -> Vec<u8> {
        let nonce: [u8; NONCE_BYTES] = rand::random();
        let sealed = self
            .0
            .encrypt(Nonce::from_slice(&nonce), token.as_bytes())
            .unwrap_or_default();
        [nonce.as_slice(), &sealed].concat()
    }

    /// The token, when `sealed` was sealed under this key and is intact.
    fn open(&self, sealed: &[u8]) -> Option<String> {
        if sealed.len() <= NONCE_BYTES {
            return None;
        }
        let (nonce, body) = sealed.split_at(NONCE_BYTES);
        let token = self.0.decrypt(Nonce::from_slice(nonce), body).ok()?;
        String::from_utf8(token).ok()
    }
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
        let seal = Seal::new(client, key, fingerprint);
        let pending = encode(&Record::Pending {
            fingerprint: fingerprint.to_owned(),
            id: plan.id.clone(),
            sealed: seal.seal(&plan.token),
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
            // A record whose token does not open was not made by this
            // request: refused like a different paste.
            return match serde_json::from_slice::<Record>(&bytes) {
                Ok(Record::Done {
                    fingerprint: f,
                    mut created,
                    sealed,
                }) if f == fingerprint => match seal.open(&sealed) {
                    Some(token) => {
                        created.delete_token = token;
                        Ok(Claim::Replay(created))
                    }
                    None => Err(AppError::IdempotencyKeyReused),
                },
                Ok(Record::Pending {
                    fingerprint: f,
                    id,
                    sealed,
                    started_ms,
                }) if f == fingerprint => {
                    let Some(token) = seal.open(&sealed) else {
                        return Err(AppError::IdempotencyKeyReused);
                    };
                    if self.now_ms().saturating_sub(started_ms) < LEASE.as_millis() as u64 {
                        Err(AppError::IdempotencyInProgress)
                    } else {
                        Ok(Claim::Resume(Plan { id, token }))
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
        let seal = Seal::new(client, key, fingerprint);
        let record = Record::Done {
            fingerprint: fingerprint.to_owned(),
            sealed: seal.seal(&created.delete_token),
            created: Box::new(Created {
                delete_token: String::new(),
                ..created.clone()
            }),
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
                Ok(Record::Pending { id, .. }) if id == plan.id
            ),
            _ => false,
        };
        if ours {
            let _ = self.cache.delete(&cache_key).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_token_opens_only_for_the_same_request() {
        let seal = Seal::new("192.0.2.1", "6f1c0a3e-key", "fingerprint");
        let sealed = seal.seal("the-delete-token");
        assert!(
            !sealed.windows(16).any(|w| w == b"the-delete-token"),
            "not in the clear"
        );
        assert_eq!(seal.open(&sealed).as_deref(), Some("the-delete-token"));
        assert_ne!(
            seal.seal("the-delete-token"),
            sealed,
            "a fresh nonce each time"
        );
        for other in [
            Seal::new("192.0.2.2", "6f1c0a3e-key", "fingerprint"),
            Seal::new("192.0.2.1", "6f1c0a3e-kez", "fingerprint"),
            Seal::new("192.0.2.1", "6f1c0a3e-key", "fingerprinT"),
        ] {
            assert_eq!(other.open(&sealed), None);
        }
        let mut tampered = sealed.clone();
        tampered[NONCE_BYTES] ^= 1;
        assert_eq!(seal.open(&tampered), None);
        assert_eq!(seal.open(&sealed[..NONCE_BYTES]), None);
    }
}
