//! `[redis]`: which Redis topology the fleet shares, parsed into a
//! [`RedisTarget`] once at start. One Redis (`url`) or Sentinel
//! (`sentinels` + `service_name`), never both: a mix is refused naming the key.

use serde::{Deserialize, Deserializer};

use super::ConfigError;
use super::durations::Millis;
use super::scalar::{self, Scalar};
use super::text::RedisUrl;
use crate::redis_link::{Patience, RedisTarget};

/// `[redis]`
#[derive(Debug, Clone, Deserialize)]
pub struct RedisSettings {
    /// Connection URL; unset keeps everything in-process.
    pub url: Option<RedisUrl>,
    /// Sentinels that name the primary (instead of `url`); a variable lists
    /// them comma-separated.
    #[serde(deserialize_with = "redis_urls")]
    pub sentinels: Vec<RedisUrl>,
    /// The name the sentinels monitor the primary under.
    #[serde(default, deserialize_with = "service_name")]
    pub service_name: Option<String>,
    /// Time before a command counts as failed.
    pub response_timeout_ms: Millis,
    /// Time before a connection attempt counts as failed.
    pub connect_timeout_ms: Millis,
}

impl RedisSettings {
    /// Where the primary is; `None` keeps everything in-process.
    pub fn target(&self) -> Option<RedisTarget> {
        if let Some(url) = &self.url {
            return Some(RedisTarget::single(url.as_str()));
        }
        let service = self.service_name.clone()?;
        (!self.sentinels.is_empty()).then(|| RedisTarget::Sentinel {
            sentinels: self
                .sentinels
                .iter()
                .map(|url| url.as_str().to_owned())
                .collect(),
            service,
        })
    }

    /// Whether any Redis is configured.
    pub fn configured(&self) -> bool {
        self.url.is_some() || !self.sentinels.is_empty()
    }

    /// The timeouts of every connection.
    pub(crate) fn patience(&self) -> Patience {
        Patience {
            response: self.response_timeout_ms.duration(),
            connect: self.connect_timeout_ms.duration(),
        }
    }

    /// Refuses a mix of topologies, or half of Sentinel's pair.
    pub(super) fn check(&self) -> Result<(), ConfigError> {
        let refuse = |key: &str, problem: &str| {
            Err(ConfigError::Key {
                key: key.to_owned(),
                problem: problem.to_owned(),
            })
        };
        match (&self.url, self.sentinels.is_empty(), &self.service_name) {
            (Some(_), false, _) => refuse(
                "redis.sentinels",
                "is set together with redis.url: set redis.url for one Redis, or redis.sentinels \
                 with redis.service_name for Sentinel, not both",
            ),
            (Some(_), true, Some(_)) => refuse(
                "redis.service_name",
                "is set together with redis.url: it names the primary for redis.sentinels",
            ),
            (None, false, None) => refuse(
                "redis.service_name",
                "must be set with redis.sentinels: the name the sentinels monitor the primary under",
            ),
            (None, true, Some(_)) => refuse(
                "redis.sentinels",
                "must list the sentinels (redis://host:port) when redis.service_name is set",
            ),
            _ => Ok(()),
        }
    }
}

/// `redis.sentinels`: a list of Redis URLs.
fn redis_urls<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<RedisUrl>, D::Error> {
    scalar::read(
        deserializer,
        "a list of sentinel URLs such as [\"redis://10.0.0.1:26379\", \"redis://10.0.0.2:26379\"]",
        |value| match value {
            Scalar::List(items) => items
                .into_iter()
                .map(|item| RedisUrl::parse(&item.text()?))
                .collect(),
            _ => None,
        },
    )
}

/// `redis.service_name`: a name without spaces.
fn service_name<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    scalar::read(deserializer, "a name such as mymaster", |value| {
        value
            .text()
            .map(|text| text.trim().to_owned())
            .filter(|text| !text.is_empty() && !text.contains(char::is_whitespace))
    })
    .map(Some)
}
