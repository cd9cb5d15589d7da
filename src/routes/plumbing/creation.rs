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
use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, HttpResponse, HttpResponseBuilder};
use futures_util::future::LocalBoxFuture;

use crate::error::AppError;
use crate::routes::api::pastes::CreatedPaste;
use crate::routes::plumbing::caller::Caller;
use crate::routes::plumbing::client::Client;
use crate::routes::plumbing::failure::Negotiated;
use crate::routes::plumbing::headers::IdempotencyKey;
use crate::routes::plumbing::negotiate::Format;
use crate::service::draft::{Draft, parse_flag};
use crate::service::{Created, Limit, RateStatus};
use crate::state::AppState;

/// Name of the short-lived cookie that carries a browser's delete token to the
/// new paste's page, where it is shown once (it never appears in a URL).
pub(crate) const TOKEN_COOKIE: &str = "pb_token";

/// What a creation reads of its request, each fact once: who is counted
/// (`Client`), who creates (`Caller`: a bearer token's user on every
/// creation surface, not only the API), the `Idempotency-Key`, and whether
/// the request came over https (for the cookie a browser is sent back with).
pub(crate) struct Creation {
    /// Who the limit and the idempotency record count.
    pub(crate) client: Client,
    /// Who creates: the author of the paste.
    pub(crate) caller: Caller,
    /// The request's `Idempotency-Key`.
    pub(crate) key: IdempotencyKey,
    /// The request arrived over https.
    https: bool,
}

impl FromRequest for Creation {
    type Error = Negotiated;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let key = IdempotencyKey::from_request(req, payload);
        let caller = Caller::from_request(req, payload);
        let client = Client::of(req);
        let https = req.connection_info().scheme() == "https";
        Box::pin(async move {
            Ok(Self {
                caller: caller.await?,
                key: key.await?,
                client,
                https,
            })
        })
    }
}

impl Creation {
    /// Before the body is read: refuses an anonymous creation when
    /// `accounts.require_login_to_create` is set (401 `login_required`), and
    /// a client whose creation bucket is empty (429). Spends nothing.
    pub(crate) async fn admit(&self, state: &AppState) -> Result<(), AppError> {
        if self.caller.user().is_none() && state.services.accounts.login_required_to_create() {
            return Err(crate::error::AccountError::LoginRequired.into());
        }
        state
            .services
            .limiter
            .look(&[(Limit::Creations, self.client.as_str())])
            .await?;
        Ok(())
    }

    /// Creates the paste (once per `Idempotency-Key`; the service spends
    /// this creation's token once the draft is valid and is no replay) and
    /// answers in `format`.
    pub(crate) async fn create(
        &self,
        state: &AppState,
        draft: Draft,
        format: Format,
    ) -> Result<HttpResponse, AppError> {
        let show_token = parse_flag("show_token", draft.show_token.as_deref().unwrap_or(""))?;
        let (created, rate) = state
            .services
            .pastes
            .create_once(draft, self.client.as_str(), self.key.as_deref())
            .await?;
        answer(state, &created, format, rate, self.https, show_token)
    }
}

impl Creation {
    /// Forks `original` for `by` (the acting user, checked by the caller:
    /// a form's CSRF token, or a bearer token) through the same creation
    /// path, and answers as a creation in `format` does.
    pub(crate) async fn fork(
        &self,
        state: &AppState,
        original: &crate::domain::PasteId,
        by: Option<&crate::domain::AuthorSummary>,
        format: Format,
    ) -> Result<HttpResponse, AppError> {
        let (created, rate) = state
            .services
            .pastes
            .fork_once(original, by, self.client.as_str(), self.key.as_deref())
            .await?;
        answer(state, &created, format, rate, self.https, false)
    }
}

/// The answer to a creation, in `format`, with the `RateLimit-*` headers;
/// with `show_token`, the text answer's second line is the delete token.
fn answer(
    state: &AppState,
    created: &Created,
    format: Format,
    rate: Option<RateStatus>,
    https: bool,
    show_token: bool,
) -> Result<HttpResponse, AppError> {
    let mut response = match format {
        Format::Html => HttpResponse::SeeOther(),
        Format::Json | Format::Text => HttpResponse::Created(),
    };
    response
        .insert_header(("X-Delete-Token", created.delete_token.as_str()))
        .insert_header((header::CACHE_CONTROL, "no-store"));
    // A replay spent nothing, so it has no count to tell.
    if let Some(rate) = rate {
        response
            .insert_header(("RateLimit-Limit", rate.limit.to_string()))
            .insert_header(("RateLimit-Remaining", rate.remaining.to_string()))
            .insert_header(("RateLimit-Reset", rate.reset_secs.to_string()));
    }
    if created.replayed {
        response.insert_header(("Idempotent-Replayed", "true"));
    }
    let url = state.http.links.page(&created.meta.id);
    Ok(match format {
        Format::Json => response
            .insert_header((header::LOCATION, url))
            .json(CreatedPaste::new(created, &state.http.links)),
        Format::Text => response
            .content_type("text/plain; charset=utf-8")
            .insert_header((header::LOCATION, url.clone()))
            .body(if show_token {
                format!("{url}\n{}\n", created.delete_token.as_str())
            } else {
                format!("{url}\n")
            }),
        Format::Html => redirect_to_page(response, created, state, https),
    })
}

/// A browser goes to the new page; its delete token rides along in a cookie
/// scoped to that page, shown there once.
fn redirect_to_page(
    mut response: HttpResponseBuilder,
    created: &Created,
    state: &AppState,
    https: bool,
) -> HttpResponse {
    let id = &created.meta.id;
    let secure = state.http.links.is_https() || https;
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
