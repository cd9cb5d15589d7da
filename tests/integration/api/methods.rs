//! A method an API path does not have is 405 `method_not_allowed` with `Allow`
//! (HTTP semantics), in JSON; a path that does not exist stays 404 `no_route`.

use reqwest::Method;

use crate::support::app::{TestApp, TestPaste, spawn_app};

/// Every API path (with a real id where it takes one) and the methods it has.
fn api_paths(id: &str) -> Vec<(String, &'static str)> {
    vec![
        ("/api/v1/pastes".to_owned(), "POST"),
        (format!("/api/v1/pastes/{id}"), "GET, HEAD, PATCH, DELETE"),
        (format!("/api/v1/pastes/{id}/stats"), "GET, HEAD"),
        (format!("/api/v1/pastes/{id}/revisions"), "GET, HEAD"),
        (format!("/api/v1/pastes/{id}/revisions/1"), "GET, HEAD"),
        ("/api/v1/users/ada/pastes".to_owned(), "GET, HEAD"),
        ("/api/v1/openapi.json".to_owned(), "GET, HEAD"),
    ]
}

const EVERY_METHOD: [&str; 9] = [
    "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "QUERY",
];

async fn send(app: &TestApp, method: &str, path: &str, accept: &str) -> reqwest::Response {
    let method = Method::from_bytes(method.as_bytes()).expect("a method");
    app.client
        .request(method, app.url(path))
        .header("Accept", accept)
        .send()
        .await
        .expect("answered")
}

#[tokio::test]
async fn a_method_an_api_path_lacks_is_405_with_allow_in_json_whatever_the_client_accepts() {
    let app = spawn_app().await;
    let paste = TestPaste::new("kept").create(&app).await;
    for (path, allow) in api_paths(&paste.id) {
        let allowed: Vec<&str> = allow.split(", ").collect();
        for method in EVERY_METHOD.iter().filter(|m| !allowed.contains(m)) {
            for accept in ["application/json", "text/html", "*/*"] {
                let response = send(&app, method, &path, accept).await;
                let what = format!("{method} {path} (Accept: {accept})");
                assert_eq!(response.status(), 405, "{what}");
                assert_eq!(response.headers()["allow"], allow, "{what}");
                assert_eq!(
                    response.headers()["content-type"],
                    "application/json",
                    "{what}"
                );
                if *method == "HEAD" {
                    continue; // the answer to a HEAD has no body
                }
                let body: serde_json::Value = response.json().await.expect("a JSON error");
                assert_eq!(body["error"]["code"], "method_not_allowed", "{what}");
            }
        }
    }
    // Nothing a refused method touched is gone.
    assert_eq!(app.get_api_paste(&paste.id).await.status(), 200);
}

#[tokio::test]
async fn unknown_api_paths_stay_404_no_route_for_every_method() {
    let app = spawn_app().await;
    for path in ["/api/v1/nothing", "/api/v1/pastes/abcdEFGH/raw", "/api/v1"] {
        for method in EVERY_METHOD.iter().filter(|m| **m != "HEAD") {
            let response = send(&app, method, path, "application/json").await;
            assert_eq!(response.status(), 404, "{method} {path}");
            assert!(!response.headers().contains_key("allow"), "{method} {path}");
            let body: serde_json::Value = response.json().await.expect("a JSON error");
            assert_eq!(body["error"]["code"], "no_route", "{method} {path}");
        }
    }
}

#[tokio::test]
async fn head_of_an_api_read_shows_the_headers_without_burning_or_counting() {
    let app = spawn_app().await;
    let burn = TestPaste::new("once").burn().create(&app).await;
    let path = format!("/api/v1/pastes/{}", burn.id);
    for _ in 0..2 {
        let head = send(&app, "HEAD", &path, "application/json").await;
        assert_eq!(head.status(), 200);
        assert_eq!(head.headers()["content-type"], "application/json");
        assert!(head.bytes().await.expect("answered").is_empty());
    }
    let stats: serde_json::Value = app
        .get_path(&format!("{path}/stats"))
        .await
        .json()
        .await
        .expect("JSON");
    assert_eq!(stats["total_views"], 0, "a HEAD is no visit");
    assert_eq!(
        app.get_api_paste(&burn.id).await.status(),
        200,
        "not burned"
    );
    assert_eq!(
        app.get_api_paste(&burn.id).await.status(),
        404,
        "burned now"
    );
    for path in [
        "/api/v1/openapi.json",
        &format!("/api/v1/pastes/{}/stats", burn.id),
    ] {
        let head = send(&app, "HEAD", path, "application/json").await;
        assert_ne!(head.status(), 405, "HEAD {path}");
    }
}
