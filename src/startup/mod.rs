//! Building the application from its settings, the same way in `main` and in tests.

use std::fs::File;
use std::net::TcpListener;
use std::sync::Arc;

use actix_web::dev::{Server, ServerHandle};
use actix_web::{App, HttpServer, middleware, web};
use anyhow::Context;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::cache::Cache;
use crate::cache::keys::PASTE_VIEW_PREFIX;
use crate::cache::memory::MemoryCache;
use crate::cache::near::NearTier;
use crate::cache::redis::RedisCache;
use crate::cache::resilient::ResilientCache;
use crate::cache::tracking::{self, LinkSettings};
use crate::clock::Clock;
use crate::configuration::Settings;
use crate::metrics::Metrics;
use crate::queue::JobQueue;
use crate::queue::memory::MemoryQueue;
use crate::queue::redis_streams::RedisStreamsQueue;
use crate::render::process::RenderPool;
use crate::routes;
use crate::routes::plumbing::body::Uploads;
use crate::routes::plumbing::client::Clients;
use crate::service::{Backends, NearView, Scheduler, Services, VisitService};
use crate::shutdown::{self, Draining};
use crate::state::{AppState, Http, Links};
use crate::store::embedded::EmbeddedStore;
use crate::store::metered::MeteredStore;
use crate::store::mongo::MongoStore;
use crate::store::{DocumentStore, OperatorStore};
use crate::worker::Worker;

mod rules;

pub(crate) use rules::service_rules;

/// Opens what the settings name. With no MongoDB configured this is the
/// embedded store; with no Redis, an in-process cache and queue; the operator
/// is told when a backend is single-machine.
pub(crate) async fn open_backends(settings: &Settings) -> anyhow::Result<Backends> {
    let metrics = Arc::new(Metrics::new());
    let (store, operator) = open_store(settings).await?;
    let store: Arc<dyn DocumentStore> = Arc::new(MeteredStore::new(store, metrics.clone()));
    let operator: Arc<dyn OperatorStore> = Arc::new(
        crate::store::metered_operator::MeteredOperator::new(operator, metrics.clone()),
    );
    let target = settings.redis.target();
    let inner: Arc<dyn Cache> = match &target {
        Some(target) => Arc::new(
            RedisCache::connect_to(target, settings.redis.patience())
                .context("preparing the Redis connection (redis.url or redis.sentinels)")?,
        ),
        None => {
            tracing::warn!(
                "no redis.url: sessions, cached objects, rate limits and idempotency keys live in this process only"
            );
            Arc::new(MemoryCache::new(settings.cache.memory_bytes.get()))
        }
    };
    let cache: Arc<dyn Cache> = Arc::new(ResilientCache::new(inner, metrics.clone()));
    if settings.admin.address_key.is_empty() {
        tracing::warn!(
            "admin.address_key is empty: creating clients' addresses are recorded under a built-in key, \
             which whoever reads the store can reverse for IPv4; set a secret (the same on every process)"
        );
    }
    let policy = settings.retry_policy();
    let queue: Arc<dyn JobQueue> = match &target {
        Some(target) => Arc::new(
            RedisStreamsQueue::connect_to(
                target,
                policy,
                settings.redis.response_timeout_ms.duration(),
            )
            .context("preparing the Redis job queue (redis.url or redis.sentinels)")?,
        ),
        None => Arc::new(MemoryQueue::new(policy)),
    };
    let near = open_near(settings, &metrics);
    Ok(Backends {
        store,
        operator,
        cache,
        queue,
        metrics,
        near,
    })
}

/// The near tier of views of a clone with Redis and `near_cache.enabled`
/// (and cached views at all), with its Redis tracking link started (the
/// invalidations it hears evict the tier's entries); `None` otherwise.
fn open_near(settings: &Settings, metrics: &Arc<Metrics>) -> Option<Arc<NearTier<NearView>>> {
    let target = settings.redis.target()?;
    let near = &settings.near_cache;
    if !(near.enabled && settings.cache.enabled) {
        return None;
    }
    let tier = Arc::new(NearTier::new(
        near.max_bytes.get(),
        settings.cache.view_ttl_secs.duration(),
        near.max_lag_ms.duration(),
        metrics.clone(),
    ));
    tracking::spawn(
        Arc::downgrade(&tier),
        LinkSettings {
            target,
            prefix: PASTE_VIEW_PREFIX.to_owned(),
            timeout: settings.redis.connect_timeout_ms.duration(),
        },
    );
    Some(tier)
}

/// The render processes of `[render]`, starting now (each loads the syntax
/// set before it takes a request).
fn start_render_pool(settings: &Settings) -> anyhow::Result<Arc<RenderPool>> {
    let pool = RenderPool::new(
        settings.render.executable()?,
        crate::render::Limits {
            max_bytes: settings.render.max_bytes.get(),
            max_time: settings.render.max_millis.duration(),
        },
        settings.render.process_count(),
    );
    pool.start();
    Ok(Arc::new(pool))
}

/// Whether jobs stay in this process (no Redis): then `serve` runs its worker.
fn local_jobs(settings: &Settings) -> bool {
    !settings.redis.configured()
}

/// `pastebin migrate`: opens the store alone (no cache, no queue) and creates
/// its schema and indexes; any index not created is an error, so the command
/// exits non-zero instead of claiming they are in place.
pub(crate) async fn migrate(settings: &Settings) -> anyhow::Result<&'static str> {
    if settings.mongodb.uri.is_some() {
        let mongo = MongoStore::connect(&settings.mongodb)
            .await
            .context("preparing the MongoDB client (mongodb.uri)")?;
        mongo
            .migrate()
            .await
            .context("creating the MongoDB indexes")?;
        return Ok(mongo.backend());
    }
    let embedded = EmbeddedStore::open(&settings.store.path, settings.store.synchronous)
        .with_context(|| {
            format!(
                "opening the embedded store in {}",
                settings.store.path.display()
            )
        })?;
    embedded
        .ping()
        .await
        .context("checking the embedded store after migration")?;
    Ok(embedded.backend())
}

/// The document store the settings name: MongoDB when `mongodb.uri` is set
/// (indexes created now if it answers; if it does not, a background task
/// keeps trying until they exist, and `/readyz` says "indexes missing"
/// meanwhile), else the embedded store, with a warning that it is
/// single-machine.
async fn open_store(
    settings: &Settings,
) -> anyhow::Result<(Arc<dyn DocumentStore>, Arc<dyn OperatorStore>)> {
    if settings.mongodb.uri.is_some() {
        let mongo = Arc::new(
            MongoStore::connect(&settings.mongodb)
                .await
                .context("preparing the MongoDB client (mongodb.uri)")?,
        );
        match mongo.migrate().await {
            Ok(()) => {
                tracing::info!(database = %settings.mongodb.database, "MongoDB indexes are in place")
            }
            Err(e) => {
                tracing::error!(error = %e, "MongoDB indexes missing: is it up? Trying again in the background");
                tokio::spawn(mongo.clone().keep_creating_indexes());
            }
        }
        return Ok((mongo.clone(), mongo));
    }
    let embedded = EmbeddedStore::open(&settings.store.path, settings.store.synchronous)
        .with_context(|| {
            format!(
                "opening the embedded store in {}",
                settings.store.path.display()
            )
        })?;
    tracing::warn!(
        file = %embedded.file().display(),
        "using the embedded document store: fine for one machine, not for a fleet (set mongodb.uri)"
    );
    let embedded = Arc::new(embedded);
    Ok((embedded.clone(), embedded))
}

/// Holds `serve.lock` in the store folder while serving. Without Redis each
/// process caches on its own, so a second `serve` on the same store could show
/// what the first deleted: it is warned about at start.
fn claim_store(settings: &Settings) -> Option<File> {
    if settings.mongodb.uri.is_some() {
        return None; // no shared local folder
    }
    let file = File::create(settings.store.path.join("serve.lock")).ok()?;
    match file.try_lock() {
        Ok(()) => Some(file),
        Err(_) => {
            if !settings.redis.configured() {
                tracing::warn!(
                    "another serve process uses this store without Redis: each has its own cache, so one \
                     may serve a paste the other deleted for up to cache.view_ttl_secs; set redis.url"
                );
            }
            None
        }
    }
}

/// A built, bound, not yet running application.
pub struct Application {
    port: u16,
    server: Server,
    worker: Worker,
    scheduler: Scheduler,
    local_jobs: bool,
    metrics: Arc<Metrics>,
    visits: Arc<VisitService>,
    draining: Draining,
    drain: std::time::Duration,
    render_pool: Arc<RenderPool>,
    _store_lock: Option<File>,
}

impl Application {
    /// Opens the backends and binds the listener (port 0 picks a free port).
    pub(crate) async fn build(settings: Settings) -> anyhow::Result<Self> {
        Self::build_with_clock(settings, Clock::System).await
    }

    /// `build`, with the services reading `clock` (tests move a manual one).
    pub async fn build_with_clock(settings: Settings, clock: Clock) -> anyhow::Result<Self> {
        let backends = open_backends(&settings).await?;
        let store_lock = claim_store(&settings);
        let address = (settings.server.host.as_str(), settings.server.port);
        let listener = TcpListener::bind(address).with_context(|| {
            format!(
                "binding {}:{} (server.host, server.port)",
                address.0, address.1
            )
        })?;
        let port = listener.local_addr()?.port();
        let public_url = settings.public_url_for(port);
        let render_pool = start_render_pool(&settings)?;
        let services = Services::build(
            &backends,
            &service_rules(&settings),
            clock.clone(),
            render_pool.clone(),
        );
        let worker = Worker::new(&services);
        let scheduler = services.scheduler.clone();
        let visits = services.visits.clone();
        let state = web::Data::new(AppState {
            services,
            http: Http {
                uploads: Uploads::new(&settings.limits),
                clients: Clients::new(
                    settings.server.trusted_proxies.clone(),
                    settings.server.client_ipv6_prefix.get(),
                ),
                links: Links::new(public_url.clone()),
                raw_max_age_secs: settings.http.raw_max_age_secs,
            },
        });
        let workers = match settings.server.workers {
            0 => std::thread::available_parallelism().map_or(2, usize::from),
            n => n,
        };
        let draining = Draining::default();
        let drain_flag = web::Data::new(draining.clone());
        let server = HttpServer::new(move || {
            App::new()
                .app_data(state.clone())
                .app_data(drain_flag.clone())
                // One layer around every request: its span, metrics and
                // headers, the miss budget inside them, the drain's close
                // (one boxed future per request instead of three).
                .wrap(middleware::from_fn(crate::middleware::observe))
                .configure(routes::configure)
        })
        .workers(workers)
        .max_connections(settings.server.max_connections.get() as usize)
        .client_request_timeout(settings.server.client_request_timeout_ms.duration())
        .tcp_nodelay(true)
        // Stop signals are ours (`shutdown`): actix's would stop before the drain.
        .disable_signals()
        .shutdown_timeout(settings.shutdown.grace_secs.get())
        .listen(listener)?
        .run();
        tracing::info!(%public_url, workers, "listening");
        let local_jobs = local_jobs(&settings);
        if !local_jobs {
            tracing::info!(
                "jobs go to the Redis queue: run `pastebin worker` (one or more) beside the clones"
            );
        }
        Ok(Self {
            port,
            server,
            worker,
            scheduler,
            local_jobs,
            metrics: backends.metrics,
            visits,
            draining,
            drain: settings.shutdown.drain(),
            render_pool,
            _store_lock: store_lock,
        })
    }

    /// The port actually bound.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// A handle to stop the server (tests stop and restart it).
    pub fn handle(&self) -> ServerHandle {
        self.server.handle()
    }

    /// The metrics of this instance.
    pub fn metrics(&self) -> Arc<Metrics> {
        self.metrics.clone()
    }

    /// A worker over this instance's services, to drive jobs directly in tests.
    pub fn worker(&self) -> Worker {
        self.worker.clone()
    }

    /// Process ids of this instance's render processes alive now (a test
    /// checks that a render past its deadline takes its process with it).
    pub fn render_processes(&self) -> Vec<u32> {
        self.render_pool.processes()
    }

    /// `render_processes`, as a function that outlives `run_until_stopped`'s
    /// taking of the application.
    pub fn render_processes_handle(&self) -> Arc<dyn Fn() -> Vec<u32> + Send + Sync> {
        let pool = self.render_pool.clone();
        Arc::new(move || pool.processes())
    }

    /// The scheduler of periodic jobs of this instance.
    pub fn scheduler(&self) -> Scheduler {
        self.scheduler.clone()
    }

    /// Serves until SIGINT/SIGTERM (after the drain, see `shutdown`) or
    /// `handle().stop()`. In the embedded
    /// default the worker loop runs beside, and on the way out it folds the
    /// visits counted so far (the in-process counters die with the process).
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        tokio::spawn(shutdown::drain_on_signal(
            self.draining.clone(),
            self.server.handle(),
            self.drain,
        ));
        let (stop_tx, stop_rx) = watch::channel(false);
        // Visits counted in this clone go to Redis every interval, and once
        // more after the last request was answered.
        let flusher = tokio::spawn(self.visits.clone().flush_until(stop_rx.clone()));
        let local = self.local_jobs;
        let worker: Option<JoinHandle<()>> = local.then(|| {
            tokio::spawn(
                self.worker
                    .clone()
                    .run(Some(self.scheduler.clone()), stop_rx),
            )
        });
        let served = self.server.await;
        let _ = stop_tx.send(true);
        let _ = flusher.await;
        if let Some(worker) = worker {
            let _ = worker.await;
        }
        if local && let Err(e) = self.worker.fold_visits_now().await {
            tracing::warn!(error = %e, "visits counted since the last fold were not saved");
        }
        tracing::info!("stopped");
        served.context("the HTTP server failed")
    }
}

/// The services of an admin command (`pastebin admin`): the backends of
/// `serve`, without a near tier (the command serves no reads; the admin
/// service waits out the clones' tiers instead) and with no render process
/// started (it renders nothing).
pub(crate) async fn admin_services(settings: &Settings) -> anyhow::Result<Services> {
    let mut own = settings.clone();
    own.near_cache.enabled = false;
    let backends = open_backends(&own).await?;
    let pool = RenderPool::new(
        settings.render.executable()?,
        crate::render::Limits {
            max_bytes: settings.render.max_bytes.get(),
            max_time: settings.render.max_millis.duration(),
        },
        1,
    );
    // The rules of the fleet's settings: its clones' near-tier lag.
    Ok(Services::build(
        &backends,
        &service_rules(settings),
        Clock::System,
        Arc::new(pool),
    ))
}

/// A worker process's parts: the worker and the scheduler it ticks.
pub(crate) async fn worker_parts(settings: &Settings) -> anyhow::Result<(Worker, Scheduler)> {
    // A worker serves no reads: no near tier, no link to keep it coherent.
    let mut settings = settings.clone();
    settings.near_cache.enabled = false;
    let settings = &settings;
    let backends = open_backends(settings).await?;
    if local_jobs(settings) {
        tracing::warn!(
            "no redis.url: this worker has a queue of its own (serve runs its jobs itself); \
             it will only sweep expired pastes from the shared store"
        );
    }
    let services = Services::build(
        &backends,
        &service_rules(settings),
        Clock::System,
        start_render_pool(settings)?,
    );
    Ok((Worker::new(&services), services.scheduler))
}
