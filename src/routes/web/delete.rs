//! Deleting a paste with its token: `DELETE /{id}` for curl, the button on
//! the page the creator sees once, and `GET /{id}/delete`, the page where the
//! token is pasted in later (with a box to tick: the confirmation).

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::nav::Nav;
use super::{page_builder, render};
use crate::routes::plumbing::failure::{Negotiated, PageError};
use crate::routes::plumbing::headers::delete_token;
use crate::routes::plumbing::negotiate;
use crate::routes::plumbing::small_body::SmallForm;
use crate::routes::plumbing::viewer::Viewer;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "deleted.html")]
struct DeletedPage<'a> {
    nav: Nav,
    id: &'a str,
}

#[derive(Template)]
#[template(path = "delete.html")]
struct DeleteFormPage<'a> {
    nav: Nav,
    id: &'a str,
}

/// `GET /{id}/delete`: the form that takes the token. Nothing is looked up:
/// the page says nothing about whether the paste exists.
pub(crate) async fn form(id: web::Path<String>, viewer: Viewer) -> Result<HttpResponse, PageError> {
    if crate::domain::PasteId::parse(&id).is_none() {
        return Err(crate::error::AppError::NotFound.into());
    }
    let body = render(&DeleteFormPage {
        nav: Nav::of(&viewer),
        id: &id,
    })?;
    Ok(page_builder(StatusCode::OK)
        .insert_header(crate::middleware::NOINDEX)
        .body(body))
}

/// The page's delete form: the token (the creator's page, or the page
/// `GET /{id}/delete`), or nothing but the session's CSRF token (the author,
/// signed in).
#[derive(Deserialize)]
pub(crate) struct DeleteForm {
    #[serde(default)]
    delete_token: Option<String>,
    #[serde(default)]
    csrf_token: Option<String>,
}

/// `DELETE /{id}` with `X-Delete-Token`: 204. (A browser cannot send a
/// cross-site DELETE without CORS, which this service never grants, so the
/// session counts here without a CSRF token.)
pub(crate) async fn with_header(
    req: HttpRequest,
    id: web::Path<String>,
    viewer: Viewer,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Negotiated> {
    state
        .pastes
        .delete(&id, delete_token(&req), viewer.user())
        .await
        .map_err(|e| e.answer_as(negotiate::preferred(&req)))?;
    Ok(HttpResponse::NoContent().finish())
}

/// The claim form: the delete token and the session's CSRF token.
#[derive(Deserialize)]
pub(crate) struct ClaimForm {
    #[serde(default)]
    delete_token: Option<String>,
    #[serde(default)]
    csrf_token: Option<String>,
}

/// `POST /{id}/claim`: a signed-in user makes an anonymous paste theirs with
/// its delete token, then sees its page.
pub(crate) async fn claim(
    id: web::Path<String>,
    SmallForm(form): SmallForm<ClaimForm>,
    viewer: Viewer,
    state: web::Data<AppState>,
) -> Result<HttpResponse, PageError> {
    let csrf = form.csrf_token.as_deref();
    let by = viewer
        .author(csrf)?
        .ok_or(crate::error::AccountError::LoginRequired)?;
    let token = form.delete_token.as_deref();
    state.pastes.claim(&id, token, &by).await?;
    Ok(HttpResponse::SeeOther()
        .insert_header((actix_web::http::header::LOCATION, format!("/{id}")))
        .finish())
}

/// `POST /{id}/delete` from the page: the token in a form field, or the
/// signed-in author with the session's CSRF token.
pub(crate) async fn from_page(
    id: web::Path<String>,
    SmallForm(form): SmallForm<DeleteForm>,
    viewer: Viewer,
    state: web::Data<AppState>,
) -> Result<HttpResponse, PageError> {
    let token = form.delete_token.as_deref();
    let csrf = form.csrf_token.as_deref();
    let by = viewer.author(csrf)?;
    state.pastes.delete(&id, token, by.as_ref()).await?;
    let body = render(&DeletedPage {
        nav: Nav::of(&viewer),
        id: &id,
    })?;
    Ok(page_builder(StatusCode::OK).body(body))
}
