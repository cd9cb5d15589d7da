//! Hang-ups, floods and oversize streams: peers have died of each.

use std::collections::HashSet;
use std::time::Duration;

use pastebin::configuration::MaxPasteBytes;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::support::app::spawn_with;

#[tokio::test]
async fn clients_hanging_up_mid_request_do_not_hurt_the_server() {
    let app =
        spawn_with(|s| s.limits.max_paste_bytes = MaxPasteBytes::new(4096).expect("a paste size"))
            .await;
    let host = app.address.trim_start_matches("http://").to_owned();
    for i in 0..50 {
        let mut socket = TcpStream::connect(&host).await.expect("connects");
        let request = if i % 2 == 0 {
            "PUT / HTTP/1.1\r\nHost: x\r\nContent-Length: 4000\r\n\r\nhalf a bo".to_string()
        } else {
            "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: 999\r\n\r\n--b\r\nContent-Disposition: form-data; name=\"content\"\r\n\r\nabc".to_string()
        };
        socket.write_all(request.as_bytes()).await.expect("written");
        drop(socket);
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    let created = app.create_text("still alive").await;
    assert_eq!(
        app.get(&format!("/raw/{}", created.id)).await.1,
        "still alive"
    );
}

#[tokio::test]
async fn a_chunked_body_over_the_limit_is_cut_off_with_413() {
    let app =
        spawn_with(|s| s.limits.max_paste_bytes = MaxPasteBytes::new(1024).expect("a paste size"))
            .await;
    let host = app.address.trim_start_matches("http://").to_owned();
    let mut socket = TcpStream::connect(&host).await.expect("connects");
    socket
        .write_all(b"PUT / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
        .await
        .expect("written");
    // Keep streaming well past the limit; the server answers without reading it all.
    let chunk = format!("{:x}\r\n{}\r\n", 512, "a".repeat(512));
    for _ in 0..8 {
        if socket.write_all(chunk.as_bytes()).await.is_err() {
            break;
        }
    }
    let mut answer = vec![0u8; 512];
    let n = tokio::time::timeout(Duration::from_secs(10), socket.read(&mut answer))
        .await
        .expect("answered in time")
        .expect("read");
    let head = String::from_utf8_lossy(&answer[..n]);
    assert!(head.starts_with("HTTP/1.1 413"), "{head}");
}

#[tokio::test]
async fn a_flood_of_creations_all_succeed_with_distinct_ids() {
    let app = spawn_with(|_| {}).await;
    let creations = (0..300).map(|i| {
        let client = app.client.clone();
        let url = app.url("/");
        tokio::spawn(async move {
            let r = client
                .put(url)
                .body(format!("flood {i}"))
                .send()
                .await
                .expect("answered");
            assert_eq!(r.status(), 201);
            r.text().await.expect("url")
        })
    });
    let mut urls = HashSet::new();
    for creation in creations {
        urls.insert(creation.await.expect("joined"));
    }
    assert_eq!(urls.len(), 300);
}

#[tokio::test]
async fn client_mistakes_do_not_reach_the_error_log() {
    let dir = tempfile::tempdir().expect("a folder");
    let server = crate::support::process::ServerProcess::start(dir.path(), &[]).await;
    let host = server.address.trim_start_matches("http://").to_owned();
    let mistakes: [&[u8]; 4] = [
        b"GET / HTTP/1.1\r\nHost: x\r\nBad Header Line\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 7\r\n\r\n",
        b"BREW /pot HTCPCP/1.0\r\n\r\n",
        b"PUT / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
    ];
    for _ in 0..25 {
        for request in mistakes {
            let mut socket = TcpStream::connect(&host).await.expect("connects");
            socket.write_all(request).await.expect("written");
            let mut answer = Vec::new();
            let _ =
                tokio::time::timeout(Duration::from_secs(2), socket.read_to_end(&mut answer)).await;
        }
    }
    let big_header = format!(
        "GET / HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\n\r\n",
        "a".repeat(64 * 1024)
    );
    let mut socket = TcpStream::connect(&host).await.expect("connects");
    let _ = socket.write_all(big_header.as_bytes()).await;
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(2), socket.read_to_end(&mut answer)).await;
    // The service still answers, and logged none of it as its own fault.
    let answered = reqwest::get(format!("{}/healthz", server.address)).await;
    assert!(answered.is_ok_and(|r| r.status() == 200));
    let logged = server.logged();
    let errors: Vec<&str> = logged
        .lines()
        .filter(|line| line.contains(r#""level":"ERROR""#))
        .collect();
    assert!(
        errors.is_empty(),
        "client mistakes logged as errors: {errors:?}"
    );
}
