//! Settings that are lengths of time. Keys keep their unit in the name and a
//! whole number in TOML (`view_ttl_secs = 3600`); the types make zero impossible
//! where zero would mean "never" or "always", and hand out a `Duration`.

use std::fmt;
use std::time::Duration;

use serde::{Deserialize, Deserializer};

use super::numbers::{bounded, whole};
use super::scalar;
use crate::domain::expiry::parse_duration;

bounded! {
    /// A lifetime or an interval in whole seconds, at least one: a zero TTL or
    /// period would mean "never cached" or "run without pause".
    Seconds(u64) in 1, u64::MAX; "a whole number of seconds"
}

bounded! {
    /// A timeout in whole milliseconds, at least one: a zero timeout fails
    /// every call instead of bounding it.
    Millis(u64) in 1, u64::MAX; "a whole number of milliseconds"
}

impl Seconds {
    /// The length of time.
    pub(crate) fn duration(self) -> Duration {
        Duration::from_secs(self.0)
    }
}

impl Millis {
    /// The length of time.
    pub(crate) fn duration(self) -> Duration {
        Duration::from_millis(self.0)
    }
}

/// `http.raw_max_age_secs`, where 0 has a meaning: caches must revalidate.
pub(crate) fn seconds_or_zero<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u64, D::Error> {
    whole(
        deserializer,
        "a whole number of seconds, 0 or more (0 makes caches revalidate)",
    )
}

/// `jobs.retry_backoff_ms`, where 0 retries at once.
pub(crate) fn millis_or_zero<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Duration, D::Error> {
    whole(
        deserializer,
        "a whole number of milliseconds, 0 or more (0 retries at once)",
    )
    .map(Duration::from_millis)
}

/// `limits.max_expiry`: the longest life a paste may ask for, parsed once at
/// start and kept with its spelling, which error messages quote back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MaxExpiry {
    duration: Duration,
    text: String,
}

impl MaxExpiry {
    /// A century: past it, expiry dates leave the range of dates we format.
    pub(crate) const CEILING: Duration = Duration::from_secs(100 * 365 * 86_400);

    const ACCEPTS: &str = "a duration from 1s to 100y, a number and one of the units \
                           s, m, h, d, w or y (90s, 5m, 2h, 3d, 1w, 1y)";

    /// The duration, written like a paste's `expires` (`90s` ... `1y`).
    pub(crate) fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        let duration = parse_duration(text).ok()?;
        (duration <= Self::CEILING).then(|| Self {
            duration,
            text: text.to_owned(),
        })
    }

    /// The length of time.
    pub(crate) fn duration(&self) -> Duration {
        self.duration
    }
}

impl fmt::Display for MaxExpiry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for MaxExpiry {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        scalar::read(deserializer, Self::ACCEPTS, |value| {
            value.text().as_deref().and_then(Self::parse)
        })
    }
}
