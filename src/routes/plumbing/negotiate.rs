//! Which format a client wants its answer in (the `Format` extractor), and
//! who reads an address that answers a browser and a program differently
//! (the `Reader` extractor): the one place `Accept` is judged.

use std::convert::Infallible;
use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest};

/// The format of an answer: what a surface always answers in, or what a
/// negotiated route's client asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    /// `application/json`
    Json,
    /// `text/html`
    Html,
    /// `text/plain`
    Text,
}

impl Format {
    /// The format `req` is answered in: JSON anywhere under `/api/` (the
    /// API's errors are JSON whatever `Accept` says), else what its `Accept`
    /// prefers. Negotiated once per request and kept in its extensions, so
    /// handlers, extractors and middleware all answer in the same one.
    pub(crate) fn of(req: &HttpRequest) -> Self {
        super::once(req, |req| {
            if req.path().starts_with("/api/") {
                Format::Json
            } else {
                preferred(req)
            }
        })
    }
}

impl FromRequest for Format {
    type Error = Infallible;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(Self::of(req)))
    }
}

/// Who reads an address whose answer depends on it (`GET /{id}`, `GET /`):
/// a browser gets the page, any other program (curl's `*/*`, `text/plain`,
/// wget, HTTP libraries, no `Accept` at all) the text. Every such answer
/// carries `Vary: Accept` (`VARY_ACCEPT`), so caches keep the two apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reader {
    /// Its `Accept` names `text/html` (or `application/xhtml+xml`) with a
    /// q-value above 0: every browser's navigation does, no program's
    /// default does (`*/*` and `text/*` do not name it).
    Browser,
    /// Anything else.
    Program,
}

impl Reader {
    /// Who reads `req`.
    pub(crate) fn of(req: &HttpRequest) -> Self {
        let names_html = ranges(req).any(|(media, q)| {
            q > 0.0 && (media == "text/html" || media == "application/xhtml+xml")
        });
        if names_html {
            Reader::Browser
        } else {
            Reader::Program
        }
    }
}

impl FromRequest for Reader {
    type Error = Infallible;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(Self::of(req)))
    }
}

/// `Vary: Accept`, for every answer chosen by `Reader` (appended: another
/// `Vary` stays).
pub(crate) const VARY_ACCEPT: (&str, &str) = ("Vary", "Accept");

/// The media ranges of `req`'s `Accept`, in lowercase, with their q-values
/// (1 when not given; a q that cannot be read counts as 1, as if absent).
fn ranges(req: &HttpRequest) -> impl Iterator<Item = (String, f32)> + '_ {
    req.headers()
        .get_all(header::ACCEPT)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|range| {
            let mut params = range.split(';');
            let media = params.next().unwrap_or("").trim().to_ascii_lowercase();
            let q = params
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            (media, q)
        })
}

/// The format the client prefers among HTML, JSON and text, by `Accept` with
/// q-values. No `Accept`, or only `*/*` (curl), means text.
fn preferred(req: &HttpRequest) -> Format {
    let mut best: Option<(Format, f32)> = None;
    for (media, q) in ranges(req) {
        let format = match media.as_str() {
            "text/html" | "application/xhtml+xml" => Format::Html,
            "application/json" => Format::Json,
            "text/plain" => Format::Text,
            _ => continue,
        };
        if q > 0.0 && best.is_none_or(|(_, b)| q > b) {
            best = Some((format, q));
        }
    }
    best.map_or(Format::Text, |(format, _)| format)
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    fn format_for(accept: &str) -> Format {
        preferred(
            &TestRequest::default()
                .insert_header((header::ACCEPT, accept))
                .to_http_request(),
        )
    }

    #[test]
    fn browsers_get_html_scripts_get_json_and_curl_gets_text() {
        let firefox = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
        assert_eq!(format_for(firefox), Format::Html);
        assert_eq!(format_for("application/json"), Format::Json);
        assert_eq!(format_for("*/*"), Format::Text);
        assert_eq!(
            format_for("text/html;q=0.1, application/json"),
            Format::Json
        );
        assert_eq!(format_for("application/json;q=0"), Format::Text);
        assert_eq!(
            preferred(&TestRequest::default().to_http_request()),
            Format::Text
        );
    }

    fn reader_for(accept: Option<&str>) -> Reader {
        let mut req = TestRequest::default();
        if let Some(accept) = accept {
            req = req.insert_header((header::ACCEPT, accept));
        }
        Reader::of(&req.to_http_request())
    }

    #[test]
    fn only_an_accept_that_names_html_is_a_browser() {
        let firefox = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
        assert_eq!(reader_for(Some(firefox)), Reader::Browser);
        assert_eq!(reader_for(Some("application/xhtml+xml")), Reader::Browser);
        assert_eq!(reader_for(Some("TEXT/HTML;q=0.1")), Reader::Browser);
        for program in [
            None,
            Some("*/*"),
            Some("text/plain"),
            Some("text/*"),
            Some("application/json"),
            Some("text/html;q=0"),
            Some("text/html; q=0.0, */*"),
            Some(""),
        ] {
            assert_eq!(reader_for(program), Reader::Program, "{program:?}");
        }
    }
}
