//! The one message a bad setting prints: which key, and what it accepts.
//!
//! The `config` crate reports a refusal as `At { error: Message, key }` (the
//! message comes from our own types, already in words) or, for a table where
//! none is allowed, as `Type { key, .. }`; both become [`ConfigError::Key`].
//! Nothing here quotes serde's or the crate's own wording for a bad value.

/// A setting that cannot be used, with the key that holds it.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// A key holds a value it does not accept.
    #[error("configuration key `{key}`: {problem}")]
    Key {
        /// Dotted path of the key (`cache.view_ttl_secs`).
        key: String,
        /// What the key accepts, in words.
        problem: String,
    },
    /// A key this version does not read: most often a typo, which would
    /// otherwise leave the default silently in force.
    #[error(
        "configuration key `{key}`: no such key (config/default.toml lists every key pastebin reads)"
    )]
    Unknown {
        /// Dotted path of the key.
        key: String,
    },
    /// A value refused where the crate gave no key (at the root of the tree).
    #[error("configuration: {0}")]
    Unplaced(String),
    /// A layer could not be read: a missing or malformed file. The text
    /// names the file (the `config` crate's own "configuration file ... not
    /// found" already does).
    #[error("{0}")]
    Source(String),
}

impl From<config::ConfigError> for ConfigError {
    fn from(error: config::ConfigError) -> Self {
        match error {
            config::ConfigError::At {
                error,
                key: Some(key),
                ..
            } => Self::from(*error).at(key),
            config::ConfigError::Message(problem) => Self::Unplaced(problem),
            // Every leaf setting reads any kind of value (see `scalar`), so a
            // kind the crate refuses is a single value where a section belongs.
            config::ConfigError::Type { key, .. } => {
                let problem = "must be a section of keys, not a single value".to_owned();
                match key {
                    Some(key) => Self::Key { key, problem },
                    None => Self::Unplaced(problem),
                }
            }
            config::ConfigError::NotFound(key) => Self::Key {
                key,
                problem: "has no value".to_owned(),
            },
            config::ConfigError::FileParse {
                uri: Some(uri),
                cause,
            } => Self::Source(format!("configuration file {uri}: {cause}")),
            other => Self::Source(other.to_string()),
        }
    }
}

impl ConfigError {
    /// The same problem, named by the key it was found under (a problem
    /// raised while reading a value does not know its key yet).
    fn at(self, key: String) -> Self {
        match self {
            Self::Key { problem, .. } | Self::Unplaced(problem) => Self::Key { key, problem },
            Self::Unknown { .. } => Self::Unknown { key },
            source @ Self::Source(_) => source,
        }
    }
}
