//! The HTML surface: the form, paste pages, and the same routes for curl
//! (answers are negotiated by `Accept`: `Format`, and at `GET /` and
//! `GET /{id}` `Reader`, the page or the text).

pub(crate) mod account;
pub(crate) mod claim;
pub(crate) mod create;
pub(crate) mod delete;
pub(crate) mod e2e_page;
pub(crate) mod edit;
pub(crate) mod fork;
pub(crate) mod forks;
pub(crate) mod form;
pub(crate) mod history;
pub(crate) mod nav;
pub(crate) mod page;
pub(crate) mod paste_page;
pub(crate) mod qr;
pub(crate) mod recent;
pub(crate) mod report;
pub(crate) mod reveal;
pub(crate) mod settings;
pub(crate) mod stats;
pub(crate) mod usage;
pub(crate) mod user;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, HttpResponseBuilder};
use askama::Template;

use crate::error::AppError;

/// A page answer. Its security headers (no inline script, no framing, no
/// `Referer`: the URL of an unlisted paste is its secret) are added to every
/// answer by `middleware::observe`.
pub(crate) fn page_builder(status: StatusCode) -> HttpResponseBuilder {
    let mut builder = HttpResponse::build(status);
    builder.content_type("text/html; charset=utf-8");
    builder
}

/// Renders a template; a failure is a bug (500), never a panic.
pub(crate) fn render(template: &impl Template) -> Result<String, AppError> {
    template.render().map_err(|e| AppError::Internal(e.into()))
}

/// A size for people: `512 B`, `1.5 KiB`, `2.0 MiB`.
pub(crate) fn human_size(bytes: usize) -> String {
    match bytes {
        b if b < 1024 => format!("{b} B"),
        b if b < 1024 * 1024 => format!("{:.1} KiB", b as f64 / 1024.0),
        b => format!("{:.1} MiB", b as f64 / (1024.0 * 1024.0)),
    }
}
