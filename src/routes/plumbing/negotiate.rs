//! Which format a client wants its answer in: the `Format` extractor.

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

/// The format the client prefers among HTML, JSON and text, by `Accept` with
/// q-values. No `Accept`, or only `*/*` (curl), means text.
fn preferred(req: &HttpRequest) -> Format {
    let Some(accept) = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
    else {
        return Format::Text;
    };
    let mut best: Option<(Format, f32)> = None;
    for range in accept.split(',') {
        let mut params = range.split(';');
        let media = params.next().unwrap_or("").trim().to_ascii_lowercase();
        let format = match media.as_str() {
            "text/html" | "application/xhtml+xml" => Format::Html,
            "application/json" => Format::Json,
            "text/plain" => Format::Text,
            _ => continue,
        };
        let q = params
            .filter_map(|p| p.trim().strip_prefix("q="))
            .find_map(|q| q.parse::<f32>().ok())
            .unwrap_or(1.0);
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
}
