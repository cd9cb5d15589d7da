//! What a handler reads from request headers, each in one place.

use std::net::IpAddr;

use actix_web::{HttpMessage, HttpRequest};

use crate::error::RequestError;

/// The delete token a client sent in `X-Delete-Token`, if any.
pub(crate) fn delete_token(req: &HttpRequest) -> Option<&str> {
    req.headers()
        .get("X-Delete-Token")
        .and_then(|v| v.to_str().ok())
}

/// The `Idempotency-Key`, if sent: 1 to 255 visible ASCII characters.
pub(crate) fn idempotency_key(req: &HttpRequest) -> Result<Option<&str>, RequestError> {
    let Some(value) = req.headers().get("idempotency-key") else {
        return Ok(None);
    };
    let key = value
        .to_str()
        .map_err(|_| RequestError::InvalidIdempotencyKey)?;
    let ok = (1..=255).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_graphic());
    if ok {
        Ok(Some(key))
    } else {
        Err(RequestError::InvalidIdempotencyKey)
    }
}

/// The essence of the request's media type (`multipart/form-data`), lowercase.
pub(crate) fn media_type(req: &HttpRequest) -> Option<String> {
    req.mime_type()
        .ok()
        .flatten()
        .map(|m| m.essence_str().to_ascii_lowercase())
}

/// The address a client is counted by: the peer, or, when the peer is a
/// trusted proxy, the last address in `X-Forwarded-For` that is not one.
pub(crate) fn client_address(req: &HttpRequest, trusted: &[IpAddr]) -> String {
    let Some(peer) = req.peer_addr().map(|a| a.ip()) else {
        return "unknown".into();
    };
    if !trusted.contains(&peer) {
        return peer.to_string();
    }
    let forwarded = req
        .headers()
        .get_all("x-forwarded-for")
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|a| a.trim().parse::<IpAddr>().ok())
        .collect::<Vec<_>>();
    forwarded
        .into_iter()
        .rev()
        .find(|ip| !trusted.contains(ip))
        .unwrap_or(peer)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    #[test]
    fn an_idempotency_key_is_visible_ascii_of_bounded_length() {
        let with = |key: &str| {
            let req = TestRequest::default()
                .insert_header(("Idempotency-Key", key))
                .to_http_request();
            idempotency_key(&req).map(|k| k.map(str::to_owned))
        };
        assert_eq!(with("abc-123"), Ok(Some("abc-123".into())));
        assert_eq!(with("has space"), Err(RequestError::InvalidIdempotencyKey));
        assert_eq!(
            with(&"k".repeat(256)),
            Err(RequestError::InvalidIdempotencyKey)
        );
        let none = TestRequest::default().to_http_request();
        assert_eq!(idempotency_key(&none), Ok(None));
    }
}
