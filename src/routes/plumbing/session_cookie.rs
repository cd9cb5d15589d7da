//! The session cookie: `HttpOnly`, `SameSite=Lax` (a cross-site form post
//! does not carry it) and `Secure` when `server.public_url` is https. Who it
//! signs in is read by the `Caller` extractor (`caller`).

use std::time::Duration;

use actix_web::cookie::{Cookie, SameSite};

/// The session cookie.
pub(crate) const SESSION_COOKIE: &str = "pb_session";

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
