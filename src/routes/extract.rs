//! Reading requests: which form the client wants, and bodies of every kind
//! turned into a `Draft`, with sizes bounded while the body streams in.

use actix_multipart::Multipart;
use actix_web::http::header;
use actix_web::{HttpMessage, HttpRequest, web};
use futures_util::StreamExt;

use crate::domain::ValidationError;
use crate::error::{AppError, Form};
use crate::service::Rules;
use crate::service::draft::{Draft, DraftContent};

/// Largest small field (title, expires...) read from a multipart body.
const SMALL_FIELD_BYTES: usize = 8 * 1024;
/// Most parts in one multipart body.
const MAX_PARTS: usize = 16;

/// The form the client prefers among HTML, JSON and text, by `Accept` with
/// q-values. No `Accept`, or only `*/*` (curl), means text.
pub fn preferred_form(req: &HttpRequest) -> Form {
    let Some(accept) = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
    else {
        return Form::Text;
    };
    let mut best: Option<(Form, f32)> = None;
    for range in accept.split(',') {
        let mut params = range.split(';');
        let media = params.next().unwrap_or("").trim().to_ascii_lowercase();
        let form = match media.as_str() {
            "text/html" | "application/xhtml+xml" => Form::Html,
            "application/json" => Form::Json,
            "text/plain" => Form::Text,
            _ => continue,
        };
        let q = params
            .filter_map(|p| p.trim().strip_prefix("q="))
            .find_map(|q| q.parse::<f32>().ok())
            .unwrap_or(1.0);
        if q > 0.0 && best.is_none_or(|(_, b)| q > b) {
            best = Some((form, q));
        }
    }
    best.map_or(Form::Text, |(form, _)| form)
}

/// The delete token a client sent in `X-Delete-Token`, if any.
pub fn delete_token(req: &HttpRequest) -> Option<&str> {
    req.headers()
        .get("X-Delete-Token")
        .and_then(|v| v.to_str().ok())
}

/// The essence of the request's media type (`multipart/form-data`), lowercase.
pub fn media_type(req: &HttpRequest) -> Option<String> {
    req.mime_type()
        .ok()
        .flatten()
        .map(|m| m.essence_str().to_ascii_lowercase())
}

fn too_large(rules: &Rules) -> AppError {
    ValidationError::TooLarge {
        limit: rules.max_paste_bytes,
    }
    .into()
}

/// Reads a whole body, refusing it (413) as soon as it passes `limit`, before
/// reading further; a declared `Content-Length` over the limit is refused at once.
pub async fn read_body(
    req: &HttpRequest,
    mut payload: web::Payload,
    limit: usize,
    rules: &Rules,
) -> Result<Vec<u8>, AppError> {
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|len| len > limit) {
        return Err(too_large(rules));
    }
    let mut body = Vec::with_capacity(declared.unwrap_or(8 * 1024).min(limit));
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| AppError::BadRequest {
            code: "unreadable_body",
            message: format!("the request body could not be read: {e}"),
        })?;
        if body.len() + chunk.len() > limit {
            return Err(too_large(rules));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// Sets one named field of a draft; unknown and repeated fields are errors, so
/// a typo (`expire=1h`) is reported instead of silently ignored.
pub fn set_field(draft: &mut Draft, name: &str, value: String) -> Result<(), AppError> {
    let slot = match name {
        "content" => {
            if draft.content.is_some() {
                return Err(duplicate(name));
            }
            draft.content = Some(DraftContent::Text(value));
            return Ok(());
        }
        "title" => &mut draft.title,
        "language" => &mut draft.language,
        "expires" => &mut draft.expires,
        "visibility" => &mut draft.visibility,
        "burn_after_read" => &mut draft.burn_after_read,
        _ => {
            return Err(AppError::InvalidField {
                code: "unknown_field",
                message: format!(
                    "unknown field `{name}`; the fields are content, title, language, expires, visibility and burn_after_read"
                ),
            });
        }
    };
    if slot.is_some() {
        return Err(duplicate(name));
    }
    *slot = Some(value);
    Ok(())
}

fn duplicate(name: &str) -> AppError {
    AppError::InvalidField {
        code: "duplicate_field",
        message: format!("the field `{name}` is given more than once"),
    }
}

/// One `application/x-www-form-urlencoded` component: `+` is a space, then
/// percent escapes; the bytes must be UTF-8 (decoded strictly, never with
/// replacement characters: the text is kept byte for byte or refused).
fn decode_component(raw: &[u8]) -> Option<String> {
    let spaced: Vec<u8> = raw
        .iter()
        .map(|b| if *b == b'+' { b' ' } else { *b })
        .collect();
    percent_encoding::percent_decode(&spaced)
        .decode_utf8()
        .ok()
        .map(|text| text.into_owned())
}

/// Fields from `a=1&b=2` text (a form body or a query string).
pub fn draft_from_urlencoded(draft: &mut Draft, bytes: &[u8]) -> Result<(), AppError> {
    for pair in bytes.split(|b| *b == b'&').filter(|p| !p.is_empty()) {
        let (name, value) = match pair.iter().position(|b| *b == b'=') {
            Some(at) => (&pair[..at], &pair[at + 1..]),
            None => (pair, &[][..]),
        };
        let name = decode_component(name).ok_or_else(|| AppError::BadRequest {
            code: "malformed_form",
            message: "a form field name is not UTF-8 text".into(),
        })?;
        let value = match decode_component(value) {
            Some(value) => value,
            None if name == "content" => return Err(ValidationError::NotText.into()),
            None => {
                return Err(AppError::InvalidField {
                    code: "invalid_field",
                    message: format!("the field `{name}` is not UTF-8 text"),
                });
            }
        };
        set_field(draft, &name, value)?;
    }
    Ok(())
}

/// A `multipart/form-data` body. A part named `content` or `file` is the text;
/// when it carries a file name, that name is the default title and language hint.
pub async fn draft_from_multipart(
    req: &HttpRequest,
    payload: web::Payload,
    rules: &Rules,
) -> Result<Draft, AppError> {
    let malformed = |e: &dyn std::fmt::Display| AppError::BadRequest {
        code: "malformed_multipart",
        message: format!("the multipart body could not be read: {e}"),
    };
    let mut multipart = Multipart::new(req.headers(), payload);
    let mut draft = Draft::default();
    let mut parts = 0;
    while let Some(field) = multipart.next().await {
        let mut field = field.map_err(|e| malformed(&e))?;
        parts += 1;
        if parts > MAX_PARTS {
            return Err(AppError::BadRequest {
                code: "too_many_parts",
                message: format!("a paste takes at most {MAX_PARTS} form fields"),
            });
        }
        let name = field.name().unwrap_or_default().to_owned();
        let file_name = field
            .content_disposition()
            .and_then(|cd| cd.get_filename())
            .filter(|f| !f.is_empty())
            .map(str::to_owned);
        if name == "content" || name == "file" {
            let bytes = field
                .bytes(rules.max_paste_bytes)
                .await
                .map_err(|_| too_large(rules))?
                .map_err(|e| malformed(&e))?;
            if bytes.is_empty() {
                continue; // an empty text area or file input: absent
            }
            if draft.content.is_some() {
                return Err(AppError::InvalidField {
                    code: "duplicate_field",
                    message: "give the text in one field: `content` or `file`, not both".into(),
                });
            }
            draft.content = Some(match (&file_name, String::from_utf8(bytes.to_vec())) {
                (None, Ok(text)) => DraftContent::Text(text),
                _ => DraftContent::Bytes(bytes.to_vec()),
            });
            draft.file_name = file_name;
        } else {
            let bytes = field
                .bytes(SMALL_FIELD_BYTES)
                .await
                .map_err(|_| AppError::InvalidField {
                    code: "field_too_long",
                    message: format!("the field `{name}` is longer than {SMALL_FIELD_BYTES} bytes"),
                })?
                .map_err(|e| malformed(&e))?;
            let text = String::from_utf8(bytes.to_vec()).map_err(|_| AppError::InvalidField {
                code: "invalid_field",
                message: format!("the field `{name}` is not UTF-8 text"),
            })?;
            set_field(&mut draft, &name, text)?;
        }
    }
    Ok(draft)
}

/// Browsers send text areas with CRLF line ends; a pasted `\n` is what the
/// person typed, so a browser's text is brought back to LF.
pub fn normalize_browser_newlines(draft: &mut Draft) {
    if let Some(DraftContent::Text(text)) = &mut draft.content
        && text.contains("\r\n")
    {
        *text = text.replace("\r\n", "\n");
    }
}

/// Reads the query string of a list. Unknown or repeated parameters, a cursor
/// that was not handed out, or a limit outside 1 to `MAX_PAGE` are 422s.
pub fn list_query(query: &str) -> Result<crate::service::users::ListQuery, AppError> {
    use crate::service::users::{DEFAULT_PAGE, ListQuery, MAX_PAGE};
    let mut cursor = None;
    let mut limit = None;
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let value = decode_component(value.as_bytes()).unwrap_or_default();
        match decode_component(name.as_bytes()).as_deref() {
            Some("cursor") if cursor.is_none() => {
                cursor = Some(crate::domain::ListCursor::parse(&value).ok_or_else(|| {
                    AppError::InvalidField {
                        code: "invalid_cursor",
                        message: "`cursor` must be a next_cursor this service handed out".into(),
                    }
                })?);
            }
            Some("limit") if limit.is_none() => {
                limit = Some(
                    value
                        .parse::<usize>()
                        .ok()
                        .filter(|n| (1..=MAX_PAGE).contains(n))
                        .ok_or_else(|| AppError::InvalidField {
                            code: "invalid_limit",
                            message: format!("`limit` must be a number from 1 to {MAX_PAGE}"),
                        })?,
                );
            }
            Some(name @ ("cursor" | "limit")) => return Err(duplicate(name)),
            other => {
                return Err(AppError::InvalidField {
                    code: "unknown_field",
                    message: format!(
                        "unknown parameter `{}`; the parameters are cursor and limit",
                        other.unwrap_or("?")
                    ),
                });
            }
        }
    }
    Ok(ListQuery {
        cursor,
        limit: limit.unwrap_or(DEFAULT_PAGE),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    fn form_for(accept: &str) -> Form {
        preferred_form(
            &TestRequest::default()
                .insert_header((header::ACCEPT, accept))
                .to_http_request(),
        )
    }

    #[test]
    fn browsers_get_html_scripts_get_json_and_curl_gets_text() {
        let firefox = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
        assert_eq!(form_for(firefox), Form::Html);
        assert_eq!(form_for("application/json"), Form::Json);
        assert_eq!(form_for("*/*"), Form::Text);
        assert_eq!(form_for("text/html;q=0.1, application/json"), Form::Json);
        assert_eq!(form_for("application/json;q=0"), Form::Text);
        assert_eq!(
            preferred_form(&TestRequest::default().to_http_request()),
            Form::Text
        );
    }

    #[test]
    fn urlencoded_text_is_decoded_strictly() {
        let mut draft = Draft::default();
        draft_from_urlencoded(&mut draft, b"content=a+b%20%C3%A9%0D%0A&title=x%2By")
            .expect("valid");
        assert!(matches!(&draft.content, Some(DraftContent::Text(t)) if t == "a b \u{e9}\r\n"));
        assert_eq!(draft.title.as_deref(), Some("x+y"));
        let mut draft = Draft::default();
        assert!(matches!(
            draft_from_urlencoded(&mut draft, b"content=%FF%FE"),
            Err(AppError::Validation(ValidationError::NotText))
        ));
    }

    #[test]
    fn unknown_and_repeated_fields_are_refused() {
        let mut draft = Draft::default();
        assert!(matches!(
            draft_from_urlencoded(&mut draft, b"content=x&expire=1h"),
            Err(AppError::InvalidField {
                code: "unknown_field",
                ..
            })
        ));
        let mut draft = Draft::default();
        assert!(matches!(
            draft_from_urlencoded(&mut draft, b"content=x&content=y"),
            Err(AppError::InvalidField {
                code: "duplicate_field",
                ..
            })
        ));
    }

    #[test]
    fn a_list_query_takes_a_cursor_and_a_limit_and_nothing_else() {
        assert_eq!(
            list_query("").ok(),
            Some(crate::service::users::ListQuery {
                cursor: None,
                limit: crate::service::users::DEFAULT_PAGE
            })
        );
        let read = list_query("limit=5&cursor=1700000000123.abcdEFGH").expect("valid");
        assert_eq!(read.limit, 5);
        assert_eq!(
            read.cursor.map(|c| c.encode()).as_deref(),
            Some("1700000000123.abcdEFGH")
        );
        for (query, code) in [
            ("limit=0", "invalid_limit"),
            ("limit=101", "invalid_limit"),
            ("limit=ten", "invalid_limit"),
            ("cursor=nonsense", "invalid_cursor"),
            ("cursor=", "invalid_cursor"),
            ("limit=1&limit=2", "duplicate_field"),
            ("page=2", "unknown_field"),
        ] {
            assert_eq!(
                list_query(query).map_err(|e| e.code()),
                Err(code),
                "{query}"
            );
        }
    }
}
