//! The pool against stand-in render processes (shell scripts that say ready
//! and then hang, or die): the bound holds whatever the process does. The
//! real render process is tested through the binary (`tests/integration`).

use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use bytes::Bytes;

use super::{Outcome, RenderPool};
use crate::render::Limits;

/// An executable script in a folder of its own (kept with the folder).
fn script(body: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("a folder");
    let path = dir.path().join("render");
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).expect("written");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("executable");
    (dir, path)
}

fn pool(path: PathBuf, millis: u64, processes: usize) -> RenderPool {
    RenderPool::new(
        path,
        Limits {
            max_bytes: 1 << 20,
            max_time: Duration::from_millis(millis),
        },
        processes,
    )
}

fn exists(pid: u32) -> bool {
    std::path::Path::new(&format!("/proc/{pid}")).exists()
}

/// Ready, then reads its request and never answers (a render stuck in a
/// regex); `exec` makes the shell itself the process that is killed.
const HANGS: &str = "printf RDY1\nexec sleep 600";

#[tokio::test]
async fn a_render_that_does_not_answer_is_killed_at_its_deadline_with_its_process() {
    let (_dir, path) = script(HANGS);
    let pool = pool(path, 200, 1);
    pool.start();
    // Wait for the process to be ready, so the wait below is the render's.
    let ready = Instant::now() + Duration::from_secs(20);
    while pool.processes().is_empty() {
        assert!(Instant::now() < ready, "the stand-in process started");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let first = pool.processes();
    let started = Instant::now();
    let outcome = pool
        .render(
            &Bytes::from_static(b"x"),
            None,
            None,
            Duration::from_secs(5),
        )
        .await;
    let took = started.elapsed();
    assert!(matches!(outcome, Outcome::Killed), "{outcome:?}");
    assert!(
        took >= Duration::from_millis(200),
        "not before its deadline: {took:?}"
    );
    assert!(took < Duration::from_secs(3), "at its deadline: {took:?}");
    assert!(
        !exists(first[0]),
        "the process that hung is gone (killed and reaped)"
    );
    // A fresh one takes its place.
    let replaced = Instant::now() + Duration::from_secs(20);
    while pool.processes().is_empty() {
        assert!(Instant::now() < replaced, "a new process started");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_ne!(pool.processes(), first);
}

#[tokio::test]
async fn renders_past_the_processes_wait_a_bounded_time_and_are_busy() {
    let (_dir, path) = script(HANGS);
    let pool = std::sync::Arc::new(pool(path, 1000, 1));
    let text = Bytes::from_static(b"x");
    let holder = {
        let (pool, text) = (pool.clone(), text.clone());
        tokio::spawn(async move {
            pool.render(&text, None, None, Duration::from_secs(20))
                .await
        })
    };
    // The first render holds the only lane until it is killed (1 s).
    tokio::time::sleep(Duration::from_millis(100)).await;
    let started = Instant::now();
    let second = pool
        .render(&text, None, None, Duration::from_millis(100))
        .await;
    assert!(matches!(second, Outcome::Busy), "{second:?}");
    assert!(started.elapsed() < Duration::from_secs(3));
    let first = holder.await.expect("joined");
    assert!(matches!(first, Outcome::Killed), "{first:?}");
}

#[tokio::test]
async fn a_process_that_dies_fails_the_render_and_one_that_cannot_start_is_unavailable() {
    let (_dir, dies) = script("printf RDY1\nhead -c 1 >/dev/null\nexit 1");
    let outcome = pool(dies, 2000, 1)
        .render(
            &Bytes::from_static(b"x"),
            None,
            None,
            Duration::from_secs(20),
        )
        .await;
    assert!(matches!(outcome, Outcome::Failed(_)), "{outcome:?}");
    let outcome = pool(PathBuf::from("/nonexistent/pastebin"), 2000, 1)
        .render(
            &Bytes::from_static(b"x"),
            None,
            None,
            Duration::from_secs(20),
        )
        .await;
    assert!(matches!(outcome, Outcome::Unavailable(_)), "{outcome:?}");
}

/// The probe cases of issue 21 (and a 1 KiB Rust paste), rendered in this
/// process without a bound ("before": what a render thread did) and through
/// the pool with the default bound ("after"), with the time of each.
#[tokio::test]
#[ignore = "measures; run in release with PASTEBIN_BIN naming the release binary"]
async fn probe_the_cost_of_isolation_and_the_runaway_cases() {
    let exe = PathBuf::from(std::env::var("PASTEBIN_BIN").expect("PASTEBIN_BIN names the binary"));
    let limits = Limits {
        max_bytes: 512 * 1024,
        max_time: Duration::from_millis(1000),
    };
    let pool = RenderPool::new(exe, limits, 1);
    pool.start();
    while pool.processes().is_empty() {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let unit =
        "fn main() {\n    let mut total = 0; // a comment\n    println!(\"{}\", total);\n}\n";
    let rust = unit.repeat(1024 / unit.len() + 1)[..1024].to_owned();
    let inline = crate::render::Renderer::new(limits);
    let rounds = 500u32;
    let (bytes, wait) = (Bytes::from(rust.clone()), Duration::from_secs(5));
    for _ in 0..20 {
        inline.render(&rust, Some("rust"), None);
        pool.render(&bytes, Some("rust"), None, wait).await;
    }
    let started = Instant::now();
    for _ in 0..rounds {
        std::hint::black_box(inline.render(&rust, Some("rust"), None));
    }
    let in_thread = started.elapsed() / rounds;
    let started = Instant::now();
    for _ in 0..rounds {
        let outcome = pool.render(&bytes, Some("rust"), None, wait).await;
        assert!(matches!(outcome, Outcome::Rendered(_)), "{outcome:?}");
    }
    let in_process = started.elapsed() / rounds;
    eprintln!(
        "1 KiB of Rust, {rounds} renders: in this thread {in_thread:?} each, in a render process {in_process:?} each (+{:?})",
        in_process.saturating_sub(in_thread)
    );
    let perl = |repeats: usize| format!("s/{}/x/g;\n", "(a|b)*".repeat(repeats));
    let table = {
        let mut t = String::from("| a | b | c | d |\n|---|---|---|---|\n");
        while t.len() < 248 * 1024 {
            t.push_str("| `x` *y* | [z](http://z) | **w** | ~~v~~ |\n");
        }
        t
    };
    let cases = [
        ("perl 600 B", "perl", perl(100)),
        ("perl 1.5 KB", "perl", perl(250)),
        ("perl 6 KB", "perl", perl(1000)),
        (
            "javascript 16,000 (",
            "javascript",
            format!("{}\n", "(".repeat(16_000)),
        ),
        ("markdown table 248 KB", "markdown", table),
    ];
    let unbounded = crate::render::Renderer::new(Limits {
        max_bytes: 512 * 1024,
        max_time: Duration::from_secs(600),
    });
    for (name, language, text) in cases {
        let started = Instant::now();
        let before = unbounded.render(&text, Some(language), None);
        let before_took = started.elapsed();
        let started = Instant::now();
        let after = pool
            .render(&Bytes::from(text.clone()), Some(language), None, wait)
            .await;
        let after_took = started.elapsed();
        let after = match after {
            Outcome::Rendered(r) => format!("{:?} {:?}", r.info.kind, r.info.fallback),
            other => format!("{other:?}"),
        };
        eprintln!(
            "{name} ({} B): before {before_took:?} ({:?} {:?}); after {after_took:?} ({after})",
            text.len(),
            before.info.kind,
            before.info.fallback
        );
    }
}
