//! `GET /api/v1/users/{username}/pastes`: a user's public pastes, newest
//! first, a page at a time with a cursor.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;

use crate::domain::{Language, PasteId, PasteSummary, Search, Title, Username, Visibility};
use crate::routes::plumbing::failure::{ApiError, ErrorBody};
use crate::routes::plumbing::input::list_query;
use crate::state::{AppState, Links};

/// A user as their page shows them.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub(crate) struct UserInfo {
    /// The name (lowercase).
    #[schema(value_type = String, example = "ada")]
    pub(crate) username: Username,
    /// When the account was made, RFC 3339.
    #[serde(with = "time::serde::rfc3339")]
    pub(crate) created_at: OffsetDateTime,
    /// Pastes the user has created, expired and deleted ones included.
    pub(crate) pastes_created: u64,
}

/// One paste in a list: its metadata, without the content.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub(crate) struct PasteLine {
    /// The id.
    #[schema(value_type = String, example = "aZ3kP9xQ")]
    pub(crate) id: PasteId,
    /// The HTML page.
    pub(crate) url: String,
    /// The exact bytes, as `text/plain`.
    pub(crate) raw_url: String,
    /// The title, if any.
    #[schema(value_type = Option<String>)]
    pub(crate) title: Option<Title>,
    /// The language its author named (a token), if any.
    #[schema(value_type = Option<String>)]
    pub(crate) language: Option<Language>,
    /// The language its page shows (a token): the one named, else the one
    /// detected from its title and text; null for a sealed paste (password,
    /// end-to-end) or one stored before this was kept.
    #[schema(value_type = Option<String>)]
    pub(crate) shown_language: Option<Language>,
    /// `public`, `unlisted` or `private` (only the owner's own list, read
    /// with their bearer token, holds the last two).
    #[schema(value_type = String)]
    pub(crate) visibility: Visibility,
    /// Whether its first read deletes it.
    pub(crate) burn_after_read: bool,
    /// Creation time, RFC 3339.
    #[serde(with = "time::serde::rfc3339")]
    pub(crate) created_at: OffsetDateTime,
    /// Expiry time, RFC 3339; null when it never expires.
    #[serde(with = "time::serde::rfc3339::option")]
    pub(crate) expires_at: Option<OffsetDateTime>,
    /// Size of the content in bytes.
    pub(crate) size_bytes: u64,
    /// Visits folded into the statistics so far.
    pub(crate) views: u64,
}

/// A page of a user's pastes.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub(crate) struct UserPastes {
    /// Whose pastes.
    pub(crate) user: UserInfo,
    /// Public pastes, newest first.
    pub(crate) pastes: Vec<PasteLine>,
    /// Pass as `cursor` for the next page; null on the last page.
    #[schema(example = "1764072000123.aZ3kP9xQ")]
    pub(crate) next_cursor: Option<String>,
}

impl PasteLine {
    /// The line of a summary, with the links of this deployment.
    pub(crate) fn of(line: &PasteSummary, links: &Links) -> Self {
        Self {
            id: line.id.clone(),
            url: links.page(&line.id),
            raw_url: links.raw(&line.id),
            title: line.title.clone(),
            language: line.language.clone(),
            shown_language: line.shown_language.clone(),
            visibility: line.visibility,
            burn_after_read: line.burn_after_read,
            created_at: line.created_at,
            expires_at: line.expires_at,
            size_bytes: line.size_bytes,
            views: line.total_views,
        }
    }
}

/// A user's public pastes, newest first; with the user's own bearer token,
/// all of them (unlisted and private too). Pages never repeat or skip a
/// paste while new ones arrive: follow `next_cursor` until it is null.
#[utoipa::path(
    get,
    path = "/api/v1/users/{username}/pastes",
    operation_id = "list_user_pastes",
    tag = "users",
    security((), ("bearer" = [])),
    params(
        ("username" = String, Path, description = "User name (case-blind)"),
        ("cursor" = Option<String>, Query, description = "`next_cursor` of the previous page"),
        ("limit" = Option<usize>, Query, description = "Pastes per page"),
    ),
    responses(
        (status = 200, description = "A page of the user's public pastes", body = UserPastes),
        (status = 401, description = "`invalid_token`: an `Authorization` header that is not a live API token", body = ErrorBody),
        (status = 404, description = "`not_found`: no user of that name", body = ErrorBody,
         headers(("RateLimit-Limit" = u32, description = "Not-found answers allowed per minute (the client's not-found budget)"),
                 ("RateLimit-Remaining" = u32, description = "Not-found answers left"),
                 ("RateLimit-Reset" = u64, description = "Seconds until the budget is whole again"))),
        (status = 422, description = "`invalid_cursor`, `invalid_limit`, `unknown_field` (another parameter) or `duplicate_field` (one given twice)", body = ErrorBody),
        (status = 429, description = "`rate_limited`: this client's not-found budget is spent", body = ErrorBody,
         headers(("Retry-After" = u64, description = "Seconds to wait"),
                 ("RateLimit-Limit" = u32, description = "Not-found answers allowed per minute"),
                 ("RateLimit-Remaining" = u32, description = "0"),
                 ("RateLimit-Reset" = u64, description = "Seconds until the budget is whole again"))),
        (status = 503, description = "`unavailable`: a backend is down", body = ErrorBody,
         headers(("Retry-After" = u64, description = "Seconds to wait"))),
    )
)]
pub(crate) async fn pastes(
    req: HttpRequest,
    username: web::Path<String>,
    caller: crate::routes::plumbing::caller::Caller,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let query = list_query::parse(req.query_string())?;
    let page = state
        .services
        .users
        .author_page(&username, query, &Search::default(), caller.user())
        .await?;
    let body = UserPastes {
        user: UserInfo {
            username: page.user.username.clone(),
            created_at: page.user.created_at,
            pastes_created: page.user.stats.pastes_created,
        },
        pastes: page
            .pastes
            .iter()
            .map(|line| PasteLine::of(line, &state.http.links))
            .collect(),
        next_cursor: page.next.map(|c| c.encode()),
    };
    // The owner's own list holds unlisted and private pastes.
    let cache = if page.own {
        "private, no-cache"
    } else {
        "no-cache"
    };
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, cache))
        .json(body))
}
