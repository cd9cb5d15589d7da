//! `files` inside a multi-file paste's document.
//!
//! Absent for a paste of one text, so those documents keep their shape. The
//! first entry has no `content`: its text is the document's own `content`,
//! and no byte is stored twice.

use serde::{Deserialize, Serialize};

use crate::domain::{Content, FileName, Language, PasteFile};
use crate::store::StoreError;

/// One file of a multi-file paste.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct FileDocument {
    /// Its name.
    pub(crate) name: String,
    /// Its language token, if named or known from its name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) language: Option<String>,
    /// Its text; absent on the first file (the document's `content`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) content: Option<String>,
    /// Its size in bytes (a list or a page can show it without the text).
    pub(crate) size_bytes: i64,
}

/// The documents of a paste's files.
pub(crate) fn to_documents(files: &[PasteFile]) -> Vec<FileDocument> {
    files
        .iter()
        .enumerate()
        .map(|(i, f)| FileDocument {
            name: f.name.as_str().to_owned(),
            language: f.language.as_ref().map(|l| l.as_str().to_owned()),
            content: (i > 0).then(|| f.content.as_str().to_owned()),
            size_bytes: i64::try_from(f.content.len()).unwrap_or(i64::MAX),
        })
        .collect()
}

/// The files back from their documents; `first` is the document's content.
pub(crate) fn from_documents(
    docs: Vec<FileDocument>,
    first: &str,
    corrupt: impl Fn(&str) -> StoreError,
) -> Result<Vec<PasteFile>, StoreError> {
    if docs.len() == 1 {
        return Err(corrupt("a files list of one"));
    }
    docs.into_iter()
        .enumerate()
        .map(|(i, doc)| {
            let content = match (i, doc.content) {
                (0, None) => first.to_owned(),
                (0, Some(_)) => return Err(corrupt("a first file with its own content")),
                (_, Some(text)) if !text.is_empty() => text,
                (_, _) => return Err(corrupt("a file without content")),
            };
            if doc.name.is_empty() {
                return Err(corrupt("a file without a name"));
            }
            Ok(PasteFile {
                name: FileName::trusted(doc.name),
                language: doc.language.map(Language::trusted),
                content: Content::trusted(content),
            })
        })
        .collect()
}
