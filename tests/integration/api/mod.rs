//! The JSON API: every path and every error.

mod errors;
mod methods;
mod openapi;
mod pastes;
mod users;
