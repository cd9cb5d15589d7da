//! Bad input: each a clear JSON error with the right status, and nothing stored.

use pastebin::configuration::MaxPasteBytes;
use serde_json::json;

use crate::support::app::{TestApp, TestPaste, error_code, metric_value, spawn_app, spawn_with};

async fn post_raw(
    app: &TestApp,
    content_type: Option<&str>,
    body: impl Into<reqwest::Body>,
) -> reqwest::Response {
    let mut request = app.client.post(app.url("/api/v1/pastes")).body(body);
    if let Some(ct) = content_type {
        request = request.header("content-type", ct);
    }
    request.send().await.expect("answered")
}

async fn assert_refused(app: &TestApp, body: serde_json::Value, status: u16, code: &str) {
    let response = post_raw(app, Some("application/json"), body.to_string()).await;
    assert_eq!(response.status(), status, "{body}");
    assert_eq!(response.headers()["content-type"], "application/json");
    assert_eq!(error_code(response).await, code, "{body}");
}

async fn pastes_created(app: &TestApp) -> u64 {
    let (_, metrics) = app.get("/metrics").await;
    metric_value(&metrics, "pastebin_pastes_created_total")
}

#[tokio::test]
async fn malformed_json_is_400() {
    let app = spawn_app().await;
    for body in [
        "{",
        "{\"content\": }",
        "{\"content\": \"x\",",
        "not json",
        "",
    ] {
        let response = post_raw(&app, Some("application/json"), body).await;
        assert_eq!(response.status(), 400, "{body:?}");
        assert_eq!(error_code(response).await, "malformed_json");
    }
    assert_eq!(pastes_created(&app).await, 0);
}

#[tokio::test]
async fn wrong_types_unknown_and_missing_fields_are_422() {
    let app = spawn_app().await;
    assert_refused(&app, json!({"content": 5}), 422, "invalid_field").await;
    assert_refused(
        &app,
        json!({"content": "x", "burn_after_read": "yes"}),
        422,
        "invalid_field",
    )
    .await;
    assert_refused(
        &app,
        json!({"content": "x", "expire": "1h"}),
        422,
        "unknown_field",
    )
    .await;
    assert_refused(&app, json!({"title": "no content"}), 422, "invalid_field").await;
    assert_refused(&app, json!(["content"]), 422, "invalid_field").await;
    assert_eq!(pastes_created(&app).await, 0);
}

#[tokio::test]
async fn invalid_field_values_are_422_with_their_own_codes() {
    let app = spawn_app().await;
    assert_refused(&app, json!({"content": ""}), 422, "empty_content").await;
    assert_refused(&app, json!({"content": " \n\t "}), 422, "empty_content").await;
    assert_refused(
        &app,
        json!({"content": "x", "expires": "soon"}),
        422,
        "invalid_expires",
    )
    .await;
    assert_refused(
        &app,
        json!({"content": "x", "expires": "0m"}),
        422,
        "invalid_expires",
    )
    .await;
    assert_refused(
        &app,
        json!({"content": "x", "expires": "2y"}),
        422,
        "expires_too_long",
    )
    .await;
    assert_refused(
        &app,
        json!({"content": "x", "visibility": "secret"}),
        422,
        "invalid_visibility",
    )
    .await;
    assert_refused(
        &app,
        json!({"content": "x", "visibility": "private"}),
        422,
        "private_needs_account",
    )
    .await;
    assert_refused(
        &app,
        json!({"content": "x", "title": "t".repeat(201)}),
        422,
        "title_too_long",
    )
    .await;
    assert_refused(
        &app,
        json!({"content": "x", "title": "a\nb"}),
        422,
        "invalid_title",
    )
    .await;
    assert_refused(
        &app,
        json!({"content": "x", "title": "\u{1b}[2J"}),
        422,
        "invalid_title",
    )
    .await;
    assert_refused(
        &app,
        json!({"content": "x", "language": "<script>"}),
        422,
        "invalid_language",
    )
    .await;
    assert_eq!(pastes_created(&app).await, 0);
}

#[tokio::test]
async fn wrong_or_missing_content_types_are_415() {
    let app = spawn_app().await;
    for content_type in [
        None,
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
    ] {
        let response = post_raw(&app, content_type, json!({"content": "x"}).to_string()).await;
        assert_eq!(response.status(), 415, "{content_type:?}");
        assert_eq!(error_code(response).await, "unsupported_media_type");
    }
    let ok = post_raw(
        &app,
        Some("application/json; charset=utf-8"),
        json!({"content": "x"}).to_string(),
    )
    .await;
    assert_eq!(ok.status(), 201);
}

#[tokio::test]
async fn an_oversize_paste_is_413_at_the_byte() {
    let app =
        spawn_with(|s| s.limits.max_paste_bytes = MaxPasteBytes::new(1000).expect("a paste size"))
            .await;
    assert_refused(
        &app,
        json!({"content": "x".repeat(1001)}),
        413,
        "paste_too_large",
    )
    .await;
    assert_refused(
        &app,
        json!({"content": "é".repeat(501)}),
        413,
        "paste_too_large",
    )
    .await;
    TestPaste::new("x".repeat(1000)).create(&app).await;
    // A body far over any limit is refused from its declared length, unread.
    let huge = post_raw(&app, Some("application/json"), vec![b' '; 8 * 1024 * 1024]).await;
    assert_eq!(huge.status(), 413);
    assert_eq!(pastes_created(&app).await, 1);
}
