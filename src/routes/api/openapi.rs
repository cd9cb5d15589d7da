//! The OpenAPI 3.1 document, generated from the handlers' annotations and the
//! wire types, with the limits and patterns the server applies written in by
//! `contract` from the same constants and settings, so it cannot drift from
//! the code.

use actix_web::{HttpResponse, web};
use utoipa::OpenApi;

use utoipa::Modify;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};

use super::{contract, edits, files, forks, languages, pastes, recent, stats, tokens, users};
use crate::routes::plumbing::failure::{ErrorBody, ErrorDetail};
use crate::state::AppState;

/// The API's document.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "pastebin",
        description = "Create, read, edit and delete pastes. Errors are always `{\"error\": {\"code\", \"message\"}}`. \
A method a path does not have is answered `405` (`method_not_allowed`) with `Allow` listing those it has; \
`HEAD` is allowed wherever `GET` is, and neither burns a paste nor counts a visit. \
A path that does not exist is `404` (`no_route`). \
Authentication is optional: `Authorization: Bearer <token>` (from `POST /api/v1/tokens` or the settings page) \
makes pastes you create yours (and lets them be `private`), lets you read your private pastes, \
delete yours without their delete token, and list all of yours; a token that is not live is `401` (`invalid_token`). \
Languages are sent by token (`rust`); `GET /api/v1/languages` lists every token with the names and extensions also accepted."
    ),
    paths(pastes::create, pastes::read, pastes::delete, forks::create, edits::edit, edits::list, edits::read, stats::read, users::pastes, recent::list, tokens::create,
          languages::list),
    modifiers(&BearerScheme),
    components(schemas(
        pastes::CreatePaste,
        files::CreateFile,
        files::PasteFileInfo,
        pastes::PasteMeta,
        pastes::CreatedPaste,
        pastes::PasteWithContent,
        pastes::ForkedFrom,
        edits::EditPaste,
        edits::EditedPaste,
        edits::RevisionInfo,
        edits::Revisions,
        edits::RevisionWithContent,
        stats::PasteStats,
        stats::MonthViews,
        users::UserPastes,
        users::UserInfo,
        users::PasteLine,
        recent::RecentPastes,
        tokens::TokenRequest,
        tokens::IssuedToken,
        languages::Languages,
        languages::LanguageInfo,
        ErrorBody,
        ErrorDetail
    )),
    tags((name = "pastes", description = "Pastes"), (name = "users", description = "Users and their pastes"),
         (name = "tokens", description = "API tokens"))
)]
pub(crate) struct ApiDoc;

/// The `bearer` security scheme: API tokens, `pbt_...`.
struct BearerScheme;

impl Modify for BearerScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let mut http = Http::new(HttpAuthScheme::Bearer);
        http.description = Some(
            "An API token (`pbt_...`): `POST /api/v1/tokens`, or the settings page".to_owned(),
        );
        components.add_security_scheme("bearer", SecurityScheme::Http(http));
    }
}

/// `GET /api/v1/openapi.json`: this deployment's document (its limits are
/// its settings').
pub(crate) async fn document(state: web::Data<AppState>) -> HttpResponse {
    let mut doc = ApiDoc::openapi();
    contract::constrain(&mut doc, state.services.pastes.rules());
    match serde_json::to_value(&doc) {
        Ok(mut json) => {
            contract::link_creation(&mut json);
            contract::split_nullable_enums(&mut json);
            contract::require_text(&mut json);
            HttpResponse::Ok().json(json)
        }
        Err(_) => HttpResponse::Ok().json(doc),
    }
}
