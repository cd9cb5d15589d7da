//! What every creation surface (form, raw `PUT`, JSON API) shares: the rate
//! limit, checked before the body is read; the `Idempotency-Key`; and the
//! answer in the format the client asked for, with the `RateLimit-*` headers.

use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, HttpResponseBuilder};

use crate::error::AppError;
use crate::routes::api::pastes::CreatedPaste;
use crate::routes::headers::idempotency_key;
use crate::routes::negotiate::Format;
use crate::service::draft::Draft;
use crate::service::{Created, Limit, RateStatus};
use crate::state::AppState;

/// Name of the short-lived cookie that carries a browser's delete token to the
/// new paste's page, where it is shown once (it never appears in a URL).
pub(crate) const TOKEN_COOKIE: &str = "pb_token";

/// Counts this creation against the client's limit (429 past it), after
/// refusing an anonymous one when `accounts.require_login_to_create` is set
/// (401 `login_required`, before the body is read).
pub(crate) async fn admit(
    req: &HttpRequest,
    state: &AppState,
    signed_in: bool,
) -> Result<RateStatus, AppError> {
    if !signed_in && state.accounts.login_required_to_create() {
        return Err(crate::error::AccountError::LoginRequired.into());
    }
    let client = state.clients.of(req);
    state.limiter.take(&[(Limit::Creations, &client)]).await
}

/// Creates the paste (once per `Idempotency-Key`) and answers in `format`.
pub(crate) async fn create(
    req: &HttpRequest,
    state: &AppState,
    draft: Draft,
    format: Format,
    rate: RateStatus,
) -> Result<HttpResponse, AppError> {
    let key = idempotency_key(req)?;
    let client = state.clients.of(req);
    let created = state.pastes.create_once(draft, &client, key).await?;
    let mut response = match format {
        Format::Html => HttpResponse::SeeOther(),
        Format::Json | Format::Text => HttpResponse::Created(),
    };
    response
        .insert_header(("X-Delete-Token", created.delete_token.as_str()))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header(("RateLimit-Limit", rate.limit.to_string()))
        .insert_header(("RateLimit-Remaining", rate.remaining.to_string()))
        .insert_header(("RateLimit-Reset", rate.reset_secs.to_string()));
    if created.replayed {
        response.insert_header(("Idempotent-Replayed", "true"));
    }
    let url = state.links.page(&created.meta.id);
    Ok(match format {
        Format::Json => response
            .insert_header((header::LOCATION, url))
            .json(CreatedPaste::new(&created, &state.links)),
        Format::Text => response
            .content_type("text/plain; charset=utf-8")
            .insert_header((header::LOCATION, url.clone()))
            .body(format!("{url}\n")),
        Format::Html => redirect_to_page(req, response, &created, state),
    })
}

/// A browser goes to the new page; its delete token rides along in a cookie
/// scoped to that page, shown there once.
fn redirect_to_page(
    req: &HttpRequest,
    mut response: HttpResponseBuilder,
    created: &Created,
    state: &AppState,
) -> HttpResponse {
    let id = &created.meta.id;
    let secure = state.links.is_https() || req.connection_info().scheme() == "https";
    let cookie = Cookie::build(TOKEN_COOKIE, created.delete_token.clone())
        .path(format!("/{id}"))
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Lax)
        .max_age(actix_web::cookie::time::Duration::minutes(10))
        .finish();
    response
        .insert_header((header::LOCATION, format!("/{id}")))
        .cookie(cookie)
        .finish()
}
