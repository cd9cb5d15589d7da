//! What an operator sees: health, readiness, metrics, request ids, config errors.

use std::process::Command;

use crate::support::app::{quiet_periodic_jobs, spawn_app, spawn_with};

#[tokio::test]
async fn health_and_readiness_answer_json() {
    let app = spawn_app().await;
    let (status, body) = app.get("/healthz").await;
    assert_eq!((status, body.as_str()), (200, r#"{"status":"ok"}"#));
    let (status, body) = app.get("/readyz").await;
    assert_eq!(status, 200);
    let ready: serde_json::Value = serde_json::from_str(&body).expect("JSON");
    assert_eq!(ready["status"], "ready");
    assert_eq!(ready["checks"]["store"]["status"], "up");
    assert_eq!(ready["checks"]["store"]["backend"], "embedded");
}

#[tokio::test]
async fn metrics_count_requests_by_route_and_store_operations() {
    let app = spawn_with(quiet_periodic_jobs).await;
    let created = app.create_text("counted").await;
    app.settle_periodic().await;
    let finds = app.metrics.store_operations("find_paste");
    let all = app.store_operations_total().await;
    for _ in 0..3 {
        app.get(&format!("/raw/{}", created.id)).await;
    }
    app.get("/raw/AAAAAAAA").await;
    let (status, text) = app.get("/metrics").await;
    assert_eq!(status, 200);
    let count = |line: &str| text.lines().any(|l| l == line);
    assert!(
        count(r#"pastebin_http_requests_total{method="GET",route="/raw/{id}",status="200"} 3"#),
        "{text}"
    );
    assert!(count(
        r#"pastebin_http_requests_total{method="GET",route="/raw/{id}",status="404"} 1"#
    ));
    assert!(count(
        r#"pastebin_http_requests_total{method="POST",route="/api/v1/pastes",status="201"} 1"#
    ));
    assert!(text.contains("pastebin_http_request_duration_seconds_bucket"));
    assert!(count(
        r#"pastebin_store_operations_total{op="insert_paste"} 1"#
    ));
    assert!(
        count(r#"pastebin_jobs_total{kind="assemble",outcome="ok"} 1"#),
        "{text}"
    );
    // The view assembled ahead of the reads answers all three; the unknown id reaches the store once.
    assert_eq!(app.metrics.store_operations("find_paste") - finds, 1);
    // The probe reads the paste, then whether an operator took it down.
    assert_eq!(app.metrics.store_operations("find_removal"), 1);
    assert_eq!(
        app.store_operations_total().await - all,
        2,
        "nothing but that one probe reached the store"
    );
    assert!(
        count(r#"pastebin_cache_requests_total{object="paste",result="hit"} 3"#),
        "{text}"
    );
    assert!(count(
        r#"pastebin_cache_requests_total{object="paste",result="miss"} 1"#
    ));
}

#[tokio::test]
async fn visits_are_counted_and_folded_into_the_stored_statistics() {
    let app = spawn_app().await;
    let created = app.create_text("popular").await;
    // The assemble job first (the app's own worker runs it, maybe late on a
    // loaded machine): its view, assembled before any visit, must not land
    // over the fold's and show 0 until the next fold.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while !app
        .get("/metrics")
        .await
        .1
        .contains(r#"pastebin_jobs_total{kind="assemble",outcome="ok"} 1"#)
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the assemble job never ran"
        );
        app.settle().await;
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    for path in ["/raw/", "/dl/", "/", "/api/v1/pastes/"] {
        assert_eq!(app.get(&format!("{path}{}", created.id)).await.0, 200);
    }
    // Whether the in-process worker folded them already or this fold does,
    // the stored statistics end up with the four visits.
    app.worker.fold_visits("test-fold").await.expect("folded");
    app.settle().await;
    // A fold the app's own worker began before this one may still be
    // between the store and the cached view (counts lag one fold, by
    // design): wait until the statistics (a read that is no visit) show all four.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let (_, stats) = app
            .get(&format!("/api/v1/pastes/{}/stats", created.id))
            .await;
        let stats: serde_json::Value = serde_json::from_str(&stats).expect("JSON");
        if stats["total_views"] == 4 {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the four visits never showed: {stats}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let (_, body) = app.get(&format!("/api/v1/pastes/{}", created.id)).await;
    let read: serde_json::Value = serde_json::from_str(&body).expect("JSON");
    assert_eq!(read["views"], 5, "four folded plus this read");
    let (_, stats) = app
        .get(&format!("/api/v1/pastes/{}/stats", created.id))
        .await;
    let stats: serde_json::Value = serde_json::from_str(&stats).expect("JSON");
    assert_eq!(
        stats["total_views"], 5,
        "the stats read is not a visit: {stats}"
    );
}

#[tokio::test]
async fn every_answer_carries_a_request_id() {
    let app = spawn_app().await;
    let r = app.get_path("/healthz").await;
    assert_eq!(
        r.headers()["x-request-id"].to_str().expect("text").len(),
        36
    );
    let r = app
        .client
        .get(app.url("/healthz"))
        .header("x-request-id", "abc-123")
        .send()
        .await
        .expect("answered");
    assert_eq!(r.headers()["x-request-id"], "abc-123");
}

fn run_binary(env: &[(&str, &str)], args: &[&str]) -> (bool, String) {
    let dir = tempfile::tempdir().expect("a folder");
    let output = Command::new(env!("CARGO_BIN_EXE_pastebin"))
        .args(args)
        .env("PASTEBIN__STORE__PATH", dir.path())
        .envs(env.iter().copied())
        .output()
        .expect("the binary runs");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn bad_configuration_stops_the_start_with_the_key_named() {
    let cases = [
        ("PASTEBIN__SERVER__PORT", "eighty", "port"),
        (
            "PASTEBIN__LIMITS__MAX_PASTE_BYTES",
            "99999999999",
            "limits.max_paste_bytes",
        ),
        (
            "PASTEBIN__LIMITS__MAX_EXPIRY",
            "forever",
            "limits.max_expiry",
        ),
        (
            "PASTEBIN__SERVER__PUBLIC_URL",
            "ftp://x",
            "server.public_url",
        ),
        ("PASTEBIN__SERVER__PROT", "1", "prot"),
        (
            "PASTEBIN__LOG__FORMAT",
            "xml",
            "log.format`: must be human or json",
        ),
    ];
    for (key, value, named) in cases {
        let (ok, stderr) = run_binary(&[(key, value)], &["migrate"]);
        assert!(!ok, "{key}={value} was accepted");
        assert!(stderr.contains(named), "{key}={value}: {stderr}");
    }
    let (ok, stderr) = run_binary(&[], &["--config", "/nonexistent/pastebin.toml", "migrate"]);
    assert!(!ok && stderr.contains("pastebin.toml"), "{stderr}");
}

#[test]
fn migrate_creates_the_store_and_exits() {
    let (ok, stderr) = run_binary(&[("PASTEBIN__LOG__LEVEL", "info")], &["migrate"]);
    assert!(ok, "{stderr}");
    assert!(
        stderr.contains("schema and indexes are in place"),
        "{stderr}"
    );
}

#[tokio::test]
async fn with_mongodb_unreachable_a_clone_starts_and_answers_fast_503s() {
    use crate::support::process::{ServerProcess, free_port};
    let dir = tempfile::tempdir().expect("a folder");
    let uri = format!(
        "mongodb://127.0.0.1:{}/?serverSelectionTimeoutMS=300",
        free_port()
    );
    let env = [
        ("PASTEBIN__MONGODB__URI", uri.as_str()),
        ("PASTEBIN__MONGODB__SERVER_SELECTION_TIMEOUT_MS", "300"),
    ];
    let server = ServerProcess::start(dir.path(), &env).await;
    let http = reqwest::Client::new();
    let ready = http
        .get(format!("{}/readyz", server.address))
        .send()
        .await
        .expect("answered");
    assert_eq!(ready.status(), 503);
    let body: serde_json::Value = ready.json().await.expect("JSON");
    assert_eq!(body["checks"]["store"]["backend"], "mongodb");
    assert_eq!(body["checks"]["store"]["status"], "down");
    let started = std::time::Instant::now();
    let created = http
        .post(format!("{}/api/v1/pastes", server.address))
        .json(&serde_json::json!({"content": "x"}))
        .send()
        .await
        .expect("answered");
    assert_eq!(created.status(), 503);
    assert!(created.headers().contains_key("retry-after"));
    let read = http
        .get(format!("{}/raw/AAAAAAAA", server.address))
        .send()
        .await
        .expect("answered");
    assert_eq!(read.status(), 503);
    assert!(
        started.elapsed() < std::time::Duration::from_secs(5),
        "503s must be fast, not hangs"
    );
}

#[test]
fn a_mongodb_uri_that_is_not_one_names_its_key() {
    let (ok, stderr) = run_binary(&[("PASTEBIN__MONGODB__URI", "postgres://x")], &["migrate"]);
    assert!(!ok && stderr.contains("mongodb.uri"), "{stderr}");
    let (ok, stderr) = run_binary(
        &[("PASTEBIN__MONGODB__PASTE_READ_PREFERENCE", "secondary")],
        &["migrate"],
    );
    assert!(
        !ok && stderr.contains("mongodb.paste_read_preference"),
        "{stderr}"
    );
}
