//! `GET /settings`: the signed-in user's API tokens, to make (the secret is
//! shown once, on the answer to `POST /settings/tokens`) and to revoke
//! (`POST /settings/tokens/{id}/revoke`). Both forms carry the session's
//! CSRF token; without a session the page sends the browser to log in.

use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::nav::Nav;
use super::page::human_time;
use super::{page_builder, render};
use crate::domain::AuthorSummary;
use crate::error::{AccountError, AppError};
use crate::routes::plumbing::caller::Caller;
use crate::routes::plumbing::failure::PageError;
use crate::routes::plumbing::small_body::CsrfForm;
use crate::state::AppState;

/// One token, as listed.
struct Line {
    id: String,
    name: String,
    created: String,
    /// When it was last used ("not used lately" when that is not known).
    used: Option<String>,
    used_iso: String,
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
    caller: &Caller,
    user: &AuthorSummary,
    new_token: Option<String>,
) -> Result<HttpResponse, PageError> {
    let tokens = state.services.tokens.list(&user.id).await?;
    let page = SettingsPage {
        nav: Nav::of(caller),
        csrf: caller.session().map_or("", |s| s.csrf.as_str()),
        tokens: tokens
            .iter()
            .map(|(t, used)| Line {
                id: t.id.as_str().to_owned(),
                name: t.name.as_str().to_owned(),
                created: human_time(t.created_at),
                used: used.map(human_time),
                used_iso: used.map(super::page::iso_time).unwrap_or_default(),
            })
            .collect(),
        new_token,
        public_url: state.http.links.base(),
    };
    // It may show a secret, and it is this user's: no cache keeps it.
    Ok(page_builder(StatusCode::OK)
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(render(&page)?))
}

/// `GET /settings`
pub(crate) async fn show(
    caller: Caller,
    state: web::Data<AppState>,
) -> Result<HttpResponse, PageError> {
    match caller.session().map(|s| s.user.clone()) {
        Some(user) => page(&state, &caller, &user, None).await,
        None => Ok(HttpResponse::SeeOther()
            .insert_header((header::LOCATION, "/login"))
            .finish()),
    }
}

/// The fields of a settings form: the new token's name (the revoke form
/// sends none).
#[derive(Deserialize, Default)]
pub(crate) struct TokenForm {
    #[serde(default)]
    name: String,
}

/// The signed-in user a settings form acts for (403 without the CSRF
/// token, 401 without a session). Only a browser session: the settings
/// make and revoke tokens, which a bearer token must not do for itself.
fn account_holder(caller: &Caller, by: Option<AuthorSummary>) -> Result<AuthorSummary, AppError> {
    match (caller.session(), by) {
        (Some(_), Some(user)) => Ok(user),
        _ => Err(AccountError::LoginRequired.into()),
    }
}

/// `POST /settings/tokens`: makes a token and shows its secret once.
pub(crate) async fn create_token(
    CsrfForm { fields, by }: CsrfForm<TokenForm>,
    caller: Caller,
    state: web::Data<AppState>,
) -> Result<HttpResponse, PageError> {
    let user = account_holder(&caller, by)?;
    let (secret, _) = state.services.tokens.issue(&user, &fields.name).await?;
    page(&state, &caller, &user, Some(secret.as_str().to_owned())).await
}

/// `POST /settings/tokens/{id}/revoke`
pub(crate) async fn revoke_token(
    id: web::Path<String>,
    CsrfForm { by, .. }: CsrfForm<TokenForm>,
    caller: Caller,
    state: web::Data<AppState>,
) -> Result<HttpResponse, PageError> {
    let user = account_holder(&caller, by)?;
    state.services.tokens.revoke(&user.id, &id).await?;
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, "/settings"))
        .finish())
}
