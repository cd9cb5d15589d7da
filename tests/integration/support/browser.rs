//! A real headless Chromium, driven over WebDriver by `fantoccini` through a
//! chromedriver of the test's own, on a free port. Both programs come from
//! Debian's `chromium` and `chromium-driver` packages (`tests/run` and
//! `.ci/run` install them); without them the browser tests fail loudly rather
//! than pass silently.

use std::ops::Deref;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

use super::process::free_port;

/// How long a page may take to show what a test waits for.
const PATIENCE: Duration = Duration::from_secs(15);

/// One browser session: its own chromedriver, Chromium and profile. Derefs
/// to the `fantoccini::Client`, so tests use its API directly.
pub struct Browser {
    client: Client,
    driver: Child,
    _profile: tempfile::TempDir,
}

fn find_program(names: &[&str]) -> String {
    for name in names {
        for dir in ["/usr/bin", "/usr/local/bin", "/usr/lib/chromium"] {
            let path = format!("{dir}/{name}");
            if std::path::Path::new(&path).exists() {
                return path;
            }
        }
    }
    panic!(
        "{names:?} not found: install Debian's chromium and chromium-driver packages \
         (`apt-get install chromium chromium-driver`; tests/run does this)"
    );
}

impl Browser {
    /// Starts chromedriver and a headless Chromium session in a fresh profile.
    pub async fn start() -> Self {
        Self::launch(None).await
    }

    /// A session that shows pages as a phone of `width` CSS pixels does
    /// (Chromium's device emulation: viewport, pixel ratio, touch).
    pub async fn phone(width: u32) -> Self {
        Self::launch(Some(json!({
            "deviceMetrics": {"width": width, "height": 844, "pixelRatio": 3.0, "touch": true}
        })))
        .await
    }

    async fn launch(mobile: Option<serde_json::Value>) -> Self {
        let chromium = find_program(&["chromium", "chromium-browser"]);
        let port = free_port();
        let mut driver = Command::new(find_program(&["chromedriver"]))
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let profile = tempfile::tempdir().expect("a profile folder");
        let args = json!([
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--window-size=1200,900",
            format!("--user-data-dir={}", profile.path().display()),
        ]);
        let mut capabilities = fantoccini::wd::Capabilities::new();
        capabilities.insert("browserName".into(), json!("chrome"));
        let mut options = json!({"binary": chromium, "args": args});
        if let Some(mobile) = mobile {
            options["mobileEmulation"] = mobile;
        }
        capabilities.insert("goog:chromeOptions".into(), options);
        // Plain HTTP to chromedriver on localhost: no TLS connector needed.
        let mut builder =
            ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new());
        builder.capabilities(capabilities);
        let deadline = Instant::now() + Duration::from_secs(20);
        while tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_err()
        {
            if let Ok(Some(status)) = driver.try_wait() {
                panic!("chromedriver exited at start: {status}");
            }
            assert!(Instant::now() < deadline, "chromedriver did not come up");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let webdriver = format!("http://127.0.0.1:{port}");
        let client = builder
            .connect(&webdriver)
            .await
            .unwrap_or_else(|e| panic!("no WebDriver session on {webdriver}: {e}"));
        Self {
            client,
            driver,
            _profile: profile,
        }
    }

    /// The element matching a CSS selector; panics when there is none.
    pub async fn element(&self, css: &str) -> Element {
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no element matches {css}: {e}"))
    }

    /// Whether any element matches a CSS selector.
    pub async fn has(&self, css: &str) -> bool {
        !self
            .client
            .find_all(Locator::Css(css))
            .await
            .expect("the browser answers a search")
            .is_empty()
    }

    /// Waits for an element to appear (after a form posts back to the same
    /// address) and returns it.
    pub async fn wait_for_element(&self, css: &str) -> Element {
        self.client
            .wait()
            .at_most(PATIENCE)
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css} never appeared: {e}"))
    }

    /// Waits until the browser has left `from` and the new page has loaded
    /// (a click that submits a form returns before it has), and returns the
    /// new address.
    pub async fn wait_to_leave(&self, from: &str) -> String {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let url = self.client.current_url().await.expect("an address");
            let loaded = self
                .client
                .execute("return document.readyState", vec![])
                .await
                .expect("a script runs");
            if url.as_str() != from && loaded == "complete" {
                return url.into();
            }
            assert!(Instant::now() < deadline, "the browser stayed on {from}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Saves a PNG of the page as `name` in `$SCREENSHOT_DIR`, when it is set,
    /// to look at when a test fails.
    pub async fn screenshot_if_asked(&self, name: &str) {
        if let Ok(dir) = std::env::var("SCREENSHOT_DIR") {
            let png = self.client.screenshot().await.expect("a screenshot");
            std::fs::write(std::path::Path::new(&dir).join(name), png).expect("screenshot written");
        }
    }

    /// Saves a PNG of the page as `name` among the test artifacts: in
    /// `$SCREENSHOT_DIR` when set, else in `screenshots/` of the target's
    /// temporary folder (`target/tmp/screenshots`).
    pub async fn save_screenshot(&self, name: &str) {
        let dir = std::env::var("SCREENSHOT_DIR").map_or_else(
            |_| std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots"),
            std::path::PathBuf::from,
        );
        std::fs::create_dir_all(&dir).expect("the screenshot folder");
        let png = self.client.screenshot().await.expect("a screenshot");
        std::fs::write(dir.join(name), png).expect("screenshot written");
    }

    /// Ends the session (closing Chromium); chromedriver stops on drop.
    pub async fn quit(self) {
        let _ = self.client.clone().close().await;
    }
}

impl Deref for Browser {
    type Target = Client;

    fn deref(&self) -> &Client {
        &self.client
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}
