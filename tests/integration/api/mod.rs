//! The JSON API: every path and every error.

mod contract;
mod docs_page;
mod edits;
mod errors;
mod fixes;
mod generated_clients;
mod history_cache;
mod methods;
mod openapi;
mod pastes;
mod users;
