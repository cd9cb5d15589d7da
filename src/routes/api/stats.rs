//! `GET /api/v1/pastes/{id}/stats`: visits per month.

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::Month;
use crate::routes::failure::{ApiError, ErrorBody};
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
    tag = "pastes",
    params(("id" = String, Path, description = "Paste id")),
    responses(
        (status = 200, description = "The statistics", body = PasteStats),
        (status = 404, description = "Missing, expired, burned or deleted", body = ErrorBody),
        (status = 503, description = "A backend is down", body = ErrorBody),
    )
)]
pub(crate) async fn read(
    id: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let view = state.pastes.read_quietly(&id).await?;
    let stats = state.visits.stats(&view).await;
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
