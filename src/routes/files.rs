//! The files of a multi-file paste: one file's bytes (`GET /raw/{id}/{name}`)
//! and all of them as one archive (`GET /dl/{id}`, from `raw::download`).
//!
//! Reads go through the same service call as `/raw/{id}`, so a private,
//! burn-after-read or `max_views` paste is served, burned and counted as a
//! whole: a file's read is a read of its paste.

use std::io::Write;

use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};
use bytes::Bytes;

use crate::error::AppError;
use crate::routes::plumbing::caller::Caller;
use crate::routes::plumbing::failure::{Text, TextError};
use crate::routes::plumbing::paste_path::PastePath;
use crate::service::PasteView;
use crate::state::AppState;

/// `GET /raw/{id}/{name}`: one file, with the raw answer's headers (plain
/// text, nosniff, a sandbox, its own ETag). A name the paste has not is a
/// 404, like a missing paste; so is any name of a paste of one text.
pub(crate) async fn raw_file(
    req: HttpRequest,
    path: PastePath<Text>,
    caller: Caller,
    state: web::Data<AppState>,
) -> Result<HttpResponse, TextError> {
    // actix leaves `%2B`, `%25` and `%2F` encoded in a segment, and the
    // page's links encode `+` and `%`: decode it whole (a decoded `/` never
    // names a file; a segment that is not UTF-8 names none either).
    let raw = req.match_info().get("name").unwrap_or_default();
    let name = percent_encoding::percent_decode_str(raw)
        .decode_utf8()
        .map_err(|_| AppError::NotFound)?
        .into_owned();
    let view = super::raw::read(&req, path.id(), &caller, &state).await?;
    let Some((index, _)) = view.file_named(&name) else {
        return Err(AppError::NotFound.into());
    };
    let body = view.file_bytes(index).ok_or(AppError::NotFound)?;
    // Shown in the browser as the text it is, saved under its own name.
    let disposition = super::raw::named_disposition("inline", &name);
    Ok(super::raw::respond_part(
        &req,
        &view,
        body,
        Some(index),
        &state,
        Some(disposition),
        &[],
    ))
}

/// A multi-file paste as one `.tar.gz` (`{id}/{name}` for each file),
/// streamed: each chunk is one file's header and compressed bytes, made
/// when the client takes it, so the answer never holds the whole archive.
/// HEAD gets the headers only.
pub(crate) fn archive(req: &HttpRequest, view: &PasteView) -> HttpResponse {
    let mut response = HttpResponse::Ok();
    response
        .insert_header((
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/gzip"),
        ))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{}.tar.gz\"", view.meta.id),
        ))
        .insert_header((
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'none'; sandbox"),
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"));
    if req.method() == actix_web::http::Method::HEAD {
        return response.finish();
    }
    let files: Vec<(String, Bytes)> = view
        .meta
        .files
        .iter()
        .enumerate()
        .map(|(i, f)| {
            (
                format!("{}/{}", view.meta.id, f.name),
                view.file_bytes(i).unwrap_or_default(),
            )
        })
        .collect();
    let mtime = u64::try_from(view.meta.created_at.unix_timestamp()).unwrap_or(0);
    // Each chunk is compressed on the blocking pool, not on the server's
    // worker thread, which other requests share.
    let chunks = futures_util::stream::unfold(Archive::new(files, mtime), |mut archive| async {
        tokio::task::spawn_blocking(move || archive.next().map(|chunk| (chunk, archive)))
            .await
            .unwrap_or_else(|e| Some((Err(std::io::Error::other(e)), Archive::done())))
    });
    response.streaming(chunks)
}

/// The chunks of a `.tar.gz`: one per file, then the end of the archive.
struct Archive {
    files: std::vec::IntoIter<(String, Bytes)>,
    mtime: u64,
    tar: Option<tar::Builder<flate2::write::GzEncoder<Vec<u8>>>>,
}

impl Archive {
    fn new(files: Vec<(String, Bytes)>, mtime: u64) -> Self {
        let gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        Self {
            files: files.into_iter(),
            mtime,
            tar: Some(tar::Builder::new(gz)),
        }
    }

    /// An archive with nothing more to give (after a chunk was lost).
    fn done() -> Self {
        Self {
            files: Vec::new().into_iter(),
            mtime: 0,
            tar: None,
        }
    }

    /// The compressed bytes the encoder has written so far, taken out.
    fn drain(tar: &mut tar::Builder<flate2::write::GzEncoder<Vec<u8>>>) -> Bytes {
        Bytes::from(std::mem::take(tar.get_mut().get_mut()))
    }
}

impl Iterator for Archive {
    type Item = Result<Bytes, std::io::Error>;

    fn next(&mut self) -> Option<Self::Item> {
        let tar = self.tar.as_mut()?;
        if let Some((path, bytes)) = self.files.next() {
            let mut header = tar::Header::new_gnu();
            header.set_size(bytes.len() as u64);
            header.set_mode(0o644);
            header.set_mtime(self.mtime);
            let appended = tar
                .append_data(&mut header, &path, &bytes[..])
                .and_then(|()| tar.get_mut().flush());
            return Some(appended.map(|()| Self::drain(tar)));
        }
        let tar = self.tar.take()?;
        Some(
            tar.into_inner()
                .and_then(flate2::write::GzEncoder::finish)
                .map(Bytes::from),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_archive_holds_every_file_under_the_paste_id() {
        let files = vec![
            ("abc/a.rs".to_owned(), Bytes::from_static(b"fn a() {}\n")),
            ("abc/é.txt".to_owned(), Bytes::from_static(b"two\n")),
        ];
        let chunks: Vec<Bytes> = Archive::new(files, 1_700_000_000)
            .collect::<Result<_, _>>()
            .expect("archived");
        assert_eq!(chunks.len(), 3, "one chunk per file, then the end");
        let gz: Vec<u8> = chunks.concat();
        let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(&gz[..]));
        let mut seen = Vec::new();
        for entry in archive.entries().expect("entries") {
            let mut entry = entry.expect("an entry");
            let mut text = String::new();
            std::io::Read::read_to_string(&mut entry, &mut text).expect("text");
            let path = entry.path().expect("a path").to_string_lossy().into_owned();
            seen.push((path, text));
        }
        assert_eq!(
            seen,
            [
                ("abc/a.rs".to_owned(), "fn a() {}\n".to_owned()),
                ("abc/é.txt".to_owned(), "two\n".to_owned())
            ]
        );
    }
}
