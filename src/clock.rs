//! The clock the services read: the system's in production, a manual one in
//! tests, so a test moves time forward instead of sleeping.
//!
//! Only the rules of the service read it (expiry, visit months, rate-limit
//! windows, idempotency leases); timers of the infrastructure (cache entry
//! lifetimes, Redis TTLs, retry back-off) keep real time.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use time::OffsetDateTime;

/// Where "now" comes from.
#[derive(Debug, Clone, Default)]
pub enum Clock {
    /// The system clock.
    #[default]
    System,
    /// A clock that moves only when told to (tests).
    Manual(Arc<Mutex<OffsetDateTime>>),
}

impl Clock {
    /// A manual clock set to `start`.
    pub fn manual(start: OffsetDateTime) -> Self {
        Self::Manual(Arc::new(Mutex::new(start)))
    }

    /// Now, in UTC.
    pub(crate) fn now(&self) -> OffsetDateTime {
        match self {
            Self::System => OffsetDateTime::now_utc(),
            Self::Manual(at) => *at.lock().unwrap_or_else(std::sync::PoisonError::into_inner),
        }
    }

    /// Now cut to whole milliseconds, the precision BSON dates keep, so that
    /// what is returned at creation equals what a later read returns.
    pub(crate) fn now_millis(&self) -> OffsetDateTime {
        let now = self.now();
        let millis = now.unix_timestamp_nanos() / 1_000_000;
        OffsetDateTime::from_unix_timestamp_nanos(millis * 1_000_000).unwrap_or(now)
    }

    /// Seconds since the Unix epoch.
    pub(crate) fn unix_secs(&self) -> u64 {
        u64::try_from(self.now().unix_timestamp()).unwrap_or(0)
    }

    /// Moves a manual clock forward; the system clock moves by itself, so
    /// there this does nothing.
    pub fn advance(&self, by: Duration) {
        if let Self::Manual(at) = self {
            let mut at = at.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            *at += by;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manual_clock_moves_only_when_advanced() {
        let start = time::macros::datetime!(2026-11-30 23:59:59.5 UTC);
        let clock = Clock::manual(start);
        assert_eq!(clock.now(), start);
        clock.advance(Duration::from_secs(1));
        assert_eq!(
            clock.now(),
            time::macros::datetime!(2026-12-01 00:00:00.5 UTC)
        );
        assert_eq!(clock.now_millis(), clock.now());
    }
}
