//! The HTML surface and the curl paths that share its routes.

mod browser;
mod forms;
mod headers;
mod methods;
mod pages;
