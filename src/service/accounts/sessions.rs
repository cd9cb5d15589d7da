//! Sessions of signed-in users, kept in the cache seam only: Redis in a
//! fleet (so a session made on one clone is honoured by every other, and a
//! log-out on one ends it on all), the in-process cache on one machine. A
//! clone never keeps a session of its own, so losing a clone loses none.
//!
//! The cookie holds a random id (about 190 bits); the cache holds the
//! session under the SHA-256 of that id (`keys::session`). Lifetimes are
//! checked against the services' clock on every lookup (idle since the last
//! use, absolute since log-in) and mirrored in the entry's TTL, so an
//! abandoned session also leaves the cache by itself.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use serde::{Deserialize, Serialize};
use subtle::ConstantTimeEq;

use crate::cache::{Cache, keys};
use crate::clock::Clock;
use crate::domain::{AuthorSummary, PasteId, User};
use crate::error::AppError;

/// Characters of a session id and of a CSRF token (base62, about 190 bits).
const SECRET_CHARS: usize = 32;

/// A live session: who, and the CSRF token its forms carry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Session {
    /// The signed-in user (id and name, as a paste embeds its author).
    pub(crate) user: AuthorSummary,
    /// The token every state-changing form of this session carries.
    pub(crate) csrf: String,
    /// Log-in time, ms since the epoch.
    started_ms: u64,
    /// Last refresh of the idle lifetime, ms since the epoch.
    touched_ms: u64,
}

impl Session {
    /// True when `sent` is this session's CSRF token (compared in constant time).
    pub(crate) fn csrf_matches(&self, sent: Option<&str>) -> bool {
        sent.is_some_and(|sent| {
            !sent.is_empty() && bool::from(self.csrf.as_bytes().ct_eq(sent.as_bytes()))
        })
    }
}

/// The session store.
pub(crate) struct Sessions {
    cache: Arc<dyn Cache>,
    clock: Clock,
    idle: Duration,
    max: Duration,
}

impl Sessions {
    /// Sessions in `cache` that end after `idle` unused or `max` in all.
    pub(crate) fn new(cache: Arc<dyn Cache>, clock: Clock, idle: Duration, max: Duration) -> Self {
        Self {
            cache,
            clock,
            idle,
            max,
        }
    }

    /// The absolute lifetime, for the cookie's `Max-Age`.
    pub(crate) fn max_life(&self) -> Duration {
        self.max
    }

    fn now_ms(&self) -> u64 {
        u64::try_from(self.clock.now().unix_timestamp_nanos() / 1_000_000).unwrap_or(0)
    }

    /// Starts a session for `user` under a new id (never one the client
    /// brought: no fixation). Without the cache nobody can log in: 503.
    pub(crate) async fn start(&self, user: &User) -> Result<(String, Session), AppError> {
        let id = PasteId::random(SECRET_CHARS).as_str().to_owned();
        let now = self.now_ms();
        let session = Session {
            user: AuthorSummary {
                id: user.id.clone(),
                username: user.username.clone(),
            },
            csrf: PasteId::random(SECRET_CHARS).as_str().to_owned(),
            started_ms: now,
            touched_ms: now,
        };
        self.store(&id, &session, now)
            .await
            .map_err(|e| AppError::Unavailable(format!("sessions cannot be kept: {e}")))?;
        Ok((id, session))
    }

    async fn store(
        &self,
        id: &str,
        session: &Session,
        now: u64,
    ) -> Result<(), crate::cache::CacheError> {
        let ends = (session.started_ms + ms(self.max)).min(now + ms(self.idle));
        let ttl = Duration::from_millis(ends.saturating_sub(now).max(1));
        let bytes = serde_json::to_vec(session).map_err(crate::cache::CacheError::Encoding)?;
        self.cache
            .set(&keys::session(id), Bytes::from(bytes), ttl)
            .await
    }

    /// Writes a renewed session only while it is still there: a log-out
    /// that deleted it between this request's read and this write must not
    /// be undone by the write.
    async fn renew(
        &self,
        id: &str,
        session: &Session,
        now: u64,
    ) -> Result<bool, crate::cache::CacheError> {
        let ends = (session.started_ms + ms(self.max)).min(now + ms(self.idle));
        let ttl = Duration::from_millis(ends.saturating_sub(now).max(1));
        let bytes = serde_json::to_vec(session).map_err(crate::cache::CacheError::Encoding)?;
        // No session is ever stored empty: "unless empty" means "if present".
        self.cache
            .replace_unless(&keys::session(id), Bytes::from(bytes), ttl, b"")
            .await
    }

    /// The live session of a cookie's id, its idle lifetime renewed. Anything
    /// else (unknown, ended, garbled, the cache down) is no session: the
    /// request is anonymous, never an error.
    pub(crate) async fn find(&self, id: &str) -> Option<Session> {
        if id.len() != SECRET_CHARS || !id.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return None;
        }
        let bytes = self.cache.get(&keys::session(id)).await.ok()??;
        let session: Session = serde_json::from_slice(&bytes).ok()?;
        let now = self.now_ms();
        if now >= session.started_ms + ms(self.max) || now >= session.touched_ms + ms(self.idle) {
            let _ = self.cache.delete(&keys::session(id)).await;
            return None;
        }
        // An account the operator disabled: its sessions end here, on
        // every clone (`service::admin`).
        if crate::service::admin::refuses_sessions_of(self.cache.as_ref(), &session.user.id).await {
            let _ = self.cache.delete(&keys::session(id)).await;
            return None;
        }
        // Renewed at most once per sixteenth of the idle time: a signed-in
        // reader costs one cache read per request, not a read and a write.
        if now.saturating_sub(session.touched_ms) >= ms(self.idle) / 16 {
            let renewed = Session {
                touched_ms: now,
                ..session.clone()
            };
            if let Err(e) = self.renew(id, &renewed, now).await {
                tracing::debug!(error = %e, "session not renewed");
            }
        }
        Some(session)
    }

    /// Ends a session for every clone. A cache that is down cannot forget
    /// it: 503, so the user knows the log-out did not happen.
    pub(crate) async fn end(&self, id: &str) -> Result<(), AppError> {
        self.cache
            .delete(&keys::session(id))
            .await
            .map_err(|e| AppError::Unavailable(format!("the session cannot be ended: {e}")))
    }
}

fn ms(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}
