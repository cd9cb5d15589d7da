//! `GET /api/v1/pastes/{id}/stats`: visits per month.

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::Month;
use crate::routes::plumbing::failure::{ApiError, ErrorBody};
use crate::state::AppState;

/// A paste's visits.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub(crate) struct PasteStats {
    /// Every visit counted (page, raw, download, API read).
    pub(crate) total_views: u64,
    /// Visits per calendar month (UTC), oldest first.
    pub(crate) monthly: Vec<MonthViews>,
}

/// Visits in one month.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub(crate) struct MonthViews {
    /// `YYYY-MM`.
    #[schema(value_type = String, example = "2026-11")]
    pub(crate) month: Month,
    /// Visits in that month.
    pub(crate) views: u64,
}

/// Visits of a paste, in total and per month. Reading them is not a visit.
#[utoipa::path(
    get,
    path = "/api/v1/pastes/{id}/stats",
    operation_id = "read_paste_stats",
    tag = "pastes",
    security((), ("bearer" = [])),
    params(("id" = String, Path, description = "Paste id")),
    responses(
        (status = 200, description = "The statistics", body = PasteStats),
        (status = 401, description = "`invalid_token`: an `Authorization` header that is not a live API token", body = ErrorBody),
        (status = 404, description = "`not_found`: missing, expired, burned or deleted", body = ErrorBody,
         headers(("RateLimit-Limit" = u32, description = "Not-found answers allowed per minute (the client's not-found budget)"),
                 ("RateLimit-Remaining" = u32, description = "Not-found answers left"),
                 ("RateLimit-Reset" = u64, description = "Seconds until the budget is whole again"))),
        (status = 410, description = "`removed`: taken down by the operator (the message names the category)", body = ErrorBody),
        (status = 429, description = "`rate_limited`: this client's not-found budget is spent", body = ErrorBody,
         headers(("Retry-After" = u64, description = "Seconds to wait"),
                 ("RateLimit-Limit" = u32, description = "Not-found answers allowed per minute"),
                 ("RateLimit-Remaining" = u32, description = "0"),
                 ("RateLimit-Reset" = u64, description = "Seconds until the budget is whole again"))),
        (status = 503, description = "`unavailable`: a backend is down", body = ErrorBody,
         headers(("Retry-After" = u64, description = "Seconds to wait"))),
    )
)]
pub(crate) async fn read(
    path: crate::routes::plumbing::paste_path::PastePath<crate::routes::plumbing::failure::Json>,
    caller: crate::routes::plumbing::caller::Caller,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let view = state
        .services
        .pastes
        .read_quietly(path.id(), caller.user())
        .await?;
    let stats = state.services.visits.stats(&view).await;
    let body = PasteStats {
        total_views: stats.total_views,
        monthly: stats
            .monthly
            .into_iter()
            .map(|(month, views)| MonthViews { month, views })
            .collect(),
    };
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .json(body))
}
