//! Forks end to end: from the page's form and the API, the link both ways,
//! who may fork what, and the fork count kept by workers.

mod browser;
mod counts;
mod pages;
