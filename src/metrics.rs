//! The Prometheus registry and every metric the service exports.
//!
//! Metric names are a contract (DESIGN §4); they are all declared here, once.

use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounterVec, IntGauge, Opts, Registry, TextEncoder,
};

/// Buckets of request durations, in seconds: a hot read is well under a millisecond.
const DURATION_BUCKETS: &[f64] = &[
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
];

/// The label values the code counts under, per labelled counter that tests
/// and checks read back. Each series is exposed from the start (at 0); a
/// reader asked for any other value panics: a misspelt or renamed label
/// would otherwise read 0 for ever, and an `== 0` assert on it could never
/// fail. Emitters check them too (in debug builds), so a new label cannot be
/// counted without being listed here.
const CACHE_OBJECTS: &[&str] = &["paste", "user", "archive"];
/// `result` of `pastebin_cache_requests_total`.
const CACHE_RESULTS: &[&str] = &["hit", "miss"];
/// `result` of `pastebin_near_cache_requests_total`.
const NEAR_RESULTS: &[&str] = &["hit", "miss", "bypass"];
/// `kind` of `pastebin_renders_total` (`render::Kind::label`).
const RENDER_KINDS: &[&str] = &["highlight", "markdown", "plain", "timeout", "busy"];
/// `op` of `pastebin_password_hashes_total` (`service::accounts::hasher`).
const HASH_OPS: &[&str] = &["hash", "verify"];
/// `op` of `pastebin_store_operations_total` (`store::metered`'s calls).
const STORE_OPS: &[&str] = &[
    "insert_paste",
    "find_paste",
    "take_paste",
    "delete_paste",
    "edit_paste",
    "paste_revisions",
    "find_revision",
    "add_visits",
    "purge_expired",
    "insert_user",
    "find_user",
    "author_pastes",
    "public_pastes",
    "claim_paste",
    "paste_forks",
    "recount_forks",
    "orphan_forks",
    "insert_token",
    "find_token",
    "user_tokens",
    "delete_token",
    "ping",
    // The operator's records (`store::operator`).
    "record_removal",
    "find_removal",
    "set_disabled",
    "find_disabled",
    "insert_report",
    "reports",
    "resolve_report",
    "append_audit",
    "audit_log",
    "recent_pastes",
];

/// `value`, if it is one of `known` (the label values of `metric`'s `label`).
///
/// # Panics
/// When it is not: the series cannot exist, and reading it as 0 would hide
/// the mistake.
fn known<'a>(metric: &str, label: &str, known: &[&str], value: &'a str) -> &'a str {
    assert!(
        known.contains(&value),
        "{metric} has no {label}={value:?}: the code counts only {known:?}"
    );
    value
}

/// Every metric, registered in one registry of this process.
pub struct Metrics {
    registry: Registry,
    http_requests: IntCounterVec,
    http_duration: HistogramVec,
    store_operations: IntCounterVec,
    cache_requests: IntCounterVec,
    cache_errors: prometheus::IntCounter,
    jobs: IntCounterVec,
    pastes_created: prometheus::IntCounter,
    queue_depth: IntGauge,
    backend_up: prometheus::IntGaugeVec,
    near_requests: IntCounterVec,
    near_invalidations: prometheus::IntCounter,
    renders: IntCounterVec,
    render_ahead_shed: prometheus::IntCounter,
    password_hashes: IntCounterVec,
}

impl Metrics {
    /// Creates and registers every metric.
    ///
    /// # Panics
    /// Never in practice: the names below are valid and registered once.
    pub(crate) fn new() -> Self {
        let registry = Registry::new();
        let http_requests = IntCounterVec::new(
            Opts::new("pastebin_http_requests_total", "HTTP requests answered"),
            &["method", "route", "status"],
        )
        .expect("valid metric");
        let http_duration = HistogramVec::new(
            HistogramOpts::new(
                "pastebin_http_request_duration_seconds",
                "Time to answer an HTTP request",
            )
            .buckets(DURATION_BUCKETS.to_vec()),
            &["route"],
        )
        .expect("valid metric");
        let store_operations = IntCounterVec::new(
            Opts::new(
                "pastebin_store_operations_total",
                "Calls that reached the document store",
            ),
            &["op"],
        )
        .expect("valid metric");
        let cache_requests = IntCounterVec::new(
            Opts::new("pastebin_cache_requests_total", "Lookups of cached objects"),
            &["object", "result"],
        )
        .expect("valid metric");
        let cache_errors = prometheus::IntCounter::new(
            "pastebin_cache_errors_total",
            "Cache calls that failed (Redis down or slow): each one bypassed the cache",
        )
        .expect("valid metric");
        let jobs = IntCounterVec::new(
            Opts::new("pastebin_jobs_total", "Background jobs run"),
            &["kind", "outcome"],
        )
        .expect("valid metric");
        let pastes_created =
            prometheus::IntCounter::new("pastebin_pastes_created_total", "Pastes created")
                .expect("valid metric");
        let render_ahead_shed = prometheus::IntCounter::new(
            "pastebin_render_ahead_shed_total",
            "New pastes whose render-ahead job was not queued (render.max_queued jobs waiting): their first page read renders them",
        )
        .expect("valid metric");
        let queue_depth = IntGauge::new(
            "pastebin_queue_depth",
            "Jobs waiting, delayed for a retry, or in hand, as this process last saw it",
        )
        .expect("valid metric");
        let backend_up = prometheus::IntGaugeVec::new(
            Opts::new(
                "pastebin_backend_up",
                "1 when the backend answered the last readiness check (/readyz), 0 when not",
            ),
            &["check"],
        )
        .expect("valid metric");
        let near_requests = IntCounterVec::new(
            Opts::new(
                "pastebin_near_cache_requests_total",
                "Lookups of a clone's near cache: hit, miss, or bypass (its invalidation link not proven fresh)",
            ),
            &["result"],
        )
        .expect("valid metric");
        let near_invalidations = prometheus::IntCounter::new(
            "pastebin_near_cache_invalidations_total",
            "Near cache evictions told by Redis (one per key; a flush or a lost link counts one)",
        )
        .expect("valid metric");
        let renders = IntCounterVec::new(
            Opts::new(
                "pastebin_renders_total",
                "Pastes rendered for their page (highlight, markdown, or plain when too large or slow)",
            ),
            &["kind"],
        )
        .expect("valid metric");
        let password_hashes = IntCounterVec::new(
            Opts::new(
                "pastebin_password_hashes_total",
                "argon2 runs asked for: `hash` at sign-up, `verify` at log-in (a decoy for unknown names)",
            ),
            &["op"],
        )
        .expect("valid metric");
        for collector in [
            Box::new(http_requests.clone()) as Box<dyn prometheus::core::Collector>,
            Box::new(http_duration.clone()),
            Box::new(store_operations.clone()),
            Box::new(cache_requests.clone()),
            Box::new(cache_errors.clone()),
            Box::new(jobs.clone()),
            Box::new(pastes_created.clone()),
            Box::new(queue_depth.clone()),
            Box::new(backend_up.clone()),
            Box::new(near_requests.clone()),
            Box::new(near_invalidations.clone()),
            Box::new(renders.clone()),
            Box::new(render_ahead_shed.clone()),
            Box::new(password_hashes.clone()),
        ] {
            registry
                .register(collector)
                .expect("metric registered once");
        }
        // Every series the code can count is exposed from the start, at 0:
        // `rate()` sees its first increment, and a series missing from
        // `/metrics` is a renamed metric rather than "nothing yet".
        for op in HASH_OPS {
            password_hashes.with_label_values(&[op]);
        }
        for op in STORE_OPS {
            store_operations.with_label_values(&[op]);
        }
        for object in CACHE_OBJECTS {
            for result in CACHE_RESULTS {
                cache_requests.with_label_values(&[object, result]);
            }
        }
        for result in NEAR_RESULTS {
            near_requests.with_label_values(&[result]);
        }
        for kind in RENDER_KINDS {
            renders.with_label_values(&[kind]);
        }
        Self {
            registry,
            http_requests,
            http_duration,
            store_operations,
            cache_requests,
            cache_errors,
            jobs,
            pastes_created,
            queue_depth,
            backend_up,
            near_requests,
            near_invalidations,
            renders,
            render_ahead_shed,
            password_hashes,
        }
    }

    /// Counts one argon2 run (`hash` or `verify`).
    pub(crate) fn password_hash(&self, op: &str) {
        debug_assert!(HASH_OPS.contains(&op), "{op}");
        self.password_hashes.with_label_values(&[op]).inc();
    }

    /// The current value of `pastebin_password_hashes_total{op}`.
    pub fn password_hashes(&self, op: &str) -> u64 {
        let op = known("pastebin_password_hashes_total", "op", HASH_OPS, op);
        self.password_hashes.with_label_values(&[op]).get()
    }

    /// Counts one render of a paste for its page.
    pub(crate) fn rendered(&self, kind: &str) {
        debug_assert!(RENDER_KINDS.contains(&kind), "{kind}");
        self.renders.with_label_values(&[kind]).inc();
    }

    /// Counts a render-ahead job shed at `render.max_queued`.
    pub(crate) fn render_ahead_shed(&self) {
        self.render_ahead_shed.inc();
    }

    /// The current value of `pastebin_render_ahead_shed_total`.
    pub fn render_ahead_sheds(&self) -> u64 {
        self.render_ahead_shed.get()
    }

    /// The current value of `pastebin_renders_total{kind}`.
    pub fn renders(&self, kind: &str) -> u64 {
        let kind = known("pastebin_renders_total", "kind", RENDER_KINDS, kind);
        self.renders.with_label_values(&[kind]).get()
    }

    /// Counts one answered request and its duration.
    pub(crate) fn http_request(&self, method: &str, route: &str, status: u16, seconds: f64) {
        let status = status_label(status);
        self.http_requests
            .with_label_values(&[method, route, status.as_ref()])
            .inc();
        self.http_duration
            .with_label_values(&[route])
            .observe(seconds);
    }

    /// Counts one call that reached the document store.
    pub(crate) fn store_op(&self, op: &str) {
        debug_assert!(STORE_OPS.contains(&op), "{op}");
        self.store_operations.with_label_values(&[op]).inc();
    }

    /// Counts one lookup of a cached object (`result` is `hit` or `miss`).
    pub(crate) fn cache_request(&self, object: &str, result: &str) {
        debug_assert!(CACHE_OBJECTS.contains(&object) && CACHE_RESULTS.contains(&result));
        self.cache_requests
            .with_label_values(&[object, result])
            .inc();
    }

    /// Counts one failed cache call.
    pub(crate) fn cache_error(&self) {
        self.cache_errors.inc();
    }

    /// The current value of `pastebin_cache_requests_total{object,result}`.
    pub fn cache_requests(&self, object: &str, result: &str) -> u64 {
        let name = "pastebin_cache_requests_total";
        let object = known(name, "object", CACHE_OBJECTS, object);
        let result = known(name, "result", CACHE_RESULTS, result);
        self.cache_requests
            .with_label_values(&[object, result])
            .get()
    }

    /// Counts one lookup of the near cache (`hit`, `miss` or `bypass`).
    pub(crate) fn near_request(&self, result: &str) {
        debug_assert!(NEAR_RESULTS.contains(&result), "{result}");
        self.near_requests.with_label_values(&[result]).inc();
    }

    /// The current value of `pastebin_near_cache_requests_total{result}`.
    pub fn near_requests(&self, result: &str) -> u64 {
        let result = known(
            "pastebin_near_cache_requests_total",
            "result",
            NEAR_RESULTS,
            result,
        );
        self.near_requests.with_label_values(&[result]).get()
    }

    /// Counts near cache evictions told by Redis.
    pub(crate) fn near_invalidations(&self, n: u64) {
        self.near_invalidations.inc_by(n);
    }

    /// The current value of `pastebin_near_cache_invalidations_total`.
    pub fn near_invalidations_total(&self) -> u64 {
        self.near_invalidations.get()
    }

    /// Counts one background job run.
    pub(crate) fn job(&self, kind: &str, ok: bool) {
        let outcome = if ok { "ok" } else { "error" };
        self.jobs.with_label_values(&[kind, outcome]).inc();
    }

    /// Counts one created paste.
    pub(crate) fn paste_created(&self) {
        self.pastes_created.inc();
    }

    /// Records whether a backend answered the readiness check.
    pub(crate) fn set_backend_up(&self, check: &str, up: bool) {
        self.backend_up
            .with_label_values(&[check])
            .set(i64::from(up));
    }

    /// Sets the depth of the job queue.
    pub(crate) fn set_queue_depth(&self, n: u64) {
        self.queue_depth.set(i64::try_from(n).unwrap_or(i64::MAX));
    }

    /// The Prometheus text exposition of every metric.
    pub(crate) fn render(&self) -> String {
        let mut out = Vec::with_capacity(8 * 1024);
        // Encoding into a Vec cannot fail for well-formed metric families.
        let _ = TextEncoder::new().encode(&self.registry.gather(), &mut out);
        String::from_utf8(out).unwrap_or_default()
    }

    /// The current value of `pastebin_store_operations_total{op}` (for tests and checks).
    pub fn store_operations(&self, op: &str) -> u64 {
        let op = known("pastebin_store_operations_total", "op", STORE_OPS, op);
        self.store_operations.with_label_values(&[op]).get()
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

/// The status as a label; the common ones without an allocation.
fn status_label(status: u16) -> std::borrow::Cow<'static, str> {
    match status {
        200 => "200".into(),
        201 => "201".into(),
        204 => "204".into(),
        303 => "303".into(),
        304 => "304".into(),
        404 => "404".into(),
        other => other.to_string().into(),
    }
}

#[cfg(test)]
mod tests {
    use super::Metrics;

    #[test]
    fn every_known_series_is_exposed_at_zero_from_the_start() {
        let text = Metrics::new().render();
        for series in [
            r#"pastebin_store_operations_total{op="find_paste"} 0"#,
            r#"pastebin_cache_requests_total{object="user",result="miss"} 0"#,
            r#"pastebin_near_cache_requests_total{result="bypass"} 0"#,
            r#"pastebin_renders_total{kind="markdown"} 0"#,
        ] {
            assert!(text.lines().any(|l| l == series), "{series} in {text}");
        }
    }

    #[test]
    #[should_panic(expected = "has no object=\"pastes\"")]
    fn a_misspelt_label_is_refused_rather_than_read_as_zero() {
        Metrics::new().cache_requests("pastes", "hit");
    }

    #[test]
    #[should_panic(expected = "has no op=\"find\"")]
    fn an_unknown_store_operation_is_refused_rather_than_read_as_zero() {
        Metrics::new().store_operations("find");
    }
}
