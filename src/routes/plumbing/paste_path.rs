//! The paste a route names: `PastePath`, the `{id}` segment parsed at the
//! edge, so services take a `PasteId` and never see a malformed one.

use std::future::{Ready, ready};
use std::marker::PhantomData;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};

use crate::domain::PasteId;
use crate::error::AppError;
use crate::routes::plumbing::failure::{Html, Json, Negotiated, Surface, Text};
use crate::routes::plumbing::negotiate::Format;

/// The `{id}` of a paste route. An id that cannot be one (wrong length or
/// alphabet) is a 404 before any service runs: it is as missing as an id
/// that was never handed out, and is counted against the not-found budget
/// the same way. `S` is the surface the 404 is answered on: a route's own
/// (`Html`, `Text`, `Json`), or `Asked` (as negotiated, `Format`).
#[derive(Debug, Clone)]
pub(crate) struct PastePath<S = Asked>(PasteId, PhantomData<S>);

impl<S> PastePath<S> {
    /// The id.
    pub(crate) fn id(&self) -> &PasteId {
        &self.0
    }
}

/// The surface of a negotiated route: its failures in the `Format` asked.
#[derive(Debug, Clone)]
pub(crate) struct Asked;

/// How a surface picks the format of a failure.
pub(crate) trait AnswerIn {
    /// The format of `req`'s failures on this surface.
    fn format(req: &HttpRequest) -> Format;
}

impl AnswerIn for Asked {
    fn format(req: &HttpRequest) -> Format {
        Format::of(req)
    }
}

macro_rules! fixed_surface {
    ($($surface:ty),*) => {$(
        impl AnswerIn for $surface {
            fn format(_: &HttpRequest) -> Format {
                <$surface as Surface>::FORMAT
            }
        }
    )*};
}
fixed_surface!(Html, Text, Json);

impl<S: AnswerIn> FromRequest for PastePath<S> {
    type Error = Negotiated;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let id = req
            .match_info()
            .get("id")
            .and_then(PasteId::parse)
            .map(|id| PastePath(id, PhantomData))
            .ok_or_else(|| AppError::NotFound.answer_as(S::format(req)));
        ready(id)
    }
}
