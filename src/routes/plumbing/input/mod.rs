//! Request bodies and queries of every kind turned into service input: a
//! `Draft` from a form, multipart, a raw body or JSON; a `ListQuery` from a
//! query string. Malformed input is a typed `RequestError`.

pub(crate) mod json;
pub(crate) mod json_files;
pub(crate) mod list_query;
pub(crate) mod multipart;
pub(crate) mod search_query;
pub(crate) mod spellings;
pub(crate) mod urlencoded;

use crate::error::RequestError;
use crate::service::draft::{Draft, DraftContent};

/// The fields of a paste, in words, for "unknown field" messages.
pub(crate) const PASTE_FIELDS: &str = "content, title, language, expires, visibility, burn_after_read, max_views, password, end_to_end and show_token";

/// Every field name a creation form takes.
pub(crate) const FORM_FIELDS: &[&str] = &[
    "content",
    "title",
    "language",
    "expires",
    "visibility",
    "burn_after_read",
    "end_to_end",
    "max_views",
    "password",
    "show_token",
    "csrf_token",
];

/// Sets one named field of a draft; unknown and repeated fields are errors, so
/// a typo (`expire=1h`) is reported instead of silently ignored.
pub(crate) fn set_field(draft: &mut Draft, name: &str, value: String) -> Result<(), RequestError> {
    let slot = match name {
        "content" => {
            if draft.content.is_some() {
                return Err(RequestError::DuplicateField(name.to_owned()));
            }
            draft.content = Some(DraftContent::Text(value));
            return Ok(());
        }
        "title" => &mut draft.title,
        "language" => &mut draft.language,
        "expires" => &mut draft.expires,
        "visibility" => &mut draft.visibility,
        "burn_after_read" => &mut draft.burn_after_read,
        "end_to_end" => &mut draft.end_to_end,
        "max_views" => &mut draft.max_views,
        "password" => &mut draft.password,
        "show_token" => &mut draft.show_token,
        "csrf_token" => &mut draft.csrf_token,
        _ => {
            return Err(RequestError::UnknownField {
                name: name.to_owned(),
                known: PASTE_FIELDS,
            });
        }
    };
    if slot.is_some() {
        return Err(RequestError::DuplicateField(name.to_owned()));
    }
    *slot = Some(value);
    Ok(())
}

/// Browsers send text areas with CRLF line ends; a pasted `\n` is what the
/// person typed, so a browser's text is brought back to LF.
pub(crate) fn normalize_browser_newlines(draft: &mut Draft) {
    if let Some(DraftContent::Text(text)) = &mut draft.content
        && text.contains("\r\n")
    {
        *text = text.replace("\r\n", "\n");
    }
}
