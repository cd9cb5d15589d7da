//! The OpenAPI 3.1 document, generated from the handlers' annotations and the
//! wire types, so it cannot drift from the code.

use actix_web::HttpResponse;
use utoipa::OpenApi;

use super::{pastes, stats, users};
use crate::routes::failure::{ErrorBody, ErrorDetail};

/// The API's document.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "pastebin",
        description = "Create, read and delete pastes. Errors are always `{\"error\": {\"code\", \"message\"}}`."
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

/// `GET /api/v1/openapi.json`
pub(crate) async fn document() -> HttpResponse {
    HttpResponse::Ok().json(ApiDoc::openapi())
}
