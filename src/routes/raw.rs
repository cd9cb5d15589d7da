//! Raw text and downloads: the exact bytes pasted, for curl and scripts.

use actix_web::http::header::{self, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::{HttpRequest, HttpResponse, HttpResponseBuilder, web};
use time::OffsetDateTime;

use crate::domain::{PasteId, Visibility};
use crate::routes::plumbing::caller::Caller;
use crate::routes::plumbing::failure::{Text, TextError};
use crate::routes::plumbing::paste_path::{PasteName, PastePath};
use crate::service::PasteView;
use crate::state::AppState;

/// `GET /raw/{id}` and `/raw/{id}.{ext}` (the extension changes nothing
/// here: the bytes are the bytes).
pub(crate) async fn raw(
    req: HttpRequest,
    path: PasteName<Text>,
    caller: Caller,
    state: web::Data<AppState>,
) -> Result<HttpResponse, TextError> {
    answer(&req, path.id(), &caller, &state, false).await
}

/// `GET /dl/{id}`: the same bytes as an attachment.
pub(crate) async fn download(
    req: HttpRequest,
    path: PastePath<Text>,
    caller: Caller,
    state: web::Data<AppState>,
) -> Result<HttpResponse, TextError> {
    answer(&req, path.id(), &caller, &state, true).await
}

async fn answer(
    req: &HttpRequest,
    id: &PasteId,
    caller: &Caller,
    state: &AppState,
    attachment: bool,
) -> Result<HttpResponse, TextError> {
    // A private paste is its author's only: the session or bearer token,
    // if the request has one (a GET: it changes nothing, so no CSRF token).
    // HEAD shows the headers without reading: it neither burns nor counts.
    let paste = read(req, id, caller, state).await?;
    if attachment && paste.has_files() {
        return Ok(super::files::archive(req, &paste));
    }
    let disposition = attachment.then(|| disposition(&paste));
    Ok(respond(req, &paste, state, disposition, &[]))
}

/// Reads a paste for a raw answer, as `GET /raw/{id}` does: HEAD reads it
/// quietly (no burn, no visit), anything else presents `X-Paste-Password`.
pub(crate) async fn read(
    req: &HttpRequest,
    id: &PasteId,
    caller: &Caller,
    state: &AppState,
) -> Result<std::sync::Arc<PasteView>, crate::error::AppError> {
    if req.method() == Method::HEAD {
        return Ok(std::sync::Arc::new(
            state
                .services
                .pastes
                .read_quietly(id, caller.user())
                .await?,
        ));
    }
    let key = crate::routes::plumbing::paste_password::presented(req)?;
    state
        .services
        .pastes
        .read_shared(id, caller.user(), key.as_ref())
        .await
}

/// The raw answer of a paste already read: its bytes (none to HEAD, nor
/// for a 304 when `If-None-Match` names them) with the raw headers, then
/// `extra` ones. `GET /{id}` answers a program with this too. The body is
/// the view's own bytes (shared, not copied), the validator and a lasting
/// `Cache-Control` those made by the view's first read (`Answers`).
pub(crate) fn respond(
    req: &HttpRequest,
    paste: &PasteView,
    state: &AppState,
    disposition: Option<String>,
    extra: &[(&str, &str)],
) -> HttpResponse {
    // A multi-file paste's one-text answer is its first file.
    let body = paste.first_bytes();
    respond_part(req, paste, body, None, state, disposition, extra)
}

/// The raw answer of `body`, part `part` of `paste` (a file of a
/// multi-file paste: its own ETag), or its one text (`None`).
pub(crate) fn respond_part(
    req: &HttpRequest,
    paste: &PasteView,
    body: bytes::Bytes,
    part: Option<usize>,
    state: &AppState,
    disposition: Option<String>,
    extra: &[(&str, &str)],
) -> HttpResponse {
    let unchanged = etag_matches(req, paste, part);
    let status = if unchanged {
        StatusCode::NOT_MODIFIED
    } else {
        StatusCode::OK
    };
    let now = state.services.clock.now();
    let mut response = headers(status, paste, part, state.http.raw_max_age_secs, now);
    if let Some(disposition) = disposition {
        response.insert_header((header::CONTENT_DISPOSITION, disposition));
    }
    for header in extra {
        response.append_header(*header);
    }
    if unchanged {
        return response.finish();
    }
    response.body(body)
}

/// The headers of a raw answer: plain text that no browser sniffs or runs.
fn headers(
    status: StatusCode,
    paste: &PasteView,
    part: Option<usize>,
    max_age: u64,
    now: OffsetDateTime,
) -> HttpResponseBuilder {
    let mut response = HttpResponse::build(status);
    response
        .insert_header((
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        ))
        // Stricter than every answer's policy (middleware::observe adds the rest).
        .insert_header((
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'none'; sandbox"),
        ))
        .insert_header((
            header::CACHE_CONTROL,
            lasting_cache_control(paste, max_age, now),
        ));
    if !paste.meta.is_store_only()
        && let Ok(etag) = HeaderValue::from_maybe_shared(etag(paste, part))
    {
        response.insert_header((header::ETAG, etag));
    }
    if paste.meta.visibility == Visibility::Unlisted {
        response.insert_header(crate::middleware::NOINDEX);
    }
    response
}

/// True when the client's `If-None-Match` names this content (never for a
/// burn-after-read paste, which this read just deleted).
fn etag_matches(req: &HttpRequest, paste: &PasteView, part: Option<usize>) -> bool {
    !paste.meta.is_store_only()
        && req
            .headers()
            .get(header::IF_NONE_MATCH)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| {
                let etag = etag(paste, part);
                v.split(',')
                    .any(|t| t.trim().as_bytes() == etag.as_ref() || t.trim() == "*")
            })
}

/// A strong validator: the content's hash, and after an edit its revision
/// too (each revision has its own, even one that restores earlier text).
/// Made once per shared view; a file of a multi-file paste adds its index
/// (`.f2`), made per read.
fn etag(paste: &PasteView, part: Option<usize>) -> bytes::Bytes {
    let hash = &paste.meta.content_sha256;
    let hash = &hash[..32.min(hash.len())];
    match (paste.meta.revision, part) {
        (1, None) => paste.answers.etag(|| format!("\"{hash}\"")).clone(),
        (n, None) => paste.answers.etag(|| format!("\"{hash}.r{n}\"")).clone(),
        (1, Some(i)) => bytes::Bytes::from(format!("\"{hash}.f{i}\"")),
        (n, Some(i)) => bytes::Bytes::from(format!("\"{hash}.r{n}.f{i}\"")),
    }
}

/// `cache_control`, made once per shared view when it cannot change with
/// time (no expiry); a header value either way.
fn lasting_cache_control(paste: &PasteView, max_age: u64, now: OffsetDateTime) -> HeaderValue {
    let value = match paste.meta.expires_at {
        None => paste
            .answers
            .cache_control(max_age, || cache_control(paste, max_age, now)),
        Some(_) => bytes::Bytes::from(cache_control(paste, max_age, now)),
    };
    HeaderValue::from_maybe_shared(value).unwrap_or_else(|_| HeaderValue::from_static("no-store"))
}

/// Burn-after-read and private pastes are never stored by caches. Others may
/// be, but are revalidated (a 304 costs one cache lookup here) unless the
/// operator allows a `max-age` (`http.raw_max_age_secs`): a paste deleted
/// because it leaked a secret must not live on in a proxy for an hour.
fn cache_control(paste: &PasteView, max_age: u64, now: OffsetDateTime) -> String {
    let meta = &paste.meta;
    let scope = match meta.visibility {
        _ if meta.is_store_only() => return "no-store".into(),
        Visibility::Private => return "no-store".into(),
        Visibility::Unlisted => "private",
        Visibility::Public => "public",
    };
    let remaining = meta.expires_at.map_or(max_age, |at| {
        u64::try_from((at - now).whole_seconds()).unwrap_or(0)
    });
    match remaining.min(max_age) {
        0 => format!("{scope}, no-cache"),
        age => format!("{scope}, max-age={age}"),
    }
}

/// `attachment` with a file name safe in a header: the title's plain
/// characters, else the id.
fn disposition(paste: &PasteView) -> String {
    let id = paste.meta.id.as_str();
    let stem: String = paste
        .meta
        .title
        .as_ref()
        .map_or(id, |t| t.as_str())
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "._-".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let stem = stem.trim_matches(|c| c == '.' || c == '_');
    let stem = if stem.is_empty() { id } else { stem };
    let name = if stem.contains('.') {
        stem.to_owned()
    } else {
        format!("{stem}.txt")
    };
    // RFC 6266: the ASCII name for old clients, and `filename*` (RFC 5987,
    // UTF-8, percent-encoded) with the title as written for the others.
    let Some(title) = paste.meta.title.as_ref().filter(|t| !t.as_str().is_ascii()) else {
        return format!("attachment; filename=\"{name}\"");
    };
    let full = title.as_str().replace(['/', '\\'], "_");
    let full = if full.contains('.') {
        full
    } else {
        format!("{full}.txt")
    };
    let encoded = percent_encoding::utf8_percent_encode(&full, ATTR_CHAR);
    format!("attachment; filename=\"{name}\"; filename*=UTF-8''{encoded}")
}

/// `{kind}` (`inline`, `attachment`) naming a file of a multi-file paste:
/// its plain ASCII characters in `filename` (others as `_`), and the name
/// as written in `filename*` (RFC 5987) when it is not plain ASCII.
pub(crate) fn named_disposition(kind: &str, name: &str) -> String {
    let plain: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "._- ".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    if plain == name {
        return format!("{kind}; filename=\"{plain}\"");
    }
    let encoded = percent_encoding::utf8_percent_encode(name, ATTR_CHAR);
    format!("{kind}; filename=\"{plain}\"; filename*=UTF-8''{encoded}")
}

/// What RFC 5987's `attr-char` leaves unescaped: letters, digits and
/// `!#$&+-.^_`|~`; everything else is percent-encoded.
const ATTR_CHAR: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'!')
    .remove(b'#')
    .remove(b'$')
    .remove(b'&')
    .remove(b'+')
    .remove(b'-')
    .remove(b'.')
    .remove(b'^')
    .remove(b'_')
    .remove(b'`')
    .remove(b'|')
    .remove(b'~');
