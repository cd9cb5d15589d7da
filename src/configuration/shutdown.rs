//! `[shutdown]`: how a clone stops without losing a request (see `crate::shutdown`).

use std::time::Duration;

use serde::{Deserialize, Deserializer};

use super::durations::Seconds;
use super::numbers::whole;

/// `[shutdown]`
#[derive(Debug, Clone, Deserialize)]
pub struct ShutdownSettings {
    /// Seconds between the stop signal and the end of accepting, while
    /// `/readyz` says "draining" and every answer closes its connection; 0
    /// stops accepting at once.
    #[serde(deserialize_with = "drain_secs")]
    pub drain_secs: u64,
    /// Longest the requests in flight may take to finish once accepting has
    /// stopped; connections still open then are cut.
    pub grace_secs: Seconds,
}

impl ShutdownSettings {
    /// The drain, as a length of time.
    pub fn drain(&self) -> Duration {
        Duration::from_secs(self.drain_secs)
    }
}

/// `shutdown.drain_secs`, where 0 has a meaning: no drain.
fn drain_secs<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u64, D::Error> {
    whole(
        deserializer,
        "a whole number of seconds, 0 or more (0 stops accepting at once)",
    )
}
