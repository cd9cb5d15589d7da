//! The JSON API: every path and every error.

mod contract;
mod errors;
mod fixes;
mod methods;
mod openapi;
mod pastes;
mod users;
