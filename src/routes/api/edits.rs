//! `PATCH /api/v1/pastes/{id}` (edit) and the revisions of a paste.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;

use super::pastes::PasteMeta;
use crate::domain::{RevisionMark, Username};
use crate::error::RequestError;
use crate::routes::plumbing::body;
use crate::routes::plumbing::caller::Caller;
use crate::routes::plumbing::client::Client;
use crate::routes::plumbing::failure::{ApiError, ErrorBody, Json};
use crate::routes::plumbing::headers::{delete_token, media_type};
use crate::routes::plumbing::input::json;
use crate::routes::plumbing::paste_path::PastePath;
use crate::service::Editor;
use crate::service::pastes::Want;
use crate::state::AppState;

// The body is read field by field in `input::json`; this type is the
// document's.
/// An edit. Every field is optional: one left out (or `null`) keeps what the
/// paste has. A field that is unknown or given twice is refused (422).
#[derive(Debug, ToSchema)]
#[expect(
    dead_code,
    reason = "only the OpenAPI document reads it; the body is read in input::json"
)]
pub(crate) struct EditPaste {
    /// The revision this edit was made from (`revision` of a read). If the
    /// paste is at another one by now, nothing changes: 409
    /// `stale_revision`. Left out: the latest.
    pub(crate) revision: Option<u64>,
    /// The new text (the same limits as a creation's).
    pub(crate) content: Option<String>,
    /// The new title; `""` removes it.
    pub(crate) title: Option<String>,
    /// The new language token; `""` removes it.
    pub(crate) language: Option<String>,
    /// `public`, `unlisted`, or `private` (its signed-in author only).
    pub(crate) visibility: Option<String>,
    /// A new life from now (`never`, `1h`, `1d`...), up to the server's
    /// longest expiry; `keep` (or left out) keeps the expiry it has.
    pub(crate) expires: Option<String>,
}

/// The answer to an edit.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub(crate) struct EditedPaste {
    /// The paste.
    #[serde(flatten)]
    pub(crate) paste: PasteMeta,
    /// Its revision now (1 for a paste never edited).
    pub(crate) revision: u64,
}

/// One revision of a paste, without its text.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub(crate) struct RevisionInfo {
    /// Its number, from 1.
    pub(crate) number: u64,
    /// When it was made, RFC 3339.
    #[serde(with = "time::serde::rfc3339")]
    pub(crate) created_at: OffsetDateTime,
    /// Who made it; null when anonymous (or with the delete token).
    #[schema(value_type = Option<String>)]
    pub(crate) author: Option<Username>,
    /// Size in bytes.
    pub(crate) size_bytes: u64,
    /// Lines added against the revision before.
    pub(crate) lines_added: u64,
    /// Lines removed against the revision before.
    pub(crate) lines_removed: u64,
}

/// A paste's revisions kept, latest first.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub(crate) struct Revisions {
    /// The paste's id.
    pub(crate) id: String,
    /// Its latest revision.
    pub(crate) revision: u64,
    /// The revisions kept, latest first.
    pub(crate) revisions: Vec<RevisionInfo>,
}

/// One revision with its text.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub(crate) struct RevisionWithContent {
    /// Its facts.
    #[serde(flatten)]
    pub(crate) info: RevisionInfo,
    /// Its title.
    #[schema(value_type = Option<String>)]
    pub(crate) title: Option<String>,
    /// Its language token.
    #[schema(value_type = Option<String>)]
    pub(crate) language: Option<String>,
    /// Its exact text.
    pub(crate) content: String,
}

impl RevisionInfo {
    fn new(mark: &RevisionMark, size_bytes: u64) -> Self {
        Self {
            number: mark.number,
            created_at: mark.at,
            author: mark.by.as_ref().map(|a| a.username.clone()),
            size_bytes,
            lines_added: mark.lines_added,
            lines_removed: mark.lines_removed,
        }
    }
}

/// Edit a paste: as its author with a bearer token, or with its delete
/// token (`X-Delete-Token`). Each edit is a new revision; a burn-after-read
/// paste cannot be edited.
#[utoipa::path(
    patch,
    path = "/api/v1/pastes/{id}",
    operation_id = "edit_paste",
    tag = "pastes",
    security((), ("bearer" = [])),
    request_body = EditPaste,
    params(
        ("id" = String, Path, description = "Paste id"),
        ("X-Delete-Token" = Option<String>, Header, description = "The `delete_token` returned at creation. Send this or the author's bearer token"),
    ),
    responses(
        (status = 200, description = "Edited: the paste at its new revision", body = EditedPaste),
        (status = 400, description = "`malformed_json`: the body is not JSON", body = ErrorBody),
        (status = 401, description = "`missing_delete_token`: neither an `X-Delete-Token` nor the author's bearer token; `invalid_token`: an `Authorization` header that is not a live API token", body = ErrorBody),
        (status = 403, description = "`wrong_delete_token`: not this paste's token", body = ErrorBody),
        (status = 404, description = "`not_found`: missing, expired, burned or deleted", body = ErrorBody),
        (status = 410, description = "`removed`: taken down by the operator (the message names the category)", body = ErrorBody),
        (status = 409, description = "`stale_revision`: the paste was edited since `revision`; `not_editable`: a burn-after-read, max_views, password-protected or end-to-end encrypted paste", body = ErrorBody),
        (status = 413, description = "`paste_too_large`: content over the paste limit", body = ErrorBody),
        (status = 415, description = "`unsupported_media_type`: not `application/json`", body = ErrorBody),
        (status = 422, description = "A field is invalid, unknown or repeated: `invalid_field`, `unknown_field`, `duplicate_field`, `empty_content`, `invalid_expires`, `expires_too_long`, `invalid_visibility`, `private_needs_account`, `title_too_long`, `invalid_title`, `invalid_language`, `invalid_revision`", body = ErrorBody),
        (status = 429, description = "`rate_limited`: too many edits from this client", body = ErrorBody,
         headers(("Retry-After" = u64, description = "Seconds to wait"))),
        (status = 503, description = "`unavailable`: a backend is down", body = ErrorBody,
         headers(("Retry-After" = u64, description = "Seconds to wait"))),
    )
)]
pub(crate) async fn edit(
    req: HttpRequest,
    payload: web::Payload,
    path: PastePath<Json>,
    caller: Caller,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let is_json = media_type(&req).is_some_and(|m| {
        m == "application/json" || (m.starts_with("application/") && m.ends_with("+json"))
    });
    if !is_json {
        return Err(RequestError::UnsupportedMediaType(
            "send the edit as `Content-Type: application/json`",
        )
        .into());
    }
    let max = state.services.pastes.rules().max_paste_bytes;
    let uploads = &state.http.uploads;
    let body = body::read(&req, payload, uploads, uploads.encoded_limit(), max).await?;
    let draft = json::edit(&body)?;
    let client = Client::of(&req);
    let editor = Editor {
        user: caller.user(),
        delete_token: delete_token(&req),
        client: client.as_str(),
    };
    let (meta, _) = state.services.pastes.edit(path.id(), draft, editor).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(EditedPaste {
            revision: meta.revision,
            paste: PasteMeta::new(&meta, &state.http.links),
        }))
}

/// List a paste's revisions kept, latest first (reading them is not a visit).
#[utoipa::path(
    get,
    path = "/api/v1/pastes/{id}/revisions",
    operation_id = "list_paste_revisions",
    tag = "pastes",
    security((), ("bearer" = [])),
    params(("id" = String, Path, description = "Paste id")),
    responses(
        (status = 200, description = "Its revisions", body = Revisions),
        (status = 401, description = "`invalid_token`: an `Authorization` header that is not a live API token", body = ErrorBody),
        (status = 404, description = "`not_found`: missing, expired, burned, deleted or burn-after-read", body = ErrorBody),
        (status = 410, description = "`removed`: taken down by the operator (the message names the category)", body = ErrorBody),
        (status = 503, description = "`unavailable`: a backend is down", body = ErrorBody,
         headers(("Retry-After" = u64, description = "Seconds to wait"))),
    )
)]
pub(crate) async fn list(
    path: PastePath<Json>,
    caller: Caller,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let history = state
        .services
        .pastes
        .history(path.id(), caller.user())
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .json(Revisions {
            id: path.id().to_string(),
            revision: history.paste.revision_number(),
            revisions: history
                .lines
                .iter()
                .map(|l| RevisionInfo::new(&l.mark, l.size_bytes))
                .collect(),
        }))
}

/// Read one revision of a paste with its text.
#[utoipa::path(
    get,
    path = "/api/v1/pastes/{id}/revisions/{n}",
    operation_id = "read_paste_revision",
    tag = "pastes",
    security((), ("bearer" = [])),
    params(("id" = String, Path, description = "Paste id"),
           ("n" = u64, Path, description = "Revision number, from 1")),
    responses(
        (status = 200, description = "The revision", body = RevisionWithContent),
        (status = 401, description = "`invalid_token`: an `Authorization` header that is not a live API token", body = ErrorBody),
        (status = 404, description = "`not_found`: no such paste, or no such revision kept", body = ErrorBody),
        (status = 410, description = "`removed`: taken down by the operator (the message names the category)", body = ErrorBody),
        (status = 503, description = "`unavailable`: a backend is down", body = ErrorBody,
         headers(("Retry-After" = u64, description = "Seconds to wait"))),
    )
)]
pub(crate) async fn read(
    req: HttpRequest,
    path: PastePath<Json>,
    caller: Caller,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let number = revision_number(&req)?;
    let revision = state
        .services
        .pastes
        .revision(path.id(), number, caller.user(), Want::Text)
        .await?
        .revision;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .json(RevisionWithContent {
            info: RevisionInfo::new(&revision.mark, revision.content.len() as u64),
            content: revision.text().to_owned(),
            title: revision.title.map(|t| t.as_str().to_owned()),
            language: revision.language.map(|l| l.as_str().to_owned()),
        }))
}

/// The `{n}` of a revision path: a number from 1, else 404 (no such
/// revision, as for any path that names nothing).
pub(crate) fn revision_number(req: &HttpRequest) -> Result<u64, crate::error::AppError> {
    req.match_info()
        .get("n")
        .and_then(|n| n.parse::<u64>().ok())
        .filter(|n| *n >= 1)
        .ok_or(crate::error::AppError::NotFound)
}
