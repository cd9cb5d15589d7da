//! `GET /api/v1/pastes/{id}/stats`: visits per month.

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::{AppError, ErrorBody, Failure};
use crate::state::AppState;

/// A paste's visits.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PasteStats {
    /// Every visit counted (page, raw, download, API read).
    pub total_views: u64,
    /// Visits per calendar month (UTC), oldest first.
    pub monthly: Vec<MonthViews>,
}

/// Visits in one month.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct MonthViews {
    /// `YYYY-MM`.
    #[schema(example = "2026-11")]
    pub month: String,
    /// Visits in that month.
    pub views: u64,
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
pub async fn read(
    id: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Failure> {
    let (_, monthly) = state.pastes.stats(&id).await.map_err(AppError::json)?;
    let body = PasteStats {
        total_views: monthly.iter().map(|(_, n)| n).sum(),
        monthly: monthly
            .into_iter()
            .map(|(month, views)| MonthViews { month, views })
            .collect(),
    };
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .json(body))
}
