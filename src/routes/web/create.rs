//! Creation from the form, from curl (`-F`, `--data`, `-T`) and from a raw body.
//!
//! A browser (`Accept: text/html`) is sent to the new page with `303`; a client
//! asking for JSON gets the API's answer; anyone else gets `201`, `Location`,
//! `X-Delete-Token` and the URL as a line of text.

use actix_web::{HttpRequest, HttpResponse, web};

use crate::error::{AppError, Failure, Form};
use crate::routes::creation::{admit, create};
use crate::routes::extract::{
    draft_from_multipart, draft_from_urlencoded, media_type, normalize_browser_newlines,
    preferred_form, read_body,
};
use crate::service::draft::{Draft, DraftContent};
use crate::state::AppState;

/// Percent-encoding can triple a form body: room allowed around the paste limit.
const FORM_OVERHEAD_FACTOR: usize = 3;

/// `POST /`: a form, urlencoded or multipart.
pub async fn post_form(
    req: HttpRequest,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Failure> {
    let form = preferred_form(&req);
    let rate = admit(&req, &state, form).await?;
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
    create(&req, &state, draft, form, rate).await
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
    let rate = admit(&req, &state, form).await?;
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
    create(&req, &state, draft, form, rate).await
}
