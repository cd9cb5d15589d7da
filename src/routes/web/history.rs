//! A paste's history pages: `/{id}/revisions` (the list), `/{id}/r/{n}` (one
//! revision), `/raw/{id}/r/{n}` (its bytes) and `/{id}/diff/{a}..{b}` (a
//! unified diff, added and removed lines marked).

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use super::nav::Nav;
use super::paste_page::{human_time, iso_time};
use super::{human_size, page_builder, render};
use crate::error::AppError;
use crate::render::Kind;
use crate::routes::api::edits::revision_number;
use crate::routes::plumbing::caller::Caller;
use crate::routes::plumbing::failure::{Html, Negotiated, PageError};
use crate::routes::plumbing::negotiate::Format;
use crate::routes::plumbing::paste_path::PastePath;
use crate::service::pastes::Want;
use crate::service::views::ShownHunk;
use crate::state::AppState;

/// One line of the history list.
struct Line {
    number: u64,
    when: String,
    when_iso: String,
    by: Option<String>,
    size: String,
    added: u64,
    removed: u64,
}

#[derive(Template)]
#[template(path = "revisions.html")]
struct RevisionsPage<'a> {
    nav: Nav,
    id: &'a str,
    latest: u64,
    lines: Vec<Line>,
}

#[derive(Template)]
#[template(path = "revision.html")]
struct RevisionPage<'a> {
    nav: Nav,
    id: &'a str,
    number: u64,
    latest: u64,
    heading: &'a str,
    when: String,
    by: Option<&'a str>,
    /// The language shown (as the paste page names it).
    language: &'a str,
    /// A Markdown revision is shown as its document, not as lines.
    markdown: bool,
    /// Why it is shown as plain text, if it has a language.
    fallback: Option<&'static str>,
    code: &'a str,
}

#[derive(Template)]
#[template(path = "diff.html")]
struct DiffPage<'a> {
    nav: Nav,
    id: &'a str,
    from: u64,
    to: u64,
    hunks: &'a [ShownHunk],
}

/// `GET /{id}/revisions`
pub(crate) async fn list(
    path: PastePath<Html>,
    caller: Caller,
    state: web::Data<AppState>,
) -> Result<HttpResponse, PageError> {
    let history = state
        .services
        .pastes
        .history(path.id(), caller.user())
        .await?;
    let lines = history
        .lines
        .iter()
        .map(|l| Line {
            number: l.mark.number,
            when: human_time(l.mark.at),
            when_iso: iso_time(l.mark.at),
            by: l.mark.by.as_ref().map(|a| a.username.to_string()),
            size: human_size(usize::try_from(l.size_bytes).unwrap_or(usize::MAX)),
            added: l.mark.lines_added,
            removed: l.mark.lines_removed,
        })
        .collect();
    let body = render(&RevisionsPage {
        nav: Nav::of(&caller),
        id: path.id().as_str(),
        latest: history.paste.revision_number(),
        lines,
    })?;
    Ok(page(body))
}

/// `GET /{id}/r/{n}`
pub(crate) async fn show(
    req: HttpRequest,
    path: PastePath<Html>,
    caller: Caller,
    state: web::Data<AppState>,
) -> Result<HttpResponse, PageError> {
    let number = revision_number(&req)?;
    let shown = state
        .services
        .pastes
        .revision(path.id(), number, caller.user(), Want::Page)
        .await?;
    let revision = &shown.revision;
    let rendered = revision.rendered.as_ref();
    let body = render(&RevisionPage {
        nav: Nav::of(&caller),
        id: path.id().as_str(),
        number,
        latest: shown.latest,
        heading: revision
            .title
            .as_ref()
            .map_or("Untitled paste", |t| t.as_str()),
        when: human_time(revision.mark.at),
        by: revision.mark.by.as_ref().map(|a| a.username.as_str()),
        language: rendered.map_or("Plain Text", |r| r.info.language.as_str()),
        markdown: rendered.is_some_and(|r| r.info.kind == Kind::Markdown),
        fallback: rendered.and_then(|r| r.info.fallback).map(|f| f.describe()),
        code: rendered.map_or("", |r| r.html()),
    })?;
    Ok(page(body))
}

/// `GET /raw/{id}/r/{n}`: the bytes of one revision. An earlier revision
/// never changes, so its ETag is its number and content hash for good.
pub(crate) async fn raw(
    req: HttpRequest,
    path: PastePath,
    caller: Caller,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Negotiated> {
    let answer = async {
        let number = revision_number(&req)?;
        state
            .services
            .pastes
            .revision(path.id(), number, caller.user(), Want::Text)
            .await
    };
    let revision = answer
        .await
        .map_err(|e| e.answer_as(Format::of(&req)))?
        .revision;
    Ok(HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .insert_header((
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; sandbox",
        ))
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .insert_header(crate::middleware::NOINDEX)
        .body(revision.content))
}

/// `GET /{id}/diff/{a}..{b}`; `Accept: text/plain` (curl) gets the unified
/// diff as text.
pub(crate) async fn diff(
    req: HttpRequest,
    path: PastePath,
    caller: Caller,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Negotiated> {
    let format = Format::of(&req);
    let answer = async {
        let range = req.match_info().get("range").unwrap_or_default();
        let (a, b) = range
            .split_once("..")
            .and_then(|(a, b)| Some((a.parse::<u64>().ok()?, b.parse::<u64>().ok()?)))
            .filter(|(a, b)| *a >= 1 && *b >= 1)
            .ok_or(AppError::NotFound)?;
        let compared = state
            .services
            .pastes
            .compare(path.id(), (a, b), caller.user())
            .await?;
        if format != Format::Html {
            return Ok(HttpResponse::Ok()
                .content_type("text/plain; charset=utf-8")
                .insert_header((header::CACHE_CONTROL, "no-cache"))
                .body(compared.text));
        }
        let body = render(&DiffPage {
            nav: Nav::of(&caller),
            id: path.id().as_str(),
            from: compared.from,
            to: compared.to,
            hunks: &compared.hunks,
        })?;
        Ok(page(body))
    };
    answer.await.map_err(|e: AppError| e.answer_as(format))
}

fn page(body: String) -> HttpResponse {
    page_builder(StatusCode::OK)
        .insert_header(crate::middleware::NOINDEX)
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .body(body)
}
