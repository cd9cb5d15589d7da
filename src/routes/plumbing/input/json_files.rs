//! The API's `files`: `[{name, content | content_base64, language?}]`, each
//! member checked by type, an unknown or repeated one refused.

use base64::Engine;
use serde_json::Value;

use crate::error::RequestError;
use crate::service::draft::DraftContent;
use crate::service::draft_files::DraftFile;

/// The members a file takes.
const FILE_FIELDS: &str = "name, content, content_base64 and language";

/// Reads `files`; `null` is absent. Sizes are checked with the paste (the
/// body itself is bounded before it is parsed).
pub(crate) fn files(value: Value) -> Result<Vec<DraftFile>, RequestError> {
    let items = match value {
        Value::Null => return Ok(Vec::new()),
        Value::Array(items) if !items.is_empty() => items,
        _ => return Err(wrong("files", "a list of files")),
    };
    items.into_iter().map(file).collect()
}

fn file(value: Value) -> Result<DraftFile, RequestError> {
    let Value::Object(members) = value else {
        return Err(wrong(
            "files",
            "objects {name, content | content_base64, language?}",
        ));
    };
    let mut name = None;
    let mut language = None;
    let mut content = None;
    for (key, value) in members {
        match (key.as_str(), value) {
            (_, Value::Null) => {}
            ("name", Value::String(s)) => name = Some(s),
            ("language", Value::String(s)) => language = Some(s),
            ("content", Value::String(s)) => {
                if content.is_some() {
                    return Err(both());
                }
                content = Some(DraftContent::Text(s));
            }
            ("content_base64", Value::String(s)) => {
                if content.is_some() {
                    return Err(both());
                }
                let bytes = base64::engine::general_purpose::STANDARD
                    .decode(s.trim())
                    .map_err(|_| wrong("files.content_base64", "standard base64"))?;
                content = Some(DraftContent::Bytes(bytes));
            }
            ("name" | "language" | "content" | "content_base64", _) => {
                return Err(wrong("files", "string members"));
            }
            _ => {
                return Err(RequestError::UnknownField {
                    name: format!("files.{key}"),
                    known: FILE_FIELDS,
                });
            }
        }
    }
    let content = content.ok_or(RequestError::MissingField("files.content"))?;
    Ok(DraftFile {
        name,
        language,
        content,
    })
}

fn both() -> RequestError {
    RequestError::ContentTwice("a file takes `content` or `content_base64`, not both")
}

fn wrong(field: &'static str, expected: &'static str) -> RequestError {
    RequestError::WrongType { field, expected }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_read_with_text_or_base64_and_checked_by_type() {
        let files = files(serde_json::json!([
            {"name": "a.rs", "content": "fn a() {}"},
            {"name": "b.txt", "content_base64": "aGk=", "language": "text"}
        ]))
        .expect("valid");
        assert_eq!(files.len(), 2);
        assert!(matches!(&files[1].content, DraftContent::Bytes(b) if b == b"hi"));
        assert!(super::files(serde_json::json!([])).is_err());
        assert!(super::files(serde_json::json!([{"name": "x"}])).is_err());
        assert!(super::files(serde_json::json!([{"content": "x", "mode": 1}])).is_err());
        assert!(
            super::files(serde_json::json!([{"content": "x", "content_base64": "eA=="}])).is_err()
        );
        assert!(super::files(serde_json::json!([{"content": "x", "name": 3}])).is_err());
    }
}
