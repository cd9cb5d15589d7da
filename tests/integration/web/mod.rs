//! The HTML surface and the curl paths that share its routes.

mod accessibility;
mod browser;
mod browser_edits;
mod browser_pages;
mod forms;
mod headers;
mod hot_reads;
mod layout;
mod max_views;
mod methods;
mod pages;
mod recent;
mod render_bounds;
mod rendering;
mod screenshots;
mod shell;
mod surfaces;
