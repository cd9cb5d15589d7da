//! Device cookies (OWASP's answer to account lockout): a browser that logged
//! in to an account gets a random cookie the cache remembers for that
//! account, and with it spends log-in attempts from an allowance of its own
//! (`Limit::LogInDevice`) instead of the account's shared one. Anyone may
//! empty the shared allowance with wrong passwords; the owner's browser
//! still logs in.
//!
//! The record is kept in the cache seam, like sessions (`keys::device`, by
//! the SHA-256 of the cookie), not signed: every clone reads the same Redis,
//! so a cookie issued by one is honoured by all, and there is no signing key
//! the fleet would have to share and rotate. A lost record (the in-process
//! cache restarted, Redis flushed) only makes the browser untrusted again
//! until its next log-in: it falls back to the shared allowance, as before.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;

use crate::cache::{Cache, keys};
use crate::domain::PasteId;

/// Characters of a device cookie (base62, about 190 bits).
const COOKIE_CHARS: usize = 32;

/// How long a browser stays trusted after the log-in that gave it its
/// cookie (then its next log-in spends the shared allowance and gets a new one).
pub(crate) const DEVICE_LIFE: Duration = Duration::from_secs(180 * 24 * 3600);

/// The name an account's log-in attempts are counted under: as typed, trimmed
/// and lowercased, so unknown names are throttled exactly like known ones.
pub(crate) fn account_key(username: &str) -> String {
    username.trim().to_ascii_lowercase()
}

/// The browsers each account trusts.
pub(crate) struct Devices {
    cache: Arc<dyn Cache>,
}

impl Devices {
    /// Device records in `cache`.
    pub(crate) fn new(cache: Arc<dyn Cache>) -> Self {
        Self { cache }
    }

    /// True when `cookie` was issued to a browser that logged in as
    /// `account` (an [`account_key`]). A cache that cannot answer trusts
    /// nobody: the attempt counts against the shared allowance.
    pub(crate) async fn vouches(&self, cookie: &str, account: &str) -> bool {
        if cookie.len() != COOKIE_CHARS || !cookie.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return false;
        }
        match self.cache.get(&keys::device(cookie)).await {
            Ok(Some(name)) => name.as_ref() == account.as_bytes(),
            Ok(None) => false,
            Err(e) => {
                tracing::debug!(error = %e, "a device cookie not checked: the cache is down");
                false
            }
        }
    }

    /// A new cookie for a browser that just logged in as `account`; `None`
    /// when the cache cannot keep it (the browser stays untrusted).
    pub(crate) async fn trust(&self, account: &str) -> Option<String> {
        let cookie = PasteId::random(COOKIE_CHARS).as_str().to_owned();
        let record = Bytes::copy_from_slice(account.as_bytes());
        match self
            .cache
            .set(&keys::device(&cookie), record, DEVICE_LIFE)
            .await
        {
            Ok(()) => Some(cookie),
            Err(e) => {
                tracing::debug!(error = %e, "no device cookie: the cache is down");
                None
            }
        }
    }
}
