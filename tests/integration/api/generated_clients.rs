//! Clients generated from the served document by two generators nobody here
//! wrote, unedited: openapi-python-client's client runs every route against
//! a real server, and tsc type-checks a TypeScript program against what
//! openapi-typescript wrote. `tests/generators/install` (run by `tests/run`)
//! installs both, pinned; without them these tests fail and say so.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::support::accounts::PASSWORD;
use crate::support::app::{TestApp, spawn_app};

/// Where `tests/generators/install` put the generators.
fn generators() -> PathBuf {
    let dir = std::env::var_os("PASTEBIN_GENERATORS").map_or_else(
        || {
            let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(
                || Path::new(env!("CARGO_MANIFEST_DIR")).join("target"),
                PathBuf::from,
            );
            target.join("generators")
        },
        PathBuf::from,
    );
    assert!(
        dir.join("venv/bin/openapi-python-client").is_file()
            && dir
                .join("npm/node_modules/.bin/openapi-typescript")
                .is_file(),
        "the OpenAPI generators are not installed in {}: run `bash tests/generators/install` \
         (`bash tests/run` does), or point PASTEBIN_GENERATORS at its folder",
        dir.display()
    );
    dir
}

/// Runs a program to its end off the runtime (the app under test runs on it).
async fn run(mut command: Command) -> Output {
    let shown = format!("{command:?}");
    tokio::task::spawn_blocking(move || command.output())
        .await
        .expect("the thread ran")
        .unwrap_or_else(|e| panic!("{shown} could not start: {e}"))
}

fn said(output: &Output) -> String {
    format!(
        "{}\nstdout:\n{}\nstderr:\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// The document as the server serves it, written to `dir/openapi.json`.
async fn served_document(app: &TestApp, dir: &Path) -> PathBuf {
    let (status, text) = app.get("/api/v1/openapi.json").await;
    assert_eq!(status, 200, "{text}");
    let path = dir.join("openapi.json");
    std::fs::write(&path, text).expect("the document is written");
    path
}

fn tests_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/generators")
}

#[tokio::test]
async fn a_client_openapi_python_client_generates_runs_every_route() {
    let tools = generators();
    let app = spawn_app().await;
    app.signed_up("ada").await;
    let work = tempfile::tempdir().expect("a temporary folder");
    let document = served_document(&app, work.path()).await;
    let bin = tools.join("venv/bin");
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );

    // Default settings: the generator's own formatter (ruff, a dependency)
    // runs from the virtualenv, so it is put first on PATH.
    let mut generate = Command::new(bin.join("openapi-python-client"));
    generate
        .args(["generate", "--path"])
        .arg(&document)
        .arg("--output-path")
        .arg(work.path().join("client"))
        .env("PATH", &path);
    let generated = run(generate).await;
    assert!(
        generated.status.success(),
        "the generator failed: {}",
        said(&generated)
    );
    let warned = String::from_utf8_lossy(&generated.stdout).to_string()
        + &String::from_utf8_lossy(&generated.stderr);
    assert!(
        !warned.contains("Warning"),
        "the generator warned about the document: {warned}"
    );

    let mut drive = Command::new(bin.join("python"));
    drive
        .arg(tests_dir().join("python_client.py"))
        .args([app.address.as_str(), "ada", PASSWORD])
        .env("PYTHONPATH", work.path().join("client"))
        .env("PATH", &path);
    let driven = run(drive).await;
    assert!(
        driven.status.success(),
        "the generated client failed: {}",
        said(&driven)
    );
}

#[tokio::test]
async fn a_program_typed_against_openapi_typescript_output_type_checks() {
    let tools = generators();
    let app = spawn_app().await;
    let work = tempfile::tempdir().expect("a temporary folder");
    let document = served_document(&app, work.path()).await;
    let bin = tools.join("npm/node_modules/.bin");

    let mut generate = Command::new(bin.join("openapi-typescript"));
    generate
        .arg(&document)
        .arg("-o")
        .arg(work.path().join("schema.d.ts"));
    let generated = run(generate).await;
    assert!(
        generated.status.success(),
        "the generator failed: {}",
        said(&generated)
    );

    for program in ["typescript_client.ts", "typescript_client_wrong.ts"] {
        std::fs::copy(tests_dir().join(program), work.path().join(program))
            .expect("the program is copied");
    }
    let check = |program: &str| {
        let mut tsc = Command::new(bin.join("tsc"));
        tsc.args([
            "--strict",
            "--noEmit",
            "--target",
            "es2022",
            "--module",
            "es2022",
            "--moduleResolution",
            "bundler",
        ])
        .arg(work.path().join(program));
        tsc
    };
    let right = run(check("typescript_client.ts")).await;
    assert!(
        right.status.success(),
        "tsc refused the program: {}",
        said(&right)
    );
    let wrong = run(check("typescript_client_wrong.ts")).await;
    let errors = String::from_utf8_lossy(&wrong.stdout).to_string();
    assert!(
        // Each of its three lines is refused: a language, a title, a file.
        !wrong.status.success()
            && errors.contains("klingon")
            && errors.contains("typescript_client_wrong.ts(8,")
            && errors.contains("typescript_client_wrong.ts(9,"),
        "tsc accepted a program that breaks the types: {}",
        said(&wrong)
    );
}
