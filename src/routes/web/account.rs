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
use crate::service::accounts::DEVICE_LIFE;
use crate::state::{AppState, Links};

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

/// The fields an account form may send (read as a `CsrfForm`: a browser
/// already signed in sends its session's CSRF token with them).
#[derive(Default, Deserialize)]
pub(crate) struct Fields {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
}

/// Log-in CSRF: refused when the browser says the form came from
/// elsewhere (see `from_elsewhere`).
fn refuse_cross_site(req: &HttpRequest, links: &Links) -> Result<(), AppError> {
    if from_elsewhere(req, links) {
        return Err(crate::error::AccountError::CsrfRefused.into());
    }
    Ok(())
}

/// Log-in CSRF: a form on another site could sign the browser into the
/// attacker's account (SameSite stops a cookie being sent, not being set),
/// and so could a sibling subdomain. Browsers say where a request comes
/// from, in headers no page's script can set:
/// - `Sec-Fetch-Site` decides when sent: only `same-origin` (and `none`, a
///   request the person made themselves) may go on; `same-site` is a
///   sibling subdomain, refused like `cross-site`.
/// - Otherwise `Origin` (every browser sends it on a POST, Safari before
///   16.4 without `Sec-Fetch-Site`): it must be this service's, as
///   `server.public_url` or the request's `Host` names it. `null` (a
///   sandboxed frame, a `data:` page, a page whose referrer policy hides
///   it) is refused: it could be anyone; this service's own pages send
///   `Referrer-Policy: same-origin`, so their forms carry their origin.
/// - Neither header: not a browser (curl, a script), which cannot be made
///   to act for a visitor; it goes on.
fn from_elsewhere(req: &HttpRequest, links: &Links) -> bool {
    let headers = req.headers();
    if let Some(site) = headers.get("sec-fetch-site") {
        let site = site.as_bytes();
        return !(site.eq_ignore_ascii_case(b"same-origin") || site.eq_ignore_ascii_case(b"none"));
    }
    let Some(origin) = headers.get(header::ORIGIN) else {
        return false;
    };
    let Some((scheme, authority)) = origin.to_str().ok().and_then(split_origin) else {
        return true; // `null`, or not an origin at all
    };
    let base = split_origin(links.base());
    let ours = base.as_ref().is_some_and(|(s, a)| {
        s.eq_ignore_ascii_case(&scheme) && a.eq_ignore_ascii_case(&authority)
    });
    // The host the request was sent to, under this service's own scheme
    // only: a plain-http page of the same host (an active network attacker's)
    // is not this https service.
    let same_scheme = base.is_some_and(|(s, _)| s.eq_ignore_ascii_case(&scheme));
    let addressed = same_scheme
        && headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .is_some_and(|host| {
                let host = without_default_port(&scheme, host);
                host.eq_ignore_ascii_case(&authority)
            });
    !(ours || addressed)
}

/// `scheme://authority` of a URL or an `Origin` (lowercase scheme, the
/// authority without a default port), or `None` for anything else.
fn split_origin(url: &str) -> Option<(String, String)> {
    let (scheme, rest) = url.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return None;
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.is_empty() || authority.contains('@') {
        return None;
    }
    let authority = without_default_port(&scheme, authority).to_owned();
    Some((scheme, authority))
}

/// `host:port` without the port the scheme implies (`Origin` never says it).
fn without_default_port<'a>(scheme: &str, authority: &'a str) -> &'a str {
    let default = if scheme == "https" { ":443" } else { ":80" };
    authority.strip_suffix(default).unwrap_or(authority)
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
    client: Client,
    state: web::Data<AppState>,
) -> Result<HttpResponse, PageError> {
    refuse_cross_site(&req, &state.http.links)?;
    match state
        .services
        .accounts
        .sign_up(client.as_str(), &fields.username, &fields.password)
        .await
    {
        Ok(user) => signed_in(&state, &caller, &user, true).await,
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
    refuse_cross_site(&req, &state.http.links)?;
    let device = req.cookie(DEVICE_COOKIE);
    match state
        .services
        .accounts
        .log_in(
            client.as_str(),
            device.as_ref().map(Cookie::value),
            &fields.username,
            &fields.password,
        )
        .await
    {
        Ok(done) => signed_in(&state, &caller, &done.user, !done.trusted_device).await,
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
/// a log-in never keeps an id that existed before it), and a device cookie
/// when the browser is `new_device` to the account.
async fn signed_in(
    state: &AppState,
    caller: &Caller,
    user: &User,
    new_device: bool,
) -> Result<HttpResponse, PageError> {
    if let Some(old) = caller.session_id() {
        state.services.sessions.end(old).await?;
    }
    let (id, _) = state.services.sessions.start(user).await?;
    let secure = state.http.links.is_https();
    let mut answer = HttpResponse::SeeOther();
    answer
        .insert_header((header::LOCATION, format!("/u/{}", user.username)))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .cookie(session_cookie(
            &id,
            secure,
            state.services.sessions.max_life(),
        ));
    if new_device && let Some(device) = state.services.accounts.trust_device(user).await {
        answer.cookie(device_cookie(device, secure));
    }
    Ok(answer.finish())
}

/// `POST /logout`: ends the session on every clone (with its CSRF token, so
/// another site cannot sign a visitor out) and forgets the cookie.
pub(crate) async fn logout(
    req: HttpRequest,
    _checked: CsrfForm<Fields>,
    caller: Caller,
    state: web::Data<AppState>,
) -> Result<HttpResponse, PageError> {
    refuse_cross_site(&req, &state.http.links)?;
    if let Some(id) = caller.session_id() {
        state.services.sessions.end(id).await?;
    }
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, "/"))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .cookie(session_removal())
        .finish())
}

#[cfg(test)]
mod tests {
    use super::split_origin;

    #[test]
    fn an_origin_is_its_scheme_and_authority_without_a_default_port() {
        let pair = |s: &str, a: &str| Some((s.to_owned(), a.to_owned()));
        assert_eq!(
            split_origin("https://paste.example"),
            pair("https", "paste.example")
        );
        assert_eq!(
            split_origin("HTTPS://paste.example:443/x"),
            pair("https", "paste.example")
        );
        assert_eq!(
            split_origin("http://127.0.0.1:8080"),
            pair("http", "127.0.0.1:8080")
        );
        assert_eq!(split_origin("http://[::1]:80"), pair("http", "[::1]"));
        assert_eq!(
            split_origin("https://paste.example:80"),
            pair("https", "paste.example:80")
        );
        for not_one in [
            "null",
            "",
            "ftp://x",
            "https://",
            "https://u@x",
            "paste.example",
        ] {
            assert_eq!(split_origin(not_one), None, "{not_one}");
        }
    }
}
