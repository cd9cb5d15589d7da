//! The balancer's nginx configuration, run by the real nginx (Debian's, as
//! deploy/fleet runs it) in front of a real app: the answers nginx writes
//! itself carry the clones' security headers, and a clone's answer keeps its
//! own, once each.

use std::os::unix::fs::PermissionsExt;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use super::{marked_block, read, server_params};
use crate::support::app::spawn_app;
use crate::support::process::free_port;

/// nginx in the foreground, stopped when dropped.
struct Nginx {
    child: Child,
    _dir: tempfile::TempDir,
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// nginx on `port` running the balancer file's blocks over one clone.
fn start_nginx(port: u16, clone: &str) -> Nginx {
    let text = read("deploy/nginx-balancer.conf");
    let what = "deploy/nginx-balancer.conf";
    let dir = tempfile::tempdir().expect("a folder");
    let root = dir.path();
    let tmp = root.join("tmp");
    std::fs::create_dir(&tmp).expect("a folder");
    // nginx's workers drop root.
    for (path, mode) in [(root, 0o755), (tmp.as_path(), 0o777)] {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
    }
    let root = root.display();
    let conf = format!(
        "worker_processes 1;\npid {root}/nginx.pid;\nerror_log {root}/error.log warn;\n\
         events {{ worker_connections 64; }}\nhttp {{\naccess_log off;\n\
         client_body_temp_path {root}/tmp; proxy_temp_path {root}/tmp; fastcgi_temp_path {root}/tmp;\n\
         uwsgi_temp_path {root}/tmp; scgi_temp_path {root}/tmp;\n{http}\n\
         upstream pastebin_clones {{\nleast_conn;\nserver {clone} {params};\n{upstream}\n}}\n\
         server {{\nlisten 127.0.0.1:{port};\n{proxy}\n}}\n}}\n",
        http = marked_block(&text, "http", what),
        params = server_params(&text, what),
        upstream = marked_block(&text, "upstream", what),
        proxy = marked_block(&text, "proxy", what),
    );
    let file = dir.path().join("nginx.conf");
    std::fs::write(&file, conf).expect("written");
    let child = Command::new("nginx")
        .args(["-p", &root.to_string(), "-c"])
        .arg(&file)
        .args(["-g", "daemon off;"])
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("nginx runs (Debian's package, as deploy/fleet uses it)");
    Nginx { child, _dir: dir }
}

/// What nginx answers to `request` on a fresh connection: the lower-cased head.
async fn head_of(port: u16, request: &[u8]) -> String {
    let mut socket = TcpStream::connect(("127.0.0.1", port))
        .await
        .expect("connects");
    socket.write_all(request).await.expect("written");
    let mut got = Vec::new();
    tokio::time::timeout(Duration::from_secs(30), socket.read_to_end(&mut got))
        .await
        .expect("answered and closed")
        .expect("read");
    let got = String::from_utf8_lossy(&got).to_ascii_lowercase();
    got.split_once("\r\n\r\n")
        .map_or(got.clone(), |(h, _)| h.to_owned())
}

#[tokio::test]
async fn what_nginx_answers_itself_carries_the_security_headers_and_a_clones_answer_its_own() {
    let app = spawn_app().await;
    let port = free_port();
    let _nginx = start_nginx(port, app.address.trim_start_matches("http://"));
    let deadline = Instant::now() + Duration::from_secs(10);
    while TcpStream::connect(("127.0.0.1", port)).await.is_err() {
        assert!(Instant::now() < deadline, "nginx did not listen");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let long_uri = format!(
        "GET /{} HTTP/1.1\r\nHost: x\r\n\r\n",
        "a".repeat(100 * 1024)
    );
    let headers = [
        "content-security-policy: default-src 'none';",
        "x-content-type-options: nosniff",
        "referrer-policy: same-origin",
        "x-frame-options: deny",
    ];
    for (what, request, status) in [
        (
            "a malformed request line",
            b"GARBAGE\r\n\r\n".to_vec(),
            "400",
        ),
        (
            "HTTP/9.9",
            b"GET / HTTP/9.9\r\nHost: x\r\n\r\n".to_vec(),
            "505",
        ),
        ("a 100 KiB URI", long_uri.into_bytes(), "414"),
    ] {
        let head = head_of(port, &request).await;
        assert!(
            head.starts_with(&format!("http/1.1 {status}")),
            "{what}: {head}"
        );
        assert!(head.contains("server: nginx"), "nginx's own answer: {head}");
        for header in headers {
            assert!(
                head.contains(&format!("\r\n{header}")),
                "{what}: {header} in {head}"
            );
        }
    }
    let head = head_of(
        port,
        b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    )
    .await;
    assert!(head.starts_with("http/1.1 200"), "{head}");
    for header in headers {
        let name = header.split(':').next().expect("a name");
        let count = head.matches(&format!("\r\n{name}:")).count();
        assert_eq!(
            count, 1,
            "the clone's {name} once, nginx's not added: {head}"
        );
    }
}
