//! The JSON API under `/api/v1`: every answer, errors included, is JSON.

pub mod openapi;
pub mod pastes;
pub mod stats;
pub mod users;

use actix_web::{HttpResponse, ResponseError};

use crate::error::AppError;

/// Anything unrouted under `/api/v1`.
pub async fn no_route() -> HttpResponse {
    AppError::NoRoute.json().error_response()
}
