//! One resource per path, knowing its methods: a method the path lacks is
//! answered `405 Method Not Allowed` with an `Allow` header naming the ones it
//! has (RFC 9110 §15.5.6), while a path that does not exist stays `404 no_route`.
//!
//! actix makes a resource of every `cfg.route(path, route)` call, guarded by the
//! route's method, so a request whose method no guard takes falls through every
//! resource to the app's default service: a 404 where HTTP says 405. Here all
//! methods of a path are routes of one `Resource`, whose default service is the
//! 405, and the `Allow` list is made from the routes added, so it cannot drift
//! from them.

use std::sync::Arc;

use actix_web::{FromRequest, Handler, HttpRequest, HttpResponse, Resource, Responder, Route};
use actix_web::{guard, web};

use crate::error::AppError;
use crate::routes::plumbing::failure::Negotiated;
use crate::routes::plumbing::negotiate::Format;

/// The format a resource refuses a method in.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Refusal {
    /// Always JSON: the API answers nothing else.
    Json,
    /// What the client's `Accept` asks for, as every other failure of the web
    /// routes (a page, a line of text, JSON).
    Negotiated,
}

/// A resource being built: its routes, and the methods they take in order.
pub(crate) struct Methods {
    resource: Resource,
    allow: Vec<&'static str>,
}

/// The resource at `path`, with no method yet.
pub(crate) fn at(path: &str) -> Methods {
    Methods {
        resource: web::resource(path),
        allow: Vec::new(),
    }
}

impl Methods {
    /// `GET`, and `HEAD` with it (HTTP wants HEAD wherever GET is). A handler
    /// that acts on a read (burns, counts a visit) checks for HEAD itself.
    pub(crate) fn get<F, Args>(self, handler: F) -> Self
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        let either = guard::Any(guard::Get()).or(guard::Head());
        self.with(&["GET", "HEAD"], web::route().guard(either).to(handler))
    }

    /// `POST`
    pub(crate) fn post<F, Args>(self, handler: F) -> Self
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        self.with(&["POST"], web::post().to(handler))
    }

    /// `PUT`
    pub(crate) fn put<F, Args>(self, handler: F) -> Self
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        self.with(&["PUT"], web::put().to(handler))
    }

    /// `PATCH`
    pub(crate) fn patch<F, Args>(self, handler: F) -> Self
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        self.with(&["PATCH"], web::patch().to(handler))
    }

    /// `DELETE`
    pub(crate) fn delete<F, Args>(self, handler: F) -> Self
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        self.with(&["DELETE"], web::delete().to(handler))
    }

    fn with(mut self, methods: &[&'static str], route: Route) -> Self {
        self.allow.extend_from_slice(methods);
        self.resource = self.resource.route(route);
        self
    }

    /// The finished resource: any other method is a 405 `method_not_allowed`
    /// whose `Allow` lists the methods above, answered as `refusal` says.
    pub(crate) fn refusing(self, refusal: Refusal) -> Resource {
        let allow: Arc<str> = self.allow.join(", ").into();
        self.resource
            .default_service(web::to(move |req: HttpRequest| {
                let format = match refusal {
                    Refusal::Json => Format::Json,
                    Refusal::Negotiated => Format::of(&req),
                };
                let error = AppError::MethodNotAllowed {
                    allow: allow.clone(),
                };
                async move { Err::<HttpResponse, Negotiated>(error.answer_as(format)) }
            }))
    }
}
