//! The JSON body of `POST /api/v1/pastes`, read field by field so that an
//! unknown, repeated or mistyped field is a typed error (never a guess from
//! serde's message text).

use std::fmt;

use serde::de::{Deserializer, MapAccess, Visitor};
use serde_json::Value;

use super::PASTE_FIELDS;
use crate::error::RequestError;
use crate::service::EditDraft;
use crate::service::draft::{Draft, DraftContent};

/// The members of a JSON object in the order sent, repeats kept.
struct Members(Vec<(String, Value)>);

impl<'de> serde::Deserialize<'de> for Members {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Object;
        impl<'de> Visitor<'de> for Object {
            type Value = Members;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Members, A::Error> {
                let mut members = Vec::with_capacity(map.size_hint().unwrap_or(4).min(16));
                while let Some(member) = map.next_entry::<String, Value>()? {
                    members.push(member);
                }
                Ok(Members(members))
            }
        }
        deserializer.deserialize_any(Object)
    }
}

/// A draft from a JSON object `{content, title?, language?, expires?,
/// visibility?, burn_after_read?, max_views?}`; `null` is the same as absent.
pub(crate) fn draft(body: &[u8]) -> Result<Draft, RequestError> {
    let Members(members) = serde_json::from_slice(body).map_err(|e| {
        if e.is_data() {
            RequestError::NotAnObject // the only data error `Members` raises
        } else {
            RequestError::MalformedJson(e.to_string())
        }
    })?;
    let mut draft = Draft::default();
    let mut seen = Vec::with_capacity(members.len());
    for (name, value) in members {
        if seen.contains(&name) {
            return Err(RequestError::DuplicateField(name));
        }
        match name.as_str() {
            "content" => draft.content = text("content", value)?.map(DraftContent::Text),
            "files" => draft.files = super::json_files::files(value)?,
            "title" => draft.title = text("title", value)?,
            "language" => draft.language = text("language", value)?,
            "expires" => draft.expires = text("expires", value)?,
            "visibility" => draft.visibility = text("visibility", value)?,
            "password" => draft.password = text("password", value)?,
            "burn_after_read" => {
                draft.burn_after_read = match value {
                    Value::Null => None,
                    Value::Bool(b) => Some(b.to_string()),
                    _ => return Err(wrong("burn_after_read", "true or false")),
                }
            }
            "end_to_end" => {
                draft.end_to_end = match value {
                    Value::Null => None,
                    Value::Bool(b) => Some(b.to_string()),
                    _ => return Err(wrong("end_to_end", "true or false")),
                }
            }
            "max_views" => {
                draft.max_views = match value {
                    Value::Null => None,
                    Value::Number(n) if n.is_u64() => Some(n.to_string()),
                    _ => return Err(wrong("max_views", "a whole number")),
                }
            }
            _ => {
                return Err(RequestError::UnknownField {
                    name,
                    known: PASTE_FIELDS,
                });
            }
        }
        seen.push(name);
    }
    if draft.content.is_none() && draft.files.is_empty() {
        return Err(RequestError::MissingField("content"));
    }
    // `content` beside `files` is the first file, as a form's text box is
    // beside its file input.
    if !draft.files.is_empty()
        && let Some(content) = draft.content.take()
    {
        draft.files.insert(
            0,
            crate::service::draft_files::DraftFile {
                name: None,
                language: None,
                content,
            },
        );
    }
    Ok(draft)
}

/// The fields an edit takes.
pub(crate) const EDIT_FIELDS: &str = "revision, content, title, language, visibility and expires";

/// An edit from a JSON object `{revision?, content?, title?, language?,
/// visibility?, expires?}`: a member left out (or `null`) keeps what the
/// paste has.
pub(crate) fn edit(body: &[u8]) -> Result<EditDraft, RequestError> {
    let Members(members) = serde_json::from_slice(body).map_err(|e| {
        if e.is_data() {
            RequestError::NotAnObject
        } else {
            RequestError::MalformedJson(e.to_string())
        }
    })?;
    let mut draft = EditDraft::default();
    let mut seen = Vec::with_capacity(members.len());
    for (name, value) in members {
        if seen.contains(&name) {
            return Err(RequestError::DuplicateField(name));
        }
        match name.as_str() {
            "revision" => {
                draft.revision = match value {
                    Value::Null => None,
                    Value::Number(n) => Some(n.to_string()),
                    _ => return Err(wrong("revision", "a revision number")),
                }
            }
            "content" => draft.content = text("content", value)?.map(DraftContent::Text),
            "title" => draft.title = text("title", value)?,
            "language" => draft.language = text("language", value)?,
            "visibility" => draft.visibility = text("visibility", value)?,
            "expires" => draft.expires = text("expires", value)?,
            _ => {
                return Err(RequestError::UnknownField {
                    name,
                    known: EDIT_FIELDS,
                });
            }
        }
        seen.push(name);
    }
    Ok(draft)
}

fn text(field: &'static str, value: Value) -> Result<Option<String>, RequestError> {
    match value {
        Value::Null => Ok(None),
        Value::String(s) => Ok(Some(s)),
        _ => Err(wrong(field, "a string")),
    }
}

fn wrong(field: &'static str, expected: &'static str) -> RequestError {
    RequestError::WrongType { field, expected }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_json_object_becomes_a_draft() {
        let d = draft(br#"{"content":"x","title":null,"burn_after_read":true}"#).expect("valid");
        assert!(matches!(d.content, Some(DraftContent::Text(t)) if t == "x"));
        assert_eq!(d.title, None);
        assert_eq!(d.burn_after_read.as_deref(), Some("true"));
    }

    #[test]
    fn an_edit_keeps_what_it_leaves_out() {
        let d = edit(br#"{"revision":2,"title":"t","language":null}"#).expect("valid");
        assert_eq!(d.revision.as_deref(), Some("2"));
        assert_eq!(d.title.as_deref(), Some("t"));
        assert!(d.content.is_none() && d.language.is_none() && d.expires.is_none());
        assert!(matches!(
            edit(br#"{"burn_after_read":true}"#),
            Err(RequestError::UnknownField { .. })
        ));
        assert!(matches!(
            edit(br#"{"revision":"two"}"#),
            Err(RequestError::WrongType {
                field: "revision",
                ..
            })
        ));
    }

    #[test]
    fn every_kind_of_bad_body_has_its_own_error() {
        assert!(matches!(
            draft(b"{\"content\":"),
            Err(RequestError::MalformedJson(_))
        ));
        assert!(matches!(
            draft(b"{} trailing"),
            Err(RequestError::MalformedJson(_))
        ));
        assert_eq!(draft(b"[1, 2]").err(), Some(RequestError::NotAnObject));
        assert_eq!(draft(b"\"text\"").err(), Some(RequestError::NotAnObject));
        assert_eq!(
            draft(b"{}").err(),
            Some(RequestError::MissingField("content"))
        );
        assert_eq!(
            draft(br#"{"content":"x","content":"y"}"#).err(),
            Some(RequestError::DuplicateField("content".into()))
        );
        assert!(matches!(
            draft(br#"{"content":"x","expire":"1h"}"#),
            Err(RequestError::UnknownField { name, .. }) if name == "expire"
        ));
        assert_eq!(
            draft(br#"{"content":1}"#).err(),
            Some(RequestError::WrongType {
                field: "content",
                expected: "a string"
            })
        );
        assert_eq!(
            draft(br#"{"content":"x","burn_after_read":"yes"}"#).err(),
            Some(RequestError::WrongType {
                field: "burn_after_read",
                expected: "true or false"
            })
        );
    }
}
