//! Settings that name one of a few choices, and the yes/no ones. Names are
//! matched exactly as `config/default.toml` spells them, and a refusal lists
//! them all ("full or normal").

use serde::{Deserialize, Deserializer};

use super::scalar::{self, Scalar};

/// Reads one of `choices`, named exactly; the refusal lists every name.
pub(super) fn one_of<'de, D, T>(deserializer: D, choices: &[(&str, T)]) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Copy,
{
    let names: Vec<&str> = choices.iter().map(|(name, _)| *name).collect();
    let accepts = match names.split_last() {
        Some((last, [])) => (*last).to_owned(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    };
    scalar::read(deserializer, accepts, |value| {
        let text = value.text()?;
        choices
            .iter()
            .find(|(name, _)| *name == text)
            .map(|(_, choice)| *choice)
    })
}

/// Durability of an acknowledged write in the embedded store (`store.synchronous`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Synchronous {
    /// fsync of the write-ahead log at every (group) commit.
    Full,
    /// Survives a crash of the process, not of the machine.
    Normal,
}

impl<'de> Deserialize<'de> for Synchronous {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        one_of(
            deserializer,
            &[("full", Self::Full), ("normal", Self::Normal)],
        )
    }
}

/// How log lines are written (`log.format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// Readable lines for a terminal.
    Human,
    /// One JSON object per line, for log shippers.
    Json,
}

impl<'de> Deserialize<'de> for LogFormat {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        one_of(
            deserializer,
            &[("human", Self::Human), ("json", Self::Json)],
        )
    }
}

/// Where paste reads go (`mongodb.paste_read_preference`), named as in a MongoDB
/// URI. Owned here rather than borrowed from the driver so that configuration
/// holds only the choices we allow: never `secondary` alone, which could miss a
/// paste written a moment ago with no primary to fall back to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadPreference {
    /// Every read from the primary: always sees the latest write.
    Primary,
    /// The primary, or a secondary while there is none.
    PrimaryPreferred,
    /// A secondary, or the primary while there is none.
    SecondaryPreferred,
    /// The member with the lowest latency.
    Nearest,
}

impl<'de> Deserialize<'de> for ReadPreference {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        one_of(
            deserializer,
            &[
                ("primary", Self::Primary),
                ("primaryPreferred", Self::PrimaryPreferred),
                ("secondaryPreferred", Self::SecondaryPreferred),
                ("nearest", Self::Nearest),
            ],
        )
    }
}

/// A yes/no key (`cache.enabled`, `limits.rate_limit_fail_open`). Besides TOML's
/// booleans it takes the spellings the `config` crate always took from variables
/// (`1`/`0`, `on`/`off`, `yes`/`no`, any case), so no deployment breaks.
pub(crate) fn flag<'de, D: Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
    scalar::read(deserializer, "true or false", |value| match value {
        Scalar::Bool(b) => Some(b),
        Scalar::Whole(n) => Some(n != 0),
        Scalar::Text(text) => match text.to_lowercase().as_str() {
            "1" | "true" | "on" | "yes" => Some(true),
            "0" | "false" | "off" | "no" => Some(false),
            _ => None,
        },
        _ => None,
    })
}
