//! Password-protected pastes on two clones sharing a Redis and a store: no
//! plaintext in the store's files or in any Redis key, every read surface
//! asks for the password, and guesses are counted fleet-wide.

use crate::support::app::{BROWSER_ACCEPT, TestApp, error_code, spawn_clones};
use crate::support::redis::RedisServer;

const SECRET: &str = "the launch code is 0000";
const TITLE: &str = "launch notes";

/// Every byte of every Redis key (`DUMP` of each) and of every file of the
/// store folder, as one lossy string to search.
async fn everything_kept(redis: &RedisServer, app: &TestApp) -> String {
    let client = redis::Client::open(redis.url()).expect("a client");
    let mut conn = client
        .get_multiplexed_async_connection()
        .await
        .expect("connected");
    let keys: Vec<String> = redis::cmd("KEYS")
        .arg("*")
        .query_async(&mut conn)
        .await
        .expect("KEYS");
    assert!(!keys.is_empty(), "the cache holds something");
    let mut all = Vec::new();
    for key in keys {
        all.extend_from_slice(key.as_bytes());
        let dumped: Option<Vec<u8>> = redis::cmd("DUMP")
            .arg(&key)
            .query_async(&mut conn)
            .await
            .expect("DUMP");
        all.extend(dumped.unwrap_or_default());
    }
    for entry in std::fs::read_dir(app.dir.path()).expect("the store folder") {
        let path = entry.expect("an entry").path();
        if path.is_file() {
            all.extend(std::fs::read(&path).expect("a store file"));
        }
    }
    String::from_utf8_lossy(&all).into_owned()
}

/// The refusal's code on the API, its words in text elsewhere.
async fn refusal(answer: reqwest::Response) -> String {
    let json = answer.headers()["content-type"]
        .to_str()
        .is_ok_and(|t| t.starts_with("application/json"));
    if json {
        return error_code(answer).await;
    }
    let text = answer.text().await.expect("text");
    match text {
        t if t.contains("send its password") => "password_required".into(),
        t if t.contains("wrong password") => "wrong_password".into(),
        t => t,
    }
}

async fn send(request: reqwest::RequestBuilder) -> reqwest::Response {
    request.send().await.expect("answered")
}

#[tokio::test]
async fn a_password_protected_paste_is_ciphertext_at_rest_and_every_read_asks_for_it() {
    let redis = RedisServer::start().await;
    let (a, b) = spawn_clones(&redis.url(), |_| {}).await;
    let form = reqwest::multipart::Form::new()
        .text("content", SECRET)
        .text("title", TITLE)
        .text("password", "correct horse");
    let created = send(a.client.post(a.url("/")).multipart(form)).await;
    assert_eq!(created.status(), 201);
    let text = created.text().await.expect("text");
    let id = text
        .lines()
        .next()
        .expect("a URL")
        .rsplit('/')
        .next()
        .expect("an id")
        .to_owned();
    a.worker.run_until_empty().await;
    // Without the password: every surface, on either clone, asks for it.
    for app in [&a, &b] {
        for path in [
            format!("/raw/{id}"),
            format!("/dl/{id}"),
            format!("/api/v1/pastes/{id}"),
            format!("/{id}"),
            format!("/{id}.rs"),
        ] {
            let answer = send(app.client.get(app.url(&path))).await;
            assert_eq!(answer.status(), 403, "{path}");
            assert_eq!(refusal(answer).await, "password_required", "{path}");
        }
        for path in [
            format!("/{id}"),
            format!("/{id}?source"),
            format!("/{id}.py"),
        ] {
            let (status, page) = app.html(&path).await;
            assert_eq!(status, 200, "{path}");
            assert!(page.contains(r#"name="password""#), "{path}: {page}");
            assert!(
                !page.contains(SECRET) && !page.contains(TITLE),
                "{path}: {page}"
            );
        }
    }
    // With it, on either clone, on every surface.
    for (app, path) in [
        (&a, format!("/raw/{id}")),
        (&b, format!("/dl/{id}")),
        (&a, format!("/{id}")),
        (&b, format!("/{id}.txt")),
    ] {
        let answer = send(
            app.client
                .get(app.url(&path))
                .header("X-Paste-Password", "correct horse"),
        )
        .await;
        assert_eq!(answer.status(), 200, "{path}");
        assert_eq!(answer.headers()["cache-control"], "no-store", "{path}");
        assert_eq!(answer.text().await.expect("text"), SECRET, "{path}");
    }
    let api = send(
        b.client
            .get(b.url(&format!("/api/v1/pastes/{id}")))
            .header("X-Paste-Password", "correct horse"),
    )
    .await;
    assert_eq!(api.status(), 200);
    let body: serde_json::Value = api.json().await.expect("JSON");
    assert_eq!(
        (body["content"].as_str(), body["title"].as_str()),
        (Some(SECRET), Some(TITLE))
    );
    assert_eq!(body["password_protected"], true);
    // The page's form, a POST with the click's token.
    let page = send(
        a.client
            .get(a.url(&format!("/{id}")))
            .header("accept", BROWSER_ACCEPT),
    )
    .await;
    let cookie = page
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("pb_reveal="))
        .expect("a reveal cookie")
        .split(';')
        .next()
        .expect("name=value")
        .to_owned();
    let html = page.text().await.expect("html");
    let reveal = html
        .split(r#"name="reveal" value=""#)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a reveal field")
        .to_owned();
    let unlock = |password: &'static str| {
        a.client
            .post(a.url(&format!("/{id}")))
            .header("Cookie", cookie.clone())
            .form(&[("reveal", reveal.as_str()), ("password", password)])
    };
    let wrong = send(unlock("battery staple")).await;
    assert_eq!(wrong.status(), 403);
    let wrong = wrong.text().await.expect("html");
    assert!(
        wrong.contains(r#"id="wrong-password""#) && !wrong.contains(SECRET),
        "{wrong}"
    );
    let opened = send(unlock("correct horse")).await;
    assert_eq!(opened.status(), 200);
    assert_eq!(opened.headers()["cache-control"], "no-store");
    let opened = opened.text().await.expect("html");
    assert!(
        opened.contains("launch code") && opened.contains(TITLE),
        "{opened}"
    );
    // After creating and all those unlocked reads: nothing in clear at rest.
    b.settle().await;
    let kept = everything_kept(&redis, &a).await;
    for clear in ["launch code", TITLE, "correct horse"] {
        assert!(!kept.contains(clear), "{clear:?} is kept somewhere");
    }
    assert!(
        kept.contains("xchacha20poly1305"),
        "the lock is stored: the search reads the store"
    );
}

#[tokio::test]
async fn wrong_passwords_are_403_and_guesses_are_throttled_per_paste_across_clones() {
    let redis = RedisServer::start().await;
    let (a, b) = spawn_clones(&redis.url(), |_| {}).await;
    let created = a
        .create(serde_json::json!({"content": SECRET, "password": "right"}))
        .await;
    assert_eq!(created.body["password_protected"], true);
    let guess = |app: &TestApp, password: &str| {
        app.client
            .get(app.url(&format!("/raw/{}", created.id)))
            .header("X-Paste-Password", password)
    };
    // The default allowance is 10 a minute: the 11th guess, wherever it is
    // sent, is refused before any key is derived; the right password too.
    for n in 0..10 {
        let app = if n % 2 == 0 { &a } else { &b };
        let answer = send(guess(app, &format!("wrong {n}"))).await;
        assert_eq!(answer.status(), 403, "guess {n}");
        assert_eq!(refusal(answer).await, "wrong_password");
    }
    let refused = send(guess(&b, "right")).await;
    assert_eq!(refused.status(), 429);
    assert!(refused.headers().contains_key("retry-after"));
}
