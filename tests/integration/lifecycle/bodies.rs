//! Request bodies within bounds: by time (a body that never finishes), by
//! size (an encoded body is allowed little more than the paste limit) and by
//! memory (all bodies being received at once share one budget).

use std::time::Duration;

use pastebin::configuration::{MaxPasteBytes, Millis, Seconds, UploadBytes};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::support::app::{TestApp, spawn_with};

/// Opens a connection and sends `head` and the start of a body, leaving the
/// rest unsent.
async fn start_upload(app: &TestApp, head: &str, sent: &[u8]) -> TcpStream {
    let host = app.address.trim_start_matches("http://");
    let mut socket = TcpStream::connect(host).await.expect("connects");
    socket.write_all(head.as_bytes()).await.expect("written");
    socket.write_all(sent).await.expect("written");
    socket
}

/// The status line and body of whatever the server answered, within `within`.
async fn answer(socket: &mut TcpStream, within: Duration) -> String {
    let mut answer = vec![0u8; 4096];
    let n = tokio::time::timeout(within, socket.read(&mut answer))
        .await
        .expect("answered in time")
        .expect("read");
    String::from_utf8_lossy(&answer[..n]).into_owned()
}

#[tokio::test]
async fn a_body_that_never_finishes_is_answered_408_when_its_time_is_up() {
    let app = spawn_with(|s| s.limits.body_timeout_secs = Seconds::new(1).expect("not zero")).await;
    for head in [
        "PUT / HTTP/1.1\r\nHost: x\r\nContent-Length: 1048576\r\n\r\n",
        "POST /api/v1/pastes HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n3\r\n{\"c\r\n",
        "POST / HTTP/1.1\r\nHost: x\r\nAccept: text/html\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: 999\r\n\r\n--b\r\nContent-Disposition: form-data; name=\"content\"\r\n\r\nabc",
    ] {
        let mut socket = start_upload(&app, head, b"abc").await;
        let got = answer(&mut socket, Duration::from_secs(5)).await;
        assert!(got.starts_with("HTTP/1.1 408"), "{head}: {got}");
        assert!(got.contains("did not arrive within 1 s"), "{got}");
    }
    // The server is as able as before.
    app.create_text("still here").await;
}

#[tokio::test]
async fn an_encoded_body_may_hold_little_more_than_the_paste_limit() {
    let max = 256 * 1024;
    let app =
        spawn_with(|s| s.limits.max_paste_bytes = MaxPasteBytes::new(max).expect("a size")).await;
    // 200 KiB of quotes is under the paste limit, but JSON writes each as `\"`:
    // 400 KiB of body, more than the limit plus an eighth and 64 KiB.
    let quotes = "\"".repeat(200 * 1024);
    let response = app
        .client
        .post(app.url("/api/v1/pastes"))
        .json(&serde_json::json!({ "content": quotes }))
        .send()
        .await
        .expect("answered");
    assert_eq!(response.status(), 413);
    // Ordinary code escapes a little (newlines, quotes) and fits.
    let code = "let s = \"x\";\n".repeat(max / 14);
    app.create(serde_json::json!({ "content": code })).await;
}

#[tokio::test]
async fn uploads_past_the_memory_of_bodies_in_flight_get_503_busy() {
    let app = spawn_with(|s| {
        s.limits.max_paste_bytes = MaxPasteBytes::new(300 * 1024).expect("a size");
        s.limits.uploads_in_flight_bytes = UploadBytes::new(1024 * 1024).expect("a budget");
    })
    .await;
    let head = "PUT / HTTP/1.1\r\nHost: x\r\nContent-Length: 307200\r\n\r\n";
    // Three bodies of 300 KiB, all but the last byte sent: 900 KiB held.
    let almost = vec![b'a'; 300 * 1024 - 1];
    let mut held = Vec::new();
    for _ in 0..3 {
        held.push(start_upload(&app, head, &almost).await);
    }
    // Give the server time to take in what was sent.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut fourth = start_upload(&app, head, &almost).await;
    let got = answer(&mut fourth, Duration::from_secs(5)).await;
    assert!(got.starts_with("HTTP/1.1 503"), "{got}");
    assert!(got.to_ascii_lowercase().contains("retry-after: 5"), "{got}");
    assert!(got.contains("too many uploads at once"), "{got}");

    // Bodies that end give their memory back.
    for mut socket in held {
        socket.write_all(b"a").await.expect("written");
        let got = answer(&mut socket, Duration::from_secs(5)).await;
        assert!(got.starts_with("HTTP/1.1 201"), "{got}");
    }
    let mut fifth = start_upload(&app, head, &almost).await;
    fifth.write_all(b"a").await.expect("written");
    let got = answer(&mut fifth, Duration::from_secs(5)).await;
    assert!(got.starts_with("HTTP/1.1 201"), "{got}");
}

/// The head timer measures the client, not the server's backlog: a request
/// sent at once but left waiting while the server is full (here: longer than
/// the head timeout) is served, while a client that really sends nothing is
/// timed out.
#[tokio::test]
async fn waiting_for_a_busy_server_is_not_counted_against_the_client() {
    let app = spawn_with(|s| {
        s.server.workers = 1;
        s.server.max_connections = std::num::NonZeroU32::new(1).expect("not zero");
        s.server.client_request_timeout_ms = Millis::new(500).expect("not zero");
    })
    .await;
    let host = app.address.trim_start_matches("http://");
    // The one connection the server takes: an upload with its body half sent.
    let mut busy = start_upload(
        &app,
        "PUT / HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\nConnection: close\r\n\r\n",
        b"abc",
    )
    .await;
    // A prompt client: connected and its whole request sent at once. The
    // server is full, so it waits in the listen queue.
    let mut prompt = TcpStream::connect(host).await.expect("connects");
    prompt
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .expect("written");
    // Three head timeouts pass before the server can take it: nothing is
    // answered meanwhile.
    let mut early = [0u8; 1];
    let waited = tokio::time::timeout(Duration::from_millis(1_500), prompt.read(&mut early)).await;
    assert!(
        waited.is_err(),
        "the full server answered at once: {waited:?}"
    );
    busy.write_all(b"def").await.expect("written");
    let created = answer(&mut busy, Duration::from_secs(5)).await;
    assert!(created.starts_with("HTTP/1.1 201"), "{created}");
    let served = answer(&mut prompt, Duration::from_secs(5)).await;
    assert!(served.starts_with("HTTP/1.1 200"), "{served}");

    // A client that sends nothing is timed out, so the timer is on.
    let mut silent = TcpStream::connect(host).await.expect("connects");
    let timed_out = answer(&mut silent, Duration::from_secs(5)).await;
    assert!(timed_out.starts_with("HTTP/1.1 408"), "{timed_out}");
}

/// The small forms (log-in, sign-up, delete, claim, reveal, settings, the
/// token exchange) are held to the same body deadline as uploads.
#[tokio::test]
async fn a_small_form_that_never_finishes_is_answered_408_too() {
    let app = spawn_with(|s| s.limits.body_timeout_secs = Seconds::new(1).expect("not zero")).await;
    for (path, media) in [
        ("/login", "application/x-www-form-urlencoded"),
        ("/signup", "application/x-www-form-urlencoded"),
        ("/abcdEFGH/delete", "application/x-www-form-urlencoded"),
        ("/abcdEFGH", "application/x-www-form-urlencoded"),
        ("/api/v1/tokens", "application/json"),
    ] {
        let head = format!(
            "POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: {media}\r\nContent-Length: 100\r\n\r\n"
        );
        let mut socket = start_upload(&app, &head, b"abc").await;
        let got = answer(&mut socket, Duration::from_secs(5)).await;
        assert!(got.starts_with("HTTP/1.1 408"), "{path}: {got}");
    }
}
