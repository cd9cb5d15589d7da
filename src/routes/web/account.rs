//! `GET/POST /signup`, `GET/POST /login`, `POST /logout`: the account forms.
//!
//! A refused sign-up or log-in shows the form again with the reason, under
//! the failure's own status (401, 409, 422...); a success opens a session
//! under a new id and goes to the user's pastes with `303`.

use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use super::nav::Nav;
use super::{page_builder, render};
use crate::domain::{Password, User};
use crate::error::{AppError, RequestError};
use crate::routes::failure::PageError;
use crate::routes::headers::media_type;
use crate::routes::input::urlencoded::pairs;
use crate::routes::small_body::SmallBody;
use crate::routes::viewer::{Viewer, session_cookie, session_removal};
use crate::service::accounts::DEVICE_LIFE;
use crate::state::AppState;

/// The cookie of a browser that logged in before (see
/// `service::accounts::devices`): sent to `POST /login` only.
const DEVICE_COOKIE: &str = "pb_device";

/// The device cookie `id`, for the log-in form's path only.
fn device_cookie(id: String, secure: bool) -> Cookie<'static> {
    Cookie::build(DEVICE_COOKIE, id)
        .path("/login")
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Strict)
        .max_age(actix_web::cookie::time::Duration::seconds(
            i64::try_from(DEVICE_LIFE.as_secs()).unwrap_or(i64::MAX),
        ))
        .finish()
}

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

/// The fields an account form may send.
#[derive(Default)]
struct Fields {
    username: String,
    password: String,
    csrf_token: Option<String>,
}

/// Reads a urlencoded account form; other fields are ignored (a browser
/// may add the submit button's name).
fn fields(req: &HttpRequest, body: &[u8]) -> Result<Fields, AppError> {
    // Log-in CSRF: a form on another site could sign the browser into the
    // attacker's account (SameSite stops a cookie being sent, not being
    // set). Browsers say where a request comes from; another site is refused.
    let cross_site = req
        .headers()
        .get("sec-fetch-site")
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"cross-site"));
    if cross_site {
        return Err(crate::error::AccountError::CsrfRefused.into());
    }
    if media_type(req).as_deref() != Some("application/x-www-form-urlencoded") {
        return Err(RequestError::UnsupportedMediaType(
            "account forms are application/x-www-form-urlencoded",
        )
        .into());
    }
    let mut fields = Fields::default();
    for (name, value) in pairs(body) {
        let (Some(name), Some(value)) = (name, value) else {
            return Err(RequestError::MalformedForm.into());
        };
        match name.as_str() {
            "username" => fields.username = value,
            "password" => fields.password = value,
            "csrf_token" => fields.csrf_token = Some(value),
            _ => {}
        }
    }
    Ok(fields)
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
    viewer: &Viewer,
    username: &str,
    error: Option<&AppError>,
) -> Result<HttpResponse, PageError> {
    let (heading, action, signup) = match form {
        Form::SignUp => ("Sign up", "/signup", true),
        Form::LogIn => ("Log in", "/login", false),
    };
    let page = AccountPage {
        nav: Nav::of(viewer),
        heading,
        action,
        signup,
        open: !signup || state.accounts.signup_open(),
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
    viewer: Viewer,
    state: web::Data<AppState>,
) -> Result<HttpResponse, PageError> {
    form_page(Form::SignUp, &state, &viewer, "", None)
}

/// `GET /login`
pub(crate) async fn login_form(
    viewer: Viewer,
    state: web::Data<AppState>,
) -> Result<HttpResponse, PageError> {
    form_page(Form::LogIn, &state, &viewer, "", None)
}

/// `POST /signup`: makes the account and signs it in.
pub(crate) async fn signup(
    req: HttpRequest,
    SmallBody(body): SmallBody,
    viewer: Viewer,
    state: web::Data<AppState>,
) -> Result<HttpResponse, PageError> {
    let fields = fields(&req, &body)?;
    let client = state.clients.of(&req);
    match state
        .accounts
        .sign_up(&client, &fields.username, &fields.password)
        .await
    {
        Ok(user) => signed_in(&state, &viewer, &user, true).await,
        Err(e) => refused(Form::SignUp, &state, &viewer, &fields.username, e),
    }
}

/// `POST /login`
pub(crate) async fn login(
    req: HttpRequest,
    SmallBody(body): SmallBody,
    viewer: Viewer,
    state: web::Data<AppState>,
) -> Result<HttpResponse, PageError> {
    let fields = fields(&req, &body)?;
    let client = state.clients.of(&req);
    let device = req.cookie(DEVICE_COOKIE);
    match state
        .accounts
        .log_in(
            &client,
            device.as_ref().map(Cookie::value),
            &fields.username,
            &fields.password,
        )
        .await
    {
        Ok(done) => signed_in(&state, &viewer, &done.user, !done.trusted_device).await,
        Err(e) => refused(Form::LogIn, &state, &viewer, &fields.username, e),
    }
}

/// The form again with the reason, for what the person can fix; anything
/// else (429, 503) is the ordinary error page with its headers.
fn refused(
    form: Form,
    state: &AppState,
    viewer: &Viewer,
    username: &str,
    error: AppError,
) -> Result<HttpResponse, PageError> {
    match error {
        AppError::Account(_) => form_page(form, state, viewer, username, Some(&error)),
        other => Err(other.into()),
    }
}

/// A new session for `user` (any session the browser had is ended first:
/// a log-in never keeps an id that existed before it), and a device cookie
/// when the browser is `new_device` to the account.
async fn signed_in(
    state: &AppState,
    viewer: &Viewer,
    user: &User,
    new_device: bool,
) -> Result<HttpResponse, PageError> {
    if let Some(old) = viewer.session_id() {
        state.sessions.end(old).await?;
    }
    let (id, _) = state.sessions.start(user).await?;
    let secure = state.links.is_https();
    let mut answer = HttpResponse::SeeOther();
    answer
        .insert_header((header::LOCATION, format!("/u/{}", user.username)))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .cookie(session_cookie(&id, secure, state.sessions.max_life()));
    if new_device && let Some(device) = state.accounts.trust_device(user).await {
        answer.cookie(device_cookie(device, secure));
    }
    Ok(answer.finish())
}

/// `POST /logout`: ends the session on every clone (with its CSRF token, so
/// another site cannot sign a visitor out) and forgets the cookie.
pub(crate) async fn logout(
    req: HttpRequest,
    SmallBody(body): SmallBody,
    viewer: Viewer,
    state: web::Data<AppState>,
) -> Result<HttpResponse, PageError> {
    let fields = fields(&req, &body)?;
    viewer.author(fields.csrf_token.as_deref())?;
    if let Some(id) = viewer.session_id() {
        state.sessions.end(id).await?;
    }
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, "/"))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .cookie(session_removal())
        .finish())
}
