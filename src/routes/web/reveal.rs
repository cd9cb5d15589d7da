//! `POST /{id}`: the click that reveals a counted paste (burn-after-read,
//! `max_views`) and spends one of its views (the last deletes it).
//!
//! The click must come from the paste's own page, or any site could make a
//! visitor's browser burn a paste meant for someone else. The click page
//! hands out a random token twice: in a `SameSite=Strict` cookie scoped to the
//! paste's path, and in the form. A form on another site can send neither (the
//! browser keeps a strict cookie off cross-site requests, and the other site
//! cannot read it). Nothing is stored, so any clone can check it.

use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;
use subtle::ConstantTimeEq;

use super::page_builder;
use super::paste_page::{Shown, paste_page};
use crate::domain::{PasteId, Visibility};
use crate::error::AppError;
use crate::routes::plumbing::caller::Caller;
use crate::routes::plumbing::failure::{Html, PageError};
use crate::routes::plumbing::paste_path::PastePath;
use crate::routes::plumbing::small_body::CsrfForm;
use crate::state::AppState;

/// The cookie half of the click's token.
const REVEAL_COOKIE: &str = "pb_reveal";

/// The click form.
#[derive(Deserialize)]
pub(crate) struct RevealForm {
    #[serde(default)]
    reveal: String,
    /// The password of a password-protected paste, typed into its page.
    #[serde(default)]
    password: String,
}

/// A new token for the click page of `id`: the value for the form, and the
/// cookie that must come back with it.
pub(crate) fn grant(id: &str, secure: bool) -> (String, Cookie<'static>) {
    let token = PasteId::random(32).as_str().to_owned();
    let cookie = Cookie::build(REVEAL_COOKIE, token.clone())
        .path(format!("/{id}"))
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Strict)
        .max_age(actix_web::cookie::time::Duration::hours(1))
        .finish();
    (token, cookie)
}

/// `POST /{id}` from the click page, with both halves of its token.
pub(crate) async fn reveal(
    req: HttpRequest,
    path: PastePath<Html>,
    CsrfForm { fields: form, .. }: CsrfForm<RevealForm>,
    caller: Caller,
    state: web::Data<AppState>,
) -> Result<HttpResponse, PageError> {
    let cookie = req.cookie(REVEAL_COOKIE);
    let confirmed = cookie.is_some_and(|cookie| {
        let (kept, sent) = (cookie.value().as_bytes(), form.reveal.as_bytes());
        !kept.is_empty() && bool::from(kept.ct_eq(sent))
    });
    if !confirmed {
        return Err(AppError::RevealNotConfirmed.into());
    }
    let key = (!form.password.is_empty())
        .then(|| crate::routes::plumbing::paste_password::typed(&req, form.password.clone()));
    let pastes = &state.services.pastes;
    let mut view = match pastes
        .read_with(path.id(), caller.user(), key.as_ref())
        .await
    {
        Err(AppError::WrongPastePassword) => return wrong_password(path.id(), &caller, &state),
        read => read?,
    };
    if view.meta.locked {
        // Rendered for this answer only: an opened paste's render is never
        // cached, nor shared through a render lease.
        pastes.render_once(&mut view).await;
    } else {
        pastes.ensure_rendered(&mut view).await;
    }
    // The last view deleted the paste.
    let burned = view.meta.views_left == Some(0);
    // A counted paste's views are counted by the store's take, nowhere else:
    // this one is the last of those spent.
    let visits = match (view.meta.max_views, view.meta.views_left) {
        _ if view.meta.burn_after_read => view.meta.stats.total_views + 1,
        (Some(max), Some(left)) => u64::from(max.saturating_sub(left)),
        _ => state.services.visits.total(&view).await,
    };
    let body = paste_page(
        &view,
        &state,
        &caller,
        visits,
        burned,
        None,
        Shown::default(),
    )?;
    let mut used = Cookie::build(REVEAL_COOKIE, "")
        .path(format!("/{}", path.id()))
        .finish();
    used.make_removal();
    let mut response = page_builder(StatusCode::OK);
    response
        .insert_header((header::CACHE_CONTROL, HeaderValue::from_static("no-store")))
        .cookie(used);
    if view.meta.visibility == Visibility::Unlisted || view.meta.is_store_only() {
        response.insert_header(crate::middleware::NOINDEX);
    }
    Ok(response.body(body))
}

/// A wrong password typed into a protected paste's page: 403, the form again
/// (with a fresh click token) saying so.
fn wrong_password(
    id: &PasteId,
    caller: &Caller,
    state: &AppState,
) -> Result<HttpResponse, PageError> {
    let (reveal, cookie) = grant(id.as_str(), state.http.links.is_https());
    let page = super::page::LockPage {
        nav: super::nav::Nav::of(caller),
        id: id.as_str(),
        page_url: state.http.links.page(id),
        delete_token: None,
        reveal,
        views_left: None,
        wrong: true,
    };
    let body = super::render(&page)?;
    Ok(page_builder(StatusCode::FORBIDDEN)
        .insert_header((header::CACHE_CONTROL, HeaderValue::from_static("no-store")))
        .insert_header(crate::middleware::NOINDEX)
        .cookie(cookie)
        .body(body))
}
