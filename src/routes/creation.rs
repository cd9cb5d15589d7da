//! What every creation surface (form, raw `PUT`, JSON API) shares: the rate
//! limit, checked before the body is read; the `Idempotency-Key`; and the
//! answer in the form the client asked for, with the `RateLimit-*` headers.

use std::net::IpAddr;

use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, HttpResponseBuilder};

use crate::error::{Failure, Form};
use crate::routes::api::pastes::CreatedPaste;
use crate::service::draft::Draft;
use crate::service::{Created, RateStatus};
use crate::state::AppState;

/// Name of the short-lived cookie that carries a browser's delete token to the
/// new paste's page, where it is shown once (it never appears in a URL).
pub const TOKEN_COOKIE: &str = "pb_token";

/// The address creations are counted against: the peer, or, when the peer is
/// a trusted proxy, the last address in `X-Forwarded-For` that is not one.
pub fn client_address(req: &HttpRequest, trusted: &[IpAddr]) -> String {
    let Some(peer) = req.peer_addr().map(|a| a.ip()) else {
        return "unknown".into();
    };
    if !trusted.contains(&peer) {
        return peer.to_string();
    }
    let forwarded = req
        .headers()
        .get_all("x-forwarded-for")
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|a| a.trim().parse::<IpAddr>().ok())
        .collect::<Vec<_>>();
    forwarded
        .into_iter()
        .rev()
        .find(|ip| !trusted.contains(ip))
        .unwrap_or(peer)
        .to_string()
}

/// Counts this creation against the client's limit (429 past it).
pub async fn admit(req: &HttpRequest, state: &AppState, form: Form) -> Result<RateStatus, Failure> {
    let client = client_address(req, &state.trusted_proxies);
    state
        .limiter
        .check_create(&client)
        .await
        .map_err(|e| e.render_as(form))
}

/// Creates the paste (once per `Idempotency-Key`) and answers in `form`.
pub async fn create(
    req: &HttpRequest,
    state: &AppState,
    draft: Draft,
    form: Form,
    rate: RateStatus,
) -> Result<HttpResponse, Failure> {
    let key = req
        .headers()
        .get("idempotency-key")
        .map(|v| v.to_str().unwrap_or("\u{0}"));
    let client = client_address(req, &state.trusted_proxies);
    let created = state
        .pastes
        .create_once(draft, &client, key)
        .await
        .map_err(|e| e.render_as(form))?;
    let mut response = match form {
        Form::Json => {
            let mut r = HttpResponse::Created();
            r.content_type("application/json");
            r
        }
        Form::Text => {
            let mut r = HttpResponse::Created();
            r.content_type("text/plain; charset=utf-8");
            r
        }
        Form::Html => HttpResponse::SeeOther(),
    };
    let id = &created.meta.id;
    let url = format!("{}/{id}", state.public_url);
    response
        .insert_header(("X-Delete-Token", created.delete_token.as_str()))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header(("RateLimit-Limit", rate.limit.to_string()))
        .insert_header(("RateLimit-Remaining", rate.remaining.to_string()))
        .insert_header(("RateLimit-Reset", rate.reset_secs.to_string()));
    if created.replayed {
        response.insert_header(("Idempotent-Replayed", "true"));
    }
    Ok(match form {
        Form::Json => {
            let body = CreatedPaste::new(&created, state);
            response.insert_header((header::LOCATION, url)).json(body)
        }
        Form::Text => response
            .insert_header((header::LOCATION, url.clone()))
            .body(format!("{url}\n")),
        Form::Html => redirect_to_page(req, response, &created, state),
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
    let secure =
        state.public_url.starts_with("https://") || req.connection_info().scheme() == "https";
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
