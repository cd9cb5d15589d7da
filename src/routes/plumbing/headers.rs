//! What a handler reads from request headers, each in one place.

use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpMessage, HttpRequest};

use crate::error::{AppError, RequestError};
use crate::routes::plumbing::failure::Negotiated;
use crate::routes::plumbing::negotiate::Format;

/// The delete token a client sent in `X-Delete-Token`, if any.
pub(crate) fn delete_token(req: &HttpRequest) -> Option<&str> {
    req.headers()
        .get("X-Delete-Token")
        .and_then(|v| v.to_str().ok())
}

/// The shortest `Idempotency-Key`: the key unlocks the delete token of its
/// replay, so it must not be guessable (a random UUID has 36 characters).
pub(crate) const MIN_IDEMPOTENCY_KEY: usize = 16;

/// The request's `Idempotency-Key`, if it sent one; one that is not 16 to
/// 255 visible ASCII characters is refused (422 `invalid_idempotency_key`)
/// before anything is read or counted.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct IdempotencyKey(Option<String>);

impl IdempotencyKey {
    /// The key, if sent.
    pub(crate) fn as_deref(&self) -> Option<&str> {
        self.0.as_deref()
    }
}

impl FromRequest for IdempotencyKey {
    type Error = Negotiated;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let key = super::once(req, |req| {
            idempotency_key(req).map(|key| IdempotencyKey(key.map(str::to_owned)))
        });
        ready(key.map_err(|e| AppError::from(e).answer_as(Format::of(req))))
    }
}

/// The `Idempotency-Key`, if sent: 16 to 255 visible ASCII characters.
fn idempotency_key(req: &HttpRequest) -> Result<Option<&str>, RequestError> {
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
