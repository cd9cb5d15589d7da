//! The JSON API: every path and every error.

mod contract;
mod docs_page;
mod edits;
mod errors;
mod fixes;
mod history_cache;
mod generated_clients;
mod methods;
mod openapi;
mod pastes;
mod users;
