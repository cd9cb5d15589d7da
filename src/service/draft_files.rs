//! The files of a draft (several `file` parts, or the API's `files`), before
//! and after they are checked.
//!
//! A draft of one file is a draft of one text, exactly as before files
//! existed: its name is the default title and language hint. Two or more
//! make a multi-file paste (`domain::files`).

use super::draft::{Draft, DraftContent, Rules};
use crate::domain::{Content, FileName, Language, PasteFile, ValidationError};

/// One file as sent.
#[derive(Debug, Clone)]
pub(crate) struct DraftFile {
    /// Its name as sent, if any (`file3.txt` when none).
    pub(crate) name: Option<String>,
    /// Its language as sent, if any.
    pub(crate) language: Option<String>,
    /// Its text.
    pub(crate) content: DraftContent,
}

impl Draft {
    /// Adds a file; the first text of the draft, if any, becomes its first
    /// file (a form's text box, or the first `file` part).
    pub(crate) fn add_file(&mut self, file: DraftFile) {
        if self.files.is_empty()
            && let Some(content) = self.content.take()
        {
            self.files.push(DraftFile {
                name: self.file_name.take(),
                language: None,
                content,
            });
        }
        self.files.push(file);
    }

    /// A draft with one file is a draft of one text: the file's text is the
    /// content, its name the file name, its language the language unless the
    /// draft names one. Several stay files.
    pub(crate) fn one_file_as_text(&mut self) {
        if self.files.len() == 1
            && let Some(file) = self.files.pop()
        {
            self.content = Some(file.content);
            self.file_name = file.name;
            if self.language.is_none() {
                self.language = file.language;
            }
        }
    }
}

/// Checks two or more files: each name (or `fileN.txt`), language (as sent,
/// else from the name) and text, then the list against the limits; the
/// paste-wide `language`, if any, is the first file's when it names none.
pub(crate) fn check(
    files: Vec<DraftFile>,
    language: Option<&Language>,
    rules: &Rules,
) -> Result<Vec<PasteFile>, ValidationError> {
    if files.len() > rules.max_files {
        return Err(ValidationError::TooManyFiles {
            max: rules.max_files,
        });
    }
    let mut left = rules.max_paste_bytes;
    let mut checked = Vec::with_capacity(files.len());
    for (i, file) in files.into_iter().enumerate() {
        let too_large = ValidationError::TooLarge {
            limit: rules.max_paste_bytes,
        };
        let content = match file.content {
            DraftContent::Text(text) => Content::parse(text, left),
            DraftContent::Bytes(bytes) => Content::from_bytes(bytes, left),
        }
        .map_err(|e| match e {
            ValidationError::TooLarge { .. } => too_large,
            e => e,
        })?;
        left -= content.len();
        let name = match file.name.as_deref() {
            Some(name) => FileName::parse(name)?,
            None => FileName::numbered(i + 1),
        };
        if content.len() > rules.max_file_bytes {
            return Err(ValidationError::FileTooLarge {
                name: name.as_str().to_owned(),
                limit: rules.max_file_bytes,
            });
        }
        let language = match file.language.as_deref() {
            Some(l) => Language::parse(l)?,
            None => None,
        }
        .or_else(|| Language::from_file_name(name.as_str()))
        .or_else(|| language.filter(|_| i == 0).cloned());
        checked.push(PasteFile {
            name,
            language,
            content,
        });
    }
    crate::domain::files::check_files(&checked, rules.max_files, rules.max_paste_bytes)?;
    Ok(checked)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> Rules {
        Rules {
            max_paste_bytes: 20,
            max_title_chars: 20,
            max_expiry: std::time::Duration::from_secs(60),
            max_expiry_text: "1m".into(),
            max_views: 10,
            max_files: 3,
            max_file_bytes: 16,
            revisions_kept: 10,
        }
    }

    fn file(name: Option<&str>, text: &str) -> DraftFile {
        DraftFile {
            name: name.map(str::to_owned),
            language: None,
            content: DraftContent::Text(text.into()),
        }
    }

    #[test]
    fn names_default_languages_come_from_names_and_the_total_is_bounded() {
        let files = check(
            vec![file(None, "x"), file(Some("a.rs"), "fn a(){}")],
            None,
            &rules(),
        )
        .expect("valid");
        assert_eq!(files[0].name.as_str(), "file1.txt");
        assert_eq!(files[1].language.as_ref().map(|l| l.as_str()), Some("rust"));
        let big = vec![file(None, &"x".repeat(15)), file(None, &"y".repeat(15))];
        assert_eq!(
            check(big, None, &rules()).err(),
            Some(ValidationError::TooLarge { limit: 20 })
        );
        let long = vec![file(Some("a"), "x"), file(Some("b"), &"y".repeat(17))];
        assert_eq!(
            check(long, None, &rules()).err(),
            Some(ValidationError::FileTooLarge {
                name: "b".into(),
                limit: 16
            })
        );
        let four = (0..4).map(|i| file(Some(&format!("{i}")), "x")).collect();
        assert_eq!(
            check(four, None, &rules()).err(),
            Some(ValidationError::TooManyFiles { max: 3 })
        );
    }

    #[test]
    fn a_text_box_and_a_file_make_two_files_and_one_file_stays_a_text() {
        let mut draft = Draft {
            content: Some(DraftContent::Text("typed".into())),
            ..Draft::default()
        };
        draft.add_file(file(Some("b.py"), "pass"));
        assert_eq!(draft.files.len(), 2);
        assert!(draft.content.is_none());
        let mut one = Draft::default();
        one.files.push(file(Some("c.rs"), "fn c(){}"));
        one.one_file_as_text();
        assert!(one.files.is_empty());
        assert_eq!(one.file_name.as_deref(), Some("c.rs"));
    }
}
