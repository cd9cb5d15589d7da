//! `GET /{id}/report`, the Report form of a paste page's More menu, and
//! `POST /{id}/report`, which files it (`service::admin::ReportService`):
//! throttled per client (`limits.reports_per_hour`), CSRF-checked for a
//! signed-in session (`CsrfForm`), kept in the store for
//! `pastebin admin reports`.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::nav::Nav;
use super::{page_builder, render};
use crate::domain::Category;
use crate::routes::plumbing::caller::Caller;
use crate::routes::plumbing::client::Client;
use crate::routes::plumbing::failure::{Html, PageError};
use crate::routes::plumbing::paste_path::PastePath;
use crate::routes::plumbing::small_body::CsrfForm;
use crate::service::admin::reports::ReportDraft;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "report.html")]
struct ReportPage<'a> {
    nav: Nav,
    id: &'a str,
    reasons: Vec<(&'static str, &'static str)>,
}

#[derive(Template)]
#[template(path = "reported.html")]
struct ReportedPage<'a> {
    nav: Nav,
    id: &'a str,
    report: &'a str,
}

/// `GET /{id}/report`: the form, for a paste this reader can see (a removed
/// one is 410, a missing one 404, as everywhere).
pub(crate) async fn form(
    path: PastePath<Html>,
    caller: Caller,
    state: web::Data<AppState>,
) -> Result<HttpResponse, PageError> {
    state
        .services
        .pastes
        .read_quietly(path.id(), caller.user())
        .await?;
    let body = render(&ReportPage {
        nav: Nav::of(&caller),
        id: path.id().as_str(),
        reasons: Category::ALL.map(|c| (c.code(), c.label())).to_vec(),
    })?;
    Ok(page_builder(StatusCode::OK)
        .insert_header(crate::middleware::NOINDEX)
        .body(body))
}

/// The report form's fields.
#[derive(Deserialize, Default)]
pub(crate) struct ReportForm {
    #[serde(default)]
    reason: String,
    #[serde(default)]
    details: String,
}

/// `POST /{id}/report`.
pub(crate) async fn file(
    path: PastePath<Html>,
    CsrfForm { fields, by }: CsrfForm<ReportForm>,
    client: Client,
    caller: Caller,
    state: web::Data<AppState>,
) -> Result<HttpResponse, PageError> {
    let draft = ReportDraft {
        reason: &fields.reason,
        details: &fields.details,
    };
    let report = state
        .services
        .reports
        .file(path.id(), draft, client.as_str(), by.as_ref())
        .await?;
    let body = render(&ReportedPage {
        nav: Nav::of(&caller),
        id: path.id().as_str(),
        report: report.id.as_str(),
    })?;
    Ok(page_builder(StatusCode::OK)
        .insert_header(crate::middleware::NOINDEX)
        .body(body))
}
