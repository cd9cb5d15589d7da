//! The status and the machine-readable code of every failure, each in one
//! match: every code the service answers with is written here and nowhere else.

use actix_web::http::StatusCode;

use crate::domain::ValidationError;
use crate::error::{AccountError, AppError, RequestError};

impl AppError {
    /// The HTTP status of this failure.
    pub(crate) fn status(&self) -> StatusCode {
        use RequestError as R;
        match self {
            Self::Validation(
                ValidationError::TooLarge { .. } | ValidationError::FileTooLarge { .. },
            )
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
            Self::Account(a) => match a {
                AccountError::InvalidUsername
                | AccountError::PasswordTooShort { .. }
                | AccountError::PasswordTooLong { .. }
                | AccountError::InvalidTokenName
                | AccountError::TooManyTokens { .. } => StatusCode::UNPROCESSABLE_ENTITY,
                AccountError::UsernameTaken | AccountError::AlreadyClaimed => StatusCode::CONFLICT,
                AccountError::BadCredentials
                | AccountError::LoginRequired
                | AccountError::InvalidToken => StatusCode::UNAUTHORIZED,
                AccountError::SignupClosed | AccountError::CsrfRefused | AccountError::Disabled => {
                    StatusCode::FORBIDDEN
                }
            },
            Self::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::IdempotencyInProgress
            | Self::BurnNotForkable
            | Self::LockedNotForkable
            | Self::EndToEndNotForkable
            | Self::StaleRevision { .. }
            | Self::NotEditable
            | Self::MultiFile => StatusCode::CONFLICT,
            Self::NotFound | Self::NoSuchUser | Self::NoRoute => StatusCode::NOT_FOUND,
            Self::Removed(_) => StatusCode::GONE,
            Self::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            Self::MissingDeleteToken => StatusCode::UNAUTHORIZED,
            Self::WrongDeleteToken
            | Self::RevealNotConfirmed
            | Self::PastePasswordRequired
            | Self::WrongPastePassword => StatusCode::FORBIDDEN,
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
                ValidationError::InvalidReport(_) => "invalid_report",
                ValidationError::InvalidEnvelope(_) => "invalid_envelope",
                ValidationError::EnvelopeMismatch(_) => "envelope_mismatch",
                ValidationError::NotForEndToEnd(_) => "not_for_end_to_end",
                ValidationError::InvalidMaxViews { .. } => "invalid_max_views",
                ValidationError::TwoViewLimits => "two_view_limits",
                ValidationError::PastePasswordTooLong { .. } => "paste_password_too_long",
                ValidationError::TooManyFiles { .. } => "too_many_files",
                ValidationError::FileTooLarge { .. } => "file_too_large",
                ValidationError::InvalidFileName(_) => "invalid_file_name",
                ValidationError::DuplicateFileName(_) => "duplicate_file_name",
                ValidationError::NotForFiles(_) => "not_for_files",
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
                R::InvalidRevision(_) => "invalid_revision",
            },
            Self::Account(a) => match a {
                AccountError::InvalidUsername => "invalid_username",
                AccountError::PasswordTooShort { .. } => "password_too_short",
                AccountError::PasswordTooLong { .. } => "password_too_long",
                AccountError::UsernameTaken => "username_taken",
                AccountError::SignupClosed => "signup_closed",
                AccountError::BadCredentials => "invalid_credentials",
                AccountError::CsrfRefused => "csrf_refused",
                AccountError::LoginRequired => "login_required",
                AccountError::InvalidToken => "invalid_token",
                AccountError::AlreadyClaimed => "already_claimed",
                AccountError::InvalidTokenName => "invalid_token_name",
                AccountError::TooManyTokens { .. } => "too_many_tokens",
                AccountError::Disabled => "account_disabled",
            },
            Self::NotFound | Self::NoSuchUser => "not_found",
            Self::NoRoute => "no_route",
            Self::Removed(_) => "removed",
            Self::MethodNotAllowed { .. } => "method_not_allowed",
            Self::MissingDeleteToken => "missing_delete_token",
            Self::WrongDeleteToken => "wrong_delete_token",
            Self::RevealNotConfirmed => "reveal_not_confirmed",
            Self::BurnNotForkable => "burn_after_read_not_forkable",
            Self::EndToEndNotForkable => "end_to_end_not_forkable",
            Self::LockedNotForkable => "password_protected_not_forkable",
            Self::PastePasswordRequired => "password_required",
            Self::WrongPastePassword => "wrong_password",
            Self::RateLimited { .. } => "rate_limited",
            Self::IdempotencyKeyReused => "idempotency_key_reused",
            Self::IdempotencyInProgress => "idempotency_in_progress",
            Self::StaleRevision { .. } => "stale_revision",
            Self::NotEditable => "not_editable",
            Self::MultiFile => "multi_file_paste",
            Self::Unavailable(_) => "unavailable",
            Self::Busy => "busy",
            Self::Internal(_) => "internal",
        }
    }
}
