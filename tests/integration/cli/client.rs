//! Each command of the client, as a user types it.

use std::os::unix::fs::PermissionsExt;

use super::Shell;
use crate::support::accounts::PASSWORD;
use crate::support::app::spawn_app;
use crate::support::process::free_port;

/// The id at the end of a paste URL.
fn id_of(url: &str) -> &str {
    url.trim().rsplit('/').next().expect("a URL")
}

fn mode_of(path: &std::path::Path) -> u32 {
    std::fs::metadata(path)
        .expect("the file exists")
        .permissions()
        .mode()
        & 0o777
}

#[tokio::test]
async fn paste_from_stdin_prints_the_url_and_keeps_the_delete_token_private() {
    let app = spawn_app().await;
    let shell = Shell::new();
    let run = shell
        .run(&["paste", "--url", &app.address], b"hello from a pipe\n")
        .await;
    let url = run.ok();
    let url = url.trim_end();
    assert!(
        url.starts_with(&format!("{}/", app.address)),
        "one URL on stdout: {url:?}"
    );
    assert_eq!(run.out().lines().count(), 1, "only the URL on stdout");
    assert!(run.stderr.contains("delete token: "), "{}", run.stderr);
    let (status, raw) = app.get(&format!("/raw/{}", id_of(url))).await;
    assert_eq!((status, raw.as_str()), (200, "hello from a pipe\n"));
    let tokens = shell.data_dir().join("delete-tokens.json");
    assert_eq!(mode_of(&tokens), 0o600);
    assert_eq!(mode_of(&shell.data_dir()), 0o700);
    let kept: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&tokens).expect("readable")).expect("JSON");
    assert!(
        kept[url].is_string(),
        "the token is kept under the URL: {kept}"
    );
}

#[tokio::test]
async fn paste_a_file_with_options_sends_each_of_them() {
    let app = spawn_app().await;
    let shell = Shell::new();
    let file = shell.file("notes.md", b"# Notes\n\nfirst\n");
    let run = shell
        .run(
            &[
                "paste",
                file.to_str().expect("UTF-8 path"),
                "--url",
                &app.address,
                "--title",
                "my notes",
                "--language",
                "markdown",
                "--expires",
                "1d",
                "--unlisted",
                "--burn",
                "--json",
            ],
            b"",
        )
        .await;
    let answer: serde_json::Value = serde_json::from_str(&run.ok()).expect("--json prints JSON");
    assert_eq!(answer["title"], "my notes");
    assert_eq!(answer["visibility"], "unlisted");
    assert_eq!(answer["burn_after_read"], true);
    assert!(answer["delete_token"].is_string());
    let created = time::OffsetDateTime::parse(
        answer["created_at"].as_str().expect("created_at"),
        &time::format_description::well_known::Rfc3339,
    )
    .expect("RFC 3339");
    let expires = time::OffsetDateTime::parse(
        answer["expires_at"].as_str().expect("an expiry"),
        &time::format_description::well_known::Rfc3339,
    )
    .expect("RFC 3339");
    assert_eq!(expires - created, time::Duration::days(1));
    // Burn after read: the first read has it, the second finds nothing.
    let id = answer["id"].as_str().expect("id");
    let first = app.get_api_paste(id).await;
    assert_eq!(first.status(), 200);
    let first: serde_json::Value = first.json().await.expect("JSON");
    assert_eq!(first["content"], "# Notes\n\nfirst\n");
    assert_eq!(first["language"], "markdown");
    assert_eq!(app.get_api_paste(id).await.status(), 404);
}

#[tokio::test]
async fn several_files_make_one_paste_each_titled_by_its_name() {
    let app = spawn_app().await;
    let shell = Shell::new();
    let a = shell.file("a.rs", b"fn a() {}\n");
    let b = shell.file("b.py", b"def b(): pass\n");
    let run = shell
        .run(
            &[
                "paste",
                "--url",
                &app.address,
                a.to_str().expect("UTF-8"),
                b.to_str().expect("UTF-8"),
            ],
            b"",
        )
        .await;
    let out = run.ok();
    let urls: Vec<&str> = out.lines().collect();
    assert_eq!(urls.len(), 2, "{out}");
    for (url, (title, content)) in urls
        .iter()
        .zip([("a.rs", "fn a() {}\n"), ("b.py", "def b(): pass\n")])
    {
        let read: serde_json::Value = app
            .get_api_paste(id_of(url))
            .await
            .json()
            .await
            .expect("JSON");
        assert_eq!(
            (read["title"].as_str(), read["content"].as_str()),
            (Some(title), Some(content))
        );
    }
}

#[tokio::test]
async fn get_writes_the_exact_bytes_by_url_or_by_id() {
    let app = spawn_app().await;
    let shell = Shell::new();
    let content = "tabs\tand CRLF\r\nno final newline, ünïcödé ✓ \u{0}";
    let created = app.create_text(content).await;
    let by_url = shell
        .run(
            &["get", &format!("{}/raw/{}", app.address, created.id)],
            b"",
        )
        .await;
    by_url.ok();
    assert_eq!(by_url.stdout, content.as_bytes());
    let by_id = shell.run(&["get", &created.id], b"").await;
    assert!(!by_id.status.success(), "no server known yet");
    assert!(by_id.stderr.contains("PASTEBIN_URL"), "{}", by_id.stderr);
    let by_id = shell
        .run(&["get", &created.id, "--url", &app.address], b"")
        .await;
    by_id.ok();
    assert_eq!(by_id.stdout, content.as_bytes());
    let missing = shell
        .run(&["get", "zzzzzzzz", "--url", &app.address], b"")
        .await;
    assert!(!missing.status.success());
    assert!(
        missing.stderr.contains("(not_found, HTTP 404)"),
        "{}",
        missing.stderr
    );
}

#[tokio::test]
async fn delete_uses_the_kept_token_or_the_one_given() {
    let app = spawn_app().await;
    let shell = Shell::new();
    let url = shell
        .run(&["paste", "--url", &app.address], b"short-lived\n")
        .await
        .ok();
    let url = url.trim_end();
    shell.run(&["delete", url], b"").await.ok();
    assert_eq!(app.get_api_paste(id_of(url)).await.status(), 404);
    let kept =
        std::fs::read_to_string(shell.data_dir().join("delete-tokens.json")).expect("readable");
    assert!(
        !kept.contains(url),
        "a deleted paste's token is forgotten: {kept}"
    );

    // Made elsewhere: no kept token, so --token.
    let other = app.create_text("made by curl").await;
    let url = format!("{}/{}", app.address, other.id);
    let refused = shell.run(&["delete", &url], b"").await;
    assert!(!refused.status.success());
    assert!(refused.stderr.contains("--token"), "{}", refused.stderr);
    let wrong = shell
        .run(&["delete", &url, "--token", "not-the-token"], b"")
        .await;
    assert!(!wrong.status.success());
    assert_eq!(app.get_api_paste(&other.id).await.status(), 200);
    shell
        .run(&["delete", &url, "--token", &other.token], b"")
        .await
        .ok();
    assert_eq!(app.get_api_paste(&other.id).await.status(), 404);
}

#[tokio::test]
async fn login_keeps_a_token_that_makes_private_pastes_its_own() {
    let app = spawn_app().await;
    app.signed_up("ada").await;
    let shell = Shell::new();
    let wrong = shell
        .run(
            &[
                "login",
                "--url",
                &app.address,
                "--username",
                "ada",
                "--password-stdin",
            ],
            b"wrong password\n",
        )
        .await;
    assert!(!wrong.status.success());
    assert!(
        wrong.stderr.contains("invalid_credentials"),
        "{}",
        wrong.stderr
    );
    assert!(!shell.config_dir().join("config.json").exists());

    shell
        .run(
            &[
                "login",
                "--url",
                &app.address,
                "--username",
                "ada",
                "--password-stdin",
            ],
            format!("{PASSWORD}\n").as_bytes(),
        )
        .await
        .ok();
    let config = shell.config_dir().join("config.json");
    assert_eq!(mode_of(&config), 0o600);
    let saved: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&config).expect("readable")).expect("JSON");
    let token = saved["token"].as_str().expect("a token").to_owned();

    // No --url now: the server comes from the config.
    let url = shell
        .run(&["paste", "--private"], b"ada's secret\n")
        .await
        .ok();
    let id = id_of(&url).to_owned();
    assert_eq!(
        app.get_api_paste(&id).await.status(),
        404,
        "hidden from others"
    );
    let as_ada = app
        .client
        .get(app.url(&format!("/api/v1/pastes/{id}")))
        .header("Authorization", format!("Bearer {token}"))
        .send()
        .await
        .expect("answered");
    assert_eq!(as_ada.status(), 200);
    let got = shell.run(&["get", &id], b"").await;
    got.ok();
    assert_eq!(got.stdout, b"ada's secret\n");
    // Another user's machine cannot read it.
    let stranger = Shell::new().run(&["get", url.trim_end()], b"").await;
    assert!(!stranger.status.success());
}

#[tokio::test]
async fn private_without_login_and_bad_input_fail_with_the_servers_message() {
    let app = spawn_app().await;
    let shell = Shell::new();
    let private = shell
        .run(&["paste", "--url", &app.address, "--private"], b"x\n")
        .await;
    assert_eq!(private.status.code(), Some(1));
    assert!(
        private.stderr.contains("private_needs_account"),
        "{}",
        private.stderr
    );
    let expires = shell
        .run(
            &["paste", "--url", &app.address, "--expires", "1fortnight"],
            b"x\n",
        )
        .await;
    assert_eq!(expires.status.code(), Some(1));
    assert!(
        expires.stderr.starts_with("pastebin: ")
            && expires.stderr.contains("(invalid_expires, HTTP 422)"),
        "{}",
        expires.stderr
    );
    assert!(expires.stdout.is_empty());
    let big = vec![b'a'; 2 * 1024 * 1024 + 1];
    let too_large = shell.run(&["paste", "--url", &app.address], &big).await;
    assert_eq!(too_large.status.code(), Some(1));
    assert!(
        too_large.stderr.contains("HTTP 413"),
        "{}",
        too_large.stderr
    );
    let binary = shell
        .run(&["paste", "--url", &app.address], b"\xff\xfe")
        .await;
    assert!(!binary.status.success());
    assert!(binary.stderr.contains("not UTF-8"), "{}", binary.stderr);
}

#[tokio::test]
async fn a_server_that_is_down_is_named_not_a_panic() {
    let shell = Shell::new();
    let address = format!("http://127.0.0.1:{}", free_port());
    for args in [
        vec!["paste", "--url", address.as_str()],
        vec!["get", "abcdEFGH", "--url", address.as_str()],
        vec![
            "delete",
            "abcdEFGH",
            "--url",
            address.as_str(),
            "--token",
            "t",
        ],
    ] {
        let run = shell.run(&args, b"x\n").await;
        assert_eq!(run.status.code(), Some(1), "{args:?}: {}", run.stderr);
        assert!(
            run.stderr.contains(&format!(
                "cannot reach the server at {address}: connection refused"
            )),
            "{args:?}: {}",
            run.stderr
        );
        assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    }
}
