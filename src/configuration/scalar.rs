//! One configuration value as the layers hold it, before it becomes a setting.
//!
//! Every leaf setting reads its value through [`Scalar`], so a value of the wrong
//! kind is refused in the setting's own words ("true or false", "from 6 to 32"),
//! never in serde's or the `config` crate's (`invalid type: ..., expected u64`).
//! This module must never decide what a setting accepts: that is the caller's.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

/// A configuration value of any kind, as TOML or an environment variable gave it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Scalar {
    /// An integer (TOML, or a variable `try_parsing` read as one).
    Whole(i128),
    /// A number with a fraction.
    Float(f64),
    /// `true` or `false`.
    Bool(bool),
    /// Text, which may still spell a number (`port = "8080"`).
    Text(String),
    /// A list (`trusted_proxies`).
    List(Vec<Scalar>),
    /// A table, or no value at all: never what a leaf setting accepts.
    Other,
}

impl Scalar {
    /// The value as a whole number, when it is one or text of digits.
    pub(crate) fn whole(&self) -> Option<i128> {
        match self {
            Self::Whole(n) => Some(*n),
            Self::Text(text) => text.trim().parse().ok(),
            _ => None,
        }
    }

    /// The value as text; a number or a flag counts as its spelling, since
    /// `try_parsing` turns `PASTEBIN__MONGODB__DATABASE=2024` into a number.
    pub(crate) fn text(self) -> Option<String> {
        match self {
            Self::Text(text) => Some(text),
            Self::Whole(n) => Some(n.to_string()),
            Self::Float(x) => Some(x.to_string()),
            Self::Bool(b) => Some(b.to_string()),
            Self::List(_) | Self::Other => None,
        }
    }
}

/// Reads one value and converts it with `convert`; a value it refuses fails
/// with "must be {accepts}", which the loader prefixes with the key.
pub(crate) fn read<'de, D, T>(
    deserializer: D,
    accepts: impl fmt::Display,
    convert: impl FnOnce(Scalar) -> Option<T>,
) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
{
    let value = Scalar::deserialize(deserializer)?;
    convert(value).ok_or_else(|| de::Error::custom(format_args!("must be {accepts}")))
}

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ScalarVisitor)
    }
}

/// Takes every kind of value, so no kind reaches serde's default refusal.
struct ScalarVisitor;

impl<'de> Visitor<'de> for ScalarVisitor {
    type Value = Scalar;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any configuration value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Scalar, E> {
        Ok(Scalar::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Scalar, E> {
        Ok(Scalar::Whole(v.into()))
    }

    fn visit_i128<E>(self, v: i128) -> Result<Scalar, E> {
        Ok(Scalar::Whole(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Scalar, E> {
        Ok(Scalar::Whole(v.into()))
    }

    fn visit_u128<E>(self, v: u128) -> Result<Scalar, E> {
        Ok(i128::try_from(v).map_or(Scalar::Other, Scalar::Whole))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Scalar, E> {
        Ok(Scalar::Float(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Scalar, E> {
        Ok(Scalar::Text(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Scalar, E> {
        Ok(Scalar::Text(v))
    }

    fn visit_unit<E>(self) -> Result<Scalar, E> {
        Ok(Scalar::Other)
    }

    fn visit_none<E>(self) -> Result<Scalar, E> {
        Ok(Scalar::Other)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Scalar, D::Error> {
        Scalar::deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Scalar, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Scalar::List(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Scalar, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Scalar::Other)
    }
}
