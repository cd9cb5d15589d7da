//! The JSON API under `/api/v1`: every answer, errors included, is JSON.

pub mod openapi;
pub mod pastes;
pub mod stats;
pub mod users;

use crate::error::AppError;
use crate::routes::failure::ApiError;

/// Anything unrouted under `/api/v1`.
pub async fn no_route() -> Result<actix_web::HttpResponse, ApiError> {
    Err(AppError::NoRoute.into())
}
