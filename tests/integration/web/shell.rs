//! The shell at the paste URL, as curl, wget and libraries send it: the text
//! for a program, the page for a browser, bodies however curl sends them.

use crate::support::app::{BROWSER_ACCEPT, TestApp, TestPaste, spawn_app};

/// curl's own `Accept`.
const CURL: &str = "*/*";

async fn get_as(app: &TestApp, path: &str, accept: Option<&str>) -> reqwest::Response {
    let mut request = app.client.get(app.url(path));
    if let Some(accept) = accept {
        request = request.header("accept", accept);
    }
    request.send().await.expect("answered")
}

/// `curl --data-binary @file URL`: curl's default urlencoded type.
async fn post_binary(
    app: &TestApp,
    path: &str,
    body: impl Into<reqwest::Body>,
) -> reqwest::Response {
    app.client
        .post(app.url(path))
        .header("accept", CURL)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .expect("answered")
}

fn vary_accept(response: &reqwest::Response) -> bool {
    response
        .headers()
        .get_all("vary")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|v| v.trim().eq_ignore_ascii_case("accept"))
}

#[tokio::test]
async fn a_program_gets_the_text_at_the_paste_url_and_a_browser_the_page() {
    let app = spawn_app().await;
    let content = "fn main() {}\n<b>not html</b>\n";
    let created = app.create_text(content).await;
    let path = format!("/{}", created.id);
    for accept in [Some(CURL), Some("text/plain"), None, Some("text/html;q=0")] {
        let response = get_as(&app, &path, accept).await;
        assert_eq!(response.status(), 200, "{accept:?}");
        let headers = response.headers().clone();
        assert_eq!(
            headers["content-type"], "text/plain; charset=utf-8",
            "{accept:?}"
        );
        assert_eq!(headers["x-content-type-options"], "nosniff");
        assert!(headers.contains_key("etag"), "the raw route's headers");
        assert_eq!(headers["cache-control"], "public, no-cache");
        assert!(vary_accept(&response), "{accept:?}");
        assert_eq!(response.text().await.expect("text"), content);
    }
    // The ETag of the raw route holds here too.
    let etag = get_as(&app, &path, Some(CURL)).await.headers()["etag"].clone();
    let again = app
        .client
        .get(app.url(&path))
        .header("if-none-match", etag)
        .send()
        .await
        .expect("answered");
    assert_eq!(again.status(), 304);
    for accept in [BROWSER_ACCEPT, "text/html"] {
        let page = get_as(&app, &path, Some(accept)).await;
        assert_eq!(page.status(), 200);
        assert_eq!(page.headers()["content-type"], "text/html; charset=utf-8");
        assert!(vary_accept(&page));
        let html = page.text().await.expect("html");
        assert!(
            html.contains("<!DOCTYPE html>") || html.contains("<html"),
            "{html}"
        );
        assert!(html.contains("not html") && !html.contains("<b>not html"));
    }
    // A missing paste is 404 in the reader's terms.
    let missing = get_as(&app, "/zzzzzzzz", Some(CURL)).await;
    assert_eq!(missing.status(), 404);
    assert!(
        missing.headers()["content-type"]
            .to_str()
            .expect("text")
            .starts_with("text/plain")
    );
}

#[tokio::test]
async fn a_burn_after_read_paste_is_never_burned_at_its_page_url() {
    let app = spawn_app().await;
    let created = TestPaste::new("once only").burn().create(&app).await;
    let path = format!("/{}", created.id);
    for accept in [Some(CURL), None, Some("text/plain"), Some(BROWSER_ACCEPT)] {
        let response = get_as(&app, &path, accept).await;
        assert!(vary_accept(&response));
        let status = response.status();
        let text = response.text().await.expect("text");
        assert!(!text.contains("once only"), "{accept:?} read it: {text}");
        if accept != Some(BROWSER_ACCEPT) {
            assert_eq!(status, 409, "{accept:?}");
            assert!(text.contains(&format!("/raw/{}", created.id)), "{text}");
            assert!(text.len() < 300, "a short text: {text}");
        }
    }
    let head = app
        .client
        .head(app.url(&path))
        .send()
        .await
        .expect("answered");
    assert_eq!(head.status(), 409, "HEAD neither burns nor shows");
    let raw = app.get_raw(&created.id).await;
    assert_eq!(raw.status(), 200, "still there for its one read");
    assert_eq!(raw.text().await.expect("text"), "once only");
    assert_eq!(app.get_raw(&created.id).await.status(), 404);
}

#[tokio::test]
async fn an_extension_picks_the_highlighting_and_raw_takes_one_too() {
    let app = spawn_app().await;
    let created = TestPaste::new("fn main() { let x = 1; }\n")
        .language("text")
        .create(&app)
        .await;
    let plain = app.get_page(&created.id).await.text().await.expect("html");
    let page = app.get_page(&format!("{}.rs", created.id)).await;
    assert_eq!(page.status(), 200);
    let rust = page.text().await.expect("html");
    assert!(rust.contains("Rust"), "the page says Rust");
    assert_ne!(plain, rust, "the extension changed the highlighting");
    let unknown = app.get_page(&format!("{}.zzzq", created.id)).await;
    assert_eq!(unknown.status(), 200, "an unknown extension is ignored");
    assert_eq!(
        app.get_page(&format!("{}.a b", created.id)).await.status(),
        404
    );
    let raw = app.get_raw(&format!("{}.py", created.id)).await;
    assert_eq!(raw.status(), 200);
    assert_eq!(
        raw.text().await.expect("text"),
        "fn main() { let x = 1; }\n"
    );
    let text = get_as(&app, &format!("/{}.rs", created.id), Some(CURL)).await;
    assert_eq!(
        text.text().await.expect("text"),
        "fn main() { let x = 1; }\n"
    );
}

#[tokio::test]
async fn a_piped_body_is_the_paste_itself() {
    let app = spawn_app().await;
    let seq: String = (1..=20_000).map(|n| format!("{n}\n")).collect();
    let response = post_binary(&app, "/", seq.clone()).await;
    assert_eq!(response.status(), 201);
    let url = response.text().await.expect("text");
    let id = url.trim_end().rsplit('/').next().expect("a URL").to_owned();
    assert_eq!(url, format!("{}/{id}\n", app.address), "one line: the URL");
    let raw = app.get_raw(&id).await;
    assert_eq!(raw.text().await.expect("text"), seq, "the bytes as sent");
    // Options come in the query string, as with PUT.
    let response = post_binary(&app, "/?expires=1h&title=seq", "a = 1\nb = 2\n").await;
    assert_eq!(response.status(), 201);
    let url = response.text().await.expect("text");
    let id = url.trim_end().rsplit('/').next().expect("a URL");
    let api: serde_json::Value = app.get_api_paste(id).await.json().await.expect("json");
    assert_eq!(api["title"], "seq");
    assert!(api["expires_at"].is_string());
    assert_eq!(api["content"], "a = 1\nb = 2\n");
    // A form of our fields is still a form, and its typos are still refused.
    let form = post_binary(&app, "/", "content=hello&expires=1h").await;
    assert_eq!(form.status(), 201);
    let typo = post_binary(&app, "/", "content=hello&expire=1h").await;
    assert_eq!(typo.status(), 422);
    assert!(typo.text().await.expect("text").contains("`expire`"));
}

#[tokio::test]
async fn no_error_echoes_more_than_a_short_excerpt_of_its_input() {
    let app = spawn_app().await;
    let long = "y".repeat(20_000);
    let cases = [
        format!("content=x&expires={long}"),
        format!("content=x&visibility={long}"),
        format!("content=x&burn_after_read={long}"),
        format!("content=x&language={}", "z".repeat(60)),
        format!("content=x&{}=1", "a".repeat(32)),
    ];
    for body in cases {
        let response = post_binary(&app, "/", body.clone()).await;
        assert!(response.status().is_client_error(), "{}", &body[..40]);
        let text = response.text().await.expect("text");
        assert!(text.len() < 300, "{} bytes of error: {text}", text.len());
        assert!(text.contains('…') || body.len() < 100, "{text}");
    }
    let json = app
        .client
        .post(app.url("/api/v1/pastes"))
        .json(&serde_json::json!({"content": "x", "visibility": long}))
        .send()
        .await
        .expect("answered");
    let text = json.text().await.expect("text");
    assert!(text.len() < 400, "{} bytes of error: {text}", text.len());
}

#[tokio::test]
async fn the_delete_token_is_the_second_line_when_asked_for() {
    let app = spawn_app().await;
    let form = reqwest::multipart::Form::new()
        .text("content", "hello")
        .text("show_token", "1");
    let response = app
        .client
        .post(app.url("/"))
        .multipart(form)
        .send()
        .await
        .expect("answered");
    assert_eq!(response.status(), 201);
    let header = response.headers()["x-delete-token"]
        .to_str()
        .expect("text")
        .to_owned();
    let text = response.text().await.expect("text");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert_eq!(lines[1], header);
    let id = lines[0].rsplit('/').next().expect("a URL");
    assert_eq!(app.curl_delete(id, lines[1]).await.status(), 204);
    for path in ["/?show_token=1", "/?show_token=true"] {
        let put = app
            .client
            .put(app.url(path))
            .body("x")
            .send()
            .await
            .expect("answered");
        assert_eq!(put.text().await.expect("text").lines().count(), 2);
        let raw = post_binary(&app, path, "y y y").await;
        assert_eq!(raw.text().await.expect("text").lines().count(), 2);
    }
    let plain = post_binary(&app, "/", "z").await;
    assert_eq!(
        plain.text().await.expect("text").lines().count(),
        1,
        "opt-in"
    );
}

#[tokio::test]
async fn the_front_page_is_usage_text_for_a_program_and_robots_txt_exists() {
    let app = spawn_app().await;
    let usage = get_as(&app, "/", Some(CURL)).await;
    assert_eq!(usage.status(), 200);
    assert_eq!(usage.headers()["content-type"], "text/plain; charset=utf-8");
    assert!(vary_accept(&usage));
    let text = usage.text().await.expect("text");
    let h = &app.address;
    for line in [
        format!("cmd | curl --data-binary @- {h}/"),
        format!("curl -T notes.rs {h}/"),
        format!("-F expires=1h {h}/"),
        "burn_after_read=1".to_owned(),
        "visibility=private".to_owned(),
        "Authorization: Bearer".to_owned(),
        format!("curl {h}/raw/ID"),
        format!("curl -X DELETE -H 'X-Delete-Token: TOKEN' {h}/ID"),
        "show_token=1".to_owned(),
    ] {
        assert!(text.contains(&line), "{line} missing in:\n{text}");
    }
    let form = get_as(&app, "/", Some(BROWSER_ACCEPT)).await;
    assert!(vary_accept(&form));
    assert!(form.text().await.expect("html").contains("<form"));
    let robots = get_as(&app, "/robots.txt", Some(CURL)).await;
    assert_eq!(robots.status(), 200);
    let rules = robots.text().await.expect("text");
    assert!(
        rules.contains("User-agent: *") && rules.contains("Disallow: /"),
        "{rules}"
    );
}

#[tokio::test]
async fn rustypaste_and_0x0_expiry_spellings_work_and_the_rest_is_refused_shortly() {
    let app = spawn_app().await;
    let expires_in = async |id: &str| -> i64 {
        let api: serde_json::Value = app.get_api_paste(id).await.json().await.expect("json");
        let at = time::OffsetDateTime::parse(
            api["expires_at"].as_str().expect("an expiry"),
            &time::format_description::well_known::Rfc3339,
        )
        .expect("RFC 3339");
        (at - time::OffsetDateTime::now_utc()).whole_minutes()
    };
    let id_of = |text: String| {
        text.trim_end()
            .rsplit('/')
            .next()
            .expect("a URL")
            .to_owned()
    };
    let put = app
        .client
        .put(app.url("/"))
        .header("Expire", "10min")
        .body("x")
        .send()
        .await
        .expect("answered");
    assert_eq!(put.status(), 201);
    let minutes = expires_in(&id_of(put.text().await.expect("text"))).await;
    assert!((8..=10).contains(&minutes), "{minutes}");
    let form = reqwest::multipart::Form::new()
        .text("content", "x")
        .text("expires", "24");
    let posted = app
        .client
        .post(app.url("/"))
        .multipart(form)
        .send()
        .await
        .expect("answered");
    assert_eq!(posted.status(), 201);
    let minutes = expires_in(&id_of(posted.text().await.expect("text"))).await;
    assert!((23 * 60..=24 * 60).contains(&minutes), "{minutes}");
    let epoch = post_binary(&app, "/", "content=x&expires=1681996320000").await;
    assert_eq!(epoch.status(), 422);
    assert!(epoch.text().await.expect("text").len() < 200);
}
