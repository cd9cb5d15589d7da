//! What every resource leans on: who a request is (its client, its signed-in
//! user or bearer token), the format it asked for, its headers and bodies
//! read within bounds and parsed into service input, the shared creation
//! flow, failure answers, method refusals and the not-found budget.
//!
//! The facts of a request are extractors, each computed at most once per
//! request and kept in its extensions (handlers, other extractors and the
//! middleware read the same value):
//! - `Client` (`client`): who the request is counted as, for the creation
//!   limit, the not-found budget, `Idempotency-Key` records and the logs;
//! - `Format` (`negotiate`): the format of its answers, errors included;
//! - `Caller` (`caller`): anonymous, a signed-in session, or the user of an
//!   `Authorization: Bearer` token, on every surface (a bad token is 401
//!   `invalid_token` wherever it is sent);
//! - `IdempotencyKey` (`headers`): the checked `Idempotency-Key`, if sent;
//! - `PastePath` (`paste_path`): the `{id}` of a paste route, parsed: a
//!   malformed id is a 404 before any service runs;
//! - `CsrfForm<T>` (`small_body`): the one way to read a small form, with the
//!   CSRF check of a signed-in session in it.

pub(crate) mod body;
pub(crate) mod caller;
pub(crate) mod client;
pub(crate) mod creation;
pub(crate) mod failure;
pub(crate) mod headers;
pub(crate) mod input;
pub(crate) mod methods;
pub(crate) mod miss_budget;
pub(crate) mod negotiate;
pub(crate) mod paste_password;
pub(crate) mod paste_path;
pub(crate) mod session_cookie;
pub(crate) mod small_body;

use actix_web::{HttpMessage, HttpRequest};

/// A fact of `req`, made by `make` the first time it is asked for and kept
/// in the request's extensions for every later ask.
pub(crate) fn once<T: Clone + 'static>(
    req: &HttpRequest,
    make: impl FnOnce(&HttpRequest) -> T,
) -> T {
    if let Some(known) = req.extensions().get::<T>() {
        return known.clone();
    }
    let fact = make(req);
    req.extensions_mut().insert(fact.clone());
    fact
}
