//! Use cases: the only code that combines the store, the cache and the queue.
//!
//! `Services::build` makes every service once from the backends; handlers and
//! worker jobs are single calls into them and never touch a backend. The read
//! path never writes a visit to the store: visits are counted in the cache
//! (`visits`) and folded in by a background job.

pub(crate) mod accounts;
pub(crate) mod draft;
pub(crate) mod idempotency;
pub(crate) mod pastes;
pub(crate) mod periodic;
pub(crate) mod rate_limit;
pub(crate) mod readiness;
pub(crate) mod user_views;
pub(crate) mod users;
pub(crate) mod views;
pub(crate) mod visit_tally;
pub(crate) mod visits;

use std::sync::Arc;

pub(crate) use accounts::{AccountService, Sessions, Tokens};
pub(crate) use draft::Rules;
pub(crate) use pastes::{Created, PasteService};
pub use periodic::Scheduler;
pub(crate) use rate_limit::{RateLimiter, RateStatus};
pub(crate) use readiness::Readiness;
pub(crate) use users::UserService;
pub(crate) use views::{PasteView, ViewCache};
pub(crate) use visits::VisitService;

use crate::cache::Cache;
use crate::clock::Clock;
use crate::configuration::Settings;
use crate::metrics::Metrics;
use crate::queue::JobQueue;
use crate::store::DocumentStore;

/// The backends of one process, opened once at start and shared.
#[derive(Clone)]
pub(crate) struct Backends {
    /// The document store, metered.
    pub(crate) store: Arc<dyn DocumentStore>,
    /// The cache (Redis or in-process), with outage bookkeeping.
    pub(crate) cache: Arc<dyn Cache>,
    /// The job queue (Redis Streams or in-process).
    pub(crate) queue: Arc<dyn JobQueue>,
    /// Metrics of this process.
    pub(crate) metrics: Arc<Metrics>,
}

/// Every use case of one process, each built once.
pub(crate) struct Services {
    /// Pastes: create, read, delete, warm, sweep.
    pub(crate) pastes: Arc<PasteService>,
    /// Visits: count, show, fold.
    pub(crate) visits: Arc<VisitService>,
    /// User pages.
    pub(crate) users: UserService,
    /// Sign-up and log-in.
    pub(crate) accounts: AccountService,
    /// Sessions of signed-in users.
    pub(crate) sessions: Sessions,
    /// API tokens.
    pub(crate) tokens: Tokens,
    /// Rate limits: creations, and not-found answers.
    pub(crate) limiter: RateLimiter,
    /// Readiness of the backends.
    pub(crate) readiness: Readiness,
    /// The fleet-wide scheduler of periodic jobs.
    pub(crate) scheduler: Scheduler,
    /// The queue, for the worker loop.
    pub(crate) queue: Arc<dyn JobQueue>,
    /// Metrics.
    pub(crate) metrics: Arc<Metrics>,
}

impl Services {
    /// The services of these backends, with the rules of these settings,
    /// rendering in `render_pool`.
    pub(crate) fn build(
        backends: &Backends,
        settings: &Settings,
        clock: Clock,
        render_pool: Arc<crate::render::process::RenderPool>,
    ) -> Self {
        // The syntax set is loaded once, now, not by the first request that
        // needs it: a render that did not come back is shown under the name
        // of the language its author chose.
        crate::render::catalog();
        let Backends {
            store,
            cache,
            queue,
            metrics,
        } = backends.clone();
        let ttls = views::ViewTtls {
            view: settings.cache.view_ttl_secs.duration(),
            missing: settings.cache.missing_ttl_secs.duration(),
            tombstone: settings.cache.tombstone_ttl_secs.duration(),
        };
        let near = views::start_near(settings, &metrics);
        let views = Arc::new(
            ViewCache::new(
                cache.clone(),
                metrics.clone(),
                clock.clone(),
                ttls,
                settings.cache.enabled,
            )
            .with_near(near.clone()),
        );
        // With a near tier, visits are counted in the clone too: a hot read
        // is then one in-memory lookup.
        let tally = near
            .is_some()
            .then(|| settings.near_cache.visits_flush_ms.duration());
        let visits = Arc::new(
            VisitService::new(cache.clone(), store.clone(), views.clone(), clock.clone())
                .counting_locally(tally),
        );
        let user_views = Arc::new(user_views::UserViews::new(
            cache.clone(),
            metrics.clone(),
            settings.cache.enabled,
            user_views::tombstone_life(
                settings
                    .mongodb
                    .uri
                    .as_ref()
                    .map(|_| settings.mongodb.operation_timeout_ms.duration()),
            ),
        ));
        let pastes = Arc::new(PasteService::new(pastes::PasteParts {
            user_views: user_views.clone(),
            store: store.clone(),
            views,
            idempotency: idempotency::Idempotency::new(cache.clone(), clock.clone()),
            visits: visits.clone(),
            queue: queue.clone(),
            metrics: metrics.clone(),
            clock: clock.clone(),
            rules: Rules::from_settings(settings),
            id_length: settings.ids.length.get(),
            renders: pastes::Renders::new(render_pool, cache.clone()),
        }));
        let limits = &settings.limits;
        let accounts = AccountService::new(
            accounts::AccountParts {
                store: store.clone(),
                throttle: accounts::LoginThrottle::new(
                    cache.clone(),
                    clock.clone(),
                    settings.accounts.login_attempts_per_minute,
                ),
                clock: clock.clone(),
            },
            settings,
        );
        let sessions = Sessions::new(
            cache.clone(),
            clock.clone(),
            settings.session.idle_secs.duration(),
            settings.session.max_secs.duration(),
        );
        Self {
            pastes,
            visits,
            users: UserService::new(store.clone(), user_views, clock.clone()),
            accounts,
            sessions,
            tokens: Tokens::new(store.clone(), clock.clone()),
            limiter: RateLimiter::new(
                cache.clone(),
                clock.clone(),
                &rate_limit::Limits {
                    create_per_minute: limits.create_per_minute,
                    misses_per_minute: limits.misses_per_minute,
                    fail_open: limits.rate_limit_fail_open,
                },
            ),
            readiness: Readiness::new(store, cache.clone(), queue.clone(), metrics.clone()),
            scheduler: Scheduler::new(
                cache,
                queue.clone(),
                clock,
                settings.jobs.visits_flush_secs.duration(),
                settings.jobs.sweep_interval_secs.duration(),
            ),
            queue,
            metrics,
        }
    }
}
