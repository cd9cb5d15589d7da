//! Receiving request bodies within bounds: each body by size and by time, and
//! all bodies together by memory.
//!
//! Without these a client that declares a large `Content-Length` and sends
//! three bytes holds a request (and its buffer) forever, and a few hundred such
//! clients hold gigabytes. A body must arrive whole within
//! `limits.body_timeout_secs` (else 408), may hold at most its route's limit
//! (else 413, as soon as it passes it), and every byte received is counted
//! against `limits.uploads_in_flight_bytes` until the body is read: when that
//! is spent, a new chunk is refused with 503 and `Retry-After` rather than
//! letting the process grow.

use std::cell::Cell;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use actix_web::error::PayloadError;
use actix_web::http::header;
use actix_web::web::Bytes;
use actix_web::{HttpRequest, web};
use futures_util::{Stream, StreamExt};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::Sleep;

use crate::configuration::LimitSettings;
use crate::domain::ValidationError;
use crate::error::{AppError, RequestError};

/// The most a body's buffer is given before its bytes arrive: a declared
/// `Content-Length` is a claim, not bytes received.
const FIRST_CAPACITY: usize = 64 * 1024;

/// The bounds every request body is received within; one per process.
pub(crate) struct Uploads {
    in_flight: Arc<Semaphore>,
    timeout: Duration,
    encoded_limit: usize,
}

impl Uploads {
    /// The bounds of these settings.
    pub(crate) fn new(limits: &LimitSettings) -> Self {
        Self {
            in_flight: Arc::new(Semaphore::new(limits.uploads_in_flight_bytes.get() as usize)),
            timeout: limits.body_timeout_secs.duration(),
            encoded_limit: limits.body_limit(),
        }
    }

    /// The most an encoded body (JSON, a percent-encoded form) may hold.
    pub(crate) fn encoded_limit(&self) -> usize {
        self.encoded_limit
    }

    /// `payload`, bounded: the stream ends with an error when the body is late
    /// or the memory of bodies in flight is spent; the [`Stop`] says which.
    pub(crate) fn guard(&self, payload: web::Payload) -> (Guarded, Stop) {
        let stop = Stop(Rc::new(Cell::new(None)));
        let guarded = Guarded {
            payload,
            in_flight: self.in_flight.clone(),
            held: None,
            deadline: Box::pin(tokio::time::sleep(self.timeout)),
            timeout: self.timeout,
            stop: stop.clone(),
        };
        (guarded, stop)
    }
}

/// Why a guarded body stopped early.
#[derive(Debug, Clone, Copy)]
enum Stopped {
    Late(Duration),
    Busy,
}

/// Set by a [`Guarded`] stream when it ends a body early, read by whoever
/// sees the error come out of a parser (multipart wraps stream errors).
#[derive(Debug, Clone)]
pub(crate) struct Stop(Rc<Cell<Option<Stopped>>>);

impl Stop {
    /// The failure to answer when the guard stopped the body, if it did.
    pub(crate) fn failure(&self) -> Option<AppError> {
        self.0.get().map(|stopped| match stopped {
            Stopped::Late(timeout) => RequestError::BodyTimeout {
                secs: timeout.as_secs(),
            }
            .into(),
            Stopped::Busy => AppError::Busy,
        })
    }
}

/// A request body stream within the process's [`Uploads`] bounds. The memory
/// it counted is given back when it is dropped, that is once the body is read.
pub(crate) struct Guarded {
    payload: web::Payload,
    in_flight: Arc<Semaphore>,
    held: Option<OwnedSemaphorePermit>,
    deadline: Pin<Box<Sleep>>,
    timeout: Duration,
    stop: Stop,
}

impl Guarded {
    fn end(&mut self, why: Stopped) -> Poll<Option<Result<Bytes, PayloadError>>> {
        self.stop.0.set(Some(why));
        let error = std::io::Error::other(match why {
            Stopped::Late(_) => "the body did not arrive in time",
            Stopped::Busy => "too many bodies in flight",
        });
        Poll::Ready(Some(Err(PayloadError::Io(error))))
    }
}

impl Stream for Guarded {
    type Item = Result<Bytes, PayloadError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.stop.0.get().is_some() {
            return Poll::Ready(None);
        }
        if self.deadline.as_mut().poll(cx).is_ready() {
            let timeout = self.timeout;
            return self.end(Stopped::Late(timeout));
        }
        let chunk = match self.payload.poll_next_unpin(cx) {
            Poll::Ready(Some(Ok(chunk))) => chunk,
            other => return other,
        };
        let Ok(n) = u32::try_from(chunk.len()) else {
            return self.end(Stopped::Busy);
        };
        match self.in_flight.clone().try_acquire_many_owned(n) {
            Ok(permit) => {
                match &mut self.held {
                    Some(held) => held.merge(permit),
                    None => self.held = Some(permit),
                }
                Poll::Ready(Some(Ok(chunk)))
            }
            Err(_) => self.end(Stopped::Busy),
        }
    }
}

/// Reads a whole body within the process's bounds, refusing it (413 for a
/// paste of `paste_limit` bytes) as soon as it passes `limit`, before reading
/// further; a declared `Content-Length` over the limit is refused at once.
pub(crate) async fn read(
    req: &HttpRequest,
    payload: web::Payload,
    uploads: &Uploads,
    limit: usize,
    paste_limit: usize,
) -> Result<Vec<u8>, AppError> {
    let too_large = || -> AppError {
        if limit > paste_limit {
            RequestError::EncodedTooLarge { limit }.into()
        } else {
            ValidationError::TooLarge { limit: paste_limit }.into()
        }
    };
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|len| len > limit) {
        return Err(too_large());
    }
    let (mut body_stream, stop) = uploads.guard(payload);
    let mut body = Vec::with_capacity(declared.unwrap_or(8 * 1024).min(FIRST_CAPACITY));
    while let Some(chunk) = body_stream.next().await {
        let chunk = match chunk {
            Ok(chunk) => chunk,
            Err(e) => {
                return Err(stop
                    .failure()
                    .unwrap_or_else(|| RequestError::UnreadableBody(e.to_string()).into()));
            }
        };
        if body.len() + chunk.len() > limit {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}
