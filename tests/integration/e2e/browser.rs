//! A person encrypts in a real browser; what the server keeps and logs is
//! searched for the text and the key; the CLI and the browser open each
//! other's pastes; a tampered envelope says it failed.

use std::path::Path;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use super::{encrypt_in_browser, outcome, shown_text};
use crate::cli::Shell;
use crate::support::app::{client, spawn_app};
use crate::support::browser::Browser;
use crate::support::process::ServerProcess;
use crate::support::redis::RedisServer;

/// Every byte of every file under `dir` (the SQLite database, its WAL).
fn files_bytes(dir: &Path) -> Vec<u8> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("a folder").flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(files_bytes(&path));
        } else {
            out.extend(std::fs::read(&path).unwrap_or_default());
        }
    }
    out
}

/// `DUMP` of every Redis key, and each value read by its type (a DUMP may
/// be LZF-compressed), as bytes.
fn redis_bytes(redis: &RedisServer) -> Vec<u8> {
    let cli = |args: &[&str]| {
        std::process::Command::new("redis-cli")
            .args(["-p", &redis.port().to_string(), "--raw"])
            .args(args)
            .output()
            .expect("redis-cli runs")
            .stdout
    };
    let keys = String::from_utf8(cli(&["--scan"])).expect("key names are text");
    let mut out = Vec::new();
    for key in keys.lines().filter(|k| !k.is_empty()) {
        out.extend(cli(&["DUMP", key]));
        let kind = String::from_utf8(cli(&["TYPE", key])).expect("a type");
        let read: &[&str] = match kind.trim() {
            "string" => &["GET", key],
            "hash" => &["HGETALL", key],
            "list" => &["LRANGE", key, "0", "-1"],
            "set" => &["SMEMBERS", key],
            "zset" => &["ZRANGE", key, "0", "-1"],
            "stream" => &["XRANGE", key, "-", "+"],
            _ => continue,
        };
        out.extend(cli(read));
    }
    out
}

fn holds(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// The key in `/{id}#key`, and the id.
fn split(url: &str) -> (String, String) {
    let (page, key) = url.split_once('#').expect("a fragment");
    (
        page.rsplit('/').next().expect("an id").to_owned(),
        key.to_owned(),
    )
}

#[tokio::test]
async fn a_browser_encrypted_paste_leaves_no_text_or_key_in_the_store_redis_or_logs() {
    let redis = RedisServer::start().await;
    let store = tempfile::tempdir().expect("a store folder");
    let server = ServerProcess::start(
        store.path(),
        &[
            ("PASTEBIN__REDIS__URL", &redis.url()),
            ("PASTEBIN__LOG__LEVEL", "debug"),
        ],
    )
    .await;
    let secret = "the launch code is 0451-zebra\nsecond <line> & more\n";
    let browser = Browser::start().await;
    let url = encrypt_in_browser(&browser, &server.address, secret, None).await;
    let (id, key) = split(&url);
    assert_eq!(key.len(), 43, "a 256-bit key in the fragment: {url}");
    assert_eq!(outcome(&browser).await.0, "decrypted");
    assert_eq!(shown_text(&browser).await, secret.trim_end());
    assert!(
        browser.has(".notice.created .token").await,
        "the token is shown once"
    );

    // What the server holds is the envelope; a plain paste's text, made the
    // same way, is found by the same searches (so they can fail).
    let raw = client()
        .get(format!("{}/raw/{id}", server.address))
        .send()
        .await
        .expect("raw")
        .text()
        .await
        .expect("text");
    assert!(raw.starts_with("e2e-v1."), "raw serves the envelope: {raw}");
    let control = "plain control text 7731-okapi";
    let made = client()
        .post(format!("{}/", server.address))
        .multipart(reqwest::multipart::Form::new().text("content", control))
        .send()
        .await
        .expect("created");
    let control_url = made.text().await.expect("a URL");
    let read = client().get(control_url.trim()).send().await.expect("read");
    assert_eq!(read.status(), 200);
    // Opened again, the encrypted paste's view is cached in Redis too.
    browser.goto(&url).await.expect("opens again");
    assert_eq!(shown_text(&browser).await, secret.trim_end());

    let key_bytes = URL_SAFE_NO_PAD.decode(&key).expect("base64url");
    let files = files_bytes(store.path());
    let cached = redis_bytes(&redis);
    let logged = server.logged();
    assert!(holds(&files, control.as_bytes()), "the store search works");
    assert!(holds(&cached, control.as_bytes()), "the Redis search works");
    assert!(
        holds(&files, raw.trim().as_bytes()),
        "the store holds the envelope"
    );
    for (place, bytes) in [
        ("store files", &files),
        ("Redis", &cached),
        ("logs", &logged.as_bytes().to_vec()),
    ] {
        for (what, needle) in [
            ("text", "0451-zebra".as_bytes()),
            ("key", key.as_bytes()),
            ("key bytes", &key_bytes[..]),
        ] {
            assert!(!holds(bytes, needle), "the {place} hold the {what}");
        }
    }
    assert!(logged.contains(&id), "the logs name the paste's requests");
    browser.quit().await;
}

#[tokio::test]
async fn a_tampered_envelope_or_header_fails_to_decrypt_and_says_so() {
    let app = spawn_app().await;
    let browser = Browser::start().await;
    let url = encrypt_in_browser(&browser, &app.address, "original text\n", None).await;
    let (id, key) = split(&url);
    let raw = app.get(&format!("/raw/{id}")).await.1;
    let parts: Vec<&str> = raw.trim().split('.').collect();
    // One bit of the ciphertext flipped.
    let mut ciphertext = URL_SAFE_NO_PAD.decode(parts[3]).expect("base64url");
    ciphertext[0] ^= 1;
    let flipped = format!(
        "{}.{}.{}.{}",
        parts[0],
        parts[1],
        parts[2],
        URL_SAFE_NO_PAD.encode(&ciphertext)
    );
    // The header swapped for one that claims a one-day expiry (the server
    // stores it with that expiry, so only the AAD can tell).
    let header = URL_SAFE_NO_PAD.encode(r#"{"expires":"1d","burn_after_read":false,"kdf":null}"#);
    let swapped = format!("{}.{header}.{}.{}", parts[0], parts[2], parts[3]);
    for (envelope, expires) in [(flipped, "never"), (swapped, "1d")] {
        let made = app
            .create(
                serde_json::json!({"content": envelope, "end_to_end": true, "expires": expires}),
            )
            .await;
        browser
            .goto(&app.url(&format!("/{}#{key}", made.id)))
            .await
            .expect("the page opens");
        let (result, said) = outcome(&browser).await;
        assert_eq!(result, "failed", "{said}");
        assert!(said.contains("Failed to decrypt"), "{said}");
        assert!(!browser.has("#e2e-content > .l").await, "nothing shown");
    }
    // Without its key, the page says what is missing.
    browser
        .goto(&app.url(&format!("/{id}")))
        .await
        .expect("opens");
    assert!(outcome(&browser).await.1.contains("no key"));
    browser.quit().await;
}

#[tokio::test]
async fn the_cli_and_the_browser_open_each_others_encrypted_pastes() {
    let app = spawn_app().await;
    let shell = Shell::new();
    let browser = Browser::start().await;

    // Browser to CLI, with a password.
    let typed = "made in a browser\nsecond line\n";
    let url = encrypt_in_browser(&browser, &app.address, typed, Some("correct horse")).await;
    let run = shell
        .run_with_env(
            &["get", &url],
            b"",
            &[("PASTEBIN_E2E_PASSWORD", "correct horse")],
        )
        .await;
    assert_eq!(run.ok(), typed);
    let wrong = shell
        .run_with_env(&["get", &url], b"", &[("PASTEBIN_E2E_PASSWORD", "wrong")])
        .await;
    assert!(!wrong.status.success());
    assert!(
        wrong.stderr.contains("failed to decrypt"),
        "{}",
        wrong.stderr
    );

    // CLI to browser.
    let piped = "made in a shell\n\tindented <tag>\n";
    let run = shell
        .run(
            &[
                "paste",
                "--encrypt",
                "--expires",
                "1h",
                "--url",
                &app.address,
            ],
            piped.as_bytes(),
        )
        .await;
    let link = run.ok();
    let link = link.trim();
    let (id, _) = split(link);
    assert!(
        app.get(&format!("/raw/{id}"))
            .await
            .1
            .starts_with("e2e-v1.")
    );
    browser.goto(link).await.expect("the page opens");
    assert_eq!(outcome(&browser).await.0, "decrypted");
    assert_eq!(shown_text(&browser).await, piped.trim_end());
    // A line link keeps the key; the CLI reads the link with one too.
    browser
        .element("#L2 > a")
        .await
        .click()
        .await
        .expect("clicked");
    let at = browser.current_url().await.expect("an address");
    assert!(at.as_str().ends_with("/L2"), "{at}");
    assert!(browser.has("#L2.marked").await);
    browser.screenshot_if_asked("e2e.png").await;
    assert_eq!(shell.run(&["get", at.as_str()], b"").await.ok(), piped);
    browser.quit().await;
}

#[tokio::test]
async fn a_burn_after_read_encrypted_paste_is_revealed_with_its_key_once() {
    let app = spawn_app().await;
    let browser = Browser::start().await;
    browser.goto(&app.url("/")).await.expect("the form opens");
    let content = browser.element("textarea[name=content]").await;
    content.send_keys("read me once").await.expect("typed");
    browser
        .element("input[name=burn_after_read]")
        .await
        .click()
        .await
        .expect("ticked");
    browser
        .element("#e2e-encrypt")
        .await
        .click()
        .await
        .expect("ticked");
    browser
        .element("form.new button[type=submit]")
        .await
        .click()
        .await
        .expect("sent");
    let url = browser.wait_to_leave(&app.url("/")).await;
    browser
        .element("#reveal")
        .await
        .click()
        .await
        .expect("clicked");
    assert_eq!(outcome(&browser).await.0, "decrypted");
    assert_eq!(shown_text(&browser).await, "read me once");
    assert!(browser.has(".notice.burned").await);
    let (id, _) = split(&url);
    assert_eq!(app.get(&format!("/raw/{id}")).await.0, 404);
    browser.quit().await;
}
