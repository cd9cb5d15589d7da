//! `GET /{id}`: a paste's page, or for a burn-after-read paste the page with
//! the click that reveals it (`reveal`).

use actix_web::cookie::Cookie;
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use time::OffsetDateTime;
use time::macros::format_description;

use super::nav::Nav;
use super::{human_size, page_builder, render, reveal};
use crate::domain::Visibility;
use crate::error::AppError;
use crate::routes::creation::TOKEN_COOKIE;
use crate::routes::failure::PageError;
use crate::routes::viewer::Viewer;
use crate::service::PasteView;
use crate::service::pastes::PageRead;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "paste.html")]
struct PastePage<'a> {
    nav: Nav,
    id: &'a str,
    heading: &'a str,
    has_title: bool,
    content: &'a str,
    line_numbers: String,
    language: &'a str,
    author: Option<&'a str>,
    created: String,
    created_iso: String,
    expires: Option<String>,
    views: u64,
    size: String,
    lines: usize,
    visibility: &'a str,
    page_url: String,
    burned: bool,
    delete_token: Option<String>,
    /// The session's CSRF token when the reader is the author: the page
    /// then has a delete button that needs no delete token.
    owner_csrf: Option<&'a str>,
    /// The session's CSRF token when the reader is signed in and the paste
    /// is anonymous: the page offers to claim it with its delete token.
    claim_csrf: Option<&'a str>,
}

#[derive(Template)]
#[template(path = "burn.html")]
struct BurnPage<'a> {
    nav: Nav,
    id: &'a str,
    page_url: String,
    delete_token: Option<String>,
    reveal: String,
}

/// `GET /{id}` (and HEAD).
pub(crate) async fn show(
    req: HttpRequest,
    id: web::Path<String>,
    viewer: Viewer,
    state: web::Data<AppState>,
) -> Result<HttpResponse, PageError> {
    if req.method() == Method::HEAD {
        state.pastes.read_quietly(&id, viewer.user()).await?;
        return Ok(page_builder(StatusCode::OK)
            .insert_header(no_cache())
            .finish());
    }
    let token = req.cookie(TOKEN_COOKIE).map(|c| c.value().to_owned());
    // Unlisted pastes (and burn-after-read ones, whose visibility the click
    // page does not reveal) are kept out of search engines and shared caches.
    let mut grant = None;
    let (body, unlisted) = match state.pastes.read_page(&id, viewer.user()).await? {
        PageRead::Shown(view) => {
            let views = state.visits.total(&view).await;
            let unlisted = view.meta.visibility != Visibility::Public;
            (
                paste_page(&view, &state, &viewer, views, false, token.clone())?,
                unlisted,
            )
        }
        PageRead::NeedsClick => {
            let (reveal, cookie) = reveal::grant(&id, state.links.is_https());
            let page = BurnPage {
                nav: Nav::of(&viewer),
                id: &id,
                page_url: state.links.page(&id),
                delete_token: token.clone(),
                reveal,
            };
            grant = Some(cookie);
            (render(&page)?, true)
        }
    };
    let mut response = page_builder(StatusCode::OK);
    if let Some(cookie) = grant {
        response.cookie(cookie);
    }
    if unlisted {
        response.insert_header(crate::middleware::NOINDEX);
    }
    if token.is_some() {
        // The delete token is on this page: no cache may keep it, and it is
        // shown once: the cookie is cleared by this answer.
        response.insert_header((header::CACHE_CONTROL, HeaderValue::from_static("no-store")));
        let mut gone = Cookie::build(TOKEN_COOKIE, "")
            .path(format!("/{}", id.as_str()))
            .finish();
        gone.make_removal();
        response.cookie(gone);
    } else if unlisted || viewer.user().is_some() {
        // Unlisted and private pastes, and any page that carries a
        // signed-in user's name and CSRF token, are for this browser only.
        response.insert_header((
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-cache"),
        ));
    } else {
        response.insert_header(no_cache());
    }
    Ok(response.body(body))
}

fn no_cache() -> (header::HeaderName, HeaderValue) {
    (header::CACHE_CONTROL, HeaderValue::from_static("no-cache"))
}

pub(super) fn paste_page(
    view: &PasteView,
    state: &AppState,
    viewer: &Viewer,
    views: u64,
    burned: bool,
    delete_token: Option<String>,
) -> Result<String, AppError> {
    let meta = &view.meta;
    let mut line_numbers = String::with_capacity(meta.lines * 4);
    for n in 1..=meta.lines {
        line_numbers.push_str(&n.to_string());
        line_numbers.push('\n');
    }
    let session = viewer.session();
    // The creator's notice has its own delete button (with the token).
    let owner_csrf = session
        .filter(|s| meta.author.as_ref() == Some(&s.user.username))
        .filter(|_| !burned && delete_token.is_none())
        .map(|s| s.csrf.as_str());
    let claim_csrf = session
        .filter(|_| meta.author.is_none() && !burned)
        .map(|s| s.csrf.as_str());
    let page = PastePage {
        nav: Nav::of(viewer),
        owner_csrf,
        claim_csrf,
        id: meta.id.as_str(),
        heading: meta.title.as_ref().map_or("Untitled paste", |t| t.as_str()),
        has_title: meta.title.is_some(),
        content: view.text()?,
        line_numbers,
        language: meta.language.as_ref().map_or("plain text", |l| l.as_str()),
        author: meta.author.as_ref().map(|a| a.as_str()),
        created: human_time(meta.created_at),
        created_iso: iso_time(meta.created_at),
        expires: meta.expires_at.map(human_time),
        views,
        size: human_size(usize::try_from(meta.size_bytes).unwrap_or(usize::MAX)),
        lines: meta.lines,
        visibility: meta.visibility.as_str(),
        page_url: state.links.page(&meta.id),
        burned,
        delete_token,
    };
    render(&page)
}

/// `2026-11-25 12:00 UTC`
pub(super) fn human_time(at: OffsetDateTime) -> String {
    at.format(format_description!(
        "[year]-[month]-[day] [hour]:[minute] UTC"
    ))
    .unwrap_or_default()
}

/// RFC 3339, for `<time datetime>`.
pub(super) fn iso_time(at: OffsetDateTime) -> String {
    at.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}
