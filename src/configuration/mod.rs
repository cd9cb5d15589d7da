//! The settings tree and where it comes from.
//!
//! Layers, later ones winning: `config/default.toml` (compiled into the binary, so it
//! runs from any directory), `config/local.toml` when present, the file named by
//! `--config`/`PASTEBIN_CONFIG`, then `PASTEBIN__SECTION__KEY` variables.
//!
//! Settings are parsed, not validated afterwards: every field has a type that
//! cannot hold a value its key refuses (`Seconds` is never zero, `IdLength` is
//! 6 to 32, `MaxExpiry` is already a `Duration`), so code that reads a setting
//! never re-checks it or falls back. A bad value stops the start with one
//! line naming the key and, in words, what it accepts.

mod accounts;
pub mod admin;
mod choices;
mod durations;
mod error;
mod near_cache;
mod numbers;
mod redis_settings;
mod render;
mod scalar;
mod shutdown;
#[cfg(test)]
mod tests;
mod text;

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::path::{Path, PathBuf};
use std::time::Duration;

use config::{Config, Environment, File, FileFormat};
use serde::Deserialize;

pub use accounts::{
    AccountSettings, PasswordIterations, PasswordMemoryKib, SessionSettings, Signup,
};
pub use choices::{LogFormat, ReadPreference, Synchronous};
pub use durations::{MaxExpiry, Millis, Seconds};
pub(crate) use error::ConfigError;
pub use near_cache::NearCacheSettings;
pub use numbers::{
    IdLength, Ipv6Prefix, MaxFiles, MaxPasteBytes, MaxTitleChars, MaxViews, MemoryBytes,
    UploadBytes,
};
pub use redis_settings::RedisSettings;
pub use render::{RenderBytes, RenderSettings};
pub use shutdown::ShutdownSettings;
pub use text::{LogLevel, MongoUri, PublicUrl, RedisUrl};

/// The built-in defaults; the same text as `config/default.toml`.
const DEFAULTS: &str = include_str!("../../config/default.toml");

/// Every setting of the service.
#[derive(Debug, Clone, Deserialize)]
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
    /// Hot views and visit counts kept in each clone (with Redis).
    pub near_cache: NearCacheSettings,
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
    /// How `serve` stops: drain, then a grace period.
    pub shutdown: ShutdownSettings,
    /// Accounts.
    pub accounts: AccountSettings,
    /// Sessions of signed-in users.
    pub session: SessionSettings,
    /// Highlighting and Markdown.
    pub render: RenderSettings,
    /// The operator's tools.
    pub admin: admin::AdminSettings,
}

/// `[server]`
#[derive(Debug, Clone, Deserialize)]
pub struct ServerSettings {
    /// Address to bind.
    #[serde(deserialize_with = "text::non_empty")]
    pub host: String,
    /// Port to bind; 0 asks the OS for a free one (tests do).
    #[serde(deserialize_with = "numbers::port")]
    pub port: u16,
    /// Base of the links handed out; `None` (the key empty) means
    /// `http://{host}:{port}`.
    #[serde(deserialize_with = "text::public_url")]
    pub public_url: Option<PublicUrl>,
    /// HTTP worker threads; 0 means one per core.
    #[serde(deserialize_with = "numbers::workers")]
    pub workers: usize,
    /// Proxies whose `X-Forwarded-For` is believed.
    #[serde(deserialize_with = "text::addresses")]
    pub trusted_proxies: Vec<IpAddr>,
    /// Leading bits of an IPv6 address that name one client.
    pub client_ipv6_prefix: Ipv6Prefix,
    /// Connections one worker thread serves at once; past it the server stops
    /// accepting, and new connections wait in the kernel's queue, where no
    /// timer of ours runs, instead of inside an overloaded worker.
    #[serde(deserialize_with = "numbers::at_least_one")]
    pub max_connections: NonZeroU32,
    /// Time a client has to send a request's head, counted from the moment
    /// the server first reads its connection (never from the kernel's accept).
    pub client_request_timeout_ms: Millis,
}

/// `[store]`
#[derive(Debug, Clone, Deserialize)]
pub struct StoreSettings {
    /// Folder of the embedded store.
    #[serde(deserialize_with = "text::folder")]
    pub path: PathBuf,
    /// How hard a commit waits for the disk.
    pub synchronous: Synchronous,
}

/// `[mongodb]`
#[derive(Debug, Clone, Deserialize)]
pub struct MongoSettings {
    /// Connection string; unset keeps the embedded store.
    pub uri: Option<MongoUri>,
    /// Database name.
    #[serde(deserialize_with = "text::non_empty")]
    pub database: String,
    /// Read preference of paste reads.
    pub paste_read_preference: ReadPreference,
    /// Time to find a server before a request fails.
    pub server_selection_timeout_ms: Millis,
    /// Time to connect before a request fails.
    pub connect_timeout_ms: Millis,
    /// Time one store operation may take in all (server selection, the
    /// command, waiting for a majority) before the request gets a 503.
    pub operation_timeout_ms: Millis,
}

/// `[cache]`
#[derive(Debug, Clone, Deserialize)]
pub struct CacheSettings {
    /// Whether paste views are cached at all.
    #[serde(deserialize_with = "choices::flag")]
    pub enabled: bool,
    /// Bytes of the in-process cache.
    pub memory_bytes: MemoryBytes,
    /// Longest life of a view.
    pub view_ttl_secs: Seconds,
    /// Life of a "missing" mark.
    pub missing_ttl_secs: Seconds,
    /// Life of a tombstone.
    pub tombstone_ttl_secs: Seconds,
}

/// `[limits]`
#[derive(Debug, Clone, Deserialize)]
pub struct LimitSettings {
    /// Largest paste, in bytes.
    pub max_paste_bytes: MaxPasteBytes,
    /// Creations per client address per minute.
    #[serde(deserialize_with = "numbers::at_least_one")]
    pub create_per_minute: NonZeroU32,
    /// Not-found answers per client address per minute (reads that miss).
    #[serde(deserialize_with = "numbers::at_least_one")]
    pub misses_per_minute: NonZeroU32,
    /// Edits per client address per minute.
    #[serde(deserialize_with = "numbers::at_least_one")]
    pub edit_per_minute: NonZeroU32,
    /// Earlier revisions kept per paste (0 keeps none).
    pub revisions_kept: u32,
    /// Let creations through when rate limits cannot be counted.
    #[serde(deserialize_with = "choices::flag")]
    pub rate_limit_fail_open: bool,
    /// Longest life a paste may ask for.
    pub max_expiry: MaxExpiry,
    /// Longest title, in characters.
    pub max_title_chars: MaxTitleChars,
    /// The most views `max_views` may ask for.
    pub max_views: MaxViews,
    /// The most files in one multi-file paste.
    pub max_files: MaxFiles,
    /// The largest file of a multi-file paste, in bytes.
    pub max_file_bytes: MaxPasteBytes,
    /// Password guesses per protected paste, and per client, per minute.
    #[serde(deserialize_with = "numbers::at_least_one")]
    pub paste_unlocks_per_minute: NonZeroU32,
    /// Reports of pastes (`/{id}/report`) per client address per hour.
    #[serde(deserialize_with = "numbers::at_least_one")]
    pub reports_per_hour: NonZeroU32,
    /// Longest a request body may take to arrive, whole.
    pub body_timeout_secs: Seconds,
    /// Bytes of request bodies received at once, all requests together.
    pub uploads_in_flight_bytes: UploadBytes,
}

impl LimitSettings {
    /// The most bytes one body may hold: the paste limit, plus room for the
    /// escaping of JSON and percent-encoded forms (an eighth) and for the
    /// other fields (64 KiB). Text that needs more escaping than that is
    /// sent with `PUT /` or multipart, which carry it as it is.
    pub fn body_limit(&self) -> usize {
        let max = self.max_paste_bytes.get();
        max + max / 8 + 64 * 1024
    }
}

/// `[ids]`
#[derive(Debug, Clone, Deserialize)]
pub struct IdSettings {
    /// Characters in a new paste id.
    pub length: IdLength,
}

/// `[http]`
#[derive(Debug, Clone, Deserialize)]
pub struct HttpSettings {
    /// max-age of cacheable raw reads, in seconds; 0 makes caches revalidate.
    #[serde(deserialize_with = "durations::seconds_or_zero")]
    pub raw_max_age_secs: u64,
}

/// `[jobs]`
#[derive(Debug, Clone, Deserialize)]
pub struct JobSettings {
    /// Time between folds of counted visits into the store.
    pub visits_flush_secs: Seconds,
    /// Time between sweeps of expired pastes.
    pub sweep_interval_secs: Seconds,
    /// Attempts before a job is dead-lettered.
    #[serde(deserialize_with = "numbers::at_least_one")]
    pub max_attempts: NonZeroU32,
    /// Delay before the first retry (`retry_backoff_ms`); zero retries at once.
    #[serde(
        rename = "retry_backoff_ms",
        deserialize_with = "durations::millis_or_zero"
    )]
    pub retry_backoff: Duration,
    /// Silence after which a worker's job is taken over.
    pub reclaim_after_secs: Seconds,
}

/// `[log]`
#[derive(Debug, Clone, Deserialize)]
pub struct LogSettings {
    /// Output format.
    pub format: LogFormat,
    /// A tracing filter directive.
    pub level: LogLevel,
}

/// The `PASTEBIN__SECTION__KEY` layer: of the process's environment, or of `vars`.
fn environment(vars: Option<std::collections::HashMap<String, String>>) -> Environment {
    Environment::with_prefix("PASTEBIN")
        .prefix_separator("__")
        .separator("__")
        .try_parsing(true)
        .list_separator(",")
        .with_list_parse_key("server.trusted_proxies")
        .with_list_parse_key("redis.sentinels")
        .source(vars)
}

impl Settings {
    /// Loads every layer; `extra` is the file named on the command line, if any.
    pub(crate) fn load(extra: Option<&Path>) -> Result<Self, ConfigError> {
        let mut builder = Config::builder()
            .add_source(File::from_str(DEFAULTS, FileFormat::Toml))
            .add_source(File::with_name("config/local").required(false));
        let named = extra
            .map(Path::to_path_buf)
            .or_else(|| std::env::var_os("PASTEBIN_CONFIG").map(PathBuf::from));
        if let Some(path) = named {
            builder = builder.add_source(File::from(path).required(true));
        }
        let builder = builder.add_source(environment(None));
        Self::from_layers(builder.build()?)
    }

    /// The built-in defaults under these `PASTEBIN__*` variables alone, read
    /// as the binary reads its environment: what a deployment manifest that
    /// sets them would start with (the deploy/ checks call it).
    pub fn from_environment(
        vars: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Self, ConfigError> {
        let layers = Config::builder()
            .add_source(File::from_str(DEFAULTS, FileFormat::Toml))
            .add_source(environment(Some(vars.into_iter().collect())))
            .build()?;
        Self::from_layers(layers)
    }

    /// The built-in defaults alone; tests start from these.
    pub fn defaults() -> Result<Self, ConfigError> {
        let layers = Config::builder()
            .add_source(File::from_str(DEFAULTS, FileFormat::Toml))
            .build()?;
        Self::from_layers(layers)
    }

    /// Reads the merged layers into the tree. A key the tree does not read is an
    /// error, not ignored: a misspelt key would leave its default in force.
    fn from_layers(layers: Config) -> Result<Self, ConfigError> {
        let mut unknown = None;
        let settings: Self = serde_ignored::deserialize(layers, |path| {
            unknown.get_or_insert_with(|| path.to_string());
        })?;
        if let Some(key) = unknown {
            return Err(ConfigError::Unknown { key });
        }
        settings.redis.check()?;
        let limits = &settings.limits;
        let one_body = limits.body_limit();
        if (limits.uploads_in_flight_bytes.get() as usize) < one_body {
            return Err(ConfigError::Key {
                key: "limits.uploads_in_flight_bytes".to_owned(),
                problem: format!(
                    "must hold at least one whole body: {one_body} bytes with this limits.max_paste_bytes"
                ),
            });
        }
        Ok(settings)
    }

    /// The retry policy of jobs.
    pub(crate) fn retry_policy(&self) -> crate::queue::RetryPolicy {
        crate::queue::RetryPolicy {
            max_attempts: self.jobs.max_attempts.get(),
            backoff: self.jobs.retry_backoff,
            reclaim_after: self.jobs.reclaim_after_secs.duration(),
        }
    }

    /// The base URL of links, without a trailing slash, for a server bound to `port`.
    pub(crate) fn public_url_for(&self, port: u16) -> String {
        match &self.server.public_url {
            Some(url) => url.as_str().to_owned(),
            None => {
                let host = &self.server.host;
                if host.contains(':') {
                    format!("http://[{host}]:{port}")
                } else {
                    format!("http://{host}:{port}")
                }
            }
        }
    }
}
