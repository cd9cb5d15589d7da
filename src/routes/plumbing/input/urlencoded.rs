//! `application/x-www-form-urlencoded` bodies and query strings.

use super::set_field;
use crate::domain::ValidationError;
use crate::error::AppError;
use crate::error::RequestError;
use crate::service::draft::Draft;

/// One component: `+` is a space, then percent escapes; the bytes must be
/// UTF-8 (decoded strictly, never with replacement characters: the text is
/// kept byte for byte or refused).
pub(crate) fn decode_component(raw: &[u8]) -> Option<String> {
    let spaced: Vec<u8> = raw
        .iter()
        .map(|b| if *b == b'+' { b' ' } else { *b })
        .collect();
    percent_encoding::percent_decode(&spaced)
        .decode_utf8()
        .ok()
        .map(|text| text.into_owned())
}

/// The `name=value` pairs of `a=1&b=2` text, decoded; `None` for a pair whose
/// value is not UTF-8.
pub(crate) fn pairs(bytes: &[u8]) -> impl Iterator<Item = (Option<String>, Option<String>)> + '_ {
    bytes
        .split(|b| *b == b'&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (name, value) = match pair.iter().position(|b| *b == b'=') {
                Some(at) => (&pair[..at], &pair[at + 1..]),
                None => (pair, &[][..]),
            };
            (decode_component(name), decode_component(value))
        })
}

/// True when a urlencoded body is a form of the known fields rather than the
/// paste itself (`curl --data-binary @file` sends a file with curl's default
/// urlencoded type): every `&`-separated piece is `name=value`, every name
/// decodes to a field name's shape (1 to 32 of `a-z`, `0-9`, `_`), and at
/// least one is a field a paste has (`FORM_FIELDS`). So `seq 1 20000`, a
/// `.env` file or a line of code is the paste, while `content=x&expire=1h`
/// is a form with a typo, refused as one.
pub(crate) fn is_form(body: &[u8]) -> bool {
    let mut known = false;
    for piece in body.split(|b| *b == b'&').filter(|p| !p.is_empty()) {
        let Some(at) = piece.iter().position(|b| *b == b'=') else {
            return false;
        };
        let Some(name) = decode_component(&piece[..at]) else {
            return false;
        };
        let shaped = (1..=32).contains(&name.len())
            && name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if !shaped {
            return false;
        }
        known |= super::FORM_FIELDS.contains(&name.as_str());
    }
    known
}

/// Fields from `a=1&b=2` text (a form body or a query string) into `draft`.
pub(crate) fn fill(draft: &mut Draft, bytes: &[u8]) -> Result<(), AppError> {
    for (name, value) in pairs(bytes) {
        let name = name.ok_or(RequestError::MalformedForm)?;
        let value = match value {
            Some(value) => value,
            None if name == "content" => return Err(ValidationError::NotText.into()),
            None => return Err(RequestError::FieldNotText(name).into()),
        };
        set_field(draft, &name, value)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::service::draft::DraftContent;

    #[test]
    fn urlencoded_text_is_decoded_strictly() {
        let mut draft = Draft::default();
        fill(&mut draft, b"content=a+b%20%C3%A9%0D%0A&title=x%2By").expect("valid");
        assert!(matches!(&draft.content, Some(DraftContent::Text(t)) if t == "a b \u{e9}\r\n"));
        assert_eq!(draft.title.as_deref(), Some("x+y"));
        let mut draft = Draft::default();
        assert!(matches!(
            fill(&mut draft, b"content=%FF%FE"),
            Err(AppError::Validation(ValidationError::NotText))
        ));
    }

    #[test]
    fn a_body_is_a_form_only_when_it_looks_like_one_of_ours() {
        for form in [
            &b"content=hello"[..],
            b"content=a+b&expires=1h",
            b"title=x&expire=1h",
            b"content=x&",
            b"show_token=1&content=%41",
        ] {
            assert!(is_form(form), "{}", String::from_utf8_lossy(form));
        }
        let seq: Vec<u8> = (1..=20_000)
            .flat_map(|n| format!("{n}\n").into_bytes())
            .collect();
        for paste in [
            &seq[..],
            b"hello world",
            b"",
            b"FOO=bar\nBAZ=1",
            b"a=1&b=2",
            b"let x = 5;",
            b"content",
            b"x && content=y",
            b"content=x&y",
            b"%FF=1&content=x",
        ] {
            assert!(!is_form(paste), "{}", String::from_utf8_lossy(paste));
        }
    }

    #[test]
    fn unknown_and_repeated_fields_are_refused() {
        let mut draft = Draft::default();
        assert!(matches!(
            fill(&mut draft, b"content=x&expire=1h"),
            Err(AppError::Request(RequestError::UnknownField { .. }))
        ));
        let mut draft = Draft::default();
        assert!(matches!(
            fill(&mut draft, b"content=x&content=y"),
            Err(AppError::Request(RequestError::DuplicateField(_)))
        ));
    }
}
