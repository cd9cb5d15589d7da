//! Sealing and opening password-protected pastes: argon2id derives a key
//! from the password and a random salt, XChaCha20-Poly1305 seals the title
//! and content with it. The store keeps only the ciphertext, the salt, the
//! nonce and the parameters; the key and the plaintext exist only while a
//! creation or an unlocked read is being answered.
//!
//! A key derivation costs what a log-in's hash costs (the same
//! `accounts.password_*` settings), so it runs on the blocking pool, a few
//! at a time. A wrong password costs exactly what a right one does: one
//! derivation, one failed tag check.

use std::sync::Arc;

use argon2::{Algorithm, Argon2, Params, Version};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use serde::{Deserialize, Serialize};
use tokio::sync::Semaphore;

use crate::domain::{Content, PasteLock, Title};
use crate::error::AppError;

/// Bound into every seal: a ciphertext of another use of these primitives
/// never opens as a paste.
const AAD: &[u8] = b"pastebin paste lock v1";

/// The most bytes of a paste's password.
pub(crate) const MAX_PASSWORD_BYTES: usize = 1024;

/// What a lock hides.
#[derive(Serialize, Deserialize)]
struct Plain {
    title: Option<String>,
    content: String,
}

/// A locked paste's title and content, once opened.
pub(crate) struct Opened {
    /// The title.
    pub(crate) title: Option<Title>,
    /// The text.
    pub(crate) content: Content,
}

/// Derives keys with the configured cost, a few at a time.
#[derive(Clone)]
pub(crate) struct Locks {
    memory_kib: u32,
    iterations: u32,
    lanes: Arc<Semaphore>,
}

impl Locks {
    /// Keys of `memory_kib` KiB and `iterations` passes (the account
    /// password settings, bounded there to what argon2 accepts).
    pub(crate) fn new(memory_kib: u32, iterations: u32) -> Self {
        let cores = std::thread::available_parallelism().map_or(2, usize::from);
        Self {
            memory_kib,
            iterations,
            lanes: Arc::new(Semaphore::new((cores / 2).max(1))),
        }
    }

    /// Seals `title` and `content` under `password`, fresh salt and nonce.
    pub(crate) async fn seal(
        &self,
        password: String,
        title: Option<Title>,
        content: Content,
    ) -> Result<PasteLock, AppError> {
        let (memory_kib, iterations) = (self.memory_kib, self.iterations);
        self.blocking(move || {
            let salt: [u8; 16] = rand::random();
            let nonce: [u8; 24] = rand::random();
            let key = derive(&password, &salt, memory_kib, iterations)?;
            let plain = serde_json::to_vec(&Plain {
                title: title.map(|t| t.as_str().to_owned()),
                content: content.as_str().to_owned(),
            })
            .map_err(|e| AppError::Internal(e.into()))?;
            let sealed = cipher(&key)
                .encrypt(
                    XNonce::from_slice(&nonce),
                    Payload {
                        msg: &plain,
                        aad: AAD,
                    },
                )
                .map_err(|_| AppError::Internal(anyhow::anyhow!("sealing a paste failed")))?;
            Ok(PasteLock {
                memory_kib,
                iterations,
                salt,
                nonce,
                sealed,
            })
        })
        .await?
    }

    /// Opens `lock` with `password`: `None` when it is the wrong one (or
    /// the ciphertext was altered: the tag tells neither apart).
    pub(crate) async fn open(
        &self,
        password: String,
        lock: PasteLock,
    ) -> Result<Option<Opened>, AppError> {
        self.blocking(move || {
            let key = derive(&password, &lock.salt, lock.memory_kib, lock.iterations)?;
            let Ok(plain) = cipher(&key).decrypt(
                XNonce::from_slice(&lock.nonce),
                Payload {
                    msg: &lock.sealed,
                    aad: AAD,
                },
            ) else {
                return Ok(None);
            };
            let Plain { title, content } = serde_json::from_slice(&plain)
                .map_err(|e| AppError::Internal(anyhow::anyhow!("an opened lock: {e}")))?;
            Ok(Some(Opened {
                title: title.map(Title::trusted),
                content: Content::trusted(content),
            }))
        })
        .await?
    }

    async fn blocking<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, AppError> {
        let lane = self
            .lanes
            .clone()
            .acquire_owned()
            .await
            .map_err(|e| AppError::Internal(anyhow::anyhow!("paste locks closed: {e}")))?;
        let span = tracing::Span::current();
        tokio::task::spawn_blocking(move || {
            let _lane = lane;
            span.in_scope(work)
        })
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("a paste lock stopped: {e}")))
    }
}

fn derive(
    password: &str,
    salt: &[u8],
    memory_kib: u32,
    iterations: u32,
) -> Result<[u8; 32], AppError> {
    let params = Params::new(memory_kib, iterations, 1, Some(32))
        .map_err(|e| AppError::Internal(anyhow::anyhow!("argon2 parameters: {e}")))?;
    let mut key = [0u8; 32];
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(password.as_bytes(), salt, &mut key)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("argon2: {e}")))?;
    Ok(key)
}

fn cipher(key: &[u8; 32]) -> XChaCha20Poly1305 {
    XChaCha20Poly1305::new(key.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_lock_opens_with_its_password_only_and_holds_no_plaintext() {
        let locks = Locks::new(64, 1);
        let title = Title::parse("my title", 100).expect("valid");
        let content = Content::parse("the secret text".into(), 100).expect("valid");
        let lock = locks
            .seal("hunter2".into(), title, content)
            .await
            .expect("sealed");
        let hay = String::from_utf8_lossy(&lock.sealed).into_owned();
        assert!(!hay.contains("secret") && !hay.contains("title"));
        let wrong = locks
            .open("hunter3".into(), lock.clone())
            .await
            .expect("ran");
        assert!(wrong.is_none());
        let opened = locks
            .open("hunter2".into(), lock.clone())
            .await
            .expect("ran")
            .expect("the right password");
        assert_eq!(opened.content.as_str(), "the secret text");
        assert_eq!(opened.title.expect("a title").as_str(), "my title");
        let mut altered = lock;
        altered.sealed[0] ^= 1;
        let opened = locks.open("hunter2".into(), altered).await;
        assert!(
            opened.expect("ran").is_none(),
            "an altered ciphertext fails"
        );
    }
}
