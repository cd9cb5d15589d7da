//! `multipart/form-data` bodies (browsers with a file input, `curl -F`).

use actix_multipart::Multipart;
use actix_web::{HttpRequest, web};
use futures_util::StreamExt;

use super::set_field;
use crate::domain::ValidationError;
use crate::error::{AppError, RequestError};
use crate::routes::plumbing::body::{Guarded, Uploads};
use crate::service::draft::{Draft, DraftContent};
use crate::service::draft_files::DraftFile;

/// Largest small field (title, expires...) read from a multipart body.
const SMALL_FIELD_BYTES: usize = 8 * 1024;
/// Most parts in one multipart body: the fields of a paste and up to
/// `limits.max_files` files (the highest it may be set to).
const MAX_PARTS: usize = 16 + 100;

/// A part named `content` or `file` is the text; when it carries a file name,
/// that name is the default title and language hint. Several such parts are
/// the files of a multi-file paste (`curl -F file=@a.rs -F file=@b.py`, a
/// form's text box and its file input). The texts together may be at most
/// `max_paste_bytes` (each part is read against what the others left),
/// every other part `SMALL_FIELD_BYTES`.
pub(crate) async fn draft(
    req: &HttpRequest,
    payload: web::Payload,
    uploads: &Uploads,
    max_paste_bytes: usize,
) -> Result<Draft, AppError> {
    let (body, stop) = uploads.guard(payload);
    read_parts(req, body, max_paste_bytes)
        .await
        .map_err(|e| stop.failure().unwrap_or(e))
}

async fn read_parts(
    req: &HttpRequest,
    body: Guarded,
    max_paste_bytes: usize,
) -> Result<Draft, AppError> {
    let malformed = |e: &dyn std::fmt::Display| RequestError::MalformedMultipart(e.to_string());
    let mut multipart = Multipart::new(req.headers(), body);
    let mut draft = Draft::default();
    let mut parts = 0;
    let mut left = max_paste_bytes;
    while let Some(field) = multipart.next().await {
        let mut field = field.map_err(|e| malformed(&e))?;
        parts += 1;
        if parts > MAX_PARTS {
            return Err(RequestError::TooManyParts(MAX_PARTS).into());
        }
        let name = field.name().unwrap_or_default().to_owned();
        let file_name = field
            .content_disposition()
            .and_then(|cd| cd.get_filename())
            .filter(|f| !f.is_empty())
            .map(str::to_owned);
        if name == "content" || name == "file" {
            let bytes = field
                .bytes(left)
                .await
                .map_err(|_| ValidationError::TooLarge {
                    limit: max_paste_bytes,
                })?
                .map_err(|e| malformed(&e))?;
            if bytes.is_empty() {
                continue; // an empty text area or file input: absent
            }
            left -= bytes.len();
            let content = match (&file_name, String::from_utf8(bytes.to_vec())) {
                (None, Ok(text)) => DraftContent::Text(text),
                _ => DraftContent::Bytes(bytes.to_vec()),
            };
            if draft.content.is_some() || !draft.files.is_empty() {
                draft.add_file(DraftFile {
                    name: file_name,
                    language: None,
                    content,
                });
            } else {
                draft.content = Some(content);
                draft.file_name = file_name;
            }
        } else {
            let bytes = field
                .bytes(SMALL_FIELD_BYTES)
                .await
                .map_err(|_| RequestError::FieldTooLong {
                    name: name.clone(),
                    max: SMALL_FIELD_BYTES,
                })?
                .map_err(|e| malformed(&e))?;
            let text = String::from_utf8(bytes.to_vec())
                .map_err(|_| RequestError::FieldNotText(name.clone()))?;
            set_field(&mut draft, &name, text)?;
        }
    }
    Ok(draft)
}
