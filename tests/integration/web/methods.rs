//! A method a web path does not have is 405 `method_not_allowed` with `Allow`,
//! answered in the format the client asked for like every other failure; a
//! path that does not exist stays 404 `no_route`; HEAD goes wherever GET does.

use reqwest::Method;

use crate::support::app::{TestApp, spawn_app};

/// Every web path (with a real id where it takes one) and the methods it has.
fn web_paths(id: &str) -> Vec<(String, &'static str)> {
    vec![
        ("/".to_owned(), "GET, HEAD, POST, PUT"),
        (format!("/{id}"), "GET, HEAD, POST, PATCH, DELETE, PUT"),
        (format!("/raw/{id}"), "GET, HEAD"),
        (format!("/dl/{id}"), "GET, HEAD"),
        (format!("/{id}/delete"), "GET, HEAD, POST"),
        (format!("/{id}/stats"), "GET, HEAD"),
        (format!("/{id}/qr"), "GET, HEAD"),
        (format!("/{id}/edit"), "GET, HEAD, POST"),
        (format!("/{id}/revisions"), "GET, HEAD"),
        (format!("/{id}/r/1"), "GET, HEAD"),
        (format!("/raw/{id}/r/1"), "GET, HEAD"),
        (format!("/{id}/diff/1..1"), "GET, HEAD"),
        ("/u/ada".to_owned(), "GET, HEAD"),
        // One-segment paths are also file names for `curl -T`, hence PUT.
        ("/healthz".to_owned(), "GET, HEAD, PUT"),
        ("/readyz".to_owned(), "GET, HEAD, PUT"),
        ("/metrics".to_owned(), "GET, HEAD, PUT"),
        ("/static/style.css".to_owned(), "GET, HEAD"),
        ("/api".to_owned(), "GET, HEAD"),
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

fn content_type(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn a_method_a_web_path_lacks_is_405_with_allow_in_the_format_asked_for() {
    let app = spawn_app().await;
    let paste = app.create_text("kept").await;
    for (path, allow) in web_paths(&paste.id) {
        let allowed: Vec<&str> = allow.split(", ").collect();
        for method in EVERY_METHOD.iter().filter(|m| !allowed.contains(m)) {
            for (accept, format) in [
                ("text/html", "text/html"),
                ("application/json", "application/json"),
                ("*/*", "text/plain"),
            ] {
                let response = send(&app, method, &path, accept).await;
                let what = format!("{method} {path} (Accept: {accept})");
                assert_eq!(response.status(), 405, "{what}");
                assert_eq!(response.headers()["allow"], allow, "{what}");
                assert!(content_type(&response).starts_with(format), "{what}");
                assert!(
                    response.headers().contains_key("content-security-policy"),
                    "{what}: the security headers"
                );
                if *method == "HEAD" {
                    continue; // the answer to a HEAD has no body
                }
                let body = response.text().await.expect("a body");
                match format {
                    "application/json" => {
                        assert!(body.contains("\"method_not_allowed\""), "{what}")
                    }
                    "text/html" => assert!(body.contains("405"), "{what}: {body}"),
                    _ => assert!(body.starts_with("error: "), "{what}: {body}"),
                }
            }
        }
    }
    assert_eq!(app.get_raw(&paste.id).await.status(), 200, "still there");
}

#[tokio::test]
async fn unknown_web_paths_stay_404_no_route_for_every_method() {
    let app = spawn_app().await;
    // `/raw/{id}/{name}` is one file of a multi-file paste: a path deeper
    // than that is unrouted.
    for path in ["/a/b/c", "/raw/abcdEFGH/more/deeper", "/static/nothing.css"] {
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
async fn head_is_answered_wherever_get_is() {
    let app = spawn_app().await;
    let paste = app.create_text("kept").await;
    crate::support::users::seed(app.dir.path(), "ada", 1).await;
    for path in [
        "/".to_owned(),
        "/healthz".to_owned(),
        "/readyz".to_owned(),
        "/metrics".to_owned(),
        "/static/style.css".to_owned(),
        "/u/ada".to_owned(),
        format!("/{}", paste.id),
        format!("/raw/{}", paste.id),
        format!("/dl/{}", paste.id),
        format!("/{}/stats", paste.id),
    ] {
        let get = send(&app, "GET", &path, "text/html").await;
        let head = send(&app, "HEAD", &path, "text/html").await;
        assert_eq!(head.status(), get.status(), "HEAD {path}");
        assert_eq!(head.status(), 200, "HEAD {path}");
        assert_eq!(content_type(&head), content_type(&get), "HEAD {path}");
        assert!(
            head.bytes().await.expect("answered").is_empty(),
            "HEAD {path}"
        );
    }
}

#[tokio::test]
async fn a_file_named_like_a_fixed_path_is_still_uploaded_with_put() {
    let app = spawn_app().await;
    for name in ["healthz", "readyz", "metrics"] {
        let response = app
            .client
            .put(app.url(&format!("/{name}")))
            .body("uploaded")
            .send()
            .await
            .expect("answered");
        assert_eq!(response.status(), 201, "PUT /{name}");
        let url = response.text().await.expect("the paste URL");
        let id = url.trim().rsplit('/').next().expect("an id").to_owned();
        let read: serde_json::Value = app.get_api_paste(&id).await.json().await.expect("JSON");
        assert_eq!(read["title"], name);
    }
}
