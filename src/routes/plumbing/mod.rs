//! What every resource leans on: who a request is (its client, its signed-in
//! user or bearer token), the format it asked for, its headers and bodies
//! read within bounds and parsed into service input, the shared creation
//! flow, failure answers, method refusals and the not-found budget.

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
pub(crate) mod small_body;
pub(crate) mod viewer;
