//! A clean stop loses no request: SIGTERM drains (not ready, connections told
//! to close, still answering), then stops accepting and finishes what is in
//! flight, then exits 0. The real binary, since signals are the point.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::support::process::ServerProcess;

const DRAIN: Duration = Duration::from_secs(2);

/// One HTTP/1.1 answer read off a raw connection: status, lower-cased head, body.
struct Answer {
    status: u16,
    head: String,
    body: String,
}

impl Answer {
    fn closes(&self) -> bool {
        self.head.contains("\r\nconnection: close\r\n")
    }
}

/// Reads one answer (with a Content-Length body) from `stream`.
async fn read_answer(stream: &mut TcpStream) -> Answer {
    let mut buffer = Vec::new();
    let head_end = loop {
        if let Some(at) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        let mut chunk = [0u8; 4096];
        let n = stream.read(&mut chunk).await.expect("the answer arrives");
        assert!(n > 0, "the connection closed before an answer");
        buffer.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).to_ascii_lowercase();
    let status = head[9..12].parse().expect("a status code");
    let length: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length: "))
        .map_or(0, |n| n.trim().parse().expect("a length"));
    while buffer.len() < head_end + length {
        let mut chunk = [0u8; 4096];
        let n = stream.read(&mut chunk).await.expect("the body arrives");
        assert!(n > 0, "the connection closed inside the body");
        buffer.extend_from_slice(&chunk[..n]);
    }
    let body = String::from_utf8_lossy(&buffer[head_end..head_end + length]).into_owned();
    Answer { status, head, body }
}

fn get(path: &str) -> String {
    format!("GET {path} HTTP/1.1\r\nHost: test\r\n\r\n")
}

#[tokio::test]
async fn sigterm_drains_then_finishes_every_request_in_flight_and_exits_zero() {
    let dir = tempfile::tempdir().expect("a folder");
    let drain = DRAIN.as_secs().to_string();
    let mut server = ServerProcess::start(
        dir.path(),
        &[
            ("PASTEBIN__SHUTDOWN__DRAIN_SECS", &drain),
            ("PASTEBIN__SHUTDOWN__GRACE_SECS", "10"),
            ("PASTEBIN__SERVER__WORKERS", "2"),
        ],
    )
    .await;
    let host = server.address.trim_start_matches("http://").to_owned();
    let http = reqwest::Client::new();
    let url = http
        .put(format!("{}/", server.address))
        .body("read me while stopping\n")
        .send()
        .await
        .expect("created")
        .text()
        .await
        .expect("the url");
    let id = url.trim().rsplit('/').next().expect("an id").to_owned();

    // A kept-alive connection, used once before the signal.
    let mut kept = TcpStream::connect(&host).await.expect("connects");
    kept.write_all(get(&format!("/raw/{id}")).as_bytes())
        .await
        .expect("sent");
    let before = read_answer(&mut kept).await;
    assert_eq!(before.status, 200);
    assert!(!before.closes(), "kept alive before the signal");

    // Readers on kept-alive connections until well inside the drain.
    let stop_reading = Arc::new(AtomicBool::new(false));
    let (answered, failed) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
    let readers: Vec<_> = (0..4)
        .map(|_| {
            let (http, stop) = (http.clone(), stop_reading.clone());
            let (answered, failed) = (answered.clone(), failed.clone());
            let url = format!("{}/raw/{id}", server.address);
            tokio::spawn(async move {
                while !stop.load(Ordering::Relaxed) {
                    match http.get(&url).send().await {
                        Ok(r) if r.status() == 200 => answered.fetch_add(1, Ordering::Relaxed),
                        _ => failed.fetch_add(1, Ordering::Relaxed),
                    };
                }
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(300)).await;

    server.terminate();
    let signalled = Instant::now();
    tokio::time::sleep(Duration::from_millis(200)).await;

    // Draining: not ready, yet still answering, and telling the client to close.
    let ready = http
        .get(format!("{}/readyz", server.address))
        .send()
        .await
        .expect("still accepting during the drain");
    assert_eq!(ready.status(), 503);
    assert_eq!(
        ready.json::<serde_json::Value>().await.expect("JSON")["status"],
        "draining"
    );
    // A slow upload on the kept-alive connection, begun in the drain and
    // finished after accepting has stopped: it is in flight across the stop.
    let content = "x".repeat(64 * 1024);
    let (first, rest) = content.split_at(1024);
    kept.write_all(
        format!(
            "PUT / HTTP/1.1\r\nHost: test\r\nContent-Type: text/plain\r\nContent-Length: {}\r\n\r\n{first}",
            content.len()
        )
        .as_bytes(),
    )
    .await
    .expect("the head and a first part sent");

    tokio::time::sleep(DRAIN.saturating_sub(signalled.elapsed()) / 2).await;
    stop_reading.store(true, Ordering::Relaxed);
    for reader in readers {
        reader.await.expect("joined");
    }
    tokio::time::sleep(DRAIN.saturating_sub(signalled.elapsed()) + Duration::from_millis(500))
        .await;
    assert!(
        TcpStream::connect(&host).await.is_err(),
        "a new connection is refused once the drain is over"
    );
    kept.write_all(rest.as_bytes())
        .await
        .expect("the rest sent");
    let upload = read_answer(&mut kept).await;
    assert_eq!(
        upload.status, 201,
        "the upload in flight is answered: {}",
        upload.body
    );
    assert!(upload.closes(), "answers in the drain close the connection");
    let mut after = [0u8; 16];
    assert_eq!(
        kept.read(&mut after).await.expect("read the end"),
        0,
        "the server closed the connection after that answer"
    );

    let status = server
        .exited(Duration::from_secs(10))
        .await
        .expect("the process exits within the grace period");
    assert!(status.success(), "a clean stop exits 0: {status}");
    assert_eq!(
        failed.load(Ordering::Relaxed),
        0,
        "every request sent before the end of the drain was answered ({} were)",
        answered.load(Ordering::Relaxed)
    );
    assert!(answered.load(Ordering::Relaxed) > 0, "the readers ran");
    let uploaded = upload.body.trim().rsplit('/').next().expect("an id");
    let restarted = ServerProcess::start(dir.path(), &[]).await;
    let text = http
        .get(format!("{}/raw/{uploaded}", restarted.address))
        .send()
        .await
        .expect("answered")
        .text()
        .await
        .expect("text");
    assert_eq!(text, content, "the paste uploaded across the stop was kept");
}
