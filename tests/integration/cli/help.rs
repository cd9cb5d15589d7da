//! What the binary says about itself: `--help` and its logs.

use std::time::Duration;

use crate::cli::Shell;
use crate::support::process::ServerProcess;

#[tokio::test]
async fn the_help_says_where_it_listens_where_pastes_live_and_what_a_worker_does() {
    let shell = Shell::new();
    let help = shell.run(&["--help"], b"").await.ok();
    for said in [
        "PASTEBIN__SERVER__HOST",
        "PASTEBIN__SERVER__PORT",
        "127.0.0.1:8080",
        "./data",
    ] {
        assert!(help.contains(said), "--help lacks {said}: {help}");
    }
    let worker = shell.run(&["worker", "--help"], b"").await.ok();
    for said in ["assembles", "visits", "expired"] {
        assert!(
            worker.contains(said),
            "worker --help lacks {said}: {worker}"
        );
    }
}

#[tokio::test]
async fn logs_to_a_file_carry_no_colour() {
    let store = tempfile::tempdir().expect("a store folder");
    let server = ServerProcess::start(
        store.path(),
        &[
            ("PASTEBIN__LOG__FORMAT", "human"),
            ("PASTEBIN__LOG__LEVEL", "info"),
        ],
    )
    .await;
    server.terminate();
    let mut server = server;
    let _ = server.exited(Duration::from_secs(20)).await;
    let logged = server.logged();
    assert!(!logged.is_empty(), "the server logged nothing at info");
    assert!(!logged.contains('\u{1b}'), "ANSI escapes in {logged:?}");
}
