//! `GET /`: the new-paste form, empty, filled from a paste (`?from={id}`),
//! or given back after a refused creation with what was typed and the error
//! beside its field.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use actix_web::web;
use askama::Template;
use serde::Deserialize;

use super::nav::Nav;
use super::{page_builder, render};
use crate::domain::{PasteId, ValidationError};
use crate::routes::plumbing::caller::Caller;
use crate::routes::plumbing::failure::PageError;
use crate::routes::plumbing::negotiate::{Reader, VARY_ACCEPT};
use crate::service::draft::{Draft, DraftContent, parse_flag};
use crate::state::AppState;

/// Expiry choices offered by the form; any other duration works from curl.
pub(super) const EXPIRY_PRESETS: &[(&str, &str)] = &[
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
    nav: Nav,
    /// The session's CSRF token, sent back with the form by a signed-in user.
    csrf: Option<&'a str>,
    public_url: &'a str,
    max_size: String,
    /// The same limit in bytes, for the browser's check before sending
    /// (`page.js`): a paste too large is refused before the text can be lost.
    max_bytes: usize,
    max_title_chars: usize,
    /// `limits.max_views`, the field's maximum.
    max_views: u32,
    presets: &'static [(&'static str, &'static str)],
    /// The highlighter's languages: (token, name).
    languages: Vec<(&'static str, &'static str)>,
    /// What the form holds.
    values: Values,
    /// Why the last attempt was refused, and the field at fault.
    error: Option<FieldError>,
}

/// What the form holds: empty, a paste to start from, or what was typed.
#[derive(Debug, Default, Clone)]
pub(crate) struct Values {
    pub(crate) content: String,
    pub(crate) title: String,
    pub(crate) language: String,
    pub(crate) expires: String,
    pub(crate) visibility: String,
    pub(crate) burn_after_read: bool,
    /// `max_views` as typed.
    pub(crate) max_views: String,
}

impl Values {
    /// What a draft held, as typed.
    pub(crate) fn of(draft: &Draft) -> Self {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        // A refused envelope is not what the person typed (their text never
        // left their browser): the form comes back empty, with the reason.
        let sealed = draft.end_to_end.as_deref().is_some_and(|v| !v.is_empty());
        Self {
            content: match &draft.content {
                _ if sealed => String::new(),
                Some(DraftContent::Text(t)) => t.clone(),
                Some(DraftContent::Bytes(b)) => String::from_utf8_lossy(b).into_owned(),
                None => String::new(),
            },
            title: text(&draft.title),
            language: text(&draft.language),
            expires: text(&draft.expires),
            visibility: text(&draft.visibility),
            // Ticked exactly when creation would read it as true (a value
            // it refuses shows unticked, its error beside it).
            burn_after_read: draft
                .burn_after_read
                .as_deref()
                .is_some_and(|v| parse_flag("burn_after_read", v) == Ok(true)),
            max_views: text(&draft.max_views),
        }
    }
}

/// A refusal shown beside its field.
#[derive(Debug, Clone)]
pub(crate) struct FieldError {
    /// The form field: `content`, `title`, `language`, `expires`,
    /// `visibility`, `burn_after_read`.
    pub(crate) field: &'static str,
    /// What is wrong, in words.
    pub(crate) message: String,
}

impl FieldError {
    /// The field a validation error is about.
    pub(crate) fn of(error: &ValidationError) -> Self {
        use ValidationError as V;
        let field = match error {
            V::TooLarge { .. } | V::EmptyContent | V::NotText => "content",
            V::InvalidExpiry(_) | V::ExpiryTooLong { .. } => "expires",
            V::InvalidVisibility(_) | V::PrivateNeedsAccount => "visibility",
            V::TitleTooLong { .. } | V::TitleControlCharacters => "title",
            V::InvalidLanguage(_) => "language",
            V::InvalidFlag { .. } => "burn_after_read",
            V::InvalidEnvelope(_) | V::EnvelopeMismatch(_) | V::NotForEndToEnd(_) => "content",
            V::InvalidMaxViews { .. } | V::TwoViewLimits => "max_views",
            V::PastePasswordTooLong { .. } => "password",
            V::InvalidReport(_) => "reason",
            V::TooManyFiles { .. }
            | V::FileTooLarge { .. }
            | V::InvalidFileName(_)
            | V::DuplicateFileName(_) => "file",
            V::NotForFiles(_) => "content",
        };
        Self {
            field,
            message: error.to_string(),
        }
    }
}

/// `GET /` query: `from` names a paste to start from.
#[derive(Debug, Deserialize)]
pub(crate) struct FormQuery {
    from: Option<String>,
}

/// The form; `?from={id}` fills it with that paste's text (never a
/// burn-after-read paste's: reading it would burn it or leak it). A program
/// (`curl host/`) gets the usage text instead.
pub(crate) async fn new_paste(
    reader: Reader,
    caller: Caller,
    state: web::Data<AppState>,
    query: web::Query<FormQuery>,
) -> Result<HttpResponse, PageError> {
    if reader == Reader::Program {
        let rules = state.services.pastes.rules();
        return Ok(super::usage::answer(state.http.links.base(), rules));
    }
    let mut values = Values::default();
    if let Some(from) = query.from.as_deref().and_then(PasteId::parse)
        && let Ok(view) = state
            .services
            .pastes
            .read_quietly(&from, caller.user())
            .await
        && !view.meta.is_store_only()
        && !view.meta.end_to_end
        && !view.has_files()
    {
        values.content = view.text()?.to_owned();
        values.language = view
            .meta
            .language
            .as_ref()
            .map(|l| l.as_str().to_owned())
            .unwrap_or_default();
    }
    let body = form_page(&state, &caller, values, None)?;
    Ok(page_builder(StatusCode::OK)
        .append_header(VARY_ACCEPT)
        .body(body))
}

/// The form holding `values`, with `error` beside its field.
pub(crate) fn form_page(
    state: &AppState,
    caller: &Caller,
    values: Values,
    error: Option<FieldError>,
) -> Result<String, crate::error::AppError> {
    let rules = state.services.pastes.rules();
    let languages = crate::render::catalog()
        .entries()
        .iter()
        .map(|e| (e.token.as_str(), e.name.as_str()))
        .collect();
    let page = NewPastePage {
        nav: Nav::of(caller),
        csrf: caller.session().map(|s| s.csrf.as_str()),
        public_url: state.http.links.base(),
        max_size: super::human_size(rules.max_paste_bytes),
        max_bytes: rules.max_paste_bytes,
        max_title_chars: rules.max_title_chars,
        max_views: rules.max_views,
        presets: EXPIRY_PRESETS,
        languages,
        values,
        error,
    };
    render(&page)
}
