//! Every integration test, in one binary so it links once.
//!
//! Tests start the real application on a random port with a temporary store
//! and talk to it over HTTP; pages are driven in a real headless Chromium.

mod accounts;
mod admin;
mod api;
mod cache;
mod cli;
mod conformance;
mod deploy;
mod e2e;
mod files;
mod forks;
mod lifecycle;
mod limits;
mod raw;
mod redis;
mod sentinel;
mod support;
mod web;
mod worker;
