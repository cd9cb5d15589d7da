//! Small request bodies (the account, settings and page forms) read within the
//! same bounds as uploads: the body deadline (`limits.body_timeout_secs`, then
//! 408), the memory of bodies in flight (503), and a size of their own (413).
//! actix's `web::Bytes` and `web::Form` would wait for an unfinished body with
//! no deadline at all.

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};
use futures_util::future::LocalBoxFuture;
use serde::de::DeserializeOwned;

use crate::error::RequestError;
use crate::routes::plumbing::body;
use crate::routes::plumbing::failure::Negotiated;
use crate::routes::plumbing::negotiate;
use crate::state::AppState;

/// Largest small body: room for any of these forms many times over.
pub(crate) const SMALL_BODY_BYTES: usize = 64 * 1024;

/// The whole body of a small request, received within the bounds.
pub(crate) struct SmallBody(pub(crate) Vec<u8>);

impl FromRequest for SmallBody {
    type Error = Negotiated;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let payload = web::Payload::from_request(&req, payload);
        Box::pin(async move {
            let format = negotiate::preferred(&req);
            let payload = payload
                .await
                .map_err(|e| {
                    crate::error::AppError::from(RequestError::UnreadableBody(e.to_string()))
                })
                .map_err(|e| e.answer_as(format))?;
            let Some(state) = req.app_data::<web::Data<AppState>>() else {
                return Err(crate::error::AppError::Internal(anyhow::anyhow!(
                    "no application state"
                ))
                .answer_as(format));
            };
            // A limit above the "paste limit" of 0: a too large form is
            // `EncodedTooLarge`, never a paste that is too large.
            body::read(&req, payload, &state.uploads, SMALL_BODY_BYTES, 0)
                .await
                .map(SmallBody)
                .map_err(|e| e.answer_as(format))
        })
    }
}

/// A small `application/x-www-form-urlencoded` body, parsed into `T`; an
/// empty body is `T` of no fields (so every field of `T` has a default).
pub(crate) struct SmallForm<T>(pub(crate) T);

impl<T: DeserializeOwned + 'static> FromRequest for SmallForm<T> {
    type Error = Negotiated;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let body = SmallBody::from_request(req, payload);
        let format = negotiate::preferred(req);
        Box::pin(async move {
            let SmallBody(bytes) = body.await?;
            serde_urlencoded::from_bytes(&bytes)
                .map(SmallForm)
                .map_err(|_| {
                    crate::error::AppError::from(RequestError::MalformedForm).answer_as(format)
                })
        })
    }
}
