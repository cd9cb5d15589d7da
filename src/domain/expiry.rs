//! How long a paste lives.

use std::time::Duration;

use super::ValidationError;

/// The life a paste asked for. `After` is never zero and never past the configured
/// maximum, so a stored `expires_at` is always in the future when written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Expiry {
    /// Kept until deleted.
    Never,
    /// Gone (404) once this much time has passed since creation.
    After(Duration),
}

/// Why a duration could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a duration such as 90s, 10m, 2h, 3d, 1w or 1y")]
pub(crate) struct BadDuration(String);

/// Reads `90s`, `10m`, `2h`, `3d`, `1w`, `30d`, `1y` (365 days): a whole positive
/// number and one unit, nothing around them. The presets of the form are
/// durations like any other.
pub(crate) fn parse_duration(text: &str) -> Result<Duration, BadDuration> {
    let bad = || BadDuration(text.to_owned());
    let split = text.find(|c: char| !c.is_ascii_digit()).ok_or_else(bad)?;
    let (number, unit) = text.split_at(split);
    let number: u64 = number.parse().map_err(|_| bad())?;
    let seconds_per_unit = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3_600,
        "d" => 86_400,
        "w" => 7 * 86_400,
        "y" => 365 * 86_400,
        _ => return Err(bad()),
    };
    if number == 0 {
        return Err(bad());
    }
    number
        .checked_mul(seconds_per_unit)
        .map(Duration::from_secs)
        .ok_or_else(bad)
}

impl Expiry {
    /// `never` (or nothing) or a duration no longer than `max`, exactly as
    /// written: what the OpenAPI document's pattern for `expires` says (see
    /// `routes::api::openapi`). `max_text` is how the maximum is written in the
    /// settings, for the error message.
    pub(crate) fn parse(
        text: &str,
        max: Duration,
        max_text: &str,
    ) -> Result<Self, ValidationError> {
        if text.is_empty() || text == "never" {
            return Ok(Self::Never);
        }
        let duration =
            parse_duration(text).map_err(|_| ValidationError::InvalidExpiry(text.to_owned()))?;
        if duration > max {
            return Err(ValidationError::ExpiryTooLong {
                max: max_text.to_owned(),
            });
        }
        Ok(Self::After(duration))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const YEAR: Duration = Duration::from_secs(365 * 86_400);

    #[test]
    fn presets_and_free_durations_parse() {
        let cases = [
            ("10m", 600),
            ("1h", 3_600),
            ("1d", 86_400),
            ("1w", 604_800),
            ("30d", 2_592_000),
            ("1y", 31_536_000),
            ("90s", 90),
            ("5m", 300),
            ("2h", 7_200),
            ("3d", 259_200),
        ];
        for (text, secs) in cases {
            assert_eq!(
                Expiry::parse(text, YEAR, "1y"),
                Ok(Expiry::After(Duration::from_secs(secs))),
                "{text}"
            );
        }
        assert_eq!(Expiry::parse("never", YEAR, "1y"), Ok(Expiry::Never));
        assert_eq!(Expiry::parse("", YEAR, "1y"), Ok(Expiry::Never));
    }

    #[test]
    fn nonsense_zero_and_overflow_are_refused() {
        for text in [
            "0m",
            "-1h",
            "1.5h",
            "h",
            "10",
            "10 m",
            "1x",
            "tomorrow",
            "99999999999999999999y",
            " 1h",
            "1h ",
            "1H",
            "Never",
            " ",
        ] {
            assert!(
                matches!(
                    Expiry::parse(text, YEAR, "1y"),
                    Err(ValidationError::InvalidExpiry(_))
                ),
                "{text}"
            );
        }
        assert!(parse_duration("9999999999999999y").is_err());
    }

    #[test]
    fn longer_than_the_maximum_is_refused() {
        assert_eq!(
            Expiry::parse("2y", YEAR, "1y"),
            Err(ValidationError::ExpiryTooLong { max: "1y".into() })
        );
    }
}
