//! Settings written as text: addresses, names, paths, a log filter. Each is
//! checked once here; later code uses it as it is, with no fallback.

use std::net::IpAddr;
use std::path::PathBuf;

use serde::{Deserialize, Deserializer};
use tracing_subscriber::EnvFilter;

use super::scalar::{self, Scalar};

/// Text with something in it (`server.host`, `mongodb.database`).
pub(crate) fn non_empty<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    scalar::read(deserializer, "a non-empty text", |value| {
        value.text().filter(|text| !text.trim().is_empty())
    })
}

/// A folder that is named (`store.path`): an empty path would open the
/// store wherever the process happens to run.
pub(crate) fn folder<'de, D: Deserializer<'de>>(deserializer: D) -> Result<PathBuf, D::Error> {
    scalar::read(deserializer, "the path of a folder", |value| {
        value
            .text()
            .filter(|text| !text.is_empty())
            .map(PathBuf::from)
    })
}

/// `server.trusted_proxies`: a list of addresses (a variable gives them
/// comma-separated).
pub(crate) fn addresses<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<IpAddr>, D::Error> {
    scalar::read(
        deserializer,
        "a list of IP addresses such as [\"10.0.0.1\", \"::1\"]",
        |value| match value {
            Scalar::List(items) => items
                .into_iter()
                .map(|item| item.text()?.trim().parse().ok())
                .collect(),
            _ => None,
        },
    )
}

/// `server.public_url`: the base of every link handed out, without its
/// trailing slash so links join with one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicUrl(String);

impl PublicUrl {
    /// An `http://` or `https://` URL with a host.
    pub fn parse(text: &str) -> Option<Self> {
        let url = text.trim().trim_end_matches('/');
        let rest = url
            .strip_prefix("http://")
            .or_else(|| url.strip_prefix("https://"))?;
        (!rest.is_empty() && !rest.contains(char::is_whitespace)).then(|| Self(url.to_owned()))
    }

    /// The URL, without a trailing slash.
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

/// `server.public_url` as the key holds it: empty means "derive it from
/// `server.host` and the bound port".
pub(crate) fn public_url<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<PublicUrl>, D::Error> {
    scalar::read(
        deserializer,
        "empty or a URL starting with http:// or https://",
        |value| {
            let text = value.text()?;
            if text.trim().is_empty() {
                Some(None)
            } else {
                PublicUrl::parse(&text).map(Some)
            }
        },
    )
}

/// `mongodb.uri`: a MongoDB connection string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MongoUri(String);

impl MongoUri {
    /// A `mongodb://` or `mongodb+srv://` connection string; the driver reads
    /// the rest when it connects.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        (text.starts_with("mongodb://") || text.starts_with("mongodb+srv://"))
            .then(|| Self(text.to_owned()))
    }

    /// The connection string.
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for MongoUri {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        scalar::read(
            deserializer,
            "a connection string starting with mongodb:// or mongodb+srv://",
            |value| value.text().as_deref().and_then(Self::parse),
        )
    }
}

/// `redis.url`: a URL the Redis client can connect to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedisUrl(String);

impl RedisUrl {
    /// A URL the Redis client accepts; nothing is sent yet.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        redis::Client::open(text)
            .is_ok()
            .then(|| Self(text.to_owned()))
    }

    /// The URL.
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for RedisUrl {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        scalar::read(
            deserializer,
            "a Redis URL such as redis://[user:password@]host[:port][/db] or unix:///path/to/socket",
            |value| value.text().as_deref().and_then(Self::parse),
        )
    }
}

/// `log.level`: a tracing filter, checked at start so a typo stops the
/// process instead of quietly logging at another level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogLevel(String);

impl LogLevel {
    /// A filter such as `info` or `pastebin=debug,actix_web=info`.
    pub fn parse(text: &str) -> Option<Self> {
        EnvFilter::try_new(text)
            .is_ok()
            .then(|| Self(text.to_owned()))
    }

    /// The filter (`RUST_LOG`, when set and valid, wins over it).
    pub(crate) fn filter(&self) -> EnvFilter {
        // The text parsed at load, so the lossy parse drops nothing.
        EnvFilter::builder().parse_lossy(&self.0)
    }
}

impl<'de> Deserialize<'de> for LogLevel {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        scalar::read(
            deserializer,
            "a tracing filter such as info or pastebin=debug,actix_web=info",
            |value| value.text().as_deref().and_then(Self::parse),
        )
    }
}
