//! Every status and code, and each surface's rendering of them.

use super::*;
use crate::domain::ValidationError;
use crate::error::RequestError;
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
        AppError::from(StoreError::unavailable("down")).status(),
        503
    );
    assert_eq!(AppError::from(StoreError::corrupt("bad")).status(), 500);
}

/// One failure of every kind. The match in `every_kind_is_here` names each
/// variant without a wildcard, so a variant added to `AppError`,
/// `RequestError` or `ValidationError` does not compile until it is added
/// there, and then here.
fn one_of_each() -> Vec<AppError> {
    use crate::error::AccountError as A;
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
        V::InvalidReport("x"),
        V::InvalidFlag {
            field: "x",
            value: "x".into(),
        },
        V::InvalidEnvelope("x"),
        V::EnvelopeMismatch("x"),
        V::NotForEndToEnd("x"),
        V::InvalidMaxViews {
            max: 1,
            value: "x".into(),
        },
        V::TwoViewLimits,
        V::PastePasswordTooLong { max: 1 },
        V::TooManyFiles { max: 10 },
        V::FileTooLarge {
            name: "a.rs".into(),
            limit: 1,
        },
        V::InvalidFileName("..".into()),
        V::DuplicateFileName("a.rs".into()),
        V::NotForFiles("a password"),
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
        R::InvalidRevision("x".into()),
    ];
    let mut all: Vec<AppError> = validation.into_iter().map(AppError::from).collect();
    all.extend(request.into_iter().map(AppError::from));
    all.extend(
        [
            A::InvalidUsername,
            A::PasswordTooShort { min: 8 },
            A::PasswordTooLong { max: 1 },
            A::UsernameTaken,
            A::SignupClosed,
            A::BadCredentials,
            A::CsrfRefused,
            A::LoginRequired,
            A::InvalidToken,
            A::AlreadyClaimed,
            A::InvalidTokenName,
            A::TooManyTokens { max: 1 },
            A::Disabled,
        ]
        .into_iter()
        .map(AppError::from),
    );
    all.extend([
        AppError::NotFound,
        AppError::Removed(crate::domain::Category::Spam),
        AppError::NoSuchUser,
        AppError::NoRoute,
        AppError::MethodNotAllowed {
            allow: "GET".into(),
        },
        AppError::RevealNotConfirmed,
        AppError::PastePasswordRequired,
        AppError::WrongPastePassword,
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
        AppError::BurnNotForkable,
        AppError::EndToEndNotForkable,
        AppError::LockedNotForkable,
        AppError::StaleRevision { current: 2 },
        AppError::NotEditable,
        AppError::MultiFile,
        AppError::Busy,
        AppError::Unavailable("x".into()),
        AppError::Internal(anyhow::anyhow!("x")),
    ]);
    all
}

#[test]
fn every_kind_is_here() {
    use crate::error::AccountError as A;
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
            | V::InvalidFlag { .. }
            | V::InvalidReport(_)
            | V::InvalidEnvelope(_)
            | V::EnvelopeMismatch(_)
            | V::NotForEndToEnd(_)
            | V::InvalidMaxViews { .. }
            | V::TwoViewLimits
            | V::PastePasswordTooLong { .. }
            | V::TooManyFiles { .. }
            | V::FileTooLarge { .. }
            | V::InvalidFileName(_)
            | V::DuplicateFileName(_)
            | V::NotForFiles(_),
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
            | R::InvalidIdempotencyKey
            | R::InvalidRevision(_),
        ) => 1,
        AppError::Account(
            A::InvalidUsername
            | A::PasswordTooShort { .. }
            | A::PasswordTooLong { .. }
            | A::UsernameTaken
            | A::SignupClosed
            | A::BadCredentials
            | A::CsrfRefused
            | A::LoginRequired
            | A::InvalidToken
            | A::AlreadyClaimed
            | A::InvalidTokenName
            | A::TooManyTokens { .. }
            | A::Disabled,
        ) => 1,
        AppError::NotFound
        | AppError::Removed(_)
        | AppError::NoSuchUser
        | AppError::NoRoute
        | AppError::MethodNotAllowed { .. }
        | AppError::RevealNotConfirmed
        | AppError::PastePasswordRequired
        | AppError::WrongPastePassword
        | AppError::MissingDeleteToken
        | AppError::WrongDeleteToken
        | AppError::RateLimited { .. }
        | AppError::IdempotencyKeyReused
        | AppError::IdempotencyInProgress
        | AppError::BurnNotForkable
        | AppError::EndToEndNotForkable
        | AppError::LockedNotForkable
        | AppError::StaleRevision { .. }
        | AppError::NotEditable
        | AppError::MultiFile
        | AppError::Busy
        | AppError::Unavailable(_)
        | AppError::Internal(_) => 1,
    };
    // 23 validation, 20 request, 13 account and 22 other kinds.
    assert_eq!(
        one_of_each().iter().map(kinds).sum::<usize>(),
        23 + 20 + 13 + 22
    );
}

/// The table of errors in docs/using.md lists every code under the status it is
/// answered with, so a client can rely on it.
#[test]
fn the_readme_lists_every_code_under_its_status() {
    let readme = include_str!("../../../../docs/using.md");
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
