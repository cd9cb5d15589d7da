//! Who is asking: the session behind the `pb_session` cookie, if any.
//!
//! A request without the cookie is anonymous at no cost (no cache lookup):
//! hot reads of public pastes pay nothing for accounts. A cookie whose
//! session is unknown or ended is anonymous too, never an error.
//!
//! The session cookie is `HttpOnly`, `SameSite=Lax` (a cross-site form post
//! does not carry it) and `Secure` when `server.public_url` is https. Forms
//! of a signed-in user carry the session's `csrf_token` as well, checked by
//! `Viewer::author` before anything changes.

use std::time::Duration;

use actix_web::cookie::{Cookie, SameSite};
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};
use futures_util::future::LocalBoxFuture;

use crate::domain::AuthorSummary;
use crate::error::{AccountError, AppError};
use crate::service::accounts::Session;
use crate::state::AppState;

/// The session cookie.
pub(crate) const SESSION_COOKIE: &str = "pb_session";

/// The session of a request, if it has a live one.
#[derive(Debug, Clone, Default)]
pub(crate) struct Viewer {
    signed_in: Option<(String, Session)>,
}

impl Viewer {
    /// The session of `req`, looked up only when it carries the cookie.
    pub(crate) async fn of(req: &HttpRequest, state: &AppState) -> Self {
        let Some(cookie) = req.cookie(SESSION_COOKIE) else {
            return Self::default();
        };
        let id = cookie.value().to_owned();
        let session = state.sessions.find(&id).await;
        Self {
            signed_in: session.map(|s| (id, s)),
        }
    }

    /// The signed-in user, for reads (which change nothing: no CSRF token).
    pub(crate) fn user(&self) -> Option<&AuthorSummary> {
        self.signed_in.as_ref().map(|(_, s)| &s.user)
    }

    /// The session, for pages that show its CSRF token in their forms.
    pub(crate) fn session(&self) -> Option<&Session> {
        self.signed_in.as_ref().map(|(_, s)| s)
    }

    /// The cookie's session id, to end it.
    pub(crate) fn session_id(&self) -> Option<&str> {
        self.signed_in.as_ref().map(|(id, _)| id.as_str())
    }

    /// The user a state-changing form acts for: `None` for an anonymous
    /// request; for a signed-in one, the user when `csrf_token` is the
    /// session's, else `CsrfRefused` (403), so another site cannot make a
    /// signed-in browser act.
    pub(crate) fn author(
        &self,
        csrf_token: Option<&str>,
    ) -> Result<Option<AuthorSummary>, AppError> {
        match &self.signed_in {
            None => Ok(None),
            Some((_, session)) if session.csrf_matches(csrf_token) => {
                Ok(Some(session.user.clone()))
            }
            Some(_) => Err(AccountError::CsrfRefused.into()),
        }
    }
}

impl FromRequest for Viewer {
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            match req.app_data::<web::Data<AppState>>() {
                Some(state) => Ok(Self::of(&req, state).await),
                None => Ok(Self::default()),
            }
        })
    }
}

/// The cookie that carries a new session's id.
pub(crate) fn session_cookie(id: &str, secure: bool, life: Duration) -> Cookie<'static> {
    Cookie::build(SESSION_COOKIE, id.to_owned())
        .path("/")
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Lax)
        .max_age(actix_web::cookie::time::Duration::seconds(
            i64::try_from(life.as_secs()).unwrap_or(i64::MAX),
        ))
        .finish()
}

/// The answer's instruction to forget the session cookie.
pub(crate) fn session_removal() -> Cookie<'static> {
    let mut gone = Cookie::build(SESSION_COOKIE, "").path("/").finish();
    gone.make_removal();
    gone
}
