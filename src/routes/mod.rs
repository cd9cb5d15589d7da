//! The whole route table, and the fallback for everything else.
//!
//! Handlers are thin: they read the request into domain input, call a service
//! and shape its answer. Fixed paths are registered before `/{id}` so that
//! `/healthz` is never mistaken for a paste id.

pub(crate) mod api;
mod assets;
pub(crate) mod body;
pub(crate) mod client;
pub(crate) mod creation;
pub(crate) mod failure;
mod headers;
mod health;
mod input;
pub(crate) mod miss_budget;
pub(crate) mod negotiate;
mod raw;
mod web;

use actix_web::{HttpRequest, HttpResponse, guard, web as aw};

use crate::error::AppError;
use crate::routes::failure::Negotiated;

/// Registers every route.
pub(crate) fn configure(cfg: &mut aw::ServiceConfig) {
    let get_or_head = || aw::route().guard(guard::Any(guard::Get()).or(guard::Head()));
    cfg.route("/", aw::get().to(web::form::new_paste))
        .route("/", aw::post().to(web::create::post_form))
        .route("/", aw::put().to(web::create::put_body))
        .route("/healthz", aw::get().to(health::healthz))
        .route("/readyz", aw::get().to(health::readyz))
        .route("/metrics", aw::get().to(health::metrics))
        .route("/static/style.css", aw::get().to(assets::style))
        .route("/u/{username}", aw::get().to(web::user::show))
        .service(
            aw::scope("/api/v1")
                .route("/pastes", aw::post().to(api::pastes::create))
                .route("/pastes/{id}", aw::get().to(api::pastes::read))
                .route("/pastes/{id}", aw::delete().to(api::pastes::delete))
                .route("/pastes/{id}/stats", aw::get().to(api::stats::read))
                .route("/users/{username}/pastes", aw::get().to(api::users::pastes))
                .route("/openapi.json", aw::get().to(api::openapi::document))
                .default_service(aw::to(api::no_route)),
        )
        .route("/raw/{id}", get_or_head().to(raw::raw))
        .route("/dl/{id}", get_or_head().to(raw::download))
        .route("/{id}", get_or_head().to(web::page::show))
        .route("/{id}", aw::post().to(web::reveal::reveal))
        .route("/{id}", aw::delete().to(web::delete::with_header))
        .route("/{name}", aw::put().to(web::create::put_named))
        .route("/{id}/delete", aw::post().to(web::delete::from_page))
        .route("/{id}/stats", aw::get().to(web::stats::show))
        .default_service(aw::to(no_route));
}

/// Anything unrouted: 404 in the format the client asked for.
async fn no_route(req: HttpRequest) -> Result<HttpResponse, Negotiated> {
    Err(AppError::NoRoute.answer_as(negotiate::preferred(&req)))
}
