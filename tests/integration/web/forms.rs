//! Creation through `POST /` and `PUT /`, negotiated by `Accept`.

use pastebin::configuration::MaxPasteBytes;
use reqwest::multipart::{Form, Part};

use crate::support::app::{TestApp, metric_value, spawn_app, spawn_with};

const BROWSER_ACCEPT: &str = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

async fn raw_of(app: &TestApp, url: &str) -> String {
    let id = url.trim().rsplit('/').next().expect("an id");
    let (status, body) = app.get(&format!("/raw/{id}")).await;
    assert_eq!(status, 200);
    body
}

#[tokio::test]
async fn curl_form_fields_get_201_and_the_url_as_a_line() {
    let app = spawn_app().await;
    let form = Form::new()
        .text("content", "echo hi\n")
        .text("expires", "1h")
        .text("title", "script");
    let response = app
        .client
        .post(app.url("/"))
        .multipart(form)
        .send()
        .await
        .expect("answered");
    assert_eq!(response.status(), 201);
    assert_eq!(
        response.headers()["content-type"],
        "text/plain; charset=utf-8"
    );
    assert!(response.headers().contains_key("x-delete-token"));
    let location = response.headers()["location"]
        .to_str()
        .expect("text")
        .to_owned();
    let body = response.text().await.expect("text");
    assert_eq!(body, format!("{location}\n"));
    assert!(location.starts_with(&app.address));
    assert_eq!(raw_of(&app, &body).await, "echo hi\n");
}

#[tokio::test]
async fn a_urlencoded_post_works_like_curl_data() {
    let app = spawn_app().await;
    let response = app
        .client
        .post(app.url("/"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("content=a%2Bb%20%3D%20c%0D%0A&language=text")
        .send()
        .await
        .expect("answered");
    assert_eq!(response.status(), 201);
    let body = response.text().await.expect("text");
    assert_eq!(
        raw_of(&app, &body).await,
        "a+b = c\r\n",
        "curl's bytes are kept exactly, CR included"
    );
}

#[tokio::test]
async fn a_file_part_is_the_content_and_names_title_and_language() {
    let app = spawn_app().await;
    let part = Part::bytes(b"fn main() {}\n".to_vec()).file_name("notes.rs");
    let form = Form::new().part("file", part);
    let response = app
        .client
        .post(app.url("/"))
        .header("accept", "application/json")
        .multipart(form)
        .send()
        .await
        .expect("answered");
    assert_eq!(response.status(), 201);
    let body: serde_json::Value = response.json().await.expect("JSON, as asked");
    assert_eq!(body["title"], "notes.rs");
    assert_eq!(body["language"], "rust");
    assert!(body["delete_token"].is_string());
}

#[tokio::test]
async fn a_browser_is_sent_to_the_new_page_with_its_token_shown_once() {
    let app = spawn_app().await;
    let form = Form::new()
        .text("content", "line one\r\nline two\r\n")
        .text("title", "From a browser");
    let response = app
        .client
        .post(app.url("/"))
        .header("accept", BROWSER_ACCEPT)
        .multipart(form)
        .send()
        .await
        .expect("answered");
    assert_eq!(response.status(), 303);
    let location = response.headers()["location"]
        .to_str()
        .expect("text")
        .to_owned();
    let token = response.headers()["x-delete-token"]
        .to_str()
        .expect("text")
        .to_owned();
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .expect("text")
        .to_owned();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains(&format!("Path={location}")),
        "{cookie}"
    );
    let cookie_pair = cookie.split(';').next().expect("name=value").to_owned();

    let page = app
        .client
        .get(app.url(&location))
        .header("cookie", &cookie_pair)
        .header("accept", crate::support::app::BROWSER_ACCEPT)
        .send()
        .await
        .expect("answered");
    assert_eq!(page.status(), 200);
    let cleared = page.headers()["set-cookie"]
        .to_str()
        .expect("text")
        .to_owned();
    assert!(
        cleared.contains("Max-Age=0") || cleared.contains("max-age=0"),
        "{cleared}"
    );
    let html = page.text().await.expect("html");
    assert!(html.contains(&token), "the token is on the page once");
    assert_eq!(
        raw_of(&app, &location).await,
        "line one\nline two\n",
        "a browser's CRLF becomes LF"
    );
    let (_, later) = app.html(&location).await;
    assert!(
        !later.contains(&token),
        "without the cookie, the token is not shown"
    );
}

#[tokio::test]
async fn put_takes_the_raw_body_and_options_from_the_query() {
    let app = spawn_app().await;
    let response = app
        .client
        .put(app.url("/?expires=10m&title=raw%20upload"))
        .body("raw \u{1F980} body\n")
        .send()
        .await
        .expect("answered");
    assert_eq!(response.status(), 201);
    let url = response.text().await.expect("text");
    assert_eq!(raw_of(&app, &url).await, "raw \u{1F980} body\n");
    let id = url.trim().rsplit('/').next().expect("id");
    let (_, json) = app.get(&format!("/api/v1/pastes/{id}")).await;
    assert!(json.contains("\"title\":\"raw upload\""), "{json}");
}

#[tokio::test]
async fn curl_upload_file_names_the_paste() {
    let app = spawn_app().await;
    let response = app
        .client
        .put(app.url("/build.sh"))
        .header("accept", "application/json")
        .body("#!/bin/sh\nmake\n")
        .send()
        .await
        .expect("answered");
    assert_eq!(response.status(), 201);
    let body: serde_json::Value = response.json().await.expect("JSON");
    assert_eq!(body["title"], "build.sh");
    assert_eq!(body["language"], "shell");
}

#[tokio::test]
async fn bad_form_input_is_refused_with_the_right_status_and_nothing_stored() {
    let app =
        spawn_with(|s| s.limits.max_paste_bytes = MaxPasteBytes::new(100).expect("a paste size"))
            .await;
    let post = |ct: &'static str, body: Vec<u8>| {
        app.client
            .post(app.url("/"))
            .header("content-type", ct)
            .body(body)
            .send()
    };
    let cases: Vec<(u16, reqwest::Response)> = vec![
        (
            415,
            app.client
                .post(app.url("/"))
                .body("content=x")
                .send()
                .await
                .expect("answered"),
        ),
        (
            415,
            post("application/json", br#"{"content":"x"}"#.to_vec())
                .await
                .expect("answered"),
        ),
        (
            422,
            post("application/x-www-form-urlencoded", b"content=".to_vec())
                .await
                .expect("answered"),
        ),
        (
            422,
            post(
                "application/x-www-form-urlencoded",
                b"content=x&expire=1h".to_vec(),
            )
            .await
            .expect("answered"),
        ),
        (
            422,
            post(
                "application/x-www-form-urlencoded",
                b"content=x&burn_after_read=maybe".to_vec(),
            )
            .await
            .expect("answered"),
        ),
        (
            413,
            post(
                "application/x-www-form-urlencoded",
                [b"content=".to_vec(), vec![b'a'; 101]].concat(),
            )
            .await
            .expect("answered"),
        ),
        (
            400,
            post("multipart/form-data", b"--x\r\n".to_vec())
                .await
                .expect("answered"),
        ),
        (
            422,
            app.client
                .put(app.url("/"))
                .body(vec![0xff, 0xfe, b'a'])
                .send()
                .await
                .expect("answered"),
        ),
        (
            413,
            app.client
                .put(app.url("/"))
                .body(vec![b'a'; 101])
                .send()
                .await
                .expect("answered"),
        ),
        (
            422,
            app.client
                .put(app.url("/?visibility=private"))
                .body("x")
                .send()
                .await
                .expect("answered"),
        ),
    ];
    for (i, (status, response)) in cases.into_iter().enumerate() {
        assert_eq!(response.status(), status, "case {i}");
        let text = response.text().await.expect("text");
        assert!(
            text.starts_with("error: "),
            "case {i}: a plain line for curl, got {text:?}"
        );
    }
    let metrics = app.get("/metrics").await.1;
    assert_eq!(
        metric_value(&metrics, "pastebin_pastes_created_total"),
        0,
        "nothing was stored"
    );
}

#[tokio::test]
async fn urlencoded_content_that_is_not_utf8_is_refused_not_rewritten() {
    let app = spawn_app().await;
    let response = app
        .client
        .post(app.url("/"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("content=ok%FF%FE")
        .send()
        .await
        .expect("answered");
    assert_eq!(response.status(), 422);
    assert!(response.text().await.expect("text").contains("UTF-8"));
}

#[tokio::test]
async fn a_multipart_file_over_the_limit_is_413_and_invalid_utf8_is_422() {
    let app =
        spawn_with(|s| s.limits.max_paste_bytes = MaxPasteBytes::new(1000).expect("a paste size"))
            .await;
    let big = Form::new().part("file", Part::bytes(vec![b'a'; 5000]).file_name("big.txt"));
    let response = app
        .client
        .post(app.url("/"))
        .multipart(big)
        .send()
        .await
        .expect("answered");
    assert_eq!(response.status(), 413);
    let binary = Form::new().part(
        "file",
        Part::bytes(vec![0xff, 0x00, 0xfe]).file_name("a.bin"),
    );
    let response = app
        .client
        .post(app.url("/"))
        .multipart(binary)
        .send()
        .await
        .expect("answered");
    assert_eq!(response.status(), 422);
    assert!(response.text().await.expect("text").contains("UTF-8"));
}

#[tokio::test]
async fn a_refused_form_comes_back_as_typed_with_the_error_beside_its_field() {
    let app = spawn_app().await;
    let response = app
        .client
        .post(app.url("/"))
        .header("accept", "text/html")
        .header("content-type", "application/x-www-form-urlencoded")
        .body("content=keep%20me%20%3Cplease%3E&title=My%20notes&expires=tomorrow&visibility=unlisted&burn_after_read=on")
        .send()
        .await
        .expect("answered");
    assert_eq!(response.status(), 422);
    let html = response.text().await.expect("html");
    assert!(
        html.contains("id=\"expires-error\""),
        "the error is beside expires"
    );
    assert!(
        html.contains("keep me &#60;please&#62;</textarea>"),
        "{html}"
    );
    assert!(html.contains("value=\"My notes\""));
    assert!(html.contains("<option value=\"unlisted\" selected>"));
    assert!(html.contains("name=\"burn_after_read\" value=\"on\" checked"));
}

/// The box is ticked again exactly when the parser would read the flag as
/// true: `no` (like `off`, `false`, `0`) is false to both.
#[tokio::test]
async fn a_refused_form_shows_burn_after_read_unticked_for_every_false_spelling() {
    let app = spawn_app().await;
    for (flag, ticked) in [
        ("no", false),
        ("NO", false),
        ("off", false),
        ("0", false),
        ("yes", true),
        ("on", true),
    ] {
        let response = app
            .client
            .post(app.url("/"))
            .header("accept", "text/html")
            .header("content-type", "application/x-www-form-urlencoded")
            .body(format!("content=x&expires=tomorrow&burn_after_read={flag}"))
            .send()
            .await
            .expect("answered");
        assert_eq!(response.status(), 422, "{flag}");
        let html = response.text().await.expect("html");
        assert!(html.contains("name=\"burn_after_read\""), "{flag}: {html}");
        assert_eq!(
            html.contains("name=\"burn_after_read\" value=\"on\" checked"),
            ticked,
            "{flag}"
        );
    }
}
