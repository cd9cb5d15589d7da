//! Deleting a paste with its token: `DELETE /{id}` for curl, the button on
//! the page the creator sees once, and `GET /{id}/delete`, the page where the
//! token is pasted in later (with a box to tick: the confirmation).

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::{page_builder, render};
use crate::routes::failure::{Negotiated, PageError};
use crate::routes::headers::delete_token;
use crate::routes::negotiate;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "deleted.html")]
struct DeletedPage<'a> {
    id: &'a str,
}

#[derive(Template)]
#[template(path = "delete.html")]
struct DeleteFormPage<'a> {
    id: &'a str,
}

/// `GET /{id}/delete`: the form that takes the token. Nothing is looked up:
/// the page says nothing about whether the paste exists.
pub(crate) async fn form(id: web::Path<String>) -> Result<HttpResponse, PageError> {
    if crate::domain::PasteId::parse(&id).is_none() {
        return Err(crate::error::AppError::NotFound.into());
    }
    let body = render(&DeleteFormPage { id: &id })?;
    Ok(page_builder(StatusCode::OK)
        .insert_header(crate::middleware::NOINDEX)
        .body(body))
}

/// The page's delete form.
#[derive(Deserialize)]
pub(crate) struct DeleteForm {
    delete_token: String,
}

/// `DELETE /{id}` with `X-Delete-Token`: 204.
pub(crate) async fn with_header(
    req: HttpRequest,
    id: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Negotiated> {
    state
        .pastes
        .delete(&id, delete_token(&req))
        .await
        .map_err(|e| e.answer_as(negotiate::preferred(&req)))?;
    Ok(HttpResponse::NoContent().finish())
}

/// `POST /{id}/delete` from the page, the token in a form field.
pub(crate) async fn from_page(
    id: web::Path<String>,
    form: Option<web::Form<DeleteForm>>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, PageError> {
    let token = form.as_ref().map(|f| f.delete_token.as_str());
    state.pastes.delete(&id, token).await?;
    let body = render(&DeletedPage { id: &id })?;
    Ok(page_builder(StatusCode::OK).body(body))
}
