//! The whole route table, and the fallback for everything else.
//!
//! Handlers are thin: they read the request into domain input, call a service
//! and shape its answer. Fixed paths are registered before `/{id}` so that
//! `/healthz` is never mistaken for a paste id.
//!
//! The folder shows plumbing apart from resources: `plumbing` holds what
//! every handler leans on (reading who asks and in what format, bodies and
//! their parsing, failure answers, method refusals, the miss budget); the
//! resources are the HTML pages (`web`), the JSON API (`api`), raw and
//! download (`raw`), health and metrics (`health`) and static `assets`.

pub(crate) mod api;
mod assets;
mod files;
mod health;
pub(crate) mod plumbing;
mod raw;
mod web;

use actix_web::{HttpRequest, HttpResponse, web as aw};

use crate::error::AppError;
use crate::routes::plumbing::failure::Negotiated;
use crate::routes::plumbing::methods::Refusal::{Json, Negotiated as AsAsked};
use crate::routes::plumbing::methods::at;

/// Registers every route: one resource per path with all its methods, so a
/// method a path lacks is a 405 with `Allow` (see `methods`).
pub(crate) fn configure(cfg: &mut aw::ServiceConfig) {
    // `curl -T healthz host/` is `PUT /healthz`: a one-segment path is also a
    // file name, and these fixed paths keep taking uploads as `/{name}` does.
    let put_named = web::create::put_named;
    let put_fixed = web::create::put_fixed_name;
    cfg.service(
        at("/")
            .get(web::form::new_paste)
            .post(web::create::post_form)
            .put(web::create::put_body)
            .refusing(AsAsked),
    )
    .service(
        at("/healthz")
            .get(health::healthz)
            .put(put_fixed)
            .refusing(AsAsked),
    )
    .service(
        at("/readyz")
            .get(health::readyz)
            .put(put_fixed)
            .refusing(AsAsked),
    )
    .service(
        at("/metrics")
            .get(health::metrics)
            .put(put_fixed)
            .refusing(AsAsked),
    )
    .service(
        at("/signup")
            .get(web::account::signup_form)
            .post(web::account::signup)
            .put(put_fixed)
            .refusing(AsAsked),
    )
    .service(
        at("/login")
            .get(web::account::login_form)
            .post(web::account::login)
            .put(put_fixed)
            .refusing(AsAsked),
    )
    .service(
        at("/logout")
            .post(web::account::logout)
            .put(put_fixed)
            .refusing(AsAsked),
    )
    .service(
        at("/settings")
            .get(web::settings::show)
            .put(put_fixed)
            .refusing(AsAsked),
    )
    .service(
        at("/settings/tokens")
            .post(web::settings::create_token)
            .refusing(AsAsked),
    )
    .service(
        at("/settings/tokens/{id}/revoke")
            .post(web::settings::revoke_token)
            .refusing(AsAsked),
    )
    .service(
        at("/robots.txt")
            .get(web::usage::robots)
            .put(put_fixed)
            .refusing(AsAsked),
    )
    .configure(assets::configure)
    .service(
        at("/recent")
            .get(web::recent::show)
            .put(put_fixed)
            .refusing(AsAsked),
    )
    .service(at("/u/{username}").get(web::user::show).refusing(AsAsked))
    .service(at("/api").get(api::docs_page::page).refusing(AsAsked))
    .service(
        aw::scope("/api/v1")
            .service(at("/pastes").post(api::pastes::create).refusing(Json))
            .service(
                at("/pastes/{id}")
                    .get(api::pastes::read)
                    .patch(api::edits::edit)
                    .delete(api::pastes::delete)
                    .refusing(Json),
            )
            .service(
                at("/pastes/{id}/forks")
                    .post(api::forks::create)
                    .refusing(Json),
            )
            .service(
                at("/pastes/{id}/revisions")
                    .get(api::edits::list)
                    .refusing(Json),
            )
            .service(
                at("/pastes/{id}/revisions/{n}")
                    .get(api::edits::read)
                    .refusing(Json),
            )
            .service(
                at("/pastes/{id}/stats")
                    .get(api::stats::read)
                    .refusing(Json),
            )
            .service(
                at("/users/{username}/pastes")
                    .get(api::users::pastes)
                    .refusing(Json),
            )
            .service(at("/tokens").post(api::tokens::create).refusing(Json))
            .service(at("/languages").get(api::languages::list).refusing(Json))
            .service(at("/recent").get(api::recent::list).refusing(Json))
            .service(
                at("/openapi.json")
                    .get(api::openapi::document)
                    .refusing(Json),
            )
            .default_service(aw::to(api::no_route)),
    )
    .service(at("/raw/{id}").get(raw::raw).refusing(AsAsked))
    .service(
        at("/raw/{id}/r/{n}")
            .get(web::history::raw)
            .refusing(AsAsked),
    )
    .service(
        at("/raw/{id}/{name}")
            .get(files::raw_file)
            .refusing(AsAsked),
    )
    .service(at("/dl/{id}").get(raw::download).refusing(AsAsked))
    .service(
        at("/{id}")
            .get(web::page::show)
            .post(web::reveal::reveal)
            .patch(web::edit::patch_raw)
            .delete(web::delete::with_header)
            .put(put_named)
            .refusing(AsAsked),
    )
    .service(
        at("/{id}/delete")
            .get(web::delete::form)
            .post(web::delete::from_page)
            .refusing(AsAsked),
    )
    .service(at("/{id}/claim").post(web::claim::claim).refusing(AsAsked))
    .service(at("/{id}/fork").post(web::fork::fork).refusing(AsAsked))
    .service(at("/{id}/forks").get(web::forks::list).refusing(AsAsked))
    .service(
        at("/{id}/edit")
            .get(web::edit::form)
            .post(web::edit::submit)
            .refusing(AsAsked),
    )
    .service(
        at("/{id}/revisions")
            .get(web::history::list)
            .refusing(AsAsked),
    )
    .service(at("/{id}/r/{n}").get(web::history::show).refusing(AsAsked))
    .service(
        at("/{id}/diff/{range}")
            .get(web::history::diff)
            .refusing(AsAsked),
    )
    .service(at("/{id}/stats").get(web::stats::show).refusing(AsAsked))
    .service(at("/{id}/qr").get(web::qr::show).refusing(AsAsked))
    .service(
        at("/{id}/report")
            .get(web::report::form)
            .post(web::report::file)
            .refusing(AsAsked),
    )
    .default_service(aw::to(no_route));
}

/// Anything unrouted: 404 in the format the client asked for.
async fn no_route(req: HttpRequest) -> Result<HttpResponse, Negotiated> {
    Err(AppError::NoRoute.answer_as(plumbing::negotiate::Format::of(&req)))
}
