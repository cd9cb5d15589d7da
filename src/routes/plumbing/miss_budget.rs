//! The not-found budget, around every route that names a paste or a user:
//! a client refused for spending it is answered 429 before its request is
//! looked at (a lookup in this process's memory: hits pay no round trip), and
//! each 404 is counted, carries `RateLimit-*`, and becomes a 429 once the
//! budget is spent. See `service::rate_limit`.

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, web};

use crate::routes::plumbing::client::Client;
use crate::routes::plumbing::failure::{Guess, respond};
use crate::routes::plumbing::negotiate::Format;
use crate::service::RateStatus;
use crate::state::AppState;

/// Operators' routes (probes and scrapes) and what browsers and crawlers ask
/// for on their own (a favicon with every page, `robots.txt`): never refused,
/// never counted.
fn exempt(path: &str) -> bool {
    matches!(
        path,
        "/healthz" | "/readyz" | "/metrics" | "/favicon.ico" | "/robots.txt"
    ) || path.starts_with("/static/")
}

/// The format a refusal before routing is written in: JSON on the API, as
/// the client asked elsewhere (the request's `Format`, the one its handler
/// answers in).
fn format_for(req: &ServiceRequest) -> Format {
    Format::of(req.request())
}

/// The format a 404 was written in, so its replacement matches it: as
/// `failure::respond` recorded it (every error answer goes through it), else
/// the request's negotiated `Format`. Never guessed from the answer's
/// `Content-Type`.
fn format_of(response: &ServiceResponse<impl MessageBody>) -> Format {
    match response.response().extensions().get::<Format>() {
        Some(format) => *format,
        None => Format::of(response.request()),
    }
}

/// Applies the budget to one request.
pub(crate) async fn guard(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, Error> {
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let Some(state) = state.filter(|_| !exempt(req.path())) else {
        return Ok(next.call(req).await?.map_into_left_body());
    };
    let client = Client::of(req.request());
    if let Err(refused) = state.services.limiter.admit(client.as_str()) {
        let answer = respond(&refused, format_for(&req));
        return Ok(req.into_response(answer).map_into_right_body());
    }
    let mut response = next.call(req).await?;
    let guess = response.response().extensions().get::<Guess>().is_some();
    if response.status() != StatusCode::NOT_FOUND && !guess {
        return Ok(response.map_into_left_body());
    }
    match state.services.limiter.count_miss(client.as_str()).await {
        Ok(status) => {
            rate_headers(response.headers_mut(), status);
            Ok(response.map_into_left_body())
        }
        Err(refused) => {
            let answer = respond(&refused, format_of(&response));
            let (req, _) = response.into_parts();
            Ok(ServiceResponse::new(req, answer).map_into_right_body())
        }
    }
}

/// `RateLimit-Limit`, `-Remaining` and `-Reset` of `status`.
pub(crate) fn rate_headers(headers: &mut header::HeaderMap, status: RateStatus) {
    for (name, value) in [
        ("ratelimit-limit", u64::from(status.limit)),
        ("ratelimit-remaining", u64::from(status.remaining)),
        ("ratelimit-reset", status.reset_secs),
    ] {
        headers.insert(HeaderName::from_static(name), HeaderValue::from(value));
    }
}
