//! Accounts: the forms, sessions across clones, CSRF, and who may see what.

mod browser;
mod claim;
mod forms;
pub(crate) mod lockout;
mod sessions;
mod tokens;
mod user_list;
mod user_view;
mod visibility;
