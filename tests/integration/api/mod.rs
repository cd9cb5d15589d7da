//! The JSON API: every path and every error.

mod errors;
mod openapi;
mod pastes;
mod users;
