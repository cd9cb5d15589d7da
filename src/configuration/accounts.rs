//! `[accounts]` and `[session]`: who may sign up and create, what a password
//! hash costs, how fast log-ins may fail, and how long a session lives.

use std::num::NonZeroU32;

use serde::{Deserialize, Deserializer};

use super::choices::{flag, one_of};
use super::durations::Seconds;
use super::numbers::{at_least_one, bounded};

/// `[accounts]`
#[derive(Debug, Clone, Deserialize)]
pub struct AccountSettings {
    /// Whether anyone may make an account.
    pub signup: Signup,
    /// Only signed-in users may create pastes (anyone may still read).
    #[serde(deserialize_with = "flag")]
    pub require_login_to_create: bool,
    /// Memory of one argon2id hash, in KiB.
    pub password_memory_kib: PasswordMemoryKib,
    /// Passes of one argon2id hash.
    pub password_iterations: PasswordIterations,
    /// Log-in attempts per account and per client address per minute, fleet-wide.
    #[serde(deserialize_with = "at_least_one")]
    pub login_attempts_per_minute: NonZeroU32,
    /// Sign-ups per client address per minute, fleet-wide.
    #[serde(deserialize_with = "at_least_one")]
    pub signups_per_minute: NonZeroU32,
}

/// `accounts.signup`
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signup {
    /// Anyone may make an account.
    Open,
    /// Nobody may (existing accounts keep working).
    Closed,
}

impl<'de> Deserialize<'de> for Signup {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        one_of(
            deserializer,
            &[("open", Self::Open), ("closed", Self::Closed)],
        )
    }
}

bounded! {
    /// `accounts.password_memory_kib`: argon2 needs 8 KiB per lane at least;
    /// past 1 GiB one log-in could exhaust a clone.
    PasswordMemoryKib(u32) in 8, 1024 * 1024; "a number of KiB", "12288 is 12 MiB"
}

bounded! {
    /// `accounts.password_iterations`: passes over the memory, 1 to 16.
    PasswordIterations(u32) in 1, 16; "a number of passes"
}

/// `[session]`
#[derive(Debug, Clone, Deserialize)]
pub struct SessionSettings {
    /// A session unused this long ends.
    pub idle_secs: Seconds,
    /// A session ends this long after log-in, used or not.
    pub max_secs: Seconds,
}
