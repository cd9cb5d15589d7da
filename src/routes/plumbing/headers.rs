//! What a handler reads from request headers, each in one place.

use actix_web::{HttpMessage, HttpRequest};

use crate::error::RequestError;

/// The delete token a client sent in `X-Delete-Token`, if any.
pub(crate) fn delete_token(req: &HttpRequest) -> Option<&str> {
    req.headers()
        .get("X-Delete-Token")
        .and_then(|v| v.to_str().ok())
}

/// The shortest `Idempotency-Key`: the key unlocks the delete token of its
/// replay, so it must not be guessable (a random UUID has 36 characters).
pub(crate) const MIN_IDEMPOTENCY_KEY: usize = 16;

/// The `Idempotency-Key`, if sent: 16 to 255 visible ASCII characters.
pub(crate) fn idempotency_key(req: &HttpRequest) -> Result<Option<&str>, RequestError> {
    let Some(value) = req.headers().get("idempotency-key") else {
        return Ok(None);
    };
    let key = value
        .to_str()
        .map_err(|_| RequestError::InvalidIdempotencyKey)?;
    let ok = (MIN_IDEMPOTENCY_KEY..=255).contains(&key.len())
        && key.bytes().all(|b| b.is_ascii_graphic());
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
        let uuid = "9b2f6c1e-2a7d-4f0e-8a51-3c6d9e0b7f42";
        assert_eq!(with(uuid), Ok(Some(uuid.into())));
        assert_eq!(
            with("short-but-15chr"),
            Err(RequestError::InvalidIdempotencyKey),
            "a guessable key could unlock another's token"
        );
        assert_eq!(
            with("has space in a long key"),
            Err(RequestError::InvalidIdempotencyKey)
        );
        assert_eq!(
            with(&"k".repeat(256)),
            Err(RequestError::InvalidIdempotencyKey)
        );
        let none = TestRequest::default().to_http_request();
        assert_eq!(idempotency_key(&none), Ok(None));
    }
}
