//! `POST /{id}/claim`: a signed-in user makes an anonymous paste theirs with
//! its delete token (see `service::pastes::claim`).

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::routes::plumbing::failure::{Html, PageError};
use crate::routes::plumbing::paste_path::PastePath;
use crate::routes::plumbing::small_body::CsrfForm;
use crate::state::AppState;

/// The claim form: the delete token (the session's CSRF token is read by
/// `CsrfForm`).
#[derive(Deserialize)]
pub(crate) struct ClaimForm {
    #[serde(default)]
    delete_token: Option<String>,
}

/// `POST /{id}/claim`: a signed-in user makes an anonymous paste theirs with
/// its delete token, then sees its page.
pub(crate) async fn claim(
    path: PastePath<Html>,
    CsrfForm { fields, by }: CsrfForm<ClaimForm>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, PageError> {
    let by = by.ok_or(crate::error::AccountError::LoginRequired)?;
    let token = fields.delete_token.as_deref();
    let id = path.id();
    state.services.pastes.claim(id, token, &by).await?;
    Ok(HttpResponse::SeeOther()
        .insert_header((actix_web::http::header::LOCATION, format!("/{id}")))
        .finish())
}
