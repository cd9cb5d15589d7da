//! `/api/v1/pastes`: create, read and delete pastes as JSON.

use actix_web::http::{Method, header};
use actix_web::{HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;

use crate::domain::{Language, PasteId, Title, Username, Visibility};
use crate::error::RequestError;
use crate::render::Detection;
use crate::routes::plumbing::body;
use crate::routes::plumbing::caller::Caller;
use crate::routes::plumbing::creation::Creation;
use crate::routes::plumbing::failure::{ApiError, ErrorBody, Json};
use crate::routes::plumbing::headers::{delete_token, media_type};
use crate::routes::plumbing::input::json;
use crate::routes::plumbing::negotiate::Format;
use crate::routes::plumbing::paste_path::PastePath;
use crate::service::Created;
use crate::service::views::{PasteView, ViewMeta};
use crate::state::{AppState, Links};

// The body is read field by field in `input::json`; this type exists for
// the document only, and `contract` writes in the limits and patterns the
// server applies.
/// A new paste. Only `content` (or `files`) is required. A field that is unknown or given
/// twice is refused (422), so a typo is reported instead of silently ignored.
#[derive(Debug, ToSchema)]
#[expect(
    dead_code,
    reason = "only the OpenAPI document reads it; the body is read in input::json"
)]
pub(crate) struct CreatePaste {
    /// The text, UTF-8, not blank. The limit (`maxLength`) is in bytes on the
    /// server: a longer text is refused with 413 `paste_too_large`. Send
    /// this or `files` (neither: 422 `invalid_field`).
    pub(crate) content: Option<String>,
    /// The files of a multi-file paste, in order (with `content`, that text
    /// is the first file, `file1.txt`). Two or more make a multi-file paste
    /// (one is a paste of one text, its name the default title and
    /// language); at most `limits.max_files` (422 `too_many_files`), all of
    /// them together within the paste's size limit (413
    /// `paste_too_large`). Not with `password` or `end_to_end` (422
    /// `not_for_files`).
    pub(crate) files: Option<Vec<super::files::CreateFile>>,
    /// A one-line title: no control characters, at most `maxLength`
    /// characters as sent; kept trimmed, and a blank one is no title.
    pub(crate) title: Option<String>,
    /// The language to highlight it as, by token (`rust`, `python`, `c++`).
    /// The server also takes a language's name (`Rust`, `Batch File`) or a
    /// file extension (`rs`), in any case; `GET /api/v1/languages` lists
    /// them all. Left out, the page guesses (see `shown_language`); an
    /// unknown one is 422 `invalid_language`.
    #[schema(example = "rust")]
    pub(crate) language: Option<String>,
    /// `never` (default), a preset (`10m`, `1h`, `1d`, `1w`, `30d`, `1y`) or any
    /// whole number of one unit (`90s`, `5m`, `2h`, `3d`), up to this server's
    /// longest expiry (longer: 422 `expires_too_long`).
    #[schema(example = "1d")]
    pub(crate) expires: Option<String>,
    /// `public` (default), `unlisted`, or `private` with a bearer token (the
    /// paste is then its user's; without a token: 422 `private_needs_account`).
    pub(crate) visibility: Option<String>,
    /// Deleted by its first successful read.
    pub(crate) burn_after_read: Option<bool>,
    /// `content` is an end-to-end encrypted envelope (`e2e-v1.…`, made by
    /// the browser or `pastebin paste --encrypt`; the format is in
    /// docs/encryption.md): the server checks only its shape and size, and
    /// stores and serves it as it is, never rendered, searched or listed.
    /// Its authenticated header must name this paste's `expires` and
    /// `burn_after_read` (422 `envelope_mismatch`); a malformed envelope is
    /// 422 `invalid_envelope`; `title`, `language` and `public` are refused
    /// (422 `not_for_end_to_end`). Visibility defaults to `unlisted`.
    pub(crate) end_to_end: Option<bool>,
    /// Deleted by its N-th successful read (a whole number from 1 to this
    /// server's `limits.max_views`; out of range: 422 `invalid_max_views`).
    /// Not with `burn_after_read`, which is `max_views: 1` (both: 422
    /// `two_view_limits`). Reads of `/raw`, `/dl` and this API spend a view;
    /// the HTML page asks for a click first.
    #[schema(example = 5)]
    pub(crate) max_views: Option<u32>,
    /// Seals the title and content under this password (argon2id, then
    /// XChaCha20-Poly1305): the server stores only ciphertext, and every
    /// read needs `X-Paste-Password` (or the page's form). At most 1024
    /// bytes; empty or null is none.
    pub(crate) password: Option<String>,
}

/// A paste's metadata, as every API answer describes it.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub(crate) struct PasteMeta {
    /// The id.
    #[schema(value_type = String, example = "aZ3kP9xQ")]
    pub(crate) id: PasteId,
    /// The HTML page.
    pub(crate) url: String,
    /// The exact bytes, as `text/plain`.
    pub(crate) raw_url: String,
    /// The title, if any.
    #[schema(value_type = Option<String>)]
    pub(crate) title: Option<Title>,
    /// The language its author named, as a token; null when none was named
    /// (the page then guesses: `shown_language` in a read).
    #[schema(value_type = Option<String>)]
    pub(crate) language: Option<Language>,
    /// `public`, `unlisted` or `private`.
    #[schema(value_type = String)]
    pub(crate) visibility: Visibility,
    /// Whether the first read deletes it.
    pub(crate) burn_after_read: bool,
    /// Whether `content` is an end-to-end encrypted envelope, which only a
    /// holder of the key (the link's `#fragment`) can open.
    #[serde(default)]
    pub(crate) end_to_end: bool,
    /// Deleted by its N-th read; null when it has no such limit.
    pub(crate) max_views: Option<u32>,
    /// For a paste with a view limit (`max_views` or `burn_after_read`), the
    /// reads it has left: after this read, when this answer is one (0: this
    /// read deleted it); null without a limit.
    pub(crate) views_left: Option<u32>,
    /// Password-protected: reads need `X-Paste-Password`.
    pub(crate) password_protected: bool,
    /// Creation time, RFC 3339.
    #[serde(with = "time::serde::rfc3339")]
    pub(crate) created_at: OffsetDateTime,
    /// Expiry time, RFC 3339; null when it never expires.
    #[serde(with = "time::serde::rfc3339::option")]
    pub(crate) expires_at: Option<OffsetDateTime>,
    /// Size of the content in bytes (of every file, for a multi-file paste).
    pub(crate) size_bytes: u64,
    /// A multi-file paste's files, in order; absent for a paste of one
    /// text. `content` and `raw_url` are then the first file's.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) files: Vec<super::files::PasteFileInfo>,
}

/// The answer to a creation: the metadata and the delete token, shown only here.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub(crate) struct CreatedPaste {
    /// The paste.
    #[serde(flatten)]
    pub(crate) paste: PasteMeta,
    /// The secret that deletes the paste (`X-Delete-Token`). Keep it: it is never shown again.
    pub(crate) delete_token: String,
}

/// The answer to a read: metadata, content and visit count.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub(crate) struct PasteWithContent {
    /// The paste.
    #[serde(flatten)]
    pub(crate) paste: PasteMeta,
    /// The exact text.
    pub(crate) content: String,
    /// Visits counted so far.
    pub(crate) views: u64,
    /// Its latest revision (1 until it is edited); an edit sends it back
    /// as `revision`.
    pub(crate) revision: u64,
    /// The author's name, null when anonymous.
    #[schema(value_type = Option<String>)]
    pub(crate) author: Option<Username>,
    /// The language the page highlights it as, a token: `language` when
    /// one was named, else the server's guess, else `text` (plain; always
    /// for an `end_to_end` paste, which is never read for clues).
    #[schema(example = "python")]
    pub(crate) shown_language: String,
    /// How `shown_language` was guessed: `file_name` (the title, as a file
    /// name), `first_line` (a shebang, `<?php`), `content` (clues in the
    /// text); null when the author named the language or nothing was found.
    #[schema(value_type = Option<String>, example = "first_line")]
    pub(crate) detected: Option<Detection>,
    /// Forks of this paste, as last counted (a worker recounts after each
    /// fork, so a fork just made may take a moment to show).
    pub(crate) fork_count: u64,
    /// The paste this one was forked from; null when it is no fork.
    pub(crate) forked_from: Option<ForkedFrom>,
}

/// The paste a fork was made from, as it was then.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub(crate) struct ForkedFrom {
    /// The original's id.
    #[schema(value_type = String, example = "aZ3kP9xQ")]
    pub(crate) id: PasteId,
    /// Its title when it was forked.
    #[schema(value_type = Option<String>)]
    pub(crate) title: Option<Title>,
    /// Its author's name when it was forked; null when anonymous.
    #[schema(value_type = Option<String>)]
    pub(crate) author: Option<Username>,
    /// True once the original is deleted (or expired and swept).
    pub(crate) deleted: bool,
}

impl PasteMeta {
    /// Describes a paste, with links under the service's public URL.
    pub(crate) fn new(meta: &ViewMeta, links: &Links) -> Self {
        Self {
            id: meta.id.clone(),
            url: links.page(&meta.id),
            raw_url: links.raw(&meta.id),
            title: meta.title.clone(),
            language: meta.language.clone(),
            visibility: meta.visibility,
            burn_after_read: meta.burn_after_read,
            end_to_end: meta.end_to_end,
            max_views: meta.max_views,
            views_left: meta.views_left,
            password_protected: meta.locked,
            created_at: meta.created_at,
            expires_at: meta.expires_at,
            size_bytes: meta.size_bytes,
            files: super::files::described(meta, links),
        }
    }
}

impl CreatedPaste {
    /// The answer to a creation.
    pub(crate) fn new(created: &Created, links: &Links) -> Self {
        Self {
            paste: PasteMeta::new(&created.meta, links),
            delete_token: created.delete_token.clone(),
        }
    }
}

/// Create a paste. Fields left out, `null` or empty take their defaults.
#[utoipa::path(
    post,
    path = "/api/v1/pastes",
    operation_id = "create_paste",
    tag = "pastes",
    security((), ("bearer" = [])),
    request_body = CreatePaste,
    responses(
        (status = 201, description = "Created", body = CreatedPaste,
         headers(("Location" = String, description = "The paste's page"),
                 ("X-Delete-Token" = String, description = "The delete token"),
                 ("RateLimit-Limit" = u32, description = "Creations allowed at once (the bucket, refilled at this many a minute)"),
                 ("RateLimit-Remaining" = u32, description = "Creations that could go ahead at once now"),
                 ("RateLimit-Reset" = u64, description = "Seconds until the bucket is full again"),
                 ("Idempotent-Replayed" = String, description = "`true` when this answers a retry with the same Idempotency-Key"))),
        (status = 400, description = "`malformed_json`: the body is not JSON; `unreadable_body`: the connection failed while it arrived", body = ErrorBody),
        (status = 401, description = "`invalid_token`: an `Authorization` header that is not a live API token; `login_required`: this server creates pastes for signed-in users only, and no token was sent", body = ErrorBody),
        (status = 408, description = "`body_timeout`: the body did not arrive in time (the server's body deadline, 30 s by default)", body = ErrorBody),
        (status = 409, description = "`idempotency_in_progress`: a creation with this Idempotency-Key is under way", body = ErrorBody,
         headers(("Retry-After" = u64, description = "Seconds to wait"))),
        (status = 413, description = "`paste_too_large`: content over the paste limit in bytes (`maxLength` of `content`; text under it in characters can be over it in bytes), or a body over that with its JSON escapes", body = ErrorBody),
        (status = 415, description = "`unsupported_media_type`: not `application/json`", body = ErrorBody),
        (status = 422, description = "A field is invalid, unknown, repeated or missing: `invalid_field`, `unknown_field`, `duplicate_field`, `empty_content`, `invalid_expires`, `expires_too_long`, `invalid_visibility`, `private_needs_account` (private needs a bearer token), `title_too_long`, `invalid_title`, `invalid_language`, `invalid_max_views`, `two_view_limits`, `paste_password_too_long`, `invalid_envelope`, `envelope_mismatch`, `not_for_end_to_end` (an `end_to_end` paste whose envelope is malformed, disagrees with the fields, or has a title, language, password or public visibility), `invalid_idempotency_key`, `idempotency_key_reused`", body = ErrorBody),
        (status = 429, description = "`rate_limited`: too many creations from this client, or its not-found budget is spent", body = ErrorBody,
         headers(("Retry-After" = u64, description = "Seconds to wait"),
                 ("RateLimit-Limit" = u32, description = "Creations allowed at once (the bucket, refilled at this many a minute)"),
                 ("RateLimit-Remaining" = u32, description = "0"),
                 ("RateLimit-Reset" = u64, description = "Seconds until the bucket is full again"))),
        (status = 503, description = "`unavailable`: a backend is down; `busy`: the bodies in flight hold all the memory allowed them", body = ErrorBody,
         headers(("Retry-After" = u64, description = "Seconds to wait"))),
    ),
    params(("Idempotency-Key" = Option<String>, Header,
            description = "Retries with the same key get the first answer for 24 hours"))
)]
pub(crate) async fn create(
    req: HttpRequest,
    payload: web::Payload,
    creation: Creation,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let is_json = media_type(&req).is_some_and(|m| {
        m == "application/json" || (m.starts_with("application/") && m.ends_with("+json"))
    });
    if !is_json {
        return Err(RequestError::UnsupportedMediaType(
            "send the paste as `Content-Type: application/json`",
        )
        .into());
    }
    creation.admit(&state).await?;
    let max = state.services.pastes.rules().max_paste_bytes;
    let uploads = &state.http.uploads;
    let body = body::read(&req, payload, uploads, uploads.encoded_limit(), max).await?;
    let mut draft = json::draft(&body)?;
    draft.author = creation.caller.user().cloned();
    Ok(creation.create(&state, draft, Format::Json).await?)
}

/// Read a paste with its content. A burn-after-read paste is deleted by this
/// read (not by a HEAD, which neither burns nor counts a visit).
#[utoipa::path(
    get,
    path = "/api/v1/pastes/{id}",
    operation_id = "read_paste",
    tag = "pastes",
    security((), ("bearer" = [])),
    params(("id" = String, Path, description = "Paste id"),
           ("X-Paste-Password" = Option<String>, Header,
            description = "The password of a password-protected paste (each attempt spends one of the paste's and one of the client's guesses)")),
    responses(
        (status = 200, description = "The paste", body = PasteWithContent),
        (status = 401, description = "`invalid_token`: an `Authorization` header that is not a live API token", body = ErrorBody),
        (status = 403, description = "`password_required`: a password-protected paste, read without `X-Paste-Password`; `wrong_password`: with a wrong one", body = ErrorBody),
        (status = 404, description = "`not_found`: missing, expired, burned or deleted (or no id at all)", body = ErrorBody,
         headers(("RateLimit-Limit" = u32, description = "Not-found answers allowed per minute (the client's not-found budget)"),
                 ("RateLimit-Remaining" = u32, description = "Not-found answers left"),
                 ("RateLimit-Reset" = u64, description = "Seconds until the budget is whole again"))),
        (status = 410, description = "`removed`: taken down by the operator (the message names the category)", body = ErrorBody),
        (status = 429, description = "`rate_limited`: this client's not-found budget is spent, or the password guesses of this paste or this client", body = ErrorBody,
         headers(("Retry-After" = u64, description = "Seconds to wait"),
                 ("RateLimit-Limit" = u32, description = "Not-found answers allowed per minute"),
                 ("RateLimit-Remaining" = u32, description = "0"),
                 ("RateLimit-Reset" = u64, description = "Seconds until the budget is whole again"))),
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
    let id = path.id();
    // HEAD shows the headers of a read without being one: it neither burns
    // nor counts (actix sends no body for it).
    let view = if req.method() == Method::HEAD {
        state
            .services
            .pastes
            .read_quietly(id, caller.user())
            .await?
    } else {
        let key = crate::routes::plumbing::paste_password::presented(&req)?;
        state
            .services
            .pastes
            .read_with(id, caller.user(), key.as_ref())
            .await?
    };
    let (shown_language, detected) = shown(&view).await;
    let content = first_text(&view)?;
    let mut paste = PasteMeta::new(&view.meta, &state.http.links);
    if view.has_files() {
        paste.files = super::files::with_contents(&view, &state.http.links)?;
    }
    let body = PasteWithContent {
        paste,
        views: state.services.visits.total(&view).await,
        revision: view.meta.revision,
        author: view.meta.author.clone(),
        content,
        shown_language,
        detected,
        fork_count: view.meta.fork_count,
        forked_from: view.meta.forked_from.as_ref().map(|o| ForkedFrom {
            id: o.id.clone(),
            title: o.title.clone(),
            author: o.author.clone(),
            deleted: o.gone,
        }),
    };
    let cache = if view.meta.is_store_only() || view.meta.visibility == Visibility::Private {
        "no-store"
    } else {
        "no-cache"
    };
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, cache))
        .json(body))
}

/// The text a read's `content` is: the paste's, or its first file's.
fn first_text(view: &PasteView) -> Result<String, crate::error::AppError> {
    if !view.has_files() {
        return Ok(view.text()?.to_owned());
    }
    String::from_utf8(view.first_bytes().to_vec()).map_err(|e| {
        crate::error::AppError::Internal(anyhow::anyhow!(
            "the first file of {} is not UTF-8: {e}",
            view.meta.id
        ))
    })
}

/// The language a paste's page shows it in, and how it was guessed when its
/// author named none: the page's own answer, from the render cached with the
/// view (the assemble job renders ahead of reads, so a hot read detects
/// nothing); else the page's detection, on a blocking thread (it reads up to
/// the whole text to recognize JSON).
async fn shown(view: &PasteView) -> (String, Option<Detection>) {
    if view.meta.end_to_end {
        // An envelope is never read for clues: it says nothing anyway.
        return ("text".to_owned(), None);
    }
    if let Some(language) = &view.meta.language {
        return (language.as_str().to_owned(), None);
    }
    if let Some(rendered) = view.rendered.as_ref().filter(|r| r.is_current()) {
        let token = crate::render::catalog()
            .find(&rendered.info.language)
            .map_or_else(|| "text".to_owned(), |entry| entry.token.clone());
        return (token, rendered.info.detected);
    }
    let content = view.content.clone();
    let title = view.meta.title.as_ref().map(|t| t.as_str().to_owned());
    let guess = web::block(move || {
        let text = std::str::from_utf8(&content).unwrap_or_default();
        crate::render::detect::detect(crate::render::catalog(), text, title.as_deref())
            .map(|(entry, how)| (entry.token.clone(), how))
    })
    .await
    .ok()
    .flatten();
    match guess {
        Some((token, how)) => (token, Some(how)),
        None => ("text".to_owned(), None),
    }
}

/// Delete a paste: with its delete token (`X-Delete-Token`), or as its
/// author with a bearer token (then no delete token is needed).
#[utoipa::path(
    delete,
    path = "/api/v1/pastes/{id}",
    operation_id = "delete_paste",
    tag = "pastes",
    security((), ("bearer" = [])),
    params(
        ("id" = String, Path, description = "Paste id"),
        ("X-Delete-Token" = Option<String>, Header, description = "The `delete_token` returned at creation. Send this or the author's bearer token (one of the two is needed)"),
    ),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "`missing_delete_token`: neither an `X-Delete-Token` nor the author's bearer token was sent; `invalid_token`: an `Authorization` header that is not a live API token", body = ErrorBody),
        (status = 403, description = "`wrong_delete_token`: not this paste's token", body = ErrorBody),
        (status = 404, description = "`not_found`: missing, expired, burned or deleted", body = ErrorBody,
         headers(("RateLimit-Limit" = u32, description = "Not-found answers allowed per minute (the client's not-found budget)"),
                 ("RateLimit-Remaining" = u32, description = "Not-found answers left"),
                 ("RateLimit-Reset" = u64, description = "Seconds until the budget is whole again"))),
        (status = 410, description = "`removed`: taken down by the operator (the message names the category)", body = ErrorBody),
        (status = 429, description = "`rate_limited`: this client's not-found budget is spent", body = ErrorBody,
         headers(("Retry-After" = u64, description = "Seconds to wait"),
                 ("RateLimit-Limit" = u32, description = "Not-found answers allowed per minute"),
                 ("RateLimit-Remaining" = u32, description = "0"),
                 ("RateLimit-Reset" = u64, description = "Seconds until the budget is whole again"))),
        (status = 503, description = "`unavailable`: a backend is down", body = ErrorBody,
         headers(("Retry-After" = u64, description = "Seconds to wait"))),
    )
)]
pub(crate) async fn delete(
    req: HttpRequest,
    path: PastePath<Json>,
    caller: Caller,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    state
        .services
        .pastes
        .delete(path.id(), delete_token(&req), caller.user())
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
