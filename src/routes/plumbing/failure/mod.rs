//! How a failure is answered: an `AppError` gets its HTTP status and its
//! machine-readable code (`codes`, one match each), and is rendered here as
//! JSON, an HTML page or a line of text.
//!
//! A handler names its surface by its error type (`ApiError`, `PageError`,
//! `TextError`), so `?` on any service call answers in the right format with
//! no `map_err`. Content-negotiated routes work with `AppError` inside and turn
//! it into a `Negotiated` once, at the end, with the format the client asked for.

mod codes;

use std::fmt;
use std::marker::PhantomData;

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use askama::Template;
use serde::Serialize;

use crate::error::{AccountError, AppError};
use crate::routes::plumbing::negotiate::Format;

impl AppError {
    /// This failure, to be answered in `format` (negotiated routes).
    pub(crate) fn answer_as(self, format: Format) -> Negotiated {
        Negotiated {
            error: self,
            format,
        }
    }
}

/// A surface: the one format its failures are answered in.
pub(crate) trait Surface {
    /// The format.
    const FORMAT: Format;
}

/// The JSON API's surface.
#[derive(Debug)]
pub(crate) struct Json;
/// The HTML pages' surface.
#[derive(Debug)]
pub(crate) struct Html;
/// The plain-text surface (raw reads, curl).
#[derive(Debug)]
pub(crate) struct Text;

impl Surface for Json {
    const FORMAT: Format = Format::Json;
}
impl Surface for Html {
    const FORMAT: Format = Format::Html;
}
impl Surface for Text {
    const FORMAT: Format = Format::Text;
}

/// A failure answered on surface `S`: what handlers of that surface return.
pub(crate) struct Failure<S>(AppError, PhantomData<S>);

/// Failures of the JSON API: `{"error": {"code", "message"}}`.
pub(crate) type ApiError = Failure<Json>;
/// Failures of the HTML pages: an error page.
pub(crate) type PageError = Failure<Html>;
/// Failures of raw reads: `error: ...` on one line.
pub(crate) type TextError = Failure<Text>;

impl<S, E: Into<AppError>> From<E> for Failure<S> {
    fn from(e: E) -> Self {
        Self(e.into(), PhantomData)
    }
}

impl<S> fmt::Debug for Failure<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl<S> fmt::Display for Failure<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl<S: Surface> ResponseError for Failure<S> {
    fn status_code(&self) -> StatusCode {
        self.0.status()
    }

    fn error_response(&self) -> HttpResponse {
        respond(&self.0, S::FORMAT)
    }
}

/// A failure of a negotiated route, with the format its client asked for.
#[derive(Debug)]
pub(crate) struct Negotiated {
    error: AppError,
    format: Format,
}

impl fmt::Display for Negotiated {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.error.fmt(f)
    }
}

impl ResponseError for Negotiated {
    fn status_code(&self) -> StatusCode {
        self.error.status()
    }

    fn error_response(&self) -> HttpResponse {
        respond(&self.error, self.format)
    }
}

/// The JSON error body of every API answer.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct ErrorBody {
    /// The error.
    pub(crate) error: ErrorDetail,
}

/// Inside `ErrorBody`.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct ErrorDetail {
    /// Machine-readable snake_case code, stable across versions.
    #[schema(example = "invalid_expires")]
    pub(crate) code: &'static str,
    /// Human-readable explanation.
    pub(crate) message: String,
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    nav: crate::routes::web::nav::Nav,
    status: u16,
    reason: &'a str,
    message: &'a str,
    /// The message as a sentence, for a page with no words of its own for
    /// this status: capitalised, without a final stop.
    sentence: String,
}

/// `paste not found.` → `Paste not found`
fn sentence(message: &str) -> String {
    let message = message.trim_end_matches('.');
    let mut chars = message.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// The answer to `error` in `format`; the three forms share status, code,
/// message and headers, so they can never disagree. The format is kept in
/// the answer's extensions: a middleware that replaces the answer (the
/// not-found budget's 429) writes its replacement in the same one.
pub(crate) fn respond(error: &AppError, format: Format) -> HttpResponse {
    let mut answer = written(error, format);
    answer.extensions_mut().insert(format);
    if matches!(error, AppError::Account(AccountError::InvalidToken)) {
        answer.extensions_mut().insert(Guess);
    }
    answer
}

/// Marks an answer to a guess that is no 404: a bearer token that is no live
/// token. Each costs a store read, so the not-found budget counts it as it
/// counts a missing paste (`miss_budget`), and token guessing is bounded too.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Guess;

fn written(error: &AppError, format: Format) -> HttpResponse {
    let status = error.status();
    if matches!(error, AppError::Busy) {
        // Load shed on purpose, not a fault of the service.
        tracing::warn!(
            code = error.code(),
            "upload refused: the memory of bodies in flight is spent"
        );
    } else if status.is_server_error() {
        tracing::error!(code = error.code(), error = %chain(error), detail = ?error, "request failed");
    }
    let message = error.to_string();
    let mut response = HttpResponse::build(status);
    response.insert_header((header::CACHE_CONTROL, HeaderValue::from_static("no-store")));
    match error {
        AppError::Unavailable(_) | AppError::Busy | AppError::IdempotencyInProgress => {
            response.insert_header((header::RETRY_AFTER, HeaderValue::from_static("5")));
        }
        AppError::RateLimited {
            limit,
            retry_after_secs,
            reset_secs,
            ..
        } => {
            response
                .insert_header((header::RETRY_AFTER, retry_after_secs.to_string()))
                .insert_header(("RateLimit-Limit", limit.to_string()))
                .insert_header(("RateLimit-Remaining", "0"))
                .insert_header(("RateLimit-Reset", reset_secs.to_string()));
        }
        AppError::MethodNotAllowed { allow } => {
            if let Ok(allow) = HeaderValue::from_str(allow) {
                response.insert_header((header::ALLOW, allow));
            }
        }
        _ => {}
    }
    match format {
        Format::Json => response.json(ErrorBody {
            error: ErrorDetail {
                code: error.code(),
                message,
            },
        }),
        Format::Text => response
            .content_type("text/plain; charset=utf-8")
            .body(format!("error: {message}\n")),
        Format::Html => {
            let page = ErrorPage {
                nav: crate::routes::web::nav::Nav::unknown(),
                status: status.as_u16(),
                reason: status.canonical_reason().unwrap_or("Error"),
                message: &message,
                sentence: sentence(&message),
            };
            let body = page.render().unwrap_or(message);
            response.content_type("text/html; charset=utf-8").body(body)
        }
    }
}

/// The error and its causes, outermost first, for the log.
fn chain(error: &AppError) -> String {
    let mut chain = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        chain.push_str(": ");
        chain.push_str(&cause.to_string());
        source = cause.source();
    }
    chain
}

#[cfg(test)]
mod tests;
