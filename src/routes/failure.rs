//! How a failure is answered: the one place where an `AppError` gets its HTTP
//! status and its machine-readable code, and is rendered as JSON, an HTML page
//! or a line of text.
//!
//! A handler names its surface by its error type (`ApiError`, `PageError`,
//! `TextError`), so `?` on any service call answers in the right format with
//! no `map_err`. Content-negotiated routes work with `AppError` inside and turn
//! it into a `Negotiated` once, at the end, with the format the client asked for.

use std::fmt;
use std::marker::PhantomData;

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use askama::Template;
use serde::Serialize;

use crate::domain::ValidationError;
use crate::error::{AppError, RequestError};
use crate::routes::negotiate::Format;

impl AppError {
    /// The HTTP status of this failure.
    pub(crate) fn status(&self) -> StatusCode {
        use RequestError as R;
        match self {
            Self::Validation(ValidationError::TooLarge { .. })
            | Self::Request(R::EncodedTooLarge { .. }) => StatusCode::PAYLOAD_TOO_LARGE,
            Self::Request(
                R::MalformedJson(_)
                | R::MalformedForm
                | R::MalformedMultipart(_)
                | R::TooManyParts(_)
                | R::UnreadableBody(_),
            ) => StatusCode::BAD_REQUEST,
            Self::Request(R::UnsupportedMediaType(_)) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::Request(R::BodyTimeout { .. }) => StatusCode::REQUEST_TIMEOUT,
            Self::Validation(_) | Self::Request(_) | Self::IdempotencyKeyReused => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            Self::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::IdempotencyInProgress => StatusCode::CONFLICT,
            Self::NotFound | Self::NoSuchUser | Self::NoRoute => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            Self::MissingDeleteToken => StatusCode::UNAUTHORIZED,
            Self::WrongDeleteToken | Self::RevealNotConfirmed => StatusCode::FORBIDDEN,
            Self::Unavailable(_) | Self::Busy => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The machine-readable snake_case code: every code the service answers
    /// with is written here and nowhere else.
    pub(crate) fn code(&self) -> &'static str {
        use RequestError as R;
        match self {
            Self::Validation(v) => match v {
                ValidationError::TooLarge { .. } => "paste_too_large",
                ValidationError::EmptyContent => "empty_content",
                ValidationError::NotText => "content_not_text",
                ValidationError::InvalidExpiry(_) => "invalid_expires",
                ValidationError::ExpiryTooLong { .. } => "expires_too_long",
                ValidationError::InvalidVisibility(_) => "invalid_visibility",
                ValidationError::PrivateNeedsAccount => "private_needs_account",
                ValidationError::TitleTooLong { .. } => "title_too_long",
                ValidationError::TitleControlCharacters => "invalid_title",
                ValidationError::InvalidLanguage(_) => "invalid_language",
                ValidationError::InvalidFlag { .. } => "invalid_flag",
            },
            Self::Request(r) => match r {
                R::MalformedJson(_) => "malformed_json",
                R::NotAnObject | R::MissingField(_) | R::WrongType { .. } | R::FieldNotText(_) => {
                    "invalid_field"
                }
                R::UnknownField { .. } => "unknown_field",
                R::DuplicateField(_) | R::ContentTwice(_) => "duplicate_field",
                R::FieldTooLong { .. } => "field_too_long",
                R::MalformedForm => "malformed_form",
                R::MalformedMultipart(_) => "malformed_multipart",
                R::TooManyParts(_) => "too_many_parts",
                R::UnreadableBody(_) => "unreadable_body",
                R::BodyTimeout { .. } => "body_timeout",
                R::EncodedTooLarge { .. } => "paste_too_large",
                R::UnsupportedMediaType(_) => "unsupported_media_type",
                R::InvalidCursor => "invalid_cursor",
                R::InvalidLimit(_) => "invalid_limit",
                R::InvalidIdempotencyKey => "invalid_idempotency_key",
            },
            Self::NotFound | Self::NoSuchUser => "not_found",
            Self::NoRoute => "no_route",
            Self::MethodNotAllowed { .. } => "method_not_allowed",
            Self::MissingDeleteToken => "missing_delete_token",
            Self::WrongDeleteToken => "wrong_delete_token",
            Self::RevealNotConfirmed => "reveal_not_confirmed",
            Self::RateLimited { .. } => "rate_limited",
            Self::IdempotencyKeyReused => "idempotency_key_reused",
            Self::IdempotencyInProgress => "idempotency_in_progress",
            Self::Unavailable(_) => "unavailable",
            Self::Busy => "busy",
            Self::Internal(_) => "internal",
        }
    }

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
    status: u16,
    reason: &'a str,
    message: &'a str,
}

/// The answer to `error` in `format`; the three forms share status, code,
/// message and headers, so they can never disagree.
pub(crate) fn respond(error: &AppError, format: Format) -> HttpResponse {
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
                status: status.as_u16(),
                reason: status.canonical_reason().unwrap_or("Error"),
                message: &message,
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
mod tests {
    use super::*;
    use crate::store::StoreError;

    #[test]
    fn size_errors_are_413_and_field_errors_422() {
        assert_eq!(
            AppError::from(ValidationError::TooLarge { limit: 1 }).status(),
            413
        );
        assert_eq!(AppError::from(ValidationError::EmptyContent).status(), 422);
        assert_eq!(
            AppError::from(ValidationError::PrivateNeedsAccount).status(),
            422
        );
    }

    #[test]
    fn unreadable_requests_are_400_and_unreadable_fields_422() {
        let malformed = AppError::from(RequestError::MalformedJson("eof".into()));
        assert_eq!(
            (malformed.status(), malformed.code()),
            (StatusCode::BAD_REQUEST, "malformed_json")
        );
        let unknown = AppError::from(RequestError::UnknownField {
            name: "expire".into(),
            known: "content",
        });
        assert_eq!(
            (unknown.status(), unknown.code()),
            (StatusCode::UNPROCESSABLE_ENTITY, "unknown_field")
        );
        let media = AppError::from(RequestError::UnsupportedMediaType("json"));
        assert_eq!(media.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    }

    #[test]
    fn store_outages_are_503_and_corruption_500() {
        assert_eq!(
            AppError::from(StoreError::Unavailable("down".into())).status(),
            503
        );
        assert_eq!(
            AppError::from(StoreError::Corrupt("bad".into())).status(),
            500
        );
    }

    /// One failure of every kind. The match in `every_kind_is_here` names each
    /// variant without a wildcard, so a variant added to `AppError`,
    /// `RequestError` or `ValidationError` does not compile until it is added
    /// there, and then here.
    fn one_of_each() -> Vec<AppError> {
        use RequestError as R;
        use ValidationError as V;
        let validation = [
            V::TooLarge { limit: 1 },
            V::EmptyContent,
            V::NotText,
            V::InvalidExpiry("x".into()),
            V::ExpiryTooLong { max: "1y".into() },
            V::InvalidVisibility("x".into()),
            V::PrivateNeedsAccount,
            V::TitleTooLong { max: 1 },
            V::TitleControlCharacters,
            V::InvalidLanguage("x".into()),
            V::InvalidFlag {
                field: "x",
                value: "x".into(),
            },
        ];
        let request = [
            R::MalformedJson("x".into()),
            R::NotAnObject,
            R::MissingField("x"),
            R::WrongType {
                field: "x",
                expected: "x",
            },
            R::UnknownField {
                name: "x".into(),
                known: "x",
            },
            R::DuplicateField("x".into()),
            R::ContentTwice("x"),
            R::FieldTooLong {
                name: "x".into(),
                max: 1,
            },
            R::FieldNotText("x".into()),
            R::MalformedForm,
            R::MalformedMultipart("x".into()),
            R::TooManyParts(1),
            R::EncodedTooLarge { limit: 1 },
            R::BodyTimeout { secs: 1 },
            R::UnreadableBody("x".into()),
            R::UnsupportedMediaType("x"),
            R::InvalidCursor,
            R::InvalidLimit(1),
            R::InvalidIdempotencyKey,
        ];
        let mut all: Vec<AppError> = validation.into_iter().map(AppError::from).collect();
        all.extend(request.into_iter().map(AppError::from));
        all.extend([
            AppError::NotFound,
            AppError::NoSuchUser,
            AppError::NoRoute,
            AppError::MethodNotAllowed {
                allow: "GET".into(),
            },
            AppError::RevealNotConfirmed,
            AppError::MissingDeleteToken,
            AppError::WrongDeleteToken,
            AppError::RateLimited {
                kind: crate::error::Limited::Misses,
                limit: 1,
                retry_after_secs: 1,
                reset_secs: 1,
            },
            AppError::IdempotencyKeyReused,
            AppError::IdempotencyInProgress,
            AppError::Busy,
            AppError::Unavailable("x".into()),
            AppError::Internal(anyhow::anyhow!("x")),
        ]);
        all
    }

    #[test]
    fn every_kind_is_here() {
        use RequestError as R;
        use ValidationError as V;
        let kinds = |e: &AppError| match e {
            AppError::Validation(
                V::TooLarge { .. }
                | V::EmptyContent
                | V::NotText
                | V::InvalidExpiry(_)
                | V::ExpiryTooLong { .. }
                | V::InvalidVisibility(_)
                | V::PrivateNeedsAccount
                | V::TitleTooLong { .. }
                | V::TitleControlCharacters
                | V::InvalidLanguage(_)
                | V::InvalidFlag { .. },
            ) => 1,
            AppError::Request(
                R::MalformedJson(_)
                | R::NotAnObject
                | R::MissingField(_)
                | R::WrongType { .. }
                | R::UnknownField { .. }
                | R::DuplicateField(_)
                | R::ContentTwice(_)
                | R::FieldTooLong { .. }
                | R::FieldNotText(_)
                | R::MalformedForm
                | R::MalformedMultipart(_)
                | R::TooManyParts(_)
                | R::EncodedTooLarge { .. }
                | R::BodyTimeout { .. }
                | R::UnreadableBody(_)
                | R::UnsupportedMediaType(_)
                | R::InvalidCursor
                | R::InvalidLimit(_)
                | R::InvalidIdempotencyKey,
            ) => 1,
            AppError::NotFound
            | AppError::NoSuchUser
            | AppError::NoRoute
            | AppError::MethodNotAllowed { .. }
            | AppError::RevealNotConfirmed
            | AppError::MissingDeleteToken
            | AppError::WrongDeleteToken
            | AppError::RateLimited { .. }
            | AppError::IdempotencyKeyReused
            | AppError::IdempotencyInProgress
            | AppError::Busy
            | AppError::Unavailable(_)
            | AppError::Internal(_) => 1,
        };
        // 11 validation, 19 request and 13 other kinds.
        assert_eq!(one_of_each().iter().map(kinds).sum::<usize>(), 11 + 19 + 13);
    }

    /// The README's table of errors lists every code under the status it is
    /// answered with, so a client can rely on it.
    #[test]
    fn the_readme_lists_every_code_under_its_status() {
        let readme = include_str!("../../README.md");
        for error in one_of_each() {
            let status = error.status().as_u16();
            let row = readme
                .lines()
                .find(|l| l.starts_with(&format!("| {status} |")))
                .unwrap_or_else(|| panic!("the README has no row for {status}"));
            assert!(
                row.contains(&format!("`{}`", error.code())),
                "the README's row for {status} lacks `{}`",
                error.code()
            );
        }
    }

    #[test]
    fn a_wrong_method_is_405_with_allow_in_every_format() {
        for format in [Format::Json, Format::Html, Format::Text] {
            let error = AppError::MethodNotAllowed {
                allow: "GET, HEAD".into(),
            };
            let response = respond(&error, format);
            assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
            assert_eq!(
                response.headers().get(header::ALLOW),
                Some(&HeaderValue::from_static("GET, HEAD"))
            );
        }
    }

    #[test]
    fn each_surface_answers_in_its_own_format() {
        let api: ApiError = AppError::NotFound.into();
        let page: PageError = AppError::NotFound.into();
        let text: TextError = AppError::NotFound.into();
        let content_type = |r: HttpResponse| {
            r.headers()
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned()
        };
        assert!(content_type(api.error_response()).starts_with("application/json"));
        assert!(content_type(page.error_response()).starts_with("text/html"));
        assert!(content_type(text.error_response()).starts_with("text/plain"));
    }
}
