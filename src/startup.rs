//! Building the application from its settings, the same way in `main` and in tests.

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use actix_web::dev::{Server, ServerHandle};
use actix_web::{App, HttpServer, middleware, web};
use anyhow::Context;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::configuration::Settings;
use crate::metrics::Metrics;
use crate::routes;
use crate::service::{PasteService, Rules, VisitTally};
use crate::state::AppState;
use crate::store::DocumentStore;
use crate::store::embedded::EmbeddedStore;
use crate::store::metered::MeteredStore;
use crate::worker::Jobs;

/// The backends of one process, opened once at start and shared.
pub struct Backends {
    /// The document store, metered.
    pub store: Arc<dyn DocumentStore>,
    /// Metrics of this process.
    pub metrics: Arc<Metrics>,
}

impl Backends {
    /// Opens what the settings name. With no MongoDB configured this is the
    /// embedded store, and the operator is told it is single-machine.
    pub fn open(settings: &Settings) -> anyhow::Result<Self> {
        let metrics = Arc::new(Metrics::new());
        let embedded = EmbeddedStore::open(&settings.store.path, settings.store.synchronous)
            .with_context(|| {
                format!(
                    "opening the embedded store in {}",
                    settings.store.path.display()
                )
            })?;
        tracing::warn!(
            file = %embedded.file().display(),
            "using the embedded document store and in-process cache and queue: fine for one machine, \
             not for a fleet (set mongodb.uri and redis.url for that)"
        );
        let store: Arc<dyn DocumentStore> =
            Arc::new(MeteredStore::new(Arc::new(embedded), metrics.clone()));
        Ok(Self { store, metrics })
    }
}

/// A built, bound, not yet running application.
pub struct Application {
    port: u16,
    public_url: String,
    server: Server,
    jobs: Jobs,
    settings: Settings,
    metrics: Arc<Metrics>,
}

impl Application {
    /// Opens the backends and binds the listener (port 0 picks a free port).
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        let backends = Backends::open(&settings)?;
        let address = (settings.server.host.as_str(), settings.server.port);
        let listener = TcpListener::bind(address).with_context(|| {
            format!(
                "binding {}:{} (server.host, server.port)",
                address.0, address.1
            )
        })?;
        let port = listener.local_addr()?.port();
        let public_url = settings.public_url_for(port);
        let visits = Arc::new(VisitTally::default());
        let service = PasteService::new(
            backends.store.clone(),
            visits.clone(),
            backends.metrics.clone(),
            Rules::from_settings(&settings),
            settings.ids.length,
        );
        let state = web::Data::new(AppState {
            pastes: service,
            store: backends.store.clone(),
            metrics: backends.metrics.clone(),
            public_url: public_url.clone(),
            raw_max_age_secs: settings.http.raw_max_age_secs,
        });
        let workers = match settings.server.workers {
            0 => std::thread::available_parallelism().map_or(2, usize::from),
            n => n,
        };
        let server = HttpServer::new(move || {
            App::new()
                .app_data(state.clone())
                .wrap(middleware::from_fn(crate::middleware::observe))
                .configure(routes::configure)
        })
        .workers(workers)
        .tcp_nodelay(true)
        .shutdown_timeout(10)
        .listen(listener)?
        .run();
        tracing::info!(%public_url, workers, "listening");
        Ok(Self {
            port,
            public_url,
            server,
            jobs: Jobs::new(backends.store, visits, backends.metrics.clone()),
            settings,
            metrics: backends.metrics,
        })
    }

    /// The port actually bound.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The base of links this instance hands out.
    pub fn public_url(&self) -> &str {
        &self.public_url
    }

    /// A handle to stop the server (tests stop and restart it).
    pub fn handle(&self) -> ServerHandle {
        self.server.handle()
    }

    /// The metrics of this instance.
    pub fn metrics(&self) -> Arc<Metrics> {
        self.metrics.clone()
    }

    /// The background jobs of this instance, to drive them directly in tests.
    pub fn jobs(&self) -> Jobs {
        self.jobs.clone()
    }

    /// Serves until SIGINT/SIGTERM or `handle().stop()`, running the in-process
    /// jobs beside; on the way out, the last counted visits are written.
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        let (stop_tx, stop_rx) = watch::channel(false);
        let jobs: JoinHandle<()> = tokio::spawn(self.jobs.clone().run(
            Some(Duration::from_secs(self.settings.jobs.visits_flush_secs)),
            Duration::from_secs(self.settings.jobs.sweep_interval_secs),
            stop_rx,
        ));
        let served = self.server.await;
        let _ = stop_tx.send(true);
        let _ = jobs.await;
        tracing::info!("stopped");
        served.context("the HTTP server failed")
    }
}
