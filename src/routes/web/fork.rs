//! `POST /{id}/fork`: the page's Fork button (a form, no script needed).
//! Signed in, the fork is the user's (the form carries the session's CSRF
//! token, read by `CsrfForm`); anonymous, it is anonymous with a delete token
//! of its own. A browser is sent to the fork's page as after a creation; curl
//! gets the creation's text answer.

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::routes::plumbing::creation::Creation;
use crate::routes::plumbing::failure::Negotiated;
use crate::routes::plumbing::negotiate::Format;
use crate::routes::plumbing::paste_path::PastePath;
use crate::routes::plumbing::small_body::CsrfForm;
use crate::state::AppState;

/// The fork form has no field of its own (its CSRF token is `CsrfForm`'s).
#[derive(Deserialize, Default)]
pub(crate) struct ForkForm {}

/// `POST /{id}/fork`.
pub(crate) async fn fork(
    path: PastePath,
    CsrfForm { by, .. }: CsrfForm<ForkForm>,
    creation: Creation,
    format: Format,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Negotiated> {
    let forked = async {
        creation.admit(&state).await?;
        creation.fork(&state, path.id(), by.as_ref(), format).await
    };
    forked.await.map_err(|e| e.answer_as(format))
}
