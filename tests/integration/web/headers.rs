//! Headers every answer carries, and those of unlisted pastes and downloads.

use serde_json::json;

use pastebin::configuration::PublicUrl;

use crate::support::app::{spawn_app, spawn_with};

fn has(response: &reqwest::Response, name: &str, want: &str) -> bool {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains(want))
}

#[tokio::test]
async fn error_answers_carry_the_security_headers_in_every_format() {
    let app = spawn_app().await;
    for (path, accept) in [
        ("/nothing/here/at/all", "text/html"),
        ("/raw/abcdEFGH", "*/*"),
        ("/api/v1/pastes/abcdEFGH", "application/json"),
        ("/abcdEFGH", "text/html"),
    ] {
        let r = app
            .client
            .get(app.url(path))
            .header("Accept", accept)
            .send()
            .await
            .expect("answered");
        assert_eq!(r.status(), 404, "{path}");
        assert!(
            has(&r, "content-security-policy", "frame-ancestors 'none'"),
            "{path}"
        );
        assert!(has(&r, "x-content-type-options", "nosniff"), "{path}");
        assert!(has(&r, "referrer-policy", "same-origin"), "{path}");
    }
}

#[tokio::test]
async fn unlisted_pastes_are_kept_out_of_search_engines_and_shared_caches() {
    let app = spawn_app().await;
    let unlisted = app
        .create(json!({"content": "hidden", "visibility": "unlisted"}))
        .await;
    let public = app.create_text("shown").await;
    for path in ["/", "/raw/", "/dl/"] {
        let r = app
            .client
            .get(app.url(&format!("{path}{}", unlisted.id)))
            .send()
            .await
            .expect("answered");
        assert_eq!(r.status(), 200, "{path}");
        assert!(has(&r, "x-robots-tag", "noindex"), "{path}");
        let r = app
            .client
            .get(app.url(&format!("{path}{}", public.id)))
            .send()
            .await
            .expect("answered");
        assert!(!r.headers().contains_key("x-robots-tag"), "{path} public");
    }
    let page = app
        .client
        .get(app.url(&format!("/{}", unlisted.id)))
        .send()
        .await
        .expect("answered");
    assert!(has(&page, "cache-control", "private"));
}

#[tokio::test]
async fn a_download_keeps_a_unicode_title_as_rfc_6266_filename_star() {
    let app = spawn_app().await;
    let created = app
        .create(json!({"content": "cv", "title": "résumé 😀.txt"}))
        .await;
    let r = app
        .client
        .get(app.url(&format!("/dl/{}", created.id)))
        .send()
        .await
        .expect("answered");
    let disposition = r.headers()["content-disposition"].to_str().expect("ascii");
    assert!(
        disposition.starts_with("attachment; filename=\"r_sum"),
        "{disposition}"
    );
    assert!(
        disposition.ends_with("filename*=UTF-8''r%C3%A9sum%C3%A9%20%F0%9F%98%80.txt"),
        "{disposition}"
    );
}

/// Every kind of answer (a page, a paste's raw text, an error in each format,
/// a refused method, the probes, an asset) says HSTS when the service is
/// reached over https, and none does over plain http.
#[tokio::test]
async fn every_answer_says_strict_transport_security_only_when_public_url_is_https() {
    let https = spawn_with(|s| {
        s.server.public_url = Some(PublicUrl::parse("https://paste.test").expect("a URL"));
    })
    .await;
    let http = spawn_app().await;
    for app in [&https, &http] {
        let paste = app.create_text("pinned").await;
        let raw = format!("/raw/{}", paste.id);
        for (method, path, accept) in [
            ("GET", "/", "text/html"),
            ("GET", raw.as_str(), "*/*"),
            ("GET", "/nothing/here/at/all", "text/html"),
            ("GET", "/api/v1/pastes/abcdEFGH", "application/json"),
            ("DELETE", "/", "*/*"),
            ("GET", "/healthz", "*/*"),
            ("GET", "/static/style.css", "*/*"),
        ] {
            let r = app
                .client
                .request(method.parse().expect("a method"), app.url(path))
                .header("Accept", accept)
                .send()
                .await
                .expect("answered");
            let said = r
                .headers()
                .get("strict-transport-security")
                .map(|v| v.to_str().expect("ascii").to_owned());
            if std::ptr::eq(app, &https) {
                assert_eq!(said.as_deref(), Some("max-age=31536000"), "{method} {path}");
            } else {
                assert_eq!(said, None, "{method} {path} over http");
            }
        }
    }
}

/// What actix answers by itself, before any service or middleware runs (a
/// request line it cannot parse, `HTTP/9.9`, a URI over the `http` crate's
/// 64 KiB, a head that never finishes): actix-http's h1 dispatcher writes a
/// bare `Response::bad_request()` / `with_body(REQUEST_TIMEOUT, ())` itself
/// (no hook reaches it), so these lack the security headers. They are safe
/// without them because they have no body: nothing to frame, sniff or run.
/// This test keeps that true; the balancer in front (deploy/) answers such
/// requests itself, with the headers (tests/integration/deploy/balancer.rs).
#[tokio::test]
async fn what_actix_answers_by_itself_has_no_body_to_protect() {
    use std::time::Duration;

    use pastebin::configuration::Millis;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let app = spawn_with(|s| {
        s.server.client_request_timeout_ms = Millis::new(500).expect("a duration");
    })
    .await;
    let host = app.address.trim_start_matches("http://").to_owned();
    let long_uri = format!(
        "GET /{} HTTP/1.1\r\nHost: x\r\n\r\n",
        "a".repeat(100 * 1024)
    );
    for (what, request, status) in [
        (
            "a malformed request line",
            "GARBAGE\r\n\r\n".to_owned(),
            "400",
        ),
        (
            "HTTP/9.9",
            "GET / HTTP/9.9\r\nHost: x\r\n\r\n".to_owned(),
            "400",
        ),
        ("a 100 KiB URI", long_uri, "400"),
        (
            "a head that never ends",
            "GET / HTTP/1.1\r\nHost: x\r\n".to_owned(),
            "408",
        ),
    ] {
        let mut socket = tokio::net::TcpStream::connect(&host)
            .await
            .expect("connects");
        socket.write_all(request.as_bytes()).await.expect("written");
        let mut got = Vec::new();
        // The server closes after such an answer; the bound only stops a hang.
        tokio::time::timeout(Duration::from_secs(30), socket.read_to_end(&mut got))
            .await
            .expect("answered and closed")
            .expect("read");
        let got = String::from_utf8_lossy(&got).to_ascii_lowercase();
        let (head, body) = got.split_once("\r\n\r\n").expect("a whole head");
        assert!(
            head.starts_with(&format!("http/1.1 {status}")),
            "{what}: {head}"
        );
        assert!(head.contains("\r\ncontent-length: 0"), "{what}: {head}");
        assert_eq!(body, "", "{what}: a body");
        // Written by the dispatcher, not by the middleware: no request id.
        assert!(!head.contains("x-request-id"), "{what}: {head}");
    }
}
