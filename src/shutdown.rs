//! Stopping a clone without losing a request: drain first, then stop.
//!
//! A balancer learns that a clone is going away only from the clone: by its
//! readiness, or by the clone closing connections. So on SIGTERM (or SIGINT)
//! `serve` does not stop at once. For `shutdown.drain_secs` it keeps accepting
//! and answering, while `/readyz` answers 503 "draining" and every answer
//! carries `Connection: close`: a kept-alive client (nginx's pooled upstream
//! connections) sends its next request over a new connection, which after the
//! drain lands on another clone. Then it stops accepting, and actix's graceful
//! stop finishes every request in flight within `shutdown.grace_secs` (and
//! closes idle kept-alive connections) before the process goes on to its own
//! clean-up. A second signal cuts the drain short, for an operator at a
//! terminal who does not want to wait.
//!
//! This module must never refuse or cut a request itself: during the drain
//! everything is served as usual, only told to close afterwards.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use actix_web::dev::{ServerHandle, ServiceResponse};
use actix_web::http::ConnectionType;
use actix_web::web;

/// Whether this process is draining; shared by every HTTP worker thread.
#[derive(Debug, Clone, Default)]
pub(crate) struct Draining(Arc<AtomicBool>);

impl Draining {
    /// True from the first stop signal on.
    pub(crate) fn is_draining(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }

    fn start(&self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

/// While draining, every answer closes its connection (`middleware::observe`
/// calls this for every answer). Checked after the handler, so a request
/// that began before the signal and ends during the drain closes its
/// connection too.
pub(crate) fn close_if_draining<B>(response: &mut ServiceResponse<B>) {
    let draining = response
        .request()
        .app_data::<web::Data<Draining>>()
        .is_some_and(|d| d.is_draining());
    if draining {
        response
            .response_mut()
            .head_mut()
            .set_connection_type(ConnectionType::Close);
    }
}

/// Waits for SIGTERM or SIGINT, drains for `drain`, then stops the server
/// gracefully (its own `shutdown_timeout` bounds the requests in flight).
pub(crate) async fn drain_on_signal(draining: Draining, server: ServerHandle, drain: Duration) {
    let mut signals = match Signals::new() {
        Ok(signals) => signals,
        Err(e) => {
            tracing::error!(error = %e, "cannot listen for stop signals; stop the process with SIGKILL");
            return;
        }
    };
    let signal = signals.next().await;
    draining.start();
    tracing::info!(
        signal,
        drain_secs = drain.as_secs(),
        "stopping: /readyz says draining, answers close their connections; accepting stops after the drain"
    );
    tokio::select! {
        () = tokio::time::sleep(drain) => {}
        signal = signals.next() => {
            tracing::info!(signal, "second stop signal: the drain is cut short");
        }
    }
    tracing::info!("no longer accepting; finishing the requests in flight");
    server.stop(true).await;
}

/// SIGTERM and SIGINT, each as often as it comes.
struct Signals {
    #[cfg(unix)]
    term: tokio::signal::unix::Signal,
    #[cfg(unix)]
    int: tokio::signal::unix::Signal,
}

impl Signals {
    #[cfg(unix)]
    fn new() -> std::io::Result<Self> {
        use tokio::signal::unix::{SignalKind, signal};
        Ok(Self {
            term: signal(SignalKind::terminate())?,
            int: signal(SignalKind::interrupt())?,
        })
    }

    #[cfg(not(unix))]
    fn new() -> std::io::Result<Self> {
        Ok(Self {})
    }

    /// The name of the next signal.
    #[cfg(unix)]
    async fn next(&mut self) -> &'static str {
        tokio::select! {
            _ = self.term.recv() => "SIGTERM",
            _ = self.int.recv() => "SIGINT",
        }
    }

    #[cfg(not(unix))]
    async fn next(&mut self) -> &'static str {
        let _ = tokio::signal::ctrl_c().await;
        "Ctrl-C"
    }
}
