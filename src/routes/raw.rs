//! Raw text and downloads: the exact bytes pasted, for curl and scripts.

use actix_web::http::header::{self, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::{HttpRequest, HttpResponse, web};
use time::OffsetDateTime;

use crate::error::Failure;
use crate::service::PasteView;
use crate::state::AppState;

/// `GET /raw/{id}`
pub async fn raw(
    req: HttpRequest,
    id: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Failure> {
    answer(&req, &id, &state, false).await
}

/// `GET /dl/{id}`: the same bytes as an attachment.
pub async fn download(
    req: HttpRequest,
    id: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Failure> {
    answer(&req, &id, &state, true).await
}

async fn answer(
    req: &HttpRequest,
    id: &str,
    state: &AppState,
    attachment: bool,
) -> Result<HttpResponse, Failure> {
    // HEAD shows the headers without reading: it neither burns nor counts.
    let head = req.method() == Method::HEAD;
    let etag_matches = |paste: &PasteView| {
        !paste.meta.burn_after_read
            && req
                .headers()
                .get(header::IF_NONE_MATCH)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| {
                    v.split(',')
                        .any(|t| t.trim() == etag(paste) || t.trim() == "*")
                })
    };
    let paste = if head {
        state.pastes.look(id).await
    } else {
        state.pastes.read(id).await
    }
    .map_err(|e| e.text())?;
    let status = if etag_matches(&paste) {
        StatusCode::NOT_MODIFIED
    } else {
        StatusCode::OK
    };
    let mut response = HttpResponse::build(status);
    response
        .insert_header((
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        ))
        .insert_header((
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .insert_header((
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'none'; sandbox"),
        ))
        .insert_header((
            header::CACHE_CONTROL,
            cache_control(&paste, state.raw_max_age_secs),
        ));
    if !paste.meta.burn_after_read {
        response.insert_header((header::ETAG, etag(&paste)));
    }
    if attachment {
        response.insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{}\"", download_name(&paste)),
        ));
    }
    if status == StatusCode::NOT_MODIFIED {
        return Ok(response.finish());
    }
    Ok(response.body(paste.content))
}

/// A strong validator: the content's hash (the content never changes).
fn etag(paste: &PasteView) -> String {
    let hash = &paste.meta.content_sha256;
    format!("\"{}\"", &hash[..32.min(hash.len())])
}

/// Burn-after-read and private pastes are never stored by caches. Others may
/// be, but are revalidated (a 304 costs one cache lookup here) unless the
/// operator allows a `max-age` (`http.raw_max_age_secs`): a paste deleted
/// because it leaked a secret must not live on in a proxy for an hour.
fn cache_control(paste: &PasteView, max_age: u64) -> String {
    let meta = &paste.meta;
    if meta.burn_after_read || meta.visibility == "private" {
        return "no-store".into();
    }
    let scope = if meta.visibility == "unlisted" {
        "private"
    } else {
        "public"
    };
    let remaining = meta.expires_at.map_or(max_age, |at| {
        u64::try_from((at - OffsetDateTime::now_utc()).whole_seconds()).unwrap_or(0)
    });
    match remaining.min(max_age) {
        0 => format!("{scope}, no-cache"),
        age => format!("{scope}, max-age={age}"),
    }
}

/// A file name safe in a header: the title's plain characters, else the id.
fn download_name(paste: &PasteView) -> String {
    let id = paste.meta.id.as_str();
    let stem: String = paste
        .meta
        .title
        .as_deref()
        .unwrap_or(id)
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
    if stem.contains('.') {
        stem.to_owned()
    } else {
        format!("{stem}.txt")
    }
}
