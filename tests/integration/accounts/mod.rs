//! Accounts: the forms, sessions across clones, CSRF, and who may see what.

mod forms;
mod sessions;
mod visibility;
