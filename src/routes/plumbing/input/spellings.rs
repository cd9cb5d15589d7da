//! Other pastebins' spellings of our fields, read on the form and raw
//! surfaces (never the JSON API, whose document says exactly what it takes),
//! where they cost nothing: rustypaste's `Expire` header and 0x0's numeric
//! `expires`. What they mean differently (0x0's millisecond timestamps,
//! rustypaste's compound `1h 30min`) is refused with the usual short
//! `invalid_expires` message.

use actix_web::HttpRequest;

use crate::domain::ValidationError;
use crate::error::{AppError, RequestError};
use crate::service::draft::Draft;

/// The largest bare number read as hours (0x0 reads larger ones as a
/// millisecond timestamp, which is refused here): over a century.
const MAX_HOURS: u64 = 1_000_000;

/// Rewrites `draft.expires` from the `Expire` header (`10min`, `2 hours`,
/// `1d`) or a bare number of hours (`expires=24`) into our spelling, left
/// for `Expiry::parse` to judge against the maximum.
pub(crate) fn read_expiry(draft: &mut Draft, req: &HttpRequest) -> Result<(), AppError> {
    if let Some(header) = req.headers().get("expire") {
        if draft.expires.is_some() {
            return Err(
                RequestError::DuplicateField("expires (and the Expire header)".into()).into(),
            );
        }
        let text = header
            .to_str()
            .map_err(|_| RequestError::FieldNotText("Expire".into()))?;
        let ours = humane(text).ok_or_else(|| ValidationError::InvalidExpiry(text.to_owned()))?;
        draft.expires = Some(ours);
    }
    if let Some(text) = draft.expires.as_deref()
        && !text.is_empty()
        && text.bytes().all(|b| b.is_ascii_digit())
    {
        let hours = text
            .parse::<u64>()
            .ok()
            .filter(|h| *h > 0 && *h <= MAX_HOURS)
            .ok_or_else(|| ValidationError::InvalidExpiry(text.to_owned()))?;
        draft.expires = Some(format!("{hours}h"));
    }
    Ok(())
}

/// `10min`, `10 min`, `2hours`, `1d` as one number and one unit, in our
/// spelling (`10m`); `None` for anything else.
fn humane(text: &str) -> Option<String> {
    let text = text.trim();
    let split = text.find(|c: char| !c.is_ascii_digit())?;
    let (number, unit) = text.split_at(split);
    if number.is_empty() {
        return None;
    }
    let unit = match unit.trim_start() {
        "s" | "sec" | "secs" | "second" | "seconds" => "s",
        "m" | "min" | "mins" | "minute" | "minutes" => "m",
        "h" | "hr" | "hrs" | "hour" | "hours" => "h",
        "d" | "day" | "days" => "d",
        "w" | "week" | "weeks" => "w",
        "y" | "year" | "years" => "y",
        _ => return None,
    };
    Some(format!("{number}{unit}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    fn read(expires: Option<&str>, header: Option<&str>) -> Result<Option<String>, AppError> {
        let mut req = TestRequest::default();
        if let Some(header) = header {
            req = req.insert_header(("Expire", header));
        }
        let mut draft = Draft {
            expires: expires.map(str::to_owned),
            ..Draft::default()
        };
        read_expiry(&mut draft, &req.to_http_request())?;
        Ok(draft.expires)
    }

    #[test]
    fn rustypaste_and_0x0_spellings_become_ours() {
        let ok = |e, h| read(e, h).expect("accepted");
        assert_eq!(ok(None, Some("10min")), Some("10m".into()));
        assert_eq!(ok(None, Some("2 hours")), Some("2h".into()));
        assert_eq!(ok(None, Some("1d")), Some("1d".into()));
        assert_eq!(ok(Some("24"), None), Some("24h".into()));
        assert_eq!(ok(Some("1h"), None), Some("1h".into()), "ours stays");
        assert_eq!(ok(None, None), None);
        for refused in [
            (None, Some("1h 30min")),
            (None, Some("500ms")),
            (None, Some("soon")),
            (Some("1681996320000"), None),
            (Some("0"), None),
        ] {
            assert!(read(refused.0, refused.1).is_err(), "{refused:?}");
        }
        assert!(
            matches!(
                read(Some("1h"), Some("1h")),
                Err(AppError::Request(RequestError::DuplicateField(_)))
            ),
            "two expiries"
        );
    }
}
