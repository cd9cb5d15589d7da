//! A real headless Chromium, driven over the W3C WebDriver protocol through
//! chromedriver. Both come from Debian's `chromium` and `chromium-driver`
//! packages (`.ci/run` installs them); without them the browser tests fail
//! loudly rather than pass silently.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::process::free_port;

const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// One browser session (its own chromedriver and profile).
pub struct Browser {
    driver: Child,
    base: String,
    client: reqwest::Client,
    _profile: tempfile::TempDir,
}

/// An element found on the page.
pub struct Element<'a> {
    browser: &'a Browser,
    id: String,
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
         (`apt-get install chromium chromium-driver`; .ci/run does this)"
    );
}

impl Browser {
    /// Starts chromedriver and a headless Chromium session.
    pub async fn start() -> Self {
        let driver_path = find_program(&["chromedriver"]);
        let chromium = find_program(&["chromium", "chromium-browser"]);
        let port = free_port();
        let driver = Command::new(driver_path)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let base = format!("http://127.0.0.1:{port}");
        let client = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(20);
        while client.get(format!("{base}/status")).send().await.is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not come up");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let profile = tempfile::tempdir().expect("a profile folder");
        let mut browser = Self {
            driver,
            base,
            client,
            _profile: profile,
        };
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
            format!("--user-data-dir={}", browser._profile.path().display()),
        ]);
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": chromium, "args": args}
        }}});
        let answer = browser.call("POST", "/session", Some(caps)).await;
        let session = answer["sessionId"]
            .as_str()
            .expect("a session id")
            .to_owned();
        browser.base = format!("{}/session/{session}", browser.base);
        browser
    }

    async fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let url = format!("{}{path}", self.base);
        let request = match method {
            "GET" => self.client.get(url),
            "DELETE" => self.client.delete(url),
            _ => self
                .client
                .post(url)
                .json(&body.unwrap_or_else(|| json!({}))),
        };
        let response = request.send().await.expect("chromedriver answers");
        let status = response.status();
        let value: Value = response.json().await.expect("chromedriver answers JSON");
        assert!(status.is_success(), "webdriver {method} {path}: {value}");
        value.get("value").cloned().unwrap_or(value)
    }

    /// Opens a URL and waits for the page to load.
    pub async fn goto(&self, url: &str) {
        self.call("POST", "/url", Some(json!({"url": url}))).await;
    }

    /// The address of the page shown.
    pub async fn current_url(&self) -> String {
        self.call("GET", "/url", None)
            .await
            .as_str()
            .expect("a url")
            .to_owned()
    }

    /// Waits until the browser has left `from` (a click that submits a form
    /// returns before the next page has loaded), and returns the new address.
    pub async fn wait_to_leave(&self, from: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let url = self.current_url().await;
            if url != from
                && self
                    .call(
                        "POST",
                        "/execute/sync",
                        Some(json!({"script": "return document.readyState", "args": []})),
                    )
                    .await
                    == "complete"
            {
                return url;
            }
            assert!(Instant::now() < deadline, "the browser stayed on {from}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The page's title.
    pub async fn title(&self) -> String {
        self.call("GET", "/title", None)
            .await
            .as_str()
            .expect("a title")
            .to_owned()
    }

    /// The first element matching a CSS selector, if any.
    pub async fn find(&self, css: &str) -> Option<Element<'_>> {
        let found = self
            .call(
                "POST",
                "/elements",
                Some(json!({"using": "css selector", "value": css})),
            )
            .await;
        let id = found
            .as_array()?
            .first()?
            .get(ELEMENT_KEY)?
            .as_str()?
            .to_owned();
        Some(Element { browser: self, id })
    }

    /// Waits for an element to appear (after a form posts back to the same address).
    pub async fn wait_until_found(&self, css: &str) {
        let deadline = Instant::now() + Duration::from_secs(15);
        while self.find(css).await.is_none() {
            assert!(Instant::now() < deadline, "{css} never appeared");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The element matching a CSS selector; panics when there is none.
    pub async fn element(&self, css: &str) -> Element<'_> {
        self.find(css)
            .await
            .unwrap_or_else(|| panic!("no element matches {css}"))
    }

    /// Saves a PNG of the page, to look at when a test fails.
    pub async fn screenshot(&self, path: &std::path::Path) {
        let data = self.call("GET", "/screenshot", None).await;
        let bytes = base64_decode(data.as_str().expect("base64"));
        std::fs::write(path, bytes).expect("screenshot written");
    }
}

impl Browser {
    /// Ends the session (closing Chromium) and chromedriver.
    pub async fn quit(self) {
        let _ = self.client.delete(&self.base).send().await;
    }
}

impl Element<'_> {
    /// Types text into the element.
    pub async fn type_text(&self, text: &str) {
        let path = format!("/element/{}/value", self.id);
        self.browser
            .call("POST", &path, Some(json!({"text": text})))
            .await;
    }

    /// Clicks the element.
    pub async fn click(&self) {
        self.browser
            .call("POST", &format!("/element/{}/click", self.id), None)
            .await;
    }

    /// The element's rendered text.
    pub async fn text(&self) -> String {
        let text = self
            .browser
            .call("GET", &format!("/element/{}/text", self.id), None)
            .await;
        text.as_str().expect("text").to_owned()
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// Standard base64 decoding, enough for screenshots.
fn base64_decode(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let digits: Vec<u8> = text.bytes().filter_map(value).collect();
    digits
        .chunks(4)
        .flat_map(|c| {
            let n = c
                .iter()
                .enumerate()
                .fold(0u32, |n, (i, d)| n | (u32::from(*d) << (18 - 6 * i)));
            let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
            bytes[..c.len().saturating_sub(1)].to_vec()
        })
        .collect()
}
