//! The one place where a failure becomes an HTTP status and an error code.
//!
//! Services return `AppError`. A handler says in which form its client wants
//! the answer (`Failure::json`, `::html`, `::text`); all three forms are built
//! from the same status, code and message, so they can never disagree.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use askama::Template;
use serde::Serialize;

use crate::domain::ValidationError;
use crate::store::StoreError;

/// Everything that can go wrong while answering a request.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// A field or the content is not acceptable.
    #[error(transparent)]
    Validation(#[from] ValidationError),
    /// No such paste, or it expired, burned or was deleted: they look the same.
    #[error("no paste here: it never existed, expired or was deleted")]
    NotFound,
    /// No user of that name (or a name no user can have).
    #[error("no user of that name")]
    NoSuchUser,
    /// No route for this path and method.
    #[error("nothing here")]
    NoRoute,
    /// A delete without a token.
    #[error("send the paste's delete token in the X-Delete-Token header")]
    MissingDeleteToken,
    /// A delete with the wrong token.
    #[error("the delete token does not match this paste")]
    WrongDeleteToken,
    /// The body's media type is not one this route reads.
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// The body cannot be read at all (malformed JSON, form or multipart).
    #[error("{message}")]
    BadRequest {
        /// Machine-readable code.
        code: &'static str,
        /// What is wrong.
        message: String,
    },
    /// A field is unknown, missing or of the wrong type.
    #[error("{message}")]
    InvalidField {
        /// Machine-readable code.
        code: &'static str,
        /// What is wrong.
        message: String,
    },
    /// Too many creations from this client in this window.
    #[error("too many pastes created from this address; try again in {retry_after_secs} s")]
    RateLimited {
        /// Creations allowed per minute.
        limit: u32,
        /// Seconds until the window ends.
        retry_after_secs: u64,
    },
    /// The `Idempotency-Key` was used for a different paste.
    #[error("this Idempotency-Key was already used for a different paste")]
    IdempotencyKeyReused,
    /// A creation with this `Idempotency-Key` is still under way.
    #[error("a creation with this Idempotency-Key is under way; retry shortly")]
    IdempotencyInProgress,
    /// A backend is down; the client may retry.
    #[error("the service is temporarily unavailable; try again shortly")]
    Unavailable(String),
    /// A bug: logged with its cause, answered without details.
    #[error("an internal error occurred")]
    Internal(#[source] anyhow::Error),
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Unavailable(cause) => Self::Unavailable(format!("document store: {cause}")),
            StoreError::Conflict | StoreError::Corrupt(_) => Self::Internal(e.into()),
        }
    }
}

impl AppError {
    /// The HTTP status of this failure.
    pub fn status(&self) -> StatusCode {
        match self {
            Self::Validation(ValidationError::TooLarge { .. }) => StatusCode::PAYLOAD_TOO_LARGE,
            Self::Validation(_) | Self::InvalidField { .. } | Self::IdempotencyKeyReused => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            Self::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::IdempotencyInProgress => StatusCode::CONFLICT,
            Self::NotFound | Self::NoSuchUser | Self::NoRoute => StatusCode::NOT_FOUND,
            Self::MissingDeleteToken => StatusCode::UNAUTHORIZED,
            Self::WrongDeleteToken => StatusCode::FORBIDDEN,
            Self::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::BadRequest { .. } => StatusCode::BAD_REQUEST,
            Self::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The machine-readable snake_case code.
    pub fn code(&self) -> &'static str {
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
            Self::NotFound | Self::NoSuchUser => "not_found",
            Self::NoRoute => "no_route",
            Self::MissingDeleteToken => "missing_delete_token",
            Self::WrongDeleteToken => "wrong_delete_token",
            Self::UnsupportedMediaType(_) => "unsupported_media_type",
            Self::BadRequest { code, .. } | Self::InvalidField { code, .. } => code,
            Self::RateLimited { .. } => "rate_limited",
            Self::IdempotencyKeyReused => "idempotency_key_reused",
            Self::IdempotencyInProgress => "idempotency_in_progress",
            Self::Unavailable(_) => "unavailable",
            Self::Internal(_) => "internal",
        }
    }

    /// Answer as JSON: `{"error": {"code", "message"}}`.
    pub fn json(self) -> Failure {
        Failure {
            error: self,
            form: Form::Json,
        }
    }

    /// Answer as an HTML page.
    pub fn html(self) -> Failure {
        Failure {
            error: self,
            form: Form::Html,
        }
    }

    /// Answer as one line of plain text.
    pub fn text(self) -> Failure {
        Failure {
            error: self,
            form: Form::Text,
        }
    }

    /// Answer in the given form.
    pub fn render_as(self, form: Form) -> Failure {
        Failure { error: self, form }
    }
}

/// The form of an answer a client asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// `application/json`
    Json,
    /// `text/html`
    Html,
    /// `text/plain`
    Text,
}

/// An `AppError` with the form to answer it in; what handlers return.
#[derive(Debug)]
pub struct Failure {
    /// What went wrong.
    pub error: AppError,
    /// How to say it.
    pub form: Form,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.error.fmt(f)
    }
}

/// The JSON error body of every API answer.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

/// Inside `ErrorBody`.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// Machine-readable snake_case code, stable across versions.
    #[schema(example = "invalid_expires")]
    pub code: String,
    /// Human-readable explanation.
    pub message: String,
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    status: u16,
    reason: &'a str,
    message: &'a str,
}

impl ResponseError for Failure {
    fn status_code(&self) -> StatusCode {
        self.error.status()
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.error.status();
        if status.is_server_error() {
            tracing::error!(code = self.error.code(), error = %anyhow_chain(&self.error), detail = ?self.error, "request failed");
        }
        let message = self.error.to_string();
        let mut response = HttpResponse::build(status);
        response.insert_header((header::CACHE_CONTROL, HeaderValue::from_static("no-store")));
        match &self.error {
            AppError::Unavailable(_) | AppError::IdempotencyInProgress => {
                response.insert_header((header::RETRY_AFTER, HeaderValue::from_static("5")));
            }
            AppError::RateLimited {
                limit,
                retry_after_secs,
            } => {
                response
                    .insert_header((header::RETRY_AFTER, retry_after_secs.to_string()))
                    .insert_header(("RateLimit-Limit", limit.to_string()))
                    .insert_header(("RateLimit-Remaining", "0"))
                    .insert_header(("RateLimit-Reset", retry_after_secs.to_string()));
            }
            _ => {}
        }
        match self.form {
            Form::Json => response.json(ErrorBody {
                error: ErrorDetail {
                    code: self.error.code().to_owned(),
                    message,
                },
            }),
            Form::Text => response
                .content_type("text/plain; charset=utf-8")
                .body(format!("error: {message}\n")),
            Form::Html => {
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
}

/// The error and its causes, outermost first, for the log.
fn anyhow_chain(error: &AppError) -> String {
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
}
