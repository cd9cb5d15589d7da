//! Reading a whole request body with its size bounded while it streams in.

use actix_web::http::header;
use actix_web::{HttpRequest, web};
use futures_util::StreamExt;

use crate::domain::ValidationError;
use crate::error::{AppError, RequestError};

/// Reads a whole body, refusing it (413 for a paste of `paste_limit` bytes) as
/// soon as it passes `limit`, before reading further; a declared
/// `Content-Length` over the limit is refused at once.
pub(crate) async fn read(
    req: &HttpRequest,
    mut payload: web::Payload,
    limit: usize,
    paste_limit: usize,
) -> Result<Vec<u8>, AppError> {
    let too_large = || ValidationError::TooLarge { limit: paste_limit };
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|len| len > limit) {
        return Err(too_large().into());
    }
    let mut body = Vec::with_capacity(declared.unwrap_or(8 * 1024).min(limit));
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| RequestError::UnreadableBody(e.to_string()))?;
        if body.len() + chunk.len() > limit {
            return Err(too_large().into());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}
