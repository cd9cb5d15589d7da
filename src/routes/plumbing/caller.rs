//! Who is asking, on every surface: the `Caller` extractor.
//!
//! - `Authorization: Bearer <token>`: the token's user. A bearer token that
//!   is not a live API token is refused (401 `invalid_token`) wherever it is
//!   sent, never taken as anonymous: a script with a revoked token learns it
//!   at once, and `curl -F`, `curl -T` and `--data` creations are credited
//!   to the token's user as the JSON API's are. The JSON API refuses any
//!   other scheme too; pages, raw reads and creation forms ignore one (a
//!   proxy's Basic credentials in front of a private instance reach every
//!   request).
//! - else, outside the JSON API, the session behind the `pb_session` cookie.
//!   The API never reads the cookie, so a page of another site cannot make a
//!   signed-in browser call it (no CSRF token needed there). A request
//!   without the cookie is anonymous at no cost (no cache lookup); a cookie
//!   whose session is unknown or ended is anonymous too, never an error.
//!
//! Resolved once per request and kept in its extensions. Forms of a
//! signed-in session carry its `csrf_token`, checked by
//! `Caller::acting_user` before anything changes; a bearer token needs none
//! (a browser never adds one to a request on its own).

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use futures_util::future::LocalBoxFuture;

use crate::domain::AuthorSummary;
use crate::error::{AccountError, AppError};
use crate::routes::plumbing::failure::Negotiated;
use crate::routes::plumbing::negotiate::Format;
use crate::routes::plumbing::session_cookie::SESSION_COOKIE;
use crate::service::accounts::Session;
use crate::state::AppState;

/// Who a request is.
#[derive(Debug, Clone, Default)]
pub(crate) enum Caller {
    /// No credentials (or a session cookie that is no live session).
    #[default]
    Anonymous,
    /// A browser's live session, with the cookie's id (to end it).
    Session {
        /// The session id, from the cookie.
        id: String,
        /// The session.
        session: Session,
    },
    /// The user of a live API token.
    Bearer(AuthorSummary),
}

impl Caller {
    /// The caller of `req`, resolved the first time it is asked for; a bad
    /// bearer token is `InvalidToken`.
    pub(crate) async fn of(req: &HttpRequest) -> Result<Self, AppError> {
        if let Some(known) = req.extensions().get::<Caller>() {
            return Ok(known.clone());
        }
        let caller = Self::resolve(req).await?;
        req.extensions_mut().insert(caller.clone());
        Ok(caller)
    }

    async fn resolve(req: &HttpRequest) -> Result<Self, AppError> {
        let Some(state) = req.app_data::<web::Data<AppState>>() else {
            return Err(AppError::Internal(anyhow::anyhow!("no application state")));
        };
        let api = req.path().starts_with("/api/");
        if let Some(value) = req.headers().get(header::AUTHORIZATION) {
            match bearer_token(value.as_bytes()) {
                Some(token) => {
                    return Ok(Self::Bearer(
                        state.services.tokens.authenticate(token).await?,
                    ));
                }
                // The API knows no other scheme.
                None if api => return Err(AccountError::InvalidToken.into()),
                // Another scheme on a page (the Basic credentials of a proxy
                // in front of a private instance, forwarded as proxies do)
                // is not ours to judge: the cookie decides, as without it.
                None => {}
            }
        }
        // Without a `Cookie` header there is nothing to parse.
        if api || !req.headers().contains_key(header::COOKIE) {
            return Ok(Self::Anonymous);
        }
        let Some(cookie) = req.cookie(SESSION_COOKIE) else {
            return Ok(Self::Anonymous);
        };
        let id = cookie.value().to_owned();
        Ok(match state.services.sessions.find(&id).await {
            Some(session) => Self::Session { id, session },
            None => Self::Anonymous,
        })
    }

    /// The user, for reads (which change nothing: no CSRF token).
    pub(crate) fn user(&self) -> Option<&AuthorSummary> {
        match self {
            Self::Anonymous => None,
            Self::Session { session, .. } => Some(&session.user),
            Self::Bearer(user) => Some(user),
        }
    }

    /// The browser session, for pages that show its CSRF token in their forms.
    pub(crate) fn session(&self) -> Option<&Session> {
        match self {
            Self::Session { session, .. } => Some(session),
            _ => None,
        }
    }

    /// The cookie's session id, to end it.
    pub(crate) fn session_id(&self) -> Option<&str> {
        match self {
            Self::Session { id, .. } => Some(id),
            _ => None,
        }
    }

    /// The user a state-changing request acts for: `None` when anonymous;
    /// a bearer token's user; a session's user when `csrf_token` is the
    /// session's, else `CsrfRefused` (403), so another site cannot make a
    /// signed-in browser act.
    pub(crate) fn acting_user(
        &self,
        csrf_token: Option<&str>,
    ) -> Result<Option<AuthorSummary>, AppError> {
        match self {
            Self::Anonymous => Ok(None),
            Self::Bearer(user) => Ok(Some(user.clone())),
            Self::Session { session, .. } if session.csrf_matches(csrf_token) => {
                Ok(Some(session.user.clone()))
            }
            Self::Session { .. } => Err(AccountError::CsrfRefused.into()),
        }
    }
}

/// The token of an `Authorization: Bearer <token>` header (the scheme in any
/// case, RFC 9110), or `None` for another scheme. An empty or unreadable
/// token is `Some("")`, which no live token matches (401).
fn bearer_token(value: &[u8]) -> Option<&str> {
    let (scheme, rest) = match value.iter().position(|b| *b == b' ') {
        Some(space) => value.split_at(space),
        None => (value, &b""[..]),
    };
    if !scheme.eq_ignore_ascii_case(b"bearer") {
        return None;
    }
    Some(std::str::from_utf8(rest).map_or("", str::trim))
}

impl FromRequest for Caller {
    type Error = Negotiated;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            Self::of(&req)
                .await
                .map_err(|e| e.answer_as(Format::of(&req)))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::bearer_token;

    #[test]
    fn only_the_bearer_scheme_carries_a_token() {
        assert_eq!(bearer_token(b"Bearer pbt_abc"), Some("pbt_abc"));
        assert_eq!(bearer_token(b"bearer  pbt_abc "), Some("pbt_abc"));
        assert_eq!(bearer_token(b"Bearer"), Some(""));
        assert_eq!(bearer_token(b"Bearer \xff"), Some(""));
        assert_eq!(bearer_token(b"Basic dXNlcjpwYXNz"), None);
        assert_eq!(bearer_token(b"BearerX abc"), None);
    }
}
