//! The edit form (`GET /{id}/edit`, `POST /{id}/edit`): plain HTML, no
//! script needed. The signed-in author edits with the session's CSRF token;
//! anyone else with the paste's delete token.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::nav::Nav;
use super::{page_builder, render};
use crate::routes::plumbing::body;
use crate::routes::plumbing::caller::Caller;
use crate::routes::plumbing::client::Client;
use crate::routes::plumbing::failure::{Html, PageError};
use crate::routes::plumbing::paste_path::PastePath;
use crate::routes::plumbing::small_body::CsrfForm;
use crate::service::draft::DraftContent;
use crate::service::{EditDraft, Editor};
use crate::state::AppState;

#[derive(Template)]
#[template(path = "edit.html")]
struct EditPage<'a> {
    nav: Nav,
    id: &'a str,
    revision: u64,
    content: &'a str,
    title: &'a str,
    language: &'a str,
    visibility: &'a str,
    /// The author is signed in: no delete token is asked for.
    owner: bool,
    languages: Vec<(&'a str, &'a str)>,
    /// The expiry presets within `limits.max_expiry` (a longer one would
    /// only be refused).
    presets: Vec<(&'static str, &'static str)>,
}

/// The form's expiry presets that `rules` accept.
fn within_max(rules: &crate::service::draft::Rules) -> Vec<(&'static str, &'static str)> {
    super::form::EXPIRY_PRESETS
        .iter()
        .filter(|(value, _)| {
            crate::domain::Expiry::parse(value, rules.max_expiry, &rules.max_expiry_text).is_ok()
        })
        .copied()
        .collect()
}

/// `GET /{id}/edit`: the form, filled with the latest revision. Shown to
/// whoever may read the paste (the token decides when it is sent); a
/// burn-after-read paste is 409.
pub(crate) async fn form(
    path: PastePath<Html>,
    caller: Caller,
    state: web::Data<AppState>,
) -> Result<HttpResponse, PageError> {
    let history = state
        .services
        .pastes
        .history(path.id(), caller.user())
        .await?;
    let paste = &history.paste;
    let f = &paste.fields;
    if !f.files.is_empty() {
        return Err(crate::error::AppError::MultiFile.into());
    }
    let owner = matches!((&f.author, caller.user()), (Some(a), Some(u)) if a.id == u.id);
    let body = render(&EditPage {
        nav: Nav::of(&caller),
        id: path.id().as_str(),
        revision: paste.revision_number(),
        content: f.content.as_str(),
        title: f.title.as_ref().map_or("", |t| t.as_str()),
        language: f.language.as_ref().map_or("", |l| l.as_str()),
        visibility: f.visibility.as_str(),
        owner,
        languages: crate::render::catalog()
            .entries()
            .iter()
            .map(|e| (e.token.as_str(), e.name.as_str()))
            .collect(),
        presets: within_max(state.services.pastes.rules()),
    })?;
    Ok(page_builder(StatusCode::OK)
        .insert_header(crate::middleware::NOINDEX)
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(body))
}

/// The edit form's fields.
#[derive(Deserialize, Default)]
pub(crate) struct EditForm {
    #[serde(default)]
    revision: Option<String>,
    #[serde(default)]
    content: Option<String>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    language: Option<String>,
    #[serde(default)]
    visibility: Option<String>,
    #[serde(default)]
    expires: Option<String>,
    #[serde(default)]
    delete_token: Option<String>,
}

/// `POST /{id}/edit`: applies the edit and sends the browser to the paste
/// (303), which every clone shows at its new revision by then.
pub(crate) async fn submit(
    req: HttpRequest,
    payload: web::Payload,
    path: PastePath<Html>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, PageError> {
    let max = state.services.pastes.rules().max_paste_bytes;
    let uploads = &state.http.uploads;
    let bytes = body::read(&req, payload, uploads, uploads.encoded_limit(), max).await?;
    let CsrfForm { fields, by } = CsrfForm::<EditForm>::parse(&req, &bytes).await?;
    let draft = EditDraft {
        revision: fields.revision,
        // A browser sends CRLF line ends; the paste keeps what was typed.
        content: fields
            .content
            .map(|c| DraftContent::Text(c.replace("\r\n", "\n"))),
        title: fields.title,
        language: fields.language,
        visibility: fields.visibility,
        expires: fields.expires,
    };
    let client = Client::of(&req);
    let editor = Editor {
        user: by.as_ref(),
        delete_token: fields.delete_token.as_deref(),
        client: client.as_str(),
    };
    state.services.pastes.edit(path.id(), draft, editor).await?;
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, format!("/{}", path.id())))
        .finish())
}

/// The options of `curl -X PATCH --data-binary @file '/{id}?revision=2'`.
#[derive(Deserialize, Default)]
struct RawOptions {
    revision: Option<String>,
    title: Option<String>,
    language: Option<String>,
    visibility: Option<String>,
    expires: Option<String>,
}

/// `PATCH /{id}` with a raw body: the body is the new text, the other fields
/// come in the query string, the token in `X-Delete-Token` (or a bearer
/// token; a browser cannot send a cross-site PATCH without CORS, which this
/// service never grants, so a session counts too, as for `DELETE /{id}`).
/// Answers the paste's URL and its revision as text (or in the format asked).
pub(crate) async fn patch_raw(
    req: HttpRequest,
    payload: web::Payload,
    path: crate::routes::plumbing::paste_path::PastePath,
    caller: Caller,
    state: web::Data<AppState>,
) -> Result<HttpResponse, crate::routes::plumbing::failure::Negotiated> {
    let format = crate::routes::plumbing::negotiate::Format::of(&req);
    let edited = async {
        let options: RawOptions = serde_urlencoded::from_str(req.query_string())
            .map_err(|_| crate::error::RequestError::MalformedForm)?;
        let max = state.services.pastes.rules().max_paste_bytes;
        let uploads = &state.http.uploads;
        let bytes = body::read(&req, payload, uploads, max, max).await?;
        let draft = EditDraft {
            revision: options.revision,
            content: (!bytes.is_empty()).then_some(DraftContent::Bytes(bytes)),
            title: options.title,
            language: options.language,
            visibility: options.visibility,
            expires: options.expires,
        };
        let client = Client::of(&req);
        let editor = Editor {
            user: caller.user(),
            delete_token: crate::routes::plumbing::headers::delete_token(&req),
            client: client.as_str(),
        };
        state.services.pastes.edit(path.id(), draft, editor).await
    };
    let (meta, _) = edited.await.map_err(|e| e.answer_as(format))?;
    Ok(HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(format!(
            "{} (revision {})\n",
            state.http.links.page(&meta.id),
            meta.revision
        )))
}
