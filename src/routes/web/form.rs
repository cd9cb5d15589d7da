//! `GET /`: the new-paste form.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use actix_web::web;
use askama::Template;

use super::nav::Nav;
use super::{page_builder, render};
use crate::routes::failure::PageError;
use crate::routes::viewer::Viewer;
use crate::state::AppState;

/// Expiry choices offered by the form; any other duration works from curl.
const EXPIRY_PRESETS: &[(&str, &str)] = &[
    ("never", "Never"),
    ("10m", "10 minutes"),
    ("1h", "1 hour"),
    ("1d", "1 day"),
    ("1w", "1 week"),
    ("30d", "30 days"),
    ("1y", "1 year"),
];

/// Languages suggested in the form (any plain name is accepted).
const LANGUAGES: &[&str] = &[
    "text",
    "rust",
    "python",
    "javascript",
    "typescript",
    "go",
    "c",
    "c++",
    "c#",
    "java",
    "kotlin",
    "ruby",
    "php",
    "shell",
    "sql",
    "html",
    "css",
    "json",
    "toml",
    "yaml",
    "xml",
    "markdown",
    "diff",
];

#[derive(Template)]
#[template(path = "new.html")]
struct NewPastePage<'a> {
    nav: Nav,
    /// The session's CSRF token, sent back with the form by a signed-in user.
    csrf: Option<&'a str>,
    public_url: &'a str,
    max_size: String,
    max_title_chars: usize,
    presets: &'static [(&'static str, &'static str)],
    languages: &'static [&'static str],
}

/// The form.
pub(crate) async fn new_paste(
    viewer: Viewer,
    state: web::Data<AppState>,
) -> Result<HttpResponse, PageError> {
    let rules = state.pastes.rules();
    let page = NewPastePage {
        nav: Nav::of(&viewer),
        csrf: viewer.session().map(|s| s.csrf.as_str()),
        public_url: state.links.base(),
        max_size: super::human_size(rules.max_paste_bytes),
        max_title_chars: rules.max_title_chars,
        presets: EXPIRY_PRESETS,
        languages: LANGUAGES,
    };
    let body = render(&page)?;
    Ok(page_builder(StatusCode::OK).body(body))
}
