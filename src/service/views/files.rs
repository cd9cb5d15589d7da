//! The files of a multi-file paste's view: what each is, and where its bytes
//! are in the view's bytes (the files one after another, in order).
//!
//! A view of one text has none, and every read of it is as it was.

use bytes::Bytes;
use serde::{Deserialize, Serialize};

use super::model::PasteView;
use crate::domain::{FileName, Language, Paste};

/// One file, as the view keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct FileMeta {
    /// Its name.
    pub(crate) name: FileName,
    /// Its language, if named or known from its name.
    pub(crate) language: Option<Language>,
    /// Its size in bytes.
    pub(crate) size_bytes: u64,
    /// Its lines.
    pub(crate) lines: usize,
}

/// The metadata of a paste's files (none for one text).
pub(crate) fn metas(paste: &Paste) -> Vec<FileMeta> {
    paste
        .fields
        .files
        .iter()
        .map(|f| FileMeta {
            name: f.name.clone(),
            language: f.language.clone(),
            size_bytes: f.content.len() as u64,
            lines: f.content.line_count(),
        })
        .collect()
}

/// A multi-file paste's bytes: its files one after another (`None` for one
/// text).
pub(crate) fn bytes(paste: &Paste) -> Option<Bytes> {
    let files = &paste.fields.files;
    if files.is_empty() {
        return None;
    }
    let mut bytes = Vec::with_capacity(files.iter().map(|f| f.content.len()).sum());
    for file in files {
        bytes.extend_from_slice(file.content.as_str().as_bytes());
    }
    Some(Bytes::from(bytes))
}

impl PasteView {
    /// True for a multi-file paste.
    pub(crate) fn has_files(&self) -> bool {
        !self.meta.files.is_empty()
    }

    /// The bytes of the `index`-th file, sliced without a copy; the whole
    /// content for a paste of one text (its only file). `None` past the end
    /// or for sizes that do not add up (a corrupt cached view).
    pub(crate) fn file_bytes(&self, index: usize) -> Option<Bytes> {
        if !self.has_files() {
            return (index == 0).then(|| self.content.clone());
        }
        let mut start = 0usize;
        for (i, file) in self.meta.files.iter().enumerate() {
            let end = start.checked_add(usize::try_from(file.size_bytes).ok()?)?;
            if i == index {
                return (end <= self.content.len()).then(|| self.content.slice(start..end));
            }
            start = end;
        }
        None
    }

    /// The bytes a one-text read serves: the paste's text, or a multi-file
    /// paste's first file.
    pub(crate) fn first_bytes(&self) -> Bytes {
        self.file_bytes(0).unwrap_or_default()
    }

    /// The file named `name`, and its index.
    pub(crate) fn file_named(&self, name: &str) -> Option<(usize, &FileMeta)> {
        self.meta
            .files
            .iter()
            .enumerate()
            .find(|(_, f)| f.name.as_str() == name)
    }
}
