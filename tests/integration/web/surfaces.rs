//! The smaller surfaces of the pages: error pages, the API page, assets, the
//! QR code, the delete page, and a form started from a paste.

use crate::support::app::{TestPaste, spawn_app, spawn_with};

async fn html_get(app: &crate::support::app::TestApp, path: &str) -> reqwest::Response {
    app.client
        .get(app.url(path))
        .header("accept", "text/html")
        .send()
        .await
        .expect("answered")
}

#[tokio::test]
async fn error_pages_are_friendly_and_json_stays_json() {
    let app = spawn_app().await;
    let page = html_get(&app, "/AAAAAAAA").await;
    assert_eq!(page.status(), 404);
    let html = page.text().await.expect("html");
    assert!(html.contains("There is no paste here"), "{html}");
    let json = app
        .client
        .get(app.url("/api/v1/pastes/AAAAAAAA"))
        .header("accept", "text/html")
        .send()
        .await
        .expect("answered");
    assert_eq!(json.status(), 404);
    let body: serde_json::Value = json.json().await.expect("JSON");
    assert_eq!(body["error"]["code"], "not_found");
}

#[tokio::test]
async fn a_paste_over_the_limit_is_a_413_page_that_says_mib() {
    let app = spawn_with(|s| {
        s.limits.max_paste_bytes =
            pastebin::configuration::MaxPasteBytes::new(1024 * 1024).expect("a size")
    })
    .await;
    let response = app
        .client
        .put(app.url("/"))
        .header("accept", "text/html")
        .body(vec![b'a'; 1024 * 1024 + 1])
        .send()
        .await
        .expect("answered");
    assert_eq!(response.status(), 413);
    let text = response.text().await.expect("text");
    assert!(text.contains("1 MiB"), "{text}");
}

#[tokio::test]
async fn the_api_page_is_written_from_the_openapi_document() {
    let app = spawn_app().await;
    let response = html_get(&app, "/api").await;
    assert_eq!(response.status(), 200);
    let html = response.text().await.expect("html");
    for shown in [
        "POST /api/v1/pastes",
        "GET /api/v1/pastes/{id}",
        "DELETE /api/v1/pastes/{id}",
        "CreatePaste",
        "openapi.json",
    ] {
        assert!(html.contains(shown), "{shown} missing");
    }
    let (_, home) = app.html("/").await;
    assert!(home.contains("href=\"/api\""), "the header links to it");
}

#[tokio::test]
async fn assets_are_fingerprinted_and_revalidated() {
    let app = spawn_app().await;
    let (_, home) = app.html("/").await;
    let at = home
        .find("/static/page.js?v=")
        .expect("a fingerprinted link");
    let link: String = home[at..].chars().take_while(|c| *c != '"').collect();
    let response = app.get_path(&link).await;
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["cache-control"]
            .to_str()
            .expect("text")
            .contains("immutable")
    );
    let etag = response.headers()["etag"].clone();
    let again = app
        .client
        .get(app.url("/static/page.js"))
        .header("if-none-match", etag)
        .send()
        .await
        .expect("answered");
    assert_eq!(again.status(), 304);
}

#[tokio::test]
async fn the_qr_code_is_an_svg_of_the_link() {
    let app = spawn_app().await;
    let created = app.create_text("scan me").await;
    let response = app.get_path(&format!("/{}/qr", created.id)).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "image/svg+xml");
    assert!(response.text().await.expect("svg").contains("<svg"));
}

#[tokio::test]
async fn the_delete_page_takes_the_token_and_the_form_starts_from_a_paste() {
    let app = spawn_app().await;
    let created = TestPaste::new("fn reused() {}\n")
        .language("rust")
        .create(&app)
        .await;
    let form = html_get(&app, &format!("/{}/delete", created.id)).await;
    assert_eq!(form.status(), 200);
    let html = form.text().await.expect("html");
    assert!(html.contains("name=\"delete_token\"") && html.contains("name=\"confirm\""));
    let (_, prefilled) = app.html(&format!("/?from={}", created.id)).await;
    assert!(
        prefilled.contains("fn reused() {}"),
        "the content is in the form"
    );
    assert!(prefilled.contains("<option value=\"rust\" selected>"));
    let burning = TestPaste::new("secret").burn().create(&app).await;
    let (_, untouched) = app.html(&format!("/?from={}", burning.id)).await;
    assert!(
        !untouched.contains("secret"),
        "a burn-after-read paste is never read"
    );
}
