//! `GET /{id}`: a paste's page, or for a burn-after-read paste the page with
//! the click that reveals it (`reveal`).

use actix_web::cookie::Cookie;
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use super::nav::Nav;
use super::paste_page::{Shown, paste_page};
pub(super) use super::paste_page::{human_time, iso_time};
use super::{page_builder, render, reveal};
use crate::domain::Visibility;
use crate::routes::plumbing::caller::Caller;
use crate::routes::plumbing::creation::TOKEN_COOKIE;
use crate::routes::plumbing::failure::{Html, PageError};
use crate::routes::plumbing::paste_path::PastePath;
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
}

/// `GET /{id}` (and HEAD).
pub(crate) async fn show(
    req: HttpRequest,
    path: PastePath<Html>,
    caller: Caller,
    state: web::Data<AppState>,
) -> Result<HttpResponse, PageError> {
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
    let token = req.cookie(TOKEN_COOKIE).map(|c| c.value().to_owned());
    // Unlisted pastes (and burn-after-read ones, whose visibility the click
    // page does not reveal) are kept out of search engines and shared caches.
    let mut grant = None;
    let (body, unlisted) = match state.services.pastes.read_page(id, caller.user()).await? {
        PageRead::Shown { view, visits } => {
            let unlisted = view.meta.visibility != Visibility::Public;
            let shown = Shown {
                source: req.query_string().split('&').any(|p| p == "source"),
            };
            (
                paste_page(&view, &state, &caller, visits, false, token.clone(), shown)?,
                unlisted,
            )
        }
        PageRead::NeedsClick => {
            let (reveal, cookie) = reveal::grant(id.as_str(), state.http.links.is_https());
            let page = BurnPage {
                nav: Nav::of(&caller),
                id: id.as_str(),
                page_url: state.http.links.page(id),
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

fn no_cache() -> (header::HeaderName, HeaderValue) {
    (header::CACHE_CONTROL, HeaderValue::from_static("no-cache"))
}
