//! What wraps every request: a span with a request id, the HTTP metrics and
//! the headers of every answer; inside it the not-found budget
//! (`miss_budget::guard`), and after it the drain's `Connection: close`
//! (`shutdown::close_if_draining`). One middleware calling the others as
//! plain functions: each `from_fn` layer costs a boxed future per request.

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, web};
use tracing::Instrument;

use crate::state::AppState;

/// Header carrying the request id, in and out.
pub(crate) const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Opens the request's span (with an id: the caller's `X-Request-Id` when it is
/// short and plain, else a fresh UUID; and the request's `Client`), answers
/// it, and counts it.
pub(crate) async fn observe(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let started = Instant::now();
    // The caller's value is shared as it came (no copy); a new one is made
    // straight into a header value.
    let request_id = req
        .headers()
        .get(&REQUEST_ID)
        .filter(|v| {
            let v = v.as_bytes();
            !v.is_empty()
                && v.len() <= 64
                && v.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'-')
        })
        .cloned()
        .unwrap_or_else(new_request_id);
    let request_id_text = request_id.to_str().unwrap_or_default();
    // The same client the limits and idempotency records count (worked out
    // once: the extractors read it back from the request's extensions).
    let client = crate::routes::plumbing::client::Client::of(req.request());
    let span = tracing::info_span!("request", request_id = %request_id_text, client = %client, method = %req.method(), path = %req.path());
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let https = state.as_ref().is_some_and(|s| s.http.links.is_https());
    // Cookies are parsed only when there are some.
    let personal = (req.headers().contains_key(actix_web::http::header::COOKIE)
        && req
            .cookie(crate::routes::plumbing::session_cookie::SESSION_COOKIE)
            .is_some())
        || req
            .headers()
            .contains_key(actix_web::http::header::AUTHORIZATION);
    let mut response = crate::routes::plumbing::miss_budget::guard(req, next)
        .instrument(span.clone())
        .await?;
    let status = response.status().as_u16();
    let elapsed = started.elapsed();
    let route = response.request().match_pattern();
    let route = route.as_deref().unwrap_or("unmatched");
    if let Some(state) = state {
        // Any token is a method to HTTP: unknown ones share a label, so a client
        // cannot make new metric series at will.
        let method = match response.request().method().as_str() {
            m @ ("GET" | "HEAD" | "POST" | "PUT" | "DELETE" | "OPTIONS" | "PATCH") => m,
            _ => "OTHER",
        };
        state
            .services
            .metrics
            .http_request(method, route, status, elapsed.as_secs_f64());
    }
    span.in_scope(|| {
        tracing::debug!(
            status,
            route,
            elapsed_us = elapsed.as_micros() as u64,
            "answered"
        )
    });
    let headers = response.headers_mut();
    headers.insert(REQUEST_ID, request_id);
    secure(headers);
    if https {
        headers.insert(
            actix_web::http::header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(HSTS),
        );
    }
    if personal
        && response
            .response()
            .extensions()
            .get::<Shareable>()
            .is_none()
    {
        keep_private(response.headers_mut());
    }
    crate::shutdown::close_if_draining(&mut response);
    Ok(response)
}

/// Marks an answer that is the same bytes for every caller (the compiled-in
/// assets): it keeps its public caching for a signed-in browser too, or every
/// page of a signed-in user would revalidate its stylesheet and script.
#[derive(Clone, Copy)]
pub(crate) struct Shareable;

/// An answer to a signed-in browser or a bearer token may carry its user's
/// name, CSRF token or private pastes (on any page: the form filled from a
/// private paste, statistics, the delete page...): no shared cache may keep
/// it. `no-store` and `private` answers already say so; anything else
/// becomes `private, no-cache`.
fn keep_private(headers: &mut actix_web::http::header::HeaderMap) {
    use actix_web::http::header;
    let said = headers
        .get(header::CACHE_CONTROL)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("no-store") || v.contains("private"));
    if !said {
        headers.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-cache"),
        );
    }
}

/// `Strict-Transport-Security` of every answer when `server.public_url` is
/// https: browsers then never ask this service over plain HTTP for a year
/// (a TLS proxy in front answers those). Not `includeSubDomains`: the hosts
/// beside this one are not this service's to pin.
const HSTS: &str = "max-age=31536000";

/// Keeps an answer out of search engines (unlisted and burn-after-read pastes).
pub(crate) const NOINDEX: (&str, &str) = ("X-Robots-Tag", "noindex");

/// The security headers every answer carries, error pages and plain-text
/// errors included; an answer that set its own (a page's CSP allows its
/// stylesheet) keeps it.
///
/// Every answer that passes through a service, that is. What actix refuses
/// before there is a request (a request line, version or URI it cannot
/// parse: 400; a head over its buffer: 431; a head not in within
/// `server.client_request_timeout_ms`: 408) is written by actix-http's h1
/// dispatcher itself (`Response::bad_request()`, `with_body(.., ())`), with
/// no hook for a header: those answers have no body, so nothing to protect.
/// The balancer in front answers such requests itself, with these headers
/// (deploy/nginx-balancer.conf, `http` block).
fn secure(headers: &mut actix_web::http::header::HeaderMap) {
    use actix_web::http::header;
    for (name, value) in [
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
        ),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        // No URL of this service (an unlisted paste's) ever reaches another
        // site; its own forms still carry their `Origin` (`no-referrer`
        // would make them `Origin: null`), which the log-in CSRF check reads.
        (header::REFERRER_POLICY, "same-origin"),
        (header::X_FRAME_OPTIONS, "DENY"),
    ] {
        if !headers.contains_key(&name) {
            headers.insert(name, HeaderValue::from_static(value));
        }
    }
}

/// A random (v4) UUID from the thread's CSPRNG: `Uuid::new_v4` asks the kernel
/// for every id, a system call on every request. Written once, into the
/// header value.
fn new_request_id() -> HeaderValue {
    let uuid = uuid::Builder::from_random_bytes(rand::random()).into_uuid();
    let mut text = [0u8; uuid::fmt::Hyphenated::LENGTH];
    let text = uuid.hyphenated().encode_lower(&mut text);
    HeaderValue::from_str(text).unwrap_or_else(|_| HeaderValue::from_static("unknown"))
}
