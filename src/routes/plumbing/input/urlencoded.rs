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
