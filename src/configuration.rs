//! The settings tree and where it comes from.
//!
//! Layers, later ones winning: `config/default.toml` (compiled into the binary, so it
//! runs from any directory), `config/local.toml` when present, the file named by
//! `--config`/`PASTEBIN_CONFIG`, then `PASTEBIN__SECTION__KEY` variables. Every key is
//! checked at start: an unknown key, a wrong type or an impossible value stops the
//! process with a message that names the key.

use std::path::{Path, PathBuf};
use std::time::Duration;

use config::{Config, Environment, File, FileFormat};
use serde::Deserialize;

use crate::domain::expiry::parse_duration;

/// The built-in defaults; the same text as `config/default.toml`.
const DEFAULTS: &str = include_str!("../config/default.toml");

/// The largest paste the settings accept: MongoDB caps a document at 16 MiB and a
/// paste document carries its metadata beside the content.
pub const MAX_PASTE_BYTES_CEILING: usize = 15 * 1024 * 1024;

/// Every setting of the service.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Where `serve` listens and how it names itself.
    pub server: ServerSettings,
    /// The embedded document store.
    pub store: StoreSettings,
    /// MongoDB, when configured.
    pub mongodb: MongoSettings,
    /// Redis, when configured.
    pub redis: RedisSettings,
    /// Cached objects.
    pub cache: CacheSettings,
    /// Sizes and rates.
    pub limits: LimitSettings,
    /// Paste id generation.
    pub ids: IdSettings,
    /// HTTP caching policy.
    pub http: HttpSettings,
    /// Background jobs.
    pub jobs: JobSettings,
    /// Logging.
    pub log: LogSettings,
}

/// `[server]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerSettings {
    /// Address to bind.
    pub host: String,
    /// Port to bind; 0 asks the OS for a free one (tests do).
    pub port: u16,
    /// Base of the links handed out; empty means `http://{host}:{port}`.
    pub public_url: String,
    /// HTTP worker threads; 0 means one per core.
    pub workers: usize,
    /// Proxies whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Vec<std::net::IpAddr>,
}

/// `[store]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoreSettings {
    /// Folder of the embedded store.
    pub path: PathBuf,
    /// How hard a commit waits for the disk.
    pub synchronous: Synchronous,
}

/// Durability of an acknowledged write in the embedded store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Synchronous {
    /// fsync of the write-ahead log at every (group) commit.
    Full,
    /// Survives a crash of the process, not of the machine.
    Normal,
}

/// `[mongodb]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MongoSettings {
    /// Connection string; unset keeps the embedded store.
    pub uri: Option<String>,
    /// Database name.
    pub database: String,
    /// Read preference of paste reads.
    pub paste_read_preference: String,
    /// Milliseconds to find a server before a request fails.
    pub server_selection_timeout_ms: u64,
    /// Milliseconds to connect before a request fails.
    pub connect_timeout_ms: u64,
    /// Milliseconds one store operation may take in all (server selection,
    /// the command, waiting for a majority) before the request gets a 503.
    pub operation_timeout_ms: u64,
}

/// `[redis]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RedisSettings {
    /// Connection URL; unset keeps everything in-process.
    pub url: Option<String>,
    /// Milliseconds before a command counts as failed.
    pub response_timeout_ms: u64,
    /// Milliseconds before a connection attempt counts as failed.
    pub connect_timeout_ms: u64,
}

/// `[cache]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CacheSettings {
    /// Whether paste views are cached at all.
    pub enabled: bool,
    /// Bytes of the in-process cache.
    pub memory_bytes: u64,
    /// Longest life of a view, in seconds.
    pub view_ttl_secs: u64,
    /// Life of a "missing" mark, in seconds.
    pub missing_ttl_secs: u64,
    /// Life of a tombstone, in seconds.
    pub tombstone_ttl_secs: u64,
}

/// `[limits]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LimitSettings {
    /// Largest paste, in bytes.
    pub max_paste_bytes: usize,
    /// Creations per client address per minute.
    pub create_per_minute: u32,
    /// Let creations through when rate limits cannot be counted.
    pub rate_limit_fail_open: bool,
    /// Longest life a paste may ask for, as text (`1y`).
    pub max_expiry: String,
    /// Longest title, in characters.
    pub max_title_chars: usize,
}

/// `[ids]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IdSettings {
    /// Characters in a new paste id.
    pub length: usize,
}

/// `[http]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HttpSettings {
    /// max-age of cacheable raw reads.
    pub raw_max_age_secs: u64,
}

/// `[jobs]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JobSettings {
    /// Seconds between folds of counted visits into the store.
    pub visits_flush_secs: u64,
    /// Seconds between sweeps of expired pastes.
    pub sweep_interval_secs: u64,
    /// Attempts before a job is dead-lettered.
    pub max_attempts: u32,
    /// Milliseconds before the first retry.
    pub retry_backoff_ms: u64,
    /// Seconds of silence after which a worker's job is taken over.
    pub reclaim_after_secs: u64,
}

/// `[log]`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogSettings {
    /// Output format.
    pub format: LogFormat,
    /// A tracing filter directive.
    pub level: String,
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// Readable lines for a terminal.
    Human,
    /// One JSON object per line, for log shippers.
    Json,
}

/// A setting that cannot be used, with the key that holds it.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The layers could not be read or do not fit the settings tree.
    #[error("configuration: {0}")]
    Load(#[from] config::ConfigError),
    /// A key holds a value of the right type that makes no sense.
    #[error("configuration key `{key}`: {problem}")]
    Invalid {
        /// Dotted path of the key.
        key: &'static str,
        /// What is wrong with it.
        problem: String,
    },
}

impl Settings {
    /// Loads every layer; `extra` is the file named on the command line, if any.
    pub fn load(extra: Option<&Path>) -> Result<Self, ConfigError> {
        let mut builder = Config::builder()
            .add_source(File::from_str(DEFAULTS, FileFormat::Toml))
            .add_source(File::with_name("config/local").required(false));
        let named = extra
            .map(Path::to_path_buf)
            .or_else(|| std::env::var_os("PASTEBIN_CONFIG").map(PathBuf::from));
        if let Some(path) = named {
            builder = builder.add_source(File::from(path).required(true));
        }
        let settings: Settings = builder
            .add_source(
                Environment::with_prefix("PASTEBIN")
                    .prefix_separator("__")
                    .separator("__")
                    .try_parsing(true)
                    .list_separator(",")
                    .with_list_parse_key("server.trusted_proxies"),
            )
            .build()?
            .try_deserialize()?;
        settings.validate()?;
        Ok(settings)
    }

    /// The built-in defaults alone; tests start from these.
    pub fn defaults() -> Result<Self, ConfigError> {
        let settings: Settings = Config::builder()
            .add_source(File::from_str(DEFAULTS, FileFormat::Toml))
            .build()?
            .try_deserialize()?;
        settings.validate()?;
        Ok(settings)
    }

    /// Checks what types alone cannot.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let invalid = |key, problem: &str| {
            Err(ConfigError::Invalid {
                key,
                problem: problem.to_owned(),
            })
        };
        let limits = &self.limits;
        if limits.max_paste_bytes == 0 || limits.max_paste_bytes > MAX_PASTE_BYTES_CEILING {
            return invalid(
                "limits.max_paste_bytes",
                &format!(
                    "must be between 1 and {MAX_PASTE_BYTES_CEILING} (MongoDB documents cap at 16 MiB)"
                ),
            );
        }
        if limits.create_per_minute == 0 {
            return invalid("limits.create_per_minute", "must be at least 1");
        }
        match self.max_expiry() {
            Err(e) => return invalid("limits.max_expiry", &e),
            Ok(max) if max > Duration::from_secs(100 * 365 * 86_400) => {
                return invalid("limits.max_expiry", "must be at most 100y");
            }
            Ok(_) => {}
        }
        if limits.max_title_chars == 0 || limits.max_title_chars > 1000 {
            return invalid("limits.max_title_chars", "must be between 1 and 1000");
        }
        if !(6..=32).contains(&self.ids.length) {
            return invalid("ids.length", "must be between 6 and 32");
        }
        if self.jobs.visits_flush_secs == 0 {
            return invalid("jobs.visits_flush_secs", "must be at least 1");
        }
        if self.jobs.sweep_interval_secs == 0 {
            return invalid("jobs.sweep_interval_secs", "must be at least 1");
        }
        if self.jobs.max_attempts == 0 {
            return invalid("jobs.max_attempts", "must be at least 1");
        }
        if self.jobs.reclaim_after_secs == 0 {
            return invalid("jobs.reclaim_after_secs", "must be at least 1");
        }
        let url = self.server.public_url.trim();
        if !(url.is_empty() || url.starts_with("http://") || url.starts_with("https://")) {
            return invalid("server.public_url", "must start with http:// or https://");
        }
        if self.server.host.trim().is_empty() {
            return invalid("server.host", "must not be empty");
        }
        if self.store.path.as_os_str().is_empty() {
            return invalid("store.path", "must not be empty");
        }
        if let Some(uri) = &self.mongodb.uri
            && !(uri.starts_with("mongodb://") || uri.starts_with("mongodb+srv://"))
        {
            return invalid(
                "mongodb.uri",
                "must start with mongodb:// or mongodb+srv://",
            );
        }
        if crate::store::mongo::read_preference(&self.mongodb.paste_read_preference).is_none() {
            return invalid(
                "mongodb.paste_read_preference",
                "must be primary, primaryPreferred, secondaryPreferred or nearest",
            );
        }
        if self.mongodb.database.trim().is_empty() {
            return invalid("mongodb.database", "must not be empty");
        }
        for (key, ms) in [
            (
                "mongodb.server_selection_timeout_ms",
                self.mongodb.server_selection_timeout_ms,
            ),
            (
                "mongodb.connect_timeout_ms",
                self.mongodb.connect_timeout_ms,
            ),
            (
                "mongodb.operation_timeout_ms",
                self.mongodb.operation_timeout_ms,
            ),
        ] {
            if ms == 0 {
                return invalid(key, "must be at least 1 ms");
            }
        }
        if let Some(url) = &self.redis.url
            && let Err(e) = redis::Client::open(url.as_str())
        {
            return invalid("redis.url", &format!("not a Redis URL: {e}"));
        }
        if self.redis.response_timeout_ms == 0 || self.redis.connect_timeout_ms == 0 {
            return invalid(
                "redis.response_timeout_ms",
                "timeouts must be at least 1 ms",
            );
        }
        let cache = &self.cache;
        if cache.memory_bytes < 1024 * 1024 {
            return invalid("cache.memory_bytes", "must be at least 1 MiB");
        }
        if cache.view_ttl_secs == 0 || cache.missing_ttl_secs == 0 || cache.tombstone_ttl_secs == 0
        {
            return invalid(
                "cache.view_ttl_secs",
                "cache lifetimes must be at least 1 second",
            );
        }
        Ok(())
    }

    /// The retry policy of jobs.
    pub fn retry_policy(&self) -> crate::queue::RetryPolicy {
        crate::queue::RetryPolicy {
            max_attempts: self.jobs.max_attempts,
            backoff: Duration::from_millis(self.jobs.retry_backoff_ms),
            reclaim_after: Duration::from_secs(self.jobs.reclaim_after_secs),
        }
    }

    /// `limits.max_expiry` as a duration.
    pub fn max_expiry(&self) -> Result<Duration, String> {
        parse_duration(&self.limits.max_expiry).map_err(|e| e.to_string())
    }

    /// The base URL of links, without a trailing slash, for a server bound to `port`.
    pub fn public_url_for(&self, port: u16) -> String {
        let configured = self.server.public_url.trim().trim_end_matches('/');
        if configured.is_empty() {
            let host = &self.server.host;
            if host.contains(':') {
                format!("http://[{host}]:{port}")
            } else {
                format!("http://{host}:{port}")
            }
        } else {
            configured.to_owned()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_defaults_are_valid_and_match_the_contract() {
        let settings = Settings::defaults().expect("defaults load");
        assert_eq!(settings.server.host, "127.0.0.1");
        assert_eq!(settings.server.port, 8080);
        assert_eq!(settings.limits.max_paste_bytes, 2_097_152);
        assert_eq!(settings.limits.create_per_minute, 60);
        assert_eq!(settings.mongodb.database, "pastebin");
        assert!(settings.redis.url.is_none());
        assert_eq!(settings.public_url_for(8080), "http://127.0.0.1:8080");
    }

    #[test]
    fn an_impossible_value_names_its_key() {
        let mut settings = Settings::defaults().expect("defaults load");
        settings.limits.max_paste_bytes = 20 * 1024 * 1024;
        let error = settings.validate().expect_err("20 MiB is over the ceiling");
        assert!(
            error.to_string().contains("limits.max_paste_bytes"),
            "{error}"
        );
        settings.limits.max_paste_bytes = 10;
        settings.limits.max_expiry = "forever".into();
        let error = settings.validate().expect_err("not a duration");
        assert!(error.to_string().contains("limits.max_expiry"), "{error}");
        settings.limits.max_expiry = "9000y".into();
        let error = settings.validate().expect_err("past year 9999");
        assert!(error.to_string().contains("limits.max_expiry"), "{error}");
    }

    #[test]
    fn a_zero_mongodb_timeout_names_its_own_key() {
        for key in [
            "mongodb.server_selection_timeout_ms",
            "mongodb.connect_timeout_ms",
            "mongodb.operation_timeout_ms",
        ] {
            let mut settings = Settings::defaults().expect("defaults load");
            let m = &mut settings.mongodb;
            match key {
                "mongodb.server_selection_timeout_ms" => m.server_selection_timeout_ms = 0,
                "mongodb.connect_timeout_ms" => m.connect_timeout_ms = 0,
                _ => m.operation_timeout_ms = 0,
            }
            let error = settings.validate().expect_err("0 ms is no timeout");
            assert!(error.to_string().contains(key), "{key}: {error}");
        }
    }

    #[test]
    fn a_configured_public_url_loses_its_trailing_slash() {
        let mut settings = Settings::defaults().expect("defaults load");
        settings.server.public_url = "https://paste.example/".into();
        assert_eq!(settings.public_url_for(1), "https://paste.example");
    }
}
