//! The JSON API under `/api/v1`: every answer, errors included, is JSON.

mod contract;
pub(crate) mod docs_page;
pub(crate) mod edits;
pub(crate) mod files;
pub(crate) mod forks;
pub(crate) mod languages;
pub(crate) mod openapi;
pub(crate) mod pastes;
pub(crate) mod recent;
pub(crate) mod stats;
pub(crate) mod tokens;
pub(crate) mod users;

use crate::error::AppError;
use crate::routes::plumbing::failure::ApiError;

/// Anything unrouted under `/api/v1`.
pub(crate) async fn no_route() -> Result<actix_web::HttpResponse, ApiError> {
    Err(AppError::NoRoute.into())
}
