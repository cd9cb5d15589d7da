//! `GET /settings`: the signed-in user's API tokens, to make (the secret is
//! shown once, on the answer to `POST /settings/tokens`) and to revoke
//! (`POST /settings/tokens/{id}/revoke`). Both forms carry the session's
//! CSRF token; without a session the page sends the browser to log in.

use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use super::nav::Nav;
use super::page::human_time;
use super::{page_builder, render};
use crate::domain::AuthorSummary;
use crate::error::{AccountError, AppError, RequestError};
use crate::routes::plumbing::failure::PageError;
use crate::routes::plumbing::headers::media_type;
use crate::routes::plumbing::input::urlencoded::pairs;
use crate::routes::plumbing::small_body::SmallBody;
use crate::routes::plumbing::viewer::Viewer;
use crate::state::AppState;

/// One token, as listed.
struct Line {
    id: String,
    name: String,
    created: String,
}

#[derive(Template)]
#[template(path = "settings.html")]
struct SettingsPage<'a> {
    nav: Nav,
    csrf: &'a str,
    tokens: Vec<Line>,
    new_token: Option<String>,
    public_url: &'a str,
}

async fn page(
    state: &AppState,
    viewer: &Viewer,
    user: &AuthorSummary,
    new_token: Option<String>,
) -> Result<HttpResponse, PageError> {
    let tokens = state.tokens.list(&user.id).await?;
    let page = SettingsPage {
        nav: Nav::of(viewer),
        csrf: viewer.session().map_or("", |s| s.csrf.as_str()),
        tokens: tokens
            .iter()
            .map(|t| Line {
                id: t.id.as_str().to_owned(),
                name: t.name.as_str().to_owned(),
                created: human_time(t.created_at),
            })
            .collect(),
        new_token,
        public_url: state.links.base(),
    };
    // It may show a secret, and it is this user's: no cache keeps it.
    Ok(page_builder(StatusCode::OK)
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(render(&page)?))
}

/// `GET /settings`
pub(crate) async fn show(
    viewer: Viewer,
    state: web::Data<AppState>,
) -> Result<HttpResponse, PageError> {
    match viewer.user().cloned() {
        Some(user) => page(&state, &viewer, &user, None).await,
        None => Ok(HttpResponse::SeeOther()
            .insert_header((header::LOCATION, "/login"))
            .finish()),
    }
}

/// The `name` and `csrf_token` of a settings form.
fn fields(req: &HttpRequest, body: &[u8]) -> Result<(String, Option<String>), AppError> {
    if media_type(req).as_deref() != Some("application/x-www-form-urlencoded") {
        return Err(RequestError::UnsupportedMediaType(
            "settings forms are application/x-www-form-urlencoded",
        )
        .into());
    }
    let (mut name, mut csrf) = (String::new(), None);
    for (key, value) in pairs(body) {
        match (key.as_deref(), value) {
            (Some("name"), Some(value)) => name = value,
            (Some("csrf_token"), Some(value)) => csrf = Some(value),
            (Some(_), Some(_)) => {}
            _ => return Err(RequestError::MalformedForm.into()),
        }
    }
    Ok((name, csrf))
}

/// The signed-in user a settings form acts for (403 without the CSRF
/// token, 401 without a session).
fn acting_user(viewer: &Viewer, csrf: Option<&str>) -> Result<AuthorSummary, AppError> {
    viewer
        .author(csrf)?
        .ok_or_else(|| AccountError::LoginRequired.into())
}

/// `POST /settings/tokens`: makes a token and shows its secret once.
pub(crate) async fn create_token(
    req: HttpRequest,
    SmallBody(body): SmallBody,
    viewer: Viewer,
    state: web::Data<AppState>,
) -> Result<HttpResponse, PageError> {
    let (name, csrf) = fields(&req, &body)?;
    let user = acting_user(&viewer, csrf.as_deref())?;
    let (secret, _) = state.tokens.issue(&user, &name).await?;
    page(&state, &viewer, &user, Some(secret.as_str().to_owned())).await
}

/// `POST /settings/tokens/{id}/revoke`
pub(crate) async fn revoke_token(
    req: HttpRequest,
    id: web::Path<String>,
    SmallBody(body): SmallBody,
    viewer: Viewer,
    state: web::Data<AppState>,
) -> Result<HttpResponse, PageError> {
    let (_, csrf) = fields(&req, &body)?;
    let user = acting_user(&viewer, csrf.as_deref())?;
    state.tokens.revoke(&user.id, &id).await?;
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, "/settings"))
        .finish())
}
