//! The paste a route names: `PastePath`, the `{id}` segment parsed at the
//! edge, so services take a `PasteId` and never see a malformed one.

use std::future::{Ready, ready};
use std::marker::PhantomData;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};

use crate::domain::{Language, PasteId};
use crate::error::AppError;
use crate::routes::plumbing::failure::{Html, Json, Negotiated, Surface, Text};
use crate::routes::plumbing::negotiate::Format;

/// The `{id}` of a paste route. An id that cannot be one (wrong length or
/// alphabet) is a 404 before any service runs: it is as missing as an id
/// that was never handed out, and is counted against the not-found budget
/// the same way. `S` is the surface the 404 is answered on: a route's own
/// (`Html`, `Text`, `Json`), or `Asked` (as negotiated, `Format`).
#[derive(Debug, Clone)]
pub(crate) struct PastePath<S = Asked>(PasteId, PhantomData<S>);

impl<S> PastePath<S> {
    /// The id.
    pub(crate) fn id(&self) -> &PasteId {
        &self.0
    }
}

/// The surface of a negotiated route: its failures in the `Format` asked.
#[derive(Debug, Clone)]
pub(crate) struct Asked;

/// How a surface picks the format of a failure.
pub(crate) trait AnswerIn {
    /// The format of `req`'s failures on this surface.
    fn format(req: &HttpRequest) -> Format;
}

impl AnswerIn for Asked {
    fn format(req: &HttpRequest) -> Format {
        Format::of(req)
    }
}

macro_rules! fixed_surface {
    ($($surface:ty),*) => {$(
        impl AnswerIn for $surface {
            fn format(_: &HttpRequest) -> Format {
                <$surface as Surface>::FORMAT
            }
        }
    )*};
}
fixed_surface!(Html, Text, Json);

/// The `{id}` of the page and raw routes, which may carry a file extension
/// (`/{id}.rs`, `/raw/{id}.py`, as ix.io and 0x0 links have): the extension
/// names the language the page highlights with. One the highlighter does not
/// know (`.log`) changes nothing: the link still opens the paste. An
/// extension that cannot be one (empty, longer than 16 bytes, not letters,
/// digits or `+#_-`) is a 404, like a malformed id.
#[derive(Debug, Clone)]
pub(crate) struct PasteName<S = Asked> {
    path: PastePath<S>,
    language: Option<Language>,
}

impl<S> PasteName<S> {
    /// The id.
    pub(crate) fn id(&self) -> &PasteId {
        self.path.id()
    }

    /// The language the extension names, if it names one.
    pub(crate) fn language(&self) -> Option<&Language> {
        self.language.as_ref()
    }
}

/// The id and the language of `{id}` or `{id}.{ext}`; `None` when it cannot
/// be either.
fn named(segment: &str) -> Option<(PasteId, Option<Language>)> {
    let (id, ext) = match segment.split_once('.') {
        Some((id, ext)) => (id, Some(ext)),
        None => (segment, None),
    };
    let id = PasteId::parse(id)?;
    let Some(ext) = ext else {
        return Some((id, None));
    };
    let plausible = !ext.is_empty()
        && ext.len() <= 16
        && ext
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+#_-".contains(&b));
    plausible.then(|| (id, Language::from_file_name(&format!("x.{ext}"))))
}

impl<S: AnswerIn> FromRequest for PasteName<S> {
    type Error = Negotiated;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let name = req
            .match_info()
            .get("id")
            .and_then(named)
            .map(|(id, language)| PasteName {
                path: PastePath(id, PhantomData),
                language,
            })
            .ok_or_else(|| AppError::NotFound.answer_as(S::format(req)));
        ready(name)
    }
}

impl<S: AnswerIn> FromRequest for PastePath<S> {
    type Error = Negotiated;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let id = req
            .match_info()
            .get("id")
            .and_then(PasteId::parse)
            .map(|id| PastePath(id, PhantomData))
            .ok_or_else(|| AppError::NotFound.answer_as(S::format(req)));
        ready(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_extension_names_a_language_or_nothing() {
        let (id, language) = named("abcd1234.rs").expect("an id with an extension");
        assert_eq!(id.as_str(), "abcd1234");
        assert_eq!(language.expect("rs is known").as_str(), "rust");
        assert!(matches!(named("abcd1234"), Some((_, None))));
        assert!(
            matches!(named("abcd1234.zzzq"), Some((_, None))),
            "an unknown extension is ignored"
        );
        for bad in ["abcd1234.", "abcd1234.r s", "abcd1234.a.b", "ab.rs", ".rs"] {
            assert!(named(bad).is_none(), "{bad}");
        }
    }
}
