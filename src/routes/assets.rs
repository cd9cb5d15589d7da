//! Static assets, compiled into the binary: nothing to deploy beside it.
//!
//! Pages link them with their fingerprint (`/static/page.js?v=1a2b3c4d`, see
//! `url`), so browsers keep them for a year and a new release is fetched at
//! once; a request without the current fingerprint gets a short lifetime and
//! an `ETag` to revalidate with.

use std::sync::LazyLock;

use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};
use sha2::{Digest, Sha256};

use crate::error::AppError;
use crate::middleware::Shareable;
use crate::routes::plumbing::failure::Negotiated;
use crate::routes::plumbing::methods::{self, Refusal};
use crate::routes::plumbing::negotiate::Format;

/// One asset: its name under `/static/`, type and bytes.
struct Asset {
    name: &'static str,
    content_type: &'static str,
    body: &'static str,
}

const ASSETS: &[Asset] = &[
    Asset {
        name: "style.css",
        content_type: "text/css; charset=utf-8",
        body: include_str!("../../static/style.css"),
    },
    Asset {
        name: "code.css",
        content_type: "text/css; charset=utf-8",
        body: include_str!("../../static/code.css"),
    },
    Asset {
        name: "page.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_str!("../../static/page.js"),
    },
    Asset {
        name: "e2e.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_str!("../../static/e2e.js"),
    },
    Asset {
        name: "favicon.svg",
        content_type: "image/svg+xml",
        body: include_str!("../../static/favicon.svg"),
    },
];

/// The fingerprint of every asset, in `ASSETS` order: the first 8 bytes of
/// its SHA-256, in hex.
static FINGERPRINTS: LazyLock<Vec<String>> = LazyLock::new(|| {
    ASSETS
        .iter()
        .map(|a| crate::domain::token::hex(&Sha256::digest(a.body.as_bytes())[..8]))
        .collect()
});

/// The link to an asset, with its fingerprint (templates call this).
pub(crate) fn url(name: &str) -> String {
    match ASSETS.iter().position(|a| a.name == name) {
        Some(at) => format!("/static/{name}?v={}", FINGERPRINTS[at]),
        None => format!("/static/{name}"),
    }
}

/// One route per asset (`GET /static/{name}`): any other path under
/// `/static/` stays a 404 for every method.
pub(crate) fn configure(cfg: &mut web::ServiceConfig) {
    for asset in ASSETS {
        cfg.service(
            methods::at(&format!("/static/{}", asset.name))
                .get(serve)
                .refusing(Refusal::Negotiated),
        );
    }
}

/// `GET /static/{name}`
async fn serve(req: HttpRequest) -> Result<HttpResponse, Negotiated> {
    let name = req.path().trim_start_matches("/static/");
    let Some(at) = ASSETS.iter().position(|a| a.name == name) else {
        return Err(AppError::NoRoute.answer_as(Format::of(&req)));
    };
    let (asset, fingerprint) = (&ASSETS[at], &FINGERPRINTS[at]);
    let etag = format!("\"{fingerprint}\"");
    let current = req
        .query_string()
        .split('&')
        .any(|p| p.strip_prefix("v=") == Some(fingerprint));
    let cache = if current {
        "public, max-age=31536000, immutable"
    } else {
        "public, max-age=300"
    };
    let matches = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag));
    let mut builder = if matches {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    builder
        .insert_header((header::CACHE_CONTROL, cache))
        .insert_header((
            header::ETAG,
            HeaderValue::from_str(&etag).unwrap_or(HeaderValue::from_static("\"\"")),
        ));
    let mut response = if matches {
        builder.finish()
    } else {
        builder.content_type(asset.content_type).body(asset.body)
    };
    // The same bytes whoever asks: a session cookie does not make it private.
    response.extensions_mut().insert(Shareable);
    Ok(response)
}
