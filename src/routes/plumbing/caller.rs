//! Who calls the JSON API: the user of an `Authorization: Bearer` token, or
//! nobody. The API never reads the session cookie, so a page of another
//! site cannot make a signed-in browser call it (no CSRF token needed here).

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};
use futures_util::future::LocalBoxFuture;

use crate::domain::AuthorSummary;
use crate::error::AccountError;
use crate::routes::plumbing::failure::ApiError;
use crate::state::AppState;

/// The user a request's bearer token stands for, if it sends one. A token
/// that is not a live one is refused (401 `invalid_token`), never taken as
/// anonymous: a script with a revoked token learns it at once.
#[derive(Debug, Clone, Default)]
pub(crate) struct Caller(Option<AuthorSummary>);

impl Caller {
    /// The token's user.
    pub(crate) fn user(&self) -> Option<&AuthorSummary> {
        self.0.as_ref()
    }
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let Some(value) = req.headers().get(header::AUTHORIZATION) else {
                return Ok(Self::default());
            };
            let bearer = value
                .to_str()
                .ok()
                .and_then(|v| v.strip_prefix("Bearer "))
                .ok_or(AccountError::InvalidToken)?;
            let state = req
                .app_data::<web::Data<AppState>>()
                .ok_or(AccountError::InvalidToken)?;
            Ok(Self(Some(state.tokens.authenticate(bearer).await?)))
        })
    }
}
