//! The JSON API: every path and every error.

mod contract;
mod errors;
mod methods;
mod openapi;
mod pastes;
mod users;
