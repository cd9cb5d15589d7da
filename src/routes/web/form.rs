//! `GET /`: the new-paste form.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use actix_web::web;
use askama::Template;
use serde::Deserialize;

use super::{page_builder, render};
use crate::routes::failure::PageError;
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

#[derive(Template)]
#[template(path = "new.html")]
struct NewPastePage<'a> {
    public_url: &'a str,
    max_size: String,
    max_title_chars: usize,
    presets: &'static [(&'static str, &'static str)],
    /// The highlighter's languages: (token, name).
    languages: Vec<(&'static str, &'static str)>,
    /// `?from={id}`: the content and language of an existing paste.
    content: String,
    language: String,
}

/// `GET /` query: `from` names a paste to start from.
#[derive(Debug, Deserialize)]
pub(crate) struct FormQuery {
    from: Option<String>,
}

/// The form; `?from={id}` fills it with that paste's text (never a
/// burn-after-read paste's: reading it would burn it or leak it).
pub(crate) async fn new_paste(
    state: web::Data<AppState>,
    query: web::Query<FormQuery>,
) -> Result<HttpResponse, PageError> {
    let rules = state.pastes.rules();
    let mut content = String::new();
    let mut language = String::new();
    if let Some(from) = query.from.as_deref()
        && let Ok(view) = state.pastes.read_quietly(from).await
        && !view.meta.burn_after_read
    {
        content = view.text()?.to_owned();
        language = view
            .meta
            .language
            .as_ref()
            .map(|l| l.as_str().to_owned())
            .unwrap_or_default();
    }
    let languages = crate::render::catalog()
        .entries()
        .iter()
        .map(|e| (e.token.as_str(), e.name.as_str()))
        .collect();
    let page = NewPastePage {
        public_url: state.links.base(),
        max_size: super::human_size(rules.max_paste_bytes),
        max_title_chars: rules.max_title_chars,
        presets: EXPIRY_PRESETS,
        languages,
        content,
        language,
    };
    let body = render(&page)?;
    Ok(page_builder(StatusCode::OK).body(body))
}
