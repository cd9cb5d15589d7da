//! Deleting a paste with its token: `DELETE /{id}` for curl, the button on
//! the page the creator sees once, and `GET /{id}/delete`, the page where the
//! token is pasted in later (with a box to tick: the confirmation).

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::nav::Nav;
use super::{page_builder, render};
use crate::routes::plumbing::caller::Caller;
use crate::routes::plumbing::failure::{Html, Negotiated, PageError};
use crate::routes::plumbing::headers::delete_token;
use crate::routes::plumbing::negotiate::Format;
use crate::routes::plumbing::paste_path::PastePath;
use crate::routes::plumbing::small_body::CsrfForm;
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
pub(crate) async fn form(path: PastePath<Html>, caller: Caller) -> Result<HttpResponse, PageError> {
    let body = render(&DeleteFormPage {
        nav: Nav::of(&caller),
        id: path.id().as_str(),
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
}

/// `DELETE /{id}` with `X-Delete-Token`: 204. (A browser cannot send a
/// cross-site DELETE without CORS, which this service never grants, so the
/// session counts here without a CSRF token.)
pub(crate) async fn with_header(
    req: HttpRequest,
    path: PastePath,
    caller: Caller,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Negotiated> {
    state
        .services
        .pastes
        .delete(path.id(), delete_token(&req), caller.user())
        .await
        .map_err(|e| e.answer_as(Format::of(&req)))?;
    Ok(HttpResponse::NoContent().finish())
}

/// `POST /{id}/delete` from the page: the token in a form field, or the
/// signed-in author with the session's CSRF token.
pub(crate) async fn from_page(
    path: PastePath<Html>,
    CsrfForm { fields, by }: CsrfForm<DeleteForm>,
    caller: Caller,
    state: web::Data<AppState>,
) -> Result<HttpResponse, PageError> {
    let token = fields.delete_token.as_deref();
    state
        .services
        .pastes
        .delete(path.id(), token, by.as_ref())
        .await?;
    let body = render(&DeletedPage {
        nav: Nav::of(&caller),
        id: path.id().as_str(),
    })?;
    Ok(page_builder(StatusCode::OK).body(body))
}
