//! Creation from the form, from curl (`-F`, `--data`, `-T`) and from a raw body
//! (`PUT`, or a `POST` whose urlencoded body is not a form: `urlencoded::is_form`).
//!
//! A browser (`Accept: text/html`) is sent to the new page with `303`; a client
//! asking for JSON gets the API's answer; anyone else gets `201`, `Location`,
//! `X-Delete-Token` and the URL as a line of text.

use actix_web::{HttpRequest, HttpResponse, web};

use crate::error::{AppError, RequestError};
use crate::routes::plumbing::body;
use crate::routes::plumbing::creation::Creation;
use crate::routes::plumbing::failure::Negotiated;
use crate::routes::plumbing::headers::media_type;
use crate::routes::plumbing::input::{
    multipart, normalize_browser_newlines, spellings, urlencoded,
};
use crate::routes::plumbing::negotiate::Format;
use crate::routes::web::form::{FieldError, Values, form_page};
use crate::service::draft::{Draft, DraftContent};
use crate::state::AppState;

/// `POST /`: a form, urlencoded or multipart.
pub(crate) async fn post_form(
    req: HttpRequest,
    payload: web::Payload,
    creation: Creation,
    format: Format,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Negotiated> {
    let mut typed = None;
    let created = async {
        creation.admit(&state).await?;
        let mut draft = read_form(&req, payload, &state).await?;
        spellings::read_expiry(&mut draft, &req)?;
        // A signed-in browser's form must carry its session's CSRF token
        // (403 without); an anonymous one needs no cookie at all, and a
        // bearer token (`curl -F`, `--data`) none either.
        draft.author = creation.caller.acting_user(draft.csrf_token.as_deref())?;
        if format == Format::Html {
            normalize_browser_newlines(&mut draft);
            typed = Some(Values::of(&draft));
        }
        creation.create(&state, draft, format).await
    };
    match created.await {
        Ok(response) => Ok(response),
        // A person in a browser gets the form back, as typed, with the
        // error beside its field.
        Err(AppError::Validation(error)) if typed.is_some() => {
            let status = AppError::Validation(error.clone()).status();
            let values = typed.unwrap_or_default();
            let page = form_page(
                &state,
                &creation.caller,
                values,
                Some(FieldError::of(&error)),
            )
            .map_err(|e| e.answer_as(format))?;
            Ok(crate::routes::web::page_builder(status)
                .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
                .body(page))
        }
        Err(e) => Err(e.answer_as(format)),
    }
}

async fn read_form(
    req: &HttpRequest,
    payload: web::Payload,
    state: &AppState,
) -> Result<Draft, AppError> {
    let max = state.services.pastes.rules().max_paste_bytes;
    match media_type(req).as_deref() {
        Some("application/x-www-form-urlencoded") => {
            let uploads = &state.http.uploads;
            let body = body::read(req, payload, uploads, uploads.encoded_limit(), max).await?;
            let mut draft = Draft::default();
            if urlencoded::is_form(&body) {
                urlencoded::fill(&mut draft, &body)?;
            } else {
                // `curl --data-binary @file` (curl's default type): the body
                // is the paste, and options come in the query string, as
                // with `PUT`.
                urlencoded::fill(&mut draft, req.query_string().as_bytes())?;
                if draft.content.is_some() {
                    return Err(RequestError::ContentTwice(
                        "the body is the content; do not also give `content` in the query",
                    )
                    .into());
                }
                draft.content = Some(DraftContent::Bytes(body));
            }
            Ok(draft)
        }
        Some("multipart/form-data") => {
            multipart::draft(req, payload, &state.http.uploads, max).await
        }
        _ => Err(RequestError::UnsupportedMediaType(
            "POST / takes a form (application/x-www-form-urlencoded or multipart/form-data); \
             send JSON to /api/v1/pastes, or a raw body with PUT /",
        )
        .into()),
    }
}

/// `PUT /`: the body is the paste; options come in the query string
/// (`curl -T notes.txt 'https://host/?expires=1h'`).
pub(crate) async fn put_body(
    req: HttpRequest,
    payload: web::Payload,
    creation: Creation,
    format: Format,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Negotiated> {
    put(req, payload, creation, format, state, None).await
}

/// `PUT /{name}`: what `curl -T notes.rs https://host/` sends; the name is the
/// default title and language hint.
pub(crate) async fn put_named(
    req: HttpRequest,
    payload: web::Payload,
    name: web::Path<String>,
    creation: Creation,
    format: Format,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Negotiated> {
    put(
        req,
        payload,
        creation,
        format,
        state,
        Some(name.into_inner()),
    )
    .await
}

/// `PUT /healthz`, `/readyz`, `/metrics`: fixed paths that are also file names
/// `curl -T` may send, so they take the upload `put_named` would; the path is
/// the name.
pub(crate) async fn put_fixed_name(
    req: HttpRequest,
    payload: web::Payload,
    creation: Creation,
    format: Format,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Negotiated> {
    let name = req.path().trim_start_matches('/').to_owned();
    put(req, payload, creation, format, state, Some(name)).await
}

/// A raw upload. A session counts without a CSRF token: no form can send
/// a `PUT`, and a cross-site script cannot without CORS, never granted here.
async fn put(
    req: HttpRequest,
    payload: web::Payload,
    creation: Creation,
    format: Format,
    state: web::Data<AppState>,
    file_name: Option<String>,
) -> Result<HttpResponse, Negotiated> {
    let format = match format {
        Format::Html => Format::Text, // a raw upload is never a browser navigation
        other => other,
    };
    let created = async {
        creation.admit(&state).await?;
        let mut draft = Draft::default();
        urlencoded::fill(&mut draft, req.query_string().as_bytes())?;
        if draft.content.is_some() {
            return Err(RequestError::ContentTwice(
                "with PUT the body is the content; do not also give `content` in the query",
            )
            .into());
        }
        let max = state.services.pastes.rules().max_paste_bytes;
        draft.content = Some(DraftContent::Bytes(
            body::read(&req, payload, &state.http.uploads, max, max).await?,
        ));
        spellings::read_expiry(&mut draft, &req)?;
        draft.file_name = file_name;
        draft.csrf_token = None;
        draft.author = creation.caller.user().cloned();
        creation.create(&state, draft, format).await
    };
    created.await.map_err(|e| e.answer_as(format))
}
