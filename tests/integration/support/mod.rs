//! Test harness: the app, the binary as a process, and a browser.

pub mod accounts;
pub mod app;
pub mod browser;
pub mod held_link;
pub mod process;
pub mod redis;
pub mod sentinel;
pub mod slow_link;
pub mod users;
