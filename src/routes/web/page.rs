//! `GET /{id}`: a paste's page, or for a counted paste (burn-after-read,
//! `max_views`) the page with the click that reveals it (`reveal`) and the
//! views it has left; to a program (curl, wget, a library:
//! `Reader::Program`) the raw text, as `/raw/{id}` answers it. A counted
//! paste never spends a view here, whoever asks: a program is told to read
//! it at `/raw/{id}`.

use actix_web::cookie::Cookie;
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::{HttpRequest, HttpResponse, ResponseError, web};
use askama::Template;
use bytes::Bytes;

use super::nav::Nav;
use super::paste_page::{Shown, paste_page, shell, views_label};
pub(super) use super::paste_page::{human_time, iso_time};
use super::{page_builder, render, reveal};
use crate::domain::PasteId;
use crate::domain::Visibility;
use crate::error::AppError;
use crate::routes::plumbing::caller::Caller;
use crate::routes::plumbing::creation::TOKEN_COOKIE;
use crate::routes::plumbing::failure::Negotiated;
use crate::routes::plumbing::negotiate::{Format, Reader, VARY_ACCEPT};
use crate::routes::plumbing::paste_path::PasteName;
use crate::service::PasteView;
use crate::service::pastes::PageRead;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "burn.html")]
struct BurnPage<'a> {
    nav: Nav,
    id: &'a str,
    page_url: String,
    delete_token: Option<String>,
    reveal: String,
    /// Views left before the click (1 for burn-after-read: "once").
    views_left: u32,
}

/// The page of a password-protected paste: the form that asks for its
/// password (a POST to `/{id}`, with the click's token), and nothing of it.
#[derive(Template)]
#[template(path = "locked.html")]
pub(super) struct LockPage<'a> {
    pub(super) nav: Nav,
    pub(super) id: &'a str,
    pub(super) page_url: String,
    pub(super) delete_token: Option<String>,
    pub(super) reveal: String,
    /// Views left, for one that also has a view limit.
    pub(super) views_left: Option<u32>,
    /// The last password sent was wrong.
    pub(super) wrong: bool,
}

/// `GET /{id}` and `/{id}.{ext}` (and HEAD): the page to a browser, the
/// text to a program; `Vary: Accept` either way.
pub(crate) async fn show(
    req: HttpRequest,
    path: PasteName,
    reader: Reader,
    caller: Caller,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Negotiated> {
    // A browser's failures are pages, as ever; a program's in the format
    // it asked for (text, or JSON).
    let (answer, failures) = match reader {
        Reader::Browser => (page(&req, &path, &caller, &state).await, Format::Html),
        Reader::Program => (
            text(&req, path.id(), &caller, &state).await,
            Format::of(&req),
        ),
    };
    let mut answer = answer.unwrap_or_else(|e| e.answer_as(failures).error_response());
    answer
        .headers_mut()
        .append(header::VARY, HeaderValue::from_static(VARY_ACCEPT.1));
    Ok(answer)
}

/// The raw text for a program; for a counted paste, how to read it (409:
/// the paste is there, but this address does not spend its views).
async fn text(
    req: &HttpRequest,
    id: &PasteId,
    caller: &Caller,
    state: &AppState,
) -> Result<HttpResponse, AppError> {
    let pastes = &state.services.pastes;
    let read = if req.method() == Method::HEAD {
        Some(pastes.read_quietly(id, caller.user()).await?)
            .filter(|view| !view.meta.is_counted())
            .map(std::sync::Arc::new)
    } else {
        let key = crate::routes::plumbing::paste_password::presented(req)?;
        pastes
            .read_unless_burning(id, caller.user(), key.as_ref())
            .await?
    };
    let Some(view) = read else {
        let raw = state.http.links.raw(id);
        return Ok(HttpResponse::Conflict()
            .content_type("text/plain; charset=utf-8")
            .insert_header((header::CACHE_CONTROL, HeaderValue::from_static("no-store")))
            .insert_header(crate::middleware::NOINDEX)
            .body(counted_notice(&raw)));
    };
    Ok(crate::routes::raw::respond(req, &view, state, None, &[]))
}

/// The page, for a browser.
async fn page(
    req: &HttpRequest,
    path: &PasteName,
    caller: &Caller,
    state: &AppState,
) -> Result<HttpResponse, AppError> {
    let id = path.id();
    if req.method() == Method::HEAD {
        state
            .services
            .pastes
            .read_quietly(id, caller.user())
            .await?;
        return Ok(page_builder(StatusCode::OK)
            .insert_header(no_cache())
            .finish());
    }
    let token = req
        .headers()
        .contains_key(header::COOKIE)
        .then(|| req.cookie(TOKEN_COOKIE).map(|c| c.value().to_owned()))
        .flatten();
    // Unlisted pastes (and burn-after-read ones, whose visibility the click
    // page does not reveal) are kept out of search engines and shared caches.
    let mut grant = None;
    let (body, unlisted): (Bytes, bool) = match state
        .services
        .pastes
        .read_page(id, caller.user())
        .await?
    {
        PageRead::Shown { view, visits } => {
            let shown = Shown {
                source: req.query_string().split('&').any(|p| p == "source"),
            };
            let unlisted = view.meta.visibility != Visibility::Public;
            if let Some(language) = path.language()
                && view.meta.language.as_ref() != Some(language)
            {
                // `/{id}.{ext}`: this read highlights as the extension says;
                // the cached render (the paste's own language) stays.
                let mut view = PasteView::owned(view);
                view.meta.language = Some(language.clone());
                view.rendered = None;
                state.services.pastes.render_once(&mut view).await;
                let page = paste_page(&view, state, caller, visits, false, token.clone(), shown)?;
                (page.into(), unlisted)
            } else if caller.user().is_none() && token.is_none() {
                // Nothing personal on it: the view's shell, made by its
                // first such read, around this read's visit count.
                let shell = view
                    .answers
                    .page(shown.source, || shell(&view, state, shown));
                let page = match shell {
                    Some(shell) => shell.around(views_label(visits).as_bytes()),
                    None => paste_page(&view, state, caller, visits, false, None, shown)?.into(),
                };
                (page, unlisted)
            } else {
                let page = paste_page(&view, state, caller, visits, false, token.clone(), shown)?;
                (page.into(), unlisted)
            }
        }
        PageRead::NeedsClick { views_left } => {
            let (reveal, cookie) = reveal::grant(id.as_str(), state.http.links.is_https());
            let page = BurnPage {
                nav: Nav::of(caller),
                id: id.as_str(),
                page_url: state.http.links.page(id),
                delete_token: token.clone(),
                reveal,
                views_left,
            };
            grant = Some(cookie);
            (render(&page)?.into(), true)
        }
        PageRead::NeedsPassword { views_left } => {
            let (reveal, cookie) = reveal::grant(id.as_str(), state.http.links.is_https());
            let page = LockPage {
                nav: Nav::of(caller),
                id: id.as_str(),
                page_url: state.http.links.page(id),
                delete_token: token.clone(),
                reveal,
                views_left,
                wrong: false,
            };
            grant = Some(cookie);
            (render(&page)?.into(), true)
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
    } else if unlisted || caller.user().is_some() {
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

/// What a program is told at the page address of a counted paste. It says
/// nothing of how many views are left: saying so would take the store's
/// count without spending a view, and the notice is the same for every one.
fn counted_notice(raw: &str) -> String {
    format!(
        "This paste is deleted after a number of reads (burn after read, or max_views), \
         and this address never spends one.\n\
         Read it (each read spends a view; the last deletes it):\n\n    curl {raw}\n"
    )
}

fn no_cache() -> (header::HeaderName, HeaderValue) {
    (header::CACHE_CONTROL, HeaderValue::from_static("no-cache"))
}
