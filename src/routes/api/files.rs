//! The files of a multi-file paste in the JSON API: what a creation takes
//! (`files`), and what answers describe.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::{FileName, Language};
use crate::error::AppError;
use crate::service::views::{PasteView, ViewMeta};
use crate::state::Links;

// Read in `input::json_files`; this type exists for the document only.
/// One file of a new multi-file paste: `content` (UTF-8 text) or
/// `content_base64` (the same, base64-encoded: bytes that must still be
/// UTF-8), not both.
#[derive(Debug, ToSchema)]
#[expect(
    dead_code,
    reason = "only the OpenAPI document reads it; the body is read in input::json_files"
)]
pub(crate) struct CreateFile {
    /// Its name (the last path segment of what is sent): 1 to 100
    /// characters, no control characters or quotes, not `.` or `..`, unique
    /// in the paste. Left out: `file1.txt`, `file2.txt`...
    #[schema(example = "main.rs")]
    pub(crate) name: Option<String>,
    /// Its text, UTF-8, not blank.
    pub(crate) content: Option<String>,
    /// Its text, base64-encoded (standard alphabet, padded).
    pub(crate) content_base64: Option<String>,
    /// Its language, as `language` of the paste takes it; left out, from
    /// its name, else guessed by the page.
    pub(crate) language: Option<String>,
}

/// One file of a multi-file paste.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub(crate) struct PasteFileInfo {
    /// Its name, unique in the paste; the page's anchor (`#name`, lines
    /// `#name-L12`).
    #[schema(value_type = String, example = "main.rs")]
    pub(crate) name: FileName,
    /// Its language token, when named or known from its name.
    #[schema(value_type = Option<String>)]
    pub(crate) language: Option<Language>,
    /// Its size in bytes.
    pub(crate) size_bytes: u64,
    /// Its exact bytes (`/raw/{id}/{name}`).
    pub(crate) raw_url: String,
    /// Its text: in a read of the paste only (absent in creation answers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) content: Option<String>,
}

/// The files of a paste's metadata (none for a paste of one text).
pub(crate) fn described(meta: &ViewMeta, links: &Links) -> Vec<PasteFileInfo> {
    meta.files
        .iter()
        .map(|f| PasteFileInfo {
            name: f.name.clone(),
            language: f.language.clone(),
            size_bytes: f.size_bytes,
            raw_url: links.raw_file(&meta.id, f.name.as_str()),
            content: None,
        })
        .collect()
}

/// The files of a paste that was read, with their texts.
pub(crate) fn with_contents(
    view: &PasteView,
    links: &Links,
) -> Result<Vec<PasteFileInfo>, AppError> {
    let mut files = described(&view.meta, links);
    for (i, file) in files.iter_mut().enumerate() {
        let bytes = view.file_bytes(i).unwrap_or_default();
        let text = std::str::from_utf8(&bytes).map_err(|e| {
            AppError::Internal(anyhow::anyhow!(
                "file {i} of the view of {} is not UTF-8: {e}",
                view.meta.id
            ))
        })?;
        file.content = Some(text.to_owned());
    }
    Ok(files)
}
