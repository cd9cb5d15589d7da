//! argon2id hashing off the async workers.
//!
//! A hash costs tens of milliseconds of one core by design; done on an HTTP
//! worker it would stall every request that worker holds, so it runs on
//! tokio's blocking pool (inside the request's span, so its log lines keep
//! the request id).

use std::sync::{Arc, OnceLock};

use argon2::password_hash::{PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use tokio::sync::Semaphore;

use crate::domain::{Password, PasswordHash};
use crate::error::AppError;
use crate::metrics::Metrics;

/// Hashes new passwords with the configured cost and verifies presented ones.
#[derive(Clone)]
pub(crate) struct Hasher {
    params: Params,
    /// A hash of a random password, verified against when the user is
    /// unknown: both answers then cost one argon2 run, so timing does not
    /// tell which names exist. Made on first use, with the same cost.
    decoy: Arc<OnceLock<Option<PasswordHash>>>,
    /// Hashes that may run at once: half the cores (at least one), so a
    /// burst of log-ins leaves the other half to the HTTP workers instead of
    /// starving every read of CPU; further log-ins wait their turn.
    lanes: Arc<Semaphore>,
    /// Counts every argon2 run asked for (`pastebin_password_hashes_total`).
    metrics: Arc<Metrics>,
}

impl Hasher {
    /// A hasher of `memory_kib` KiB and `iterations` passes, one lane.
    /// The settings types bound both to what argon2 accepts; were they not,
    /// argon2's own defaults (19 MiB, 2 passes) would be used.
    pub(crate) fn new(memory_kib: u32, iterations: u32, metrics: Arc<Metrics>) -> Self {
        let params = Params::new(memory_kib, iterations, 1, None).unwrap_or_else(|e| {
            tracing::warn!(error = %e, "argon2 parameters refused; using the defaults");
            Params::default()
        });
        let cores = std::thread::available_parallelism().map_or(2, usize::from);
        Self {
            params,
            decoy: Arc::default(),
            lanes: Arc::new(Semaphore::new((cores / 2).max(1))),
            metrics,
        }
    }

    fn argon2(&self) -> Argon2<'static> {
        Argon2::new(Algorithm::Argon2id, Version::V0x13, self.params.clone())
    }

    /// The hash of a new password, with a fresh random salt.
    pub(crate) async fn hash(&self, password: Password) -> Result<PasswordHash, AppError> {
        self.metrics.password_hash("hash");
        let this = self.clone();
        blocking(&self.lanes, move || this.hash_now(&password)).await?
    }

    fn hash_now(&self, password: &Password) -> Result<PasswordHash, AppError> {
        let salt_bytes: [u8; 16] = rand::random();
        let salt = SaltString::encode_b64(&salt_bytes)
            .map_err(|e| AppError::Internal(anyhow::anyhow!("salt: {e}")))?;
        let phc = self
            .argon2()
            .hash_password(password.as_bytes(), &salt)
            .map_err(|e| AppError::Internal(anyhow::anyhow!("argon2: {e}")))?
            .to_string();
        PasswordHash::parse(&phc)
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("argon2 made no PHC string")))
    }

    /// True when `password` matches `stored`. With no stored hash (unknown
    /// user, or a user who cannot log in) a decoy hash is verified instead
    /// and the answer is false, in about the same time.
    pub(crate) async fn verify(
        &self,
        password: Password,
        stored: Option<PasswordHash>,
    ) -> Result<bool, AppError> {
        self.metrics.password_hash("verify");
        let this = self.clone();
        blocking(&self.lanes, move || {
            let (hash, real) = match stored {
                Some(hash) => (hash, true),
                None => match this.decoy.get_or_init(|| {
                    let random = Password::presented(crate::domain::PasteId::random(24).as_str());
                    random.and_then(|p| this.hash_now(&p).ok())
                }) {
                    Some(decoy) => (decoy.clone(), false),
                    None => return false,
                },
            };
            // The stored string carries its own parameters: a hash made with
            // an older cost still verifies.
            let verified = argon2::PasswordHash::new(hash.as_str())
                .map(|parsed| {
                    this.argon2()
                        .verify_password(password.as_bytes(), &parsed)
                        .is_ok()
                })
                .unwrap_or(false);
            verified && real
        })
        .await
    }
}

/// Runs CPU work on the blocking pool, in the caller's span, once one of
/// `lanes` is free. The lane goes with the work, not with the request: a
/// client that hangs up mid-hash does not free it while argon2 still runs.
async fn blocking<T: Send + 'static>(
    lanes: &Arc<Semaphore>,
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, AppError> {
    let lane = lanes
        .clone()
        .acquire_owned()
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("password hashing closed: {e}")))?;
    let span = tracing::Span::current();
    tokio::task::spawn_blocking(move || {
        let _lane = lane;
        span.in_scope(work)
    })
    .await
    .map_err(|e| AppError::Internal(anyhow::anyhow!("password hashing stopped: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_its_password_only() {
        let hasher = Hasher::new(64, 1, Arc::default());
        let right = Password::new_one("correct horse").expect("valid");
        let hash = hasher.hash(right.clone()).await.expect("hashed");
        assert!(hash.as_str().starts_with("$argon2id$v=19$m=64,t=1,p=1$"));
        assert!(
            hasher
                .verify(right.clone(), Some(hash.clone()))
                .await
                .expect("ran")
        );
        let wrong = Password::presented("battery staple").expect("valid");
        assert!(!hasher.verify(wrong, Some(hash)).await.expect("ran"));
        assert!(
            !hasher.verify(right, None).await.expect("ran"),
            "no stored hash never verifies"
        );
    }

    #[tokio::test]
    async fn an_older_cost_still_verifies() {
        let old = Hasher::new(32, 1, Arc::default());
        let password = Password::new_one("correct horse").expect("valid");
        let hash = old.hash(password.clone()).await.expect("hashed");
        let new = Hasher::new(128, 2, Arc::default());
        assert!(new.verify(password, Some(hash)).await.expect("ran"));
    }
}
