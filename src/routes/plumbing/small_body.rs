//! Small request bodies (the account, settings and page forms, read as
//! `CsrfForm`s) read within the same bounds as uploads: the body deadline (`limits.body_timeout_secs`, then
//! 408), the memory of bodies in flight (503), and a size of their own (413).
//! actix's `web::Bytes` and `web::Form` would wait for an unfinished body with
//! no deadline at all.

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};
use futures_util::future::LocalBoxFuture;
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::domain::AuthorSummary;
use crate::error::{AppError, RequestError};
use crate::routes::plumbing::body;
use crate::routes::plumbing::caller::Caller;
use crate::routes::plumbing::failure::Negotiated;
use crate::routes::plumbing::headers::media_type;
use crate::routes::plumbing::negotiate::Format;
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
            let format = Format::of(&req);
            let payload = payload
                .await
                .map_err(|e| AppError::from(RequestError::UnreadableBody(e.to_string())))
                .map_err(|e| e.answer_as(format))?;
            let Some(state) = req.app_data::<web::Data<AppState>>() else {
                return Err(
                    AppError::Internal(anyhow::anyhow!("no application state")).answer_as(format)
                );
            };
            // A limit above the "paste limit" of 0: a too large form is
            // `EncodedTooLarge`, never a paste that is too large.
            body::read(&req, payload, &state.http.uploads, SMALL_BODY_BYTES, 0)
                .await
                .map(SmallBody)
                .map_err(|e| e.answer_as(format))
        })
    }
}

/// A small form of a state-changing request: an
/// `application/x-www-form-urlencoded` body read within the small-body
/// bounds, parsed into `T` (an empty body is `T` of no fields, so every field
/// of `T` has a default; unknown fields are ignored, as a browser may add the
/// submit button's name), with its CSRF check done. The one way a small form
/// is read.
pub(crate) struct CsrfForm<T> {
    /// The form's fields (its `csrf_token` is read here, not into `T`).
    pub(crate) fields: T,
    /// Who the form acts for (`Caller::acting_user`): `None` when anonymous,
    /// a bearer token's user, or the signed-in session's user, the form
    /// carrying the session's `csrf_token` (else 403 `csrf_refused`, before
    /// the handler runs).
    pub(crate) by: Option<AuthorSummary>,
}

/// The CSRF field every form of a signed-in session carries.
#[derive(Deserialize, Default)]
struct CsrfField {
    #[serde(default)]
    csrf_token: Option<String>,
}

impl<T: DeserializeOwned> CsrfForm<T> {
    /// The form in `bytes` (a urlencoded body already read within its
    /// bounds), its CSRF check done: how `FromRequest` reads a small one,
    /// and how a form with a paste in it (the edit form, read within the
    /// paste's bounds) is read.
    pub(crate) async fn parse(req: &HttpRequest, bytes: &[u8]) -> Result<Self, AppError> {
        let urlencoded = media_type(req).as_deref() == Some("application/x-www-form-urlencoded");
        if !bytes.is_empty() && !urlencoded {
            return Err(RequestError::UnsupportedMediaType(
                "forms are application/x-www-form-urlencoded",
            )
            .into());
        }
        let malformed = |_| AppError::from(RequestError::MalformedForm);
        let fields: T = serde_urlencoded::from_bytes(bytes).map_err(malformed)?;
        let csrf: CsrfField = serde_urlencoded::from_bytes(bytes).map_err(malformed)?;
        let caller = Caller::of(req).await?;
        let by = caller.acting_user(csrf.csrf_token.as_deref())?;
        Ok(CsrfForm { fields, by })
    }
}

impl<T: DeserializeOwned + 'static> FromRequest for CsrfForm<T> {
    type Error = Negotiated;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let body = SmallBody::from_request(req, payload);
        let req = req.clone();
        Box::pin(async move {
            let format = Format::of(&req);
            let SmallBody(bytes) = body.await?;
            Self::parse(&req, &bytes)
                .await
                .map_err(|e: AppError| e.answer_as(format))
        })
    }
}
