//! The HTML surface and the curl paths that share its routes.

mod browser;
mod browser_edits;
mod browser_pages;
mod forms;
mod headers;
mod methods;
mod pages;
mod render_bounds;
mod rendering;
mod shell;
mod surfaces;
