//! Creation from the form, from curl (`-F`, `--data`, `-T`) and from a raw body.
//!
//! A browser (`Accept: text/html`) is sent to the new page with `303`; a client
//! asking for JSON gets the API's answer; anyone else gets `201`, `Location`,
//! `X-Delete-Token` and the URL as a line of text.

use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};

use crate::error::{AppError, Failure, Form};
use crate::routes::api::pastes::created_json;
use crate::routes::extract::{
    draft_from_multipart, draft_from_urlencoded, media_type, normalize_browser_newlines,
    preferred_form, read_body,
};
use crate::service::Created;
use crate::service::draft::{Draft, DraftContent};
use crate::state::AppState;

/// Name of the short-lived cookie that carries a browser's delete token to the
/// new paste's page, where it is shown once (it never appears in a URL).
pub const TOKEN_COOKIE: &str = "pb_token";

/// Percent-encoding can triple a form body: room allowed around the paste limit.
const FORM_OVERHEAD_FACTOR: usize = 3;

/// `POST /`: a form, urlencoded or multipart.
pub async fn post_form(
    req: HttpRequest,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Failure> {
    let form = preferred_form(&req);
    let rules = state.pastes.rules();
    let mut draft = match media_type(&req).as_deref() {
        Some("application/x-www-form-urlencoded") => {
            let limit = rules.max_paste_bytes.saturating_mul(FORM_OVERHEAD_FACTOR) + 64 * 1024;
            let body = read_body(&req, payload, limit, rules)
                .await
                .map_err(|e| e.render_as(form))?;
            let mut draft = Draft::default();
            draft_from_urlencoded(&mut draft, &body).map_err(|e| e.render_as(form))?;
            draft
        }
        Some("multipart/form-data") => draft_from_multipart(&req, payload, rules)
            .await
            .map_err(|e| e.render_as(form))?,
        _ => {
            return Err(AppError::UnsupportedMediaType(
                "POST / takes a form (application/x-www-form-urlencoded or multipart/form-data); \
                 send JSON to /api/v1/pastes, or a raw body with PUT /"
                    .into(),
            )
            .render_as(form));
        }
    };
    if form == Form::Html {
        normalize_browser_newlines(&mut draft);
    }
    create(&req, &state, draft, form).await
}

/// `PUT /`: the body is the paste; options come in the query string
/// (`curl -T notes.txt 'https://host/?expires=1h'`).
pub async fn put_body(
    req: HttpRequest,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Failure> {
    put(req, payload, state, None).await
}

/// `PUT /{name}`: what `curl -T notes.rs https://host/` sends; the name is the
/// default title and language hint.
pub async fn put_named(
    req: HttpRequest,
    payload: web::Payload,
    name: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Failure> {
    let name = name.into_inner();
    put(req, payload, state, Some(name)).await
}

async fn put(
    req: HttpRequest,
    payload: web::Payload,
    state: web::Data<AppState>,
    file_name: Option<String>,
) -> Result<HttpResponse, Failure> {
    let form = match preferred_form(&req) {
        Form::Html => Form::Text, // a raw upload is never a browser navigation
        other => other,
    };
    let mut draft = Draft::default();
    draft_from_urlencoded(&mut draft, req.query_string().as_bytes())
        .map_err(|e| e.render_as(form))?;
    if draft.content.is_some() {
        return Err(AppError::InvalidField {
            code: "duplicate_field",
            message: "with PUT the body is the content; do not also give `content` in the query"
                .into(),
        }
        .render_as(form));
    }
    let rules = state.pastes.rules();
    let body = read_body(&req, payload, rules.max_paste_bytes, rules)
        .await
        .map_err(|e| e.render_as(form))?;
    draft.content = Some(DraftContent::Bytes(body));
    draft.file_name = file_name;
    create(&req, &state, draft, form).await
}

async fn create(
    req: &HttpRequest,
    state: &AppState,
    draft: Draft,
    form: Form,
) -> Result<HttpResponse, Failure> {
    let created = state
        .pastes
        .create(draft)
        .await
        .map_err(|e| e.render_as(form))?;
    Ok(match form {
        Form::Json => created_json(&created, state),
        Form::Text => created_text(&created, state),
        Form::Html => created_redirect(req, &created, state),
    })
}

fn created_text(created: &Created, state: &AppState) -> HttpResponse {
    let url = state.paste_url(created.paste.id());
    HttpResponse::Created()
        .insert_header((header::LOCATION, url.clone()))
        .insert_header(("X-Delete-Token", created.delete_token.as_str()))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .content_type("text/plain; charset=utf-8")
        .body(format!("{url}\n"))
}

fn created_redirect(req: &HttpRequest, created: &Created, state: &AppState) -> HttpResponse {
    let id = created.paste.id();
    let secure =
        state.public_url.starts_with("https://") || req.connection_info().scheme() == "https";
    let cookie = Cookie::build(TOKEN_COOKIE, created.delete_token.as_str().to_owned())
        .path(format!("/{id}"))
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Lax)
        .max_age(actix_web::cookie::time::Duration::minutes(10))
        .finish();
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, format!("/{id}")))
        .insert_header(("X-Delete-Token", created.delete_token.as_str()))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .cookie(cookie)
        .finish()
}
