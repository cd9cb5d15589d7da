//! The OpenAPI 3.1 document, generated from the handlers' annotations and the
//! wire types, with the limits and patterns the server applies written in by
//! `contract` from the same constants and settings, so it cannot drift from
//! the code.

use actix_web::{HttpResponse, web};
use utoipa::OpenApi;

use super::{contract, pastes, stats, users};
use crate::routes::failure::{ErrorBody, ErrorDetail};
use crate::state::AppState;

/// The API's document.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "pastebin",
        description = "Create, read and delete pastes. Errors are always `{\"error\": {\"code\", \"message\"}}`. \
A method a path does not have is answered `405` (`method_not_allowed`) with `Allow` listing those it has; \
`HEAD` is allowed wherever `GET` is, and neither burns a paste nor counts a visit. \
A path that does not exist is `404` (`no_route`)."
    ),
    paths(pastes::create, pastes::read, pastes::delete, stats::read, users::pastes),
    components(schemas(
        pastes::CreatePaste,
        pastes::PasteMeta,
        pastes::CreatedPaste,
        pastes::PasteWithContent,
        stats::PasteStats,
        stats::MonthViews,
        users::UserPastes,
        users::UserInfo,
        users::PasteLine,
        ErrorBody,
        ErrorDetail
    )),
    tags((name = "pastes", description = "Pastes"), (name = "users", description = "Users and their pastes"))
)]
pub(crate) struct ApiDoc;

/// `GET /api/v1/openapi.json`: this deployment's document (its limits are
/// its settings').
pub(crate) async fn document(state: web::Data<AppState>) -> HttpResponse {
    let mut doc = ApiDoc::openapi();
    contract::constrain(&mut doc, state.pastes.rules());
    match serde_json::to_value(&doc) {
        Ok(mut json) => {
            contract::link_creation(&mut json);
            HttpResponse::Ok().json(json)
        }
        Err(_) => HttpResponse::Ok().json(doc),
    }
}
