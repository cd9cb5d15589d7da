//! What every creation surface (form, raw `PUT`, JSON API) shares: the rate
//! limit, looked at before the body is read and spent once it is whole and
//! valid; the `Idempotency-Key`; and the answer in the format the client
//! asked for, with the `RateLimit-*` headers.
//!
//! A body that never arrives whole (a client that hangs up or stalls past
//! `limits.body_timeout_secs`) or that is refused spends nothing. The look
//! and the spend are two steps, so several bodies may be under way on one
//! token; the spend is one atomic step, so no more creations than the bucket
//! holds are ever admitted, and the bodies received in vain are bounded by
//! the uploads in flight (`limits.uploads_in_flight_bytes`) and each body's
//! own limits.

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

/// Before the body is read: refuses an anonymous creation when
/// `accounts.require_login_to_create` is set (401 `login_required`), and a
/// client whose creation bucket is empty (429). Spends nothing.
pub(crate) async fn admit(
    req: &HttpRequest,
    state: &AppState,
    signed_in: bool,
) -> Result<(), AppError> {
    if !signed_in && state.accounts.login_required_to_create() {
        return Err(crate::error::AccountError::LoginRequired.into());
    }
    let client = state.clients.of(req);
    state.limiter.look(&[(Limit::Creations, &client)]).await?;
    Ok(())
}

/// Spends this creation's token once its body is whole and `draft` is
/// valid (a refused draft keeps its 4xx and spends nothing).
async fn spend(state: &AppState, client: &str, draft: &Draft) -> Result<RateStatus, AppError> {
    draft.clone().check(state.pastes.rules())?;
    state.limiter.take(&[(Limit::Creations, client)]).await
}

/// Creates the paste (once per `Idempotency-Key`), after spending its token,
/// and answers in `format`.
pub(crate) async fn create(
    req: &HttpRequest,
    state: &AppState,
    draft: Draft,
    format: Format,
) -> Result<HttpResponse, AppError> {
    let key = idempotency_key(req)?;
    let client = state.clients.of(req);
    let rate = spend(state, &client, &draft).await?;
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
