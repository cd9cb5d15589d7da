//! `GET/POST /signup`, `GET/POST /login`, `POST /logout`: the account forms.
//!
//! A refused sign-up or log-in shows the form again with the reason, under
//! the failure's own status (401, 409, 422...); a success opens a session
//! under a new id and goes to the user's pastes with `303`.

use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::nav::Nav;
use super::{page_builder, render};
use crate::domain::{Password, User};
use crate::error::AppError;
use crate::routes::plumbing::caller::Caller;
use crate::routes::plumbing::client::Client;
use crate::routes::plumbing::failure::PageError;
use crate::routes::plumbing::session_cookie::{session_cookie, session_removal};
use crate::routes::plumbing::small_body::CsrfForm;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage<'a> {
    nav: Nav,
    heading: &'a str,
    action: &'a str,
    signup: bool,
    open: bool,
    username: &'a str,
    min_password: usize,
    error: Option<String>,
}

/// The fields an account form may send (read as a `CsrfForm`: a browser
/// already signed in sends its session's CSRF token with them).
#[derive(Default, Deserialize)]
pub(crate) struct Fields {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
}

/// Log-in CSRF: a form on another site could sign the browser into the
/// attacker's account (SameSite stops a cookie being sent, not being set).
/// Browsers say where a request comes from; another site is refused.
fn refuse_cross_site(req: &HttpRequest) -> Result<(), AppError> {
    let cross_site = req
        .headers()
        .get("sec-fetch-site")
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"cross-site"));
    if cross_site {
        return Err(crate::error::AccountError::CsrfRefused.into());
    }
    Ok(())
}

/// Which of the two forms.
#[derive(Clone, Copy)]
enum Form {
    SignUp,
    LogIn,
}

fn form_page(
    form: Form,
    state: &AppState,
    caller: &Caller,
    username: &str,
    error: Option<&AppError>,
) -> Result<HttpResponse, PageError> {
    let (heading, action, signup) = match form {
        Form::SignUp => ("Sign up", "/signup", true),
        Form::LogIn => ("Log in", "/login", false),
    };
    let page = AccountPage {
        nav: Nav::of(caller),
        heading,
        action,
        signup,
        open: !signup || state.services.accounts.signup_open(),
        username,
        min_password: Password::MIN_CHARS,
        error: error.map(ToString::to_string),
    };
    let status = error.map_or(StatusCode::OK, AppError::status);
    Ok(page_builder(status)
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(render(&page)?))
}

/// `GET /signup`
pub(crate) async fn signup_form(
    caller: Caller,
    state: web::Data<AppState>,
) -> Result<HttpResponse, PageError> {
    form_page(Form::SignUp, &state, &caller, "", None)
}

/// `GET /login`
pub(crate) async fn login_form(
    caller: Caller,
    state: web::Data<AppState>,
) -> Result<HttpResponse, PageError> {
    form_page(Form::LogIn, &state, &caller, "", None)
}

/// `POST /signup`: makes the account and signs it in.
pub(crate) async fn signup(
    req: HttpRequest,
    CsrfForm { fields, .. }: CsrfForm<Fields>,
    caller: Caller,
    state: web::Data<AppState>,
) -> Result<HttpResponse, PageError> {
    refuse_cross_site(&req)?;
    match state
        .services
        .accounts
        .sign_up(&fields.username, &fields.password)
        .await
    {
        Ok(user) => signed_in(&state, &caller, &user).await,
        Err(e) => refused(Form::SignUp, &state, &caller, &fields.username, e),
    }
}

/// `POST /login`
pub(crate) async fn login(
    req: HttpRequest,
    CsrfForm { fields, .. }: CsrfForm<Fields>,
    caller: Caller,
    client: Client,
    state: web::Data<AppState>,
) -> Result<HttpResponse, PageError> {
    refuse_cross_site(&req)?;
    match state
        .services
        .accounts
        .log_in(client.as_str(), &fields.username, &fields.password)
        .await
    {
        Ok(user) => signed_in(&state, &caller, &user).await,
        Err(e) => refused(Form::LogIn, &state, &caller, &fields.username, e),
    }
}

/// The form again with the reason, for what the person can fix; anything
/// else (429, 503) is the ordinary error page with its headers.
fn refused(
    form: Form,
    state: &AppState,
    caller: &Caller,
    username: &str,
    error: AppError,
) -> Result<HttpResponse, PageError> {
    match error {
        AppError::Account(_) => form_page(form, state, caller, username, Some(&error)),
        other => Err(other.into()),
    }
}

/// A new session for `user` (any session the browser had is ended first:
/// a log-in never keeps an id that existed before it).
async fn signed_in(
    state: &AppState,
    caller: &Caller,
    user: &User,
) -> Result<HttpResponse, PageError> {
    if let Some(old) = caller.session_id() {
        state.services.sessions.end(old).await?;
    }
    let (id, _) = state.services.sessions.start(user).await?;
    let cookie = session_cookie(
        &id,
        state.http.links.is_https(),
        state.services.sessions.max_life(),
    );
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, format!("/u/{}", user.username)))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .cookie(cookie)
        .finish())
}

/// `POST /logout`: ends the session on every clone (with its CSRF token, so
/// another site cannot sign a visitor out) and forgets the cookie.
pub(crate) async fn logout(
    req: HttpRequest,
    _checked: CsrfForm<Fields>,
    caller: Caller,
    state: web::Data<AppState>,
) -> Result<HttpResponse, PageError> {
    refuse_cross_site(&req)?;
    if let Some(id) = caller.session_id() {
        state.services.sessions.end(id).await?;
    }
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, "/"))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .cookie(session_removal())
        .finish())
}
