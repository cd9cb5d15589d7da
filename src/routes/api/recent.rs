//! `GET /api/v1/recent`: the public archive (the pastes `/recent` lists),
//! newest first, a page at a time with a cursor, searched by title words
//! and by language.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::users::PasteLine;
use crate::routes::plumbing::failure::{ApiError, ErrorBody};
use crate::routes::plumbing::input::search_query;
use crate::state::AppState;

/// A page of the public archive.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub(crate) struct RecentPastes {
    /// Listed pastes, newest first.
    pub(crate) pastes: Vec<PasteLine>,
    /// Pass as `cursor` (with the same search) for the next page; null on
    /// the last page.
    #[schema(example = "1764072000123.aZ3kP9xQ")]
    pub(crate) next_cursor: Option<String>,
}

/// The newest public pastes: public, and readable by anyone without a
/// password, a key or spending a view (burn-after-read, `max_views`,
/// password-protected and end-to-end encrypted pastes are never listed).
/// `title` keeps the pastes whose title has every word given (case-blind;
/// words are runs of letters and digits); `language` those shown in that
/// language (given by their author or detected). Pages never repeat or skip
/// a paste while new ones arrive: follow `next_cursor` until it is null.
#[utoipa::path(
    get,
    path = "/api/v1/recent",
    operation_id = "list_recent_pastes",
    tag = "pastes",
    params(
        ("title" = Option<String>, Query, description = "Words the title must all have (any case)"),
        ("language" = Option<String>, Query, description = "The language shown, by token (`GET /api/v1/languages`)"),
        ("cursor" = Option<String>, Query, description = "`next_cursor` of the previous page"),
        ("limit" = Option<usize>, Query, description = "Pastes per page"),
    ),
    responses(
        (status = 200, description = "A page of the public archive", body = RecentPastes),
        (status = 422, description = "`invalid_cursor`, `invalid_limit`, `invalid_language`, `title_too_long` (a search past 100 characters), `unknown_field` (another parameter) or `duplicate_field` (one given twice)", body = ErrorBody),
        (status = 503, description = "`unavailable`: a backend is down", body = ErrorBody,
         headers(("Retry-After" = u64, description = "Seconds to wait"))),
    )
)]
pub(crate) async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let query = search_query::parse(req.query_string())?;
    let page = state
        .services
        .archive
        .page(&query.search, query.page)
        .await?;
    let body = RecentPastes {
        pastes: page
            .pastes
            .iter()
            .map(|line| PasteLine::of(line, &state.http.links))
            .collect(),
        next_cursor: page.next.map(|c| c.encode()),
    };
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .json(body))
}
