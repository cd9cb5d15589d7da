//! Starting the application in-process, exactly as `main` does.

use std::num::NonZeroU32;
use std::path::Path;
use std::sync::Arc;

use actix_web::dev::ServerHandle;
use pastebin::clock::Clock;
use pastebin::configuration::{
    LogLevel, PasswordIterations, PasswordMemoryKib, PublicUrl, RedisUrl, Seconds, Settings,
};
use pastebin::metrics::Metrics;
use pastebin::startup::Application;
use pastebin::worker::{Scheduler, Worker};
use tempfile::TempDir;

/// A running app and what a test needs to talk to it.
pub struct TestApp {
    /// `http://127.0.0.1:PORT`
    pub address: String,
    /// A client that does not follow redirects (tests look at the 303s).
    pub client: reqwest::Client,
    /// The store folder; removed when the last holder drops it.
    pub dir: Arc<TempDir>,
    /// Stops the server.
    pub handle: ServerHandle,
    /// The app's metrics.
    pub metrics: Arc<Metrics>,
    /// A worker over the app's backends, to run jobs now instead of waiting.
    pub worker: Worker,
    /// The app's scheduler of periodic jobs.
    pub scheduler: Scheduler,
    /// Ids of the app's render processes alive now.
    pub render_processes: Arc<dyn Fn() -> Vec<u32> + Send + Sync>,
}

/// The default settings, on a free port, with the store in `dir`.
pub fn test_settings(dir: &Path) -> Settings {
    let mut settings = Settings::defaults().expect("the built-in defaults load");
    settings.server.port = 0;
    settings.server.workers = 2;
    settings.store.path = dir.to_path_buf();
    let level = std::env::var("TEST_LOG").unwrap_or_else(|_| "error".into());
    settings.log.level = LogLevel::parse(&level).expect("TEST_LOG is a tracing filter");
    // Tests create and miss freely; the rate-limit tests set their own limits.
    settings.limits.create_per_minute = NonZeroU32::new(1_000_000).expect("not zero");
    settings.limits.misses_per_minute = NonZeroU32::new(1_000_000).expect("not zero");
    // Passwords hash in microseconds (the cost is measured apart, in release).
    settings.accounts.password_memory_kib = PasswordMemoryKib::new(64).expect("in range");
    settings.accounts.password_iterations = PasswordIterations::new(1).expect("in range");
    settings.accounts.login_attempts_per_minute = NonZeroU32::new(1_000).expect("not zero");
    settings.accounts.signups_per_minute = NonZeroU32::new(1_000).expect("not zero");
    // Renders run in render processes of the real binary (this test binary
    // is not it).
    settings.render.executable = Some(env!("CARGO_BIN_EXE_pastebin").into());
    settings
}

/// An app with the default settings and a fresh store.
pub async fn spawn_app() -> TestApp {
    spawn_with(|_| {}).await
}

/// An app with adjusted settings and a fresh store.
pub async fn spawn_with(adjust: impl FnOnce(&mut Settings)) -> TestApp {
    let dir = Arc::new(tempfile::tempdir().expect("a temporary folder"));
    spawn_in(dir, adjust).await
}

/// An app with adjusted settings and a fresh store, reading `clock`.
pub async fn spawn_with_clock(clock: Clock, adjust: impl FnOnce(&mut Settings)) -> TestApp {
    let dir = Arc::new(tempfile::tempdir().expect("a temporary folder"));
    spawn_at(dir, clock, adjust).await
}

/// An app on an existing store folder (restarts, clones).
pub async fn spawn_in(dir: Arc<TempDir>, adjust: impl FnOnce(&mut Settings)) -> TestApp {
    spawn_at(dir, Clock::System, adjust).await
}

/// An app on an existing store folder whose services read `clock`.
pub async fn spawn_at(
    dir: Arc<TempDir>,
    clock: Clock,
    adjust: impl FnOnce(&mut Settings),
) -> TestApp {
    let mut settings = test_settings(dir.path());
    adjust(&mut settings);
    pastebin::telemetry::init(&settings.log);
    let app = Application::build_with_clock(settings, clock)
        .await
        .expect("the app builds");
    let address = format!("http://127.0.0.1:{}", app.port());
    let handle = app.handle();
    let metrics = app.metrics();
    let worker = app.worker();
    let scheduler = app.scheduler();
    let render_processes = app.render_processes_handle();
    tokio::spawn(app.run_until_stopped());
    TestApp {
        address,
        client: client(),
        dir,
        handle,
        metrics,
        worker,
        scheduler,
        render_processes,
    }
}

/// Two clones of one fleet: the same store folder and the same Redis.
pub async fn spawn_clones(redis_url: &str, adjust: impl Fn(&mut Settings)) -> (TestApp, TestApp) {
    spawn_clones_at(redis_url, Clock::System, adjust).await
}

/// Two clones of one fleet reading one `clock`.
pub async fn spawn_clones_at(
    redis_url: &str,
    clock: Clock,
    adjust: impl Fn(&mut Settings),
) -> (TestApp, TestApp) {
    let url = RedisUrl::parse(redis_url).expect("a Redis URL");
    spawn_fleet(clock, |s| {
        s.redis.url = Some(url.clone());
        adjust(s);
    })
    .await
}

/// Two clones of one fleet reading one `clock`, whose Redis `adjust` names.
pub async fn spawn_fleet(clock: Clock, adjust: impl Fn(&mut Settings)) -> (TestApp, TestApp) {
    let dir = Arc::new(tempfile::tempdir().expect("a temporary folder"));
    let configure = |s: &mut Settings| {
        // One service behind a balancer: every clone hands out the same links.
        s.server.public_url = Some(PublicUrl::parse("http://paste.test").expect("a URL"));
        adjust(s);
    };
    let a = spawn_at(dir.clone(), clock.clone(), configure).await;
    let b = spawn_at(dir, clock, configure).await;
    (a, b)
}

/// An HTTP client that shows redirects instead of following them.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a client")
}

/// What a creation through the API returned.
pub struct CreatedPaste {
    /// The id.
    pub id: String,
    /// The delete token.
    pub token: String,
    /// The whole JSON answer.
    pub body: serde_json::Value,
}

impl TestApp {
    /// `{address}{path}`
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    /// Creates a paste through the JSON API; panics unless it is a 201.
    pub async fn create(&self, body: serde_json::Value) -> CreatedPaste {
        let response = self.post_paste(&body).await;
        assert_eq!(response.status(), 201, "creation of {body}");
        let body: serde_json::Value = response.json().await.expect("a JSON answer");
        CreatedPaste {
            id: body["id"].as_str().expect("an id").to_owned(),
            token: body["delete_token"].as_str().expect("a token").to_owned(),
            body,
        }
    }

    /// Creates a paste with just this content.
    pub async fn create_text(&self, content: &str) -> CreatedPaste {
        TestPaste::new(content).create(self).await
    }

    /// `GET path`, the status and body text.
    pub async fn get(&self, path: &str) -> (u16, String) {
        let response = self.get_path(path).await;
        let status = response.status().as_u16();
        (status, response.text().await.expect("a body"))
    }

    /// `GET path`, the answer as it came.
    pub async fn get_path(&self, path: &str) -> reqwest::Response {
        send(self.client.get(self.url(path))).await
    }

    /// `POST /api/v1/pastes` with this JSON body.
    pub async fn post_paste(&self, body: &serde_json::Value) -> reqwest::Response {
        send(self.client.post(self.url("/api/v1/pastes")).json(body)).await
    }

    /// `PUT /` with this body, as `curl -T` sends it.
    pub async fn put_text(&self, body: impl Into<reqwest::Body>) -> reqwest::Response {
        send(self.client.put(self.url("/")).body(body)).await
    }

    /// `GET /api/v1/pastes/{id}`
    pub async fn get_api_paste(&self, id: &str) -> reqwest::Response {
        self.get_path(&format!("/api/v1/pastes/{id}")).await
    }

    /// `GET /raw/{id}`
    pub async fn get_raw(&self, id: &str) -> reqwest::Response {
        self.get_path(&format!("/raw/{id}")).await
    }

    /// `GET /dl/{id}`
    pub async fn get_download(&self, id: &str) -> reqwest::Response {
        self.get_path(&format!("/dl/{id}")).await
    }

    /// `GET /{id}`, the paste's page, as a browser asks for it (a program
    /// gets the text there).
    pub async fn get_page(&self, id: &str) -> reqwest::Response {
        self.get_html(&format!("/{id}")).await
    }

    /// `GET path` as a browser opens it, the status and body text.
    pub async fn html(&self, path: &str) -> (u16, String) {
        let response = self.get_html(path).await;
        let status = response.status().as_u16();
        (status, response.text().await.expect("a body"))
    }

    /// `GET path` with a browser's `Accept`.
    pub async fn get_html(&self, path: &str) -> reqwest::Response {
        send(
            self.client
                .get(self.url(path))
                .header("accept", BROWSER_ACCEPT),
        )
        .await
    }

    /// `DELETE /api/v1/pastes/{id}`, with the `X-Delete-Token` when given.
    pub async fn delete_paste(&self, id: &str, token: Option<&str>) -> reqwest::Response {
        let url = self.url(&format!("/api/v1/pastes/{id}"));
        send(with_token(self.client.delete(url), token)).await
    }

    /// `DELETE /{id}` with the `X-Delete-Token`, as `curl -X DELETE` sends it.
    pub async fn curl_delete(&self, id: &str, token: &str) -> reqwest::Response {
        let url = self.url(&format!("/{id}"));
        send(with_token(self.client.delete(url), Some(token))).await
    }

    /// Runs every queued job to the end, whoever holds it (the worker inside
    /// `serve` may have one in hand), so a test continues from a settled state.
    pub async fn settle(&self) {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            self.worker.run_until_empty().await;
            if self.worker.queue_depth().await == 0 {
                return;
            }
            assert!(std::time::Instant::now() < deadline, "jobs did not settle");
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
    }

    /// Enqueues this slot's periodic jobs (unless the app's own scheduler did
    /// already) and runs every queued job, so a count that starts now sees
    /// only what the test does next (with `quiet_periodic_jobs`).
    pub async fn settle_periodic(&self) {
        self.scheduler.tick().await;
        self.settle().await;
    }

    /// Every call that reached the document store so far, whatever its
    /// operation: the sum of `pastebin_store_operations_total{op="..."}` in the
    /// app's `/metrics`, so an operation added later is counted too.
    pub async fn store_operations_total(&self) -> u64 {
        let (status, text) = self.get("/metrics").await;
        assert_eq!(status, 200, "/metrics answers");
        store_operations_total(&text)
    }

    /// Stops the server and waits for it.
    pub async fn stop(&self) {
        self.handle.stop(true).await;
    }
}

/// What a browser sends as `Accept` when it opens a link (Firefox's).
pub const BROWSER_ACCEPT: &str = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

/// Sends a request; a test has no use for one that was not answered.
async fn send(request: reqwest::RequestBuilder) -> reqwest::Response {
    request.send().await.expect("the app answers")
}

fn with_token(request: reqwest::RequestBuilder, token: Option<&str>) -> reqwest::RequestBuilder {
    match token {
        Some(token) => request.header("X-Delete-Token", token),
        None => request,
    }
}

/// A paste for a test to create through the API: the content, then only the
/// fields the test cares about.
pub struct TestPaste {
    body: serde_json::Map<String, serde_json::Value>,
}

impl TestPaste {
    /// A paste of this content and nothing else.
    pub fn new(content: impl Into<String>) -> Self {
        let mut body = serde_json::Map::new();
        body.insert("content".into(), content.into().into());
        Self { body }
    }

    fn with(mut self, field: &str, value: impl Into<serde_json::Value>) -> Self {
        self.body.insert(field.into(), value.into());
        self
    }

    /// Its title.
    pub fn title(self, title: &str) -> Self {
        self.with("title", title)
    }

    /// Its language (`rust`, `html`, ...).
    pub fn language(self, language: &str) -> Self {
        self.with("language", language)
    }

    /// Its lifetime (`1s`, `1h`, `1d`, ...).
    pub fn expires(self, expires: &str) -> Self {
        self.with("expires", expires)
    }

    /// Unlisted instead of public.
    pub fn unlisted(self) -> Self {
        self.with("visibility", "unlisted")
    }

    /// Burned after its first read.
    pub fn burn(self) -> Self {
        self.with("burn_after_read", true)
    }

    /// Deleted after its `n`-th read.
    pub fn max_views(self, n: u32) -> Self {
        self.with("max_views", n)
    }

    /// The JSON body of its creation.
    pub fn json(&self) -> serde_json::Value {
        serde_json::Value::Object(self.body.clone())
    }

    /// Creates it on `app`; panics unless the answer is a 201.
    pub async fn create(self, app: &TestApp) -> CreatedPaste {
        app.create(self.json()).await
    }
}

/// The sum of every `pastebin_store_operations_total{op="..."} N` line.
///
/// # Panics
/// When there is none: the app exposes every operation's series from the
/// start (at 0), so a text without them is a renamed metric, and a sum of
/// nothing would make every `== 0` on it pass.
pub fn store_operations_total(prometheus_text: &str) -> u64 {
    let samples: Vec<u64> = prometheus_text
        .lines()
        .filter(|line| line.starts_with("pastebin_store_operations_total{"))
        .map(|line| {
            let (_, value) = line.rsplit_once(' ').expect("a sample has a value");
            value.parse::<u64>().expect("a counter is a whole number")
        })
        .collect();
    assert!(
        !samples.is_empty(),
        "no pastebin_store_operations_total series in:\n{prometheus_text}"
    );
    samples.iter().sum()
}

/// The value of one series (`name` or `name{labels}`, exactly as exposed) of
/// a `/metrics` text.
///
/// # Panics
/// When the series is absent: a missing series is a renamed metric or a
/// misspelt label, never a 0.
pub fn metric_value(prometheus_text: &str, series: &str) -> u64 {
    prometheus_text
        .lines()
        .find_map(|line| line.strip_prefix(series)?.strip_prefix(' '))
        .unwrap_or_else(|| panic!("no series {series} in:\n{prometheus_text}"))
        .trim()
        .parse()
        .expect("a counter is a whole number")
}

/// Moves the periodic jobs (visit folds every few seconds, sweeps) a decade
/// apart, so a test that counts every store operation sees only its own: the
/// scheduler still enqueues both once at start, which `settle` drains.
pub fn quiet_periodic_jobs(settings: &mut Settings) {
    let decade = Seconds::new(10 * 365 * 24 * 3600).expect("not zero");
    settings.jobs.visits_flush_secs = decade;
    settings.jobs.sweep_interval_secs = decade;
}

/// The `{"error": {"code"}}` of a JSON error answer.
pub async fn error_code(response: reqwest::Response) -> String {
    let body: serde_json::Value = response.json().await.expect("a JSON error body");
    body["error"]["code"]
        .as_str()
        .expect("an error code")
        .to_owned()
}

/// A manual clock at the start of the current minute: a test of one
/// rate-limit window never straddles two, and no test waits for a window edge.
pub fn clock_at_minute_start() -> Clock {
    let now = time::OffsetDateTime::now_utc();
    let start = now
        - time::Duration::seconds(i64::from(now.second()))
        - time::Duration::nanoseconds(i64::from(now.nanosecond()));
    Clock::manual(start)
}
