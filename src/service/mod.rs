//! Use cases: the only code that combines the store, the cache and the queue.
//!
//! `Services::build` makes every service once from the backends and the
//! `ServiceRules` `startup` made from the settings; handlers and
//! worker jobs are single calls into them and never touch a backend. The read
//! path never writes a visit to the store: visits are counted in the cache
//! (`visits`) and folded in by a background job.

pub(crate) mod accounts;
pub(crate) mod admin;
pub(crate) mod archive;
pub(crate) mod cached_page;
pub(crate) mod draft;
pub(crate) mod draft_files;
pub(crate) mod idempotency;
pub(crate) mod pastes;
pub(crate) mod periodic;
pub(crate) mod rate_limit;
pub(crate) mod readiness;
pub(crate) mod user_pages;
pub(crate) mod users;
pub(crate) mod views;
pub(crate) mod visit_tally;
pub(crate) mod visits;

use std::sync::Arc;
use std::time::Duration;

pub(crate) use accounts::{AccountService, Sessions, Tokens};
pub(crate) use draft::Rules;
pub(crate) use pastes::{Created, EditDraft, Editor, PasteService};
pub use periodic::Scheduler;
pub(crate) use rate_limit::{Limit, RateLimiter, RateStatus};
pub(crate) use readiness::Readiness;
pub(crate) use users::UserService;
pub(crate) use views::{NearView, PasteView, ViewCache};
pub(crate) use visits::VisitService;

use crate::cache::Cache;
use crate::cache::near::NearTier;
use crate::clock::Clock;
use crate::metrics::Metrics;
use crate::queue::JobQueue;
use crate::store::DocumentStore;

/// The backends of one process, opened once at start and shared.
#[derive(Clone)]
pub(crate) struct Backends {
    /// The document store, metered.
    pub(crate) store: Arc<dyn DocumentStore>,
    /// The same store's operator records (takedowns, reports, audit log).
    pub(crate) operator: Arc<dyn crate::store::OperatorStore>,
    /// The cache (Redis or in-process), with outage bookkeeping.
    pub(crate) cache: Arc<dyn Cache>,
    /// The job queue (Redis Streams or in-process).
    pub(crate) queue: Arc<dyn JobQueue>,
    /// Metrics of this process.
    pub(crate) metrics: Arc<Metrics>,
    /// This clone's near tier of views, kept coherent by its Redis tracking
    /// link (with Redis and `near_cache.enabled` only).
    pub(crate) near: Option<Arc<NearTier<NearView>>>,
}

/// Every use case of one process, each built once.
pub(crate) struct Services {
    /// Pastes: create, read, delete, warm, sweep.
    pub(crate) pastes: Arc<PasteService>,
    /// Visits: count, show, fold.
    pub(crate) visits: Arc<VisitService>,
    /// User pages.
    pub(crate) users: UserService,
    /// The public archive (`/recent`).
    pub(crate) archive: archive::Archive,
    /// Sign-up and log-in.
    pub(crate) accounts: AccountService,
    /// Sessions of signed-in users.
    pub(crate) sessions: Sessions,
    /// API tokens.
    pub(crate) tokens: Tokens,
    /// Rate limits: creations, and not-found answers.
    pub(crate) limiter: Arc<RateLimiter>,
    /// The operator's tools (`pastebin admin`).
    pub(crate) admin: admin::AdminService,
    /// Readers' reports of pastes.
    pub(crate) reports: admin::ReportService,
    /// Readiness of the backends.
    pub(crate) readiness: Readiness,
    /// The fleet-wide scheduler of periodic jobs.
    pub(crate) scheduler: Scheduler,
    /// The queue, for the worker loop.
    pub(crate) queue: Arc<dyn JobQueue>,
    /// Metrics.
    pub(crate) metrics: Arc<Metrics>,
    /// The services' clock, for the few answers that depend on the time.
    pub(crate) clock: Clock,
}

/// The rules every service is built with, each a small struct of its own,
/// made from the settings by `startup::service_rules` (nothing below
/// `startup` reads `Settings`).
pub(crate) struct ServiceRules {
    /// Lives of cached views, tombstones and "missing" marks.
    pub(crate) view_ttls: views::ViewTtls,
    /// Whether views and user pages are cached at all (`cache.enabled`).
    pub(crate) cache_enabled: bool,
    /// How often a clone with a near tier flushes the visits it counted.
    pub(crate) local_visits_flush: Duration,
    /// How long a user page's tombstone outlives any store read in flight.
    pub(crate) user_page_tombstone: Duration,
    /// The limits drafts are checked against.
    pub(crate) drafts: Rules,
    /// Characters of a new paste id.
    pub(crate) id_length: usize,
    /// Sign-up, log-in and password hashing.
    pub(crate) accounts: accounts::AccountRules,
    /// Sessions end this long unused...
    pub(crate) session_idle: Duration,
    /// ...or this long after log-in.
    pub(crate) session_max: Duration,
    /// Every rate limit: creations, misses, log-ins and sign-ups.
    pub(crate) rate: rate_limit::Limits,
    /// How often visits are folded into the store.
    pub(crate) visits_fold_every: Duration,
    /// How often expired pastes are swept.
    pub(crate) sweep_every: Duration,
    /// Render-ahead jobs are shed at this many jobs waiting (`render.max_queued`).
    pub(crate) render_ahead_max: u64,
    /// The key of the hash a creating client's address is recorded as.
    pub(crate) address_key: String,
    /// How long a change takes at most to reach every clone's near tier,
    /// for the admin tools, which run without one (zero without Redis).
    pub(crate) fleet_lag: Duration,
}

impl Services {
    /// The services of these backends, with these rules, rendering in
    /// `render_pool`.
    pub(crate) fn build(
        backends: &Backends,
        rules: &ServiceRules,
        clock: Clock,
        render_pool: Arc<crate::render::process::RenderPool>,
    ) -> Self {
        // The syntax set is loaded once, now, not by the first request that
        // needs it: a render that did not come back is shown under the name
        // of the language its author chose.
        crate::render::catalog();
        let Backends {
            store,
            operator,
            cache,
            queue,
            metrics,
            near,
        } = backends.clone();
        let views = Arc::new(
            ViewCache::new(
                cache.clone(),
                metrics.clone(),
                clock.clone(),
                rules.view_ttls,
                rules.cache_enabled,
            )
            .with_near(near.clone()),
        );
        // With a near tier, visits are counted in the clone too: a hot read
        // is then one in-memory lookup.
        let tally = near.is_some().then_some(rules.local_visits_flush);
        let visits = Arc::new(
            VisitService::new(cache.clone(), store.clone(), views.clone(), clock.clone())
                .counting_locally(tally),
        );
        let user_pages = Arc::new(user_pages::UserPages::new(
            cache.clone(),
            metrics.clone(),
            rules.cache_enabled,
            rules.user_page_tombstone,
        ));
        let archive_cache = Arc::new(archive::ArchiveCache::new(
            cache.clone(),
            metrics.clone(),
            rules.cache_enabled,
            rules.user_page_tombstone,
        ));
        let limiter = Arc::new(RateLimiter::new(cache.clone(), clock.clone(), &rules.rate));
        let addresses = admin::AddressTags::new(&rules.address_key);
        let pastes = Arc::new(PasteService::new(pastes::PasteParts {
            limiter: limiter.clone(),
            user_pages: user_pages.clone(),
            archive: archive_cache.clone(),
            store: store.clone(),
            views,
            idempotency: idempotency::Idempotency::new(cache.clone(), clock.clone()),
            visits: visits.clone(),
            queue: queue.clone(),
            metrics: metrics.clone(),
            clock: clock.clone(),
            rules: rules.drafts.clone(),
            id_length: rules.id_length,
            renders: pastes::Renders::new(render_pool, cache.clone(), rules.render_ahead_max),
            // A paste's key costs what an account's password hash does.
            locks: pastes::Locks::new(
                rules.accounts.password_memory_kib,
                rules.accounts.password_iterations,
            ),
            operator: operator.clone(),
            addresses: addresses.clone(),
        }));
        let admin = admin::AdminService::new(admin::AdminParts {
            pastes: pastes.clone(),
            store: store.clone(),
            operator: operator.clone(),
            cache: cache.clone(),
            clock: clock.clone(),
            addresses: addresses.clone(),
            fleet_lag: rules.fleet_lag,
            session_max: rules.session_max,
        });
        let reports = admin::ReportService::new(
            pastes.clone(),
            operator.clone(),
            limiter.clone(),
            addresses,
            clock.clone(),
        );
        let accounts = AccountService::new(
            accounts::AccountParts {
                store: store.clone(),
                operator: operator.clone(),
                limiter: limiter.clone(),
                cache: cache.clone(),
                metrics: metrics.clone(),
                clock: clock.clone(),
            },
            &rules.accounts,
        );
        let sessions = Sessions::new(
            cache.clone(),
            clock.clone(),
            rules.session_idle,
            rules.session_max,
        );
        Self {
            pastes,
            visits,
            users: UserService::new(store.clone(), user_pages, clock.clone()),
            archive: archive::Archive::new(store.clone(), archive_cache, clock.clone()),
            accounts,
            sessions,
            tokens: Tokens::new(store.clone(), cache.clone(), clock.clone()),
            limiter,
            admin,
            reports,
            readiness: Readiness::new(store, cache.clone(), queue.clone(), metrics.clone()),
            scheduler: Scheduler::new(
                cache,
                queue.clone(),
                clock.clone(),
                rules.visits_fold_every,
                rules.sweep_every,
            ),
            queue,
            metrics,
            clock,
        }
    }
}
