//! The password of a password-protected paste, as a program sends it: the
//! `X-Paste-Password` header (never a query parameter: a URL ends up in
//! logs and histories). The page's form sends it in a POST body instead.

use actix_web::HttpRequest;

use crate::error::{AppError, RequestError};
use crate::routes::plumbing::client::Client;
use crate::service::pastes::Key;

/// The header.
pub(crate) const HEADER: &str = "x-paste-password";

/// The key a request presents in `X-Paste-Password`, if any.
pub(crate) fn presented(req: &HttpRequest) -> Result<Option<Key>, AppError> {
    let Some(value) = req.headers().get(HEADER) else {
        return Ok(None);
    };
    // UTF-8, not only visible ASCII (`HeaderValue::to_str`): the form and
    // the API take any text as a password, so curl must be able to send it.
    let password = std::str::from_utf8(value.as_bytes())
        .map_err(|_| RequestError::FieldNotText("X-Paste-Password".into()))?;
    Ok(Some(typed(req, password.to_owned())))
}

/// The key of a password typed into the page's form.
pub(crate) fn typed(req: &HttpRequest, password: String) -> Key {
    Key {
        password,
        client: Client::of(req).as_str().to_owned(),
    }
}
