//! Renders that cannot run away: a paste whose grammar backtracks for a
//! minute on one line is cut at `render.max_millis`, its render process
//! killed (its CPU with it), its page plain text; and a paste is rendered
//! once, whoever asks first.

use std::time::{Duration, Instant};

use crate::support::app::{TestApp, TestPaste, spawn_with};

/// Forty Perl lines of about 6 KB each that backtrack inside one regex of
/// the grammar. fancy-regex took about a minute on one; Oniguruma gives up
/// each match at its retry limit, which still costs about 150 ms a line
/// (debug build, quiet machine): some 6 s for the paste, far past the 300 ms
/// bound below however fast or loaded the machine (one line alone would
/// finish inside it on a quiet one, and the test would depend on timing).
fn runaway_perl(variant: usize) -> String {
    format!("s/{}/x{variant}/g;\n", "(a|b)*".repeat(1000)).repeat(40)
}

/// Every kind of `pastebin_renders_total`.
fn renders(app: &TestApp) -> u64 {
    ["highlight", "markdown", "plain", "timeout", "busy"]
        .iter()
        .map(|kind| app.metrics.renders(kind))
        .sum()
}

/// Ticks of CPU (user + system) a process has used, from `/proc/{pid}/stat`.
fn cpu_ticks(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    // After the command's name: state is field 3, utime 14 and stime 15.
    Some(fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?)
}

async fn processes_started(app: &TestApp, count: usize) -> Vec<u32> {
    let until = Instant::now() + Duration::from_secs(60);
    loop {
        let alive = (app.render_processes)();
        if alive.len() >= count {
            return alive;
        }
        assert!(Instant::now() < until, "render processes started");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn twenty_runaway_pastes_read_at_once_each_answer_in_bounded_time_and_stop_their_cpu() {
    let app = spawn_with(|s| {
        s.render.max_millis = pastebin::configuration::Millis::new(300).expect("not zero");
        s.render.processes = 2;
    })
    .await;
    let first = processes_started(&app, 2).await;
    let ordinary = TestPaste::new("fn main() {}\n")
        .language("rust")
        .create(&app)
        .await;
    app.settle().await;
    let mut ids = Vec::new();
    for n in 0..20 {
        let created = TestPaste::new(runaway_perl(n))
            .language("perl")
            .create(&app)
            .await;
        ids.push(created.id);
    }
    // Twenty page reads at once, racing the assemble jobs of the same pastes.
    let reads = ids.iter().map(|id| {
        let (client, url) = (app.client.clone(), app.url(&format!("/{id}")));
        tokio::spawn(async move {
            let started = Instant::now();
            let request = client.get(url).header("Accept", "text/html");
            let answer = tokio::time::timeout(Duration::from_secs(30), request.send())
                .await
                .expect("the page answers within 30 s (a render ran away)")
                .expect("an answer");
            let status = answer.status().as_u16();
            let html = answer.text().await.expect("a body");
            (started.elapsed(), status, html)
        })
    });
    let reads: Vec<_> = reads.collect();
    // Meanwhile a hot page is served as ever (measured in benches/load;
    // here only a bound no loaded machine misses).
    let hot = Instant::now();
    assert_eq!(app.get_page(&ordinary.id).await.status(), 200);
    assert!(
        hot.elapsed() < Duration::from_secs(5),
        "a hot page waited on renders"
    );
    for read in reads {
        let (took, status, html) = read.await.expect("joined");
        assert_eq!(status, 200);
        // 300 ms of render after at most 300 ms of waiting for a process,
        // and a margin for a loaded machine: versus a minute without a bound.
        assert!(took < Duration::from_secs(6), "a page took {took:?}");
        assert!(
            html.contains("id=\"fallback\""),
            "plain text, saying why: {}",
            html.split("<main")
                .nth(1)
                .unwrap_or(&html)
                .chars()
                .take(1500)
                .collect::<String>()
        );
        assert!(html.contains("(a|b)*(a|b)*"), "the text is shown");
    }
    app.settle().await;
    assert!(app.metrics.renders("timeout") >= 1, "renders timed out");
    // The processes that took those renders were killed (and reaped) ...
    for pid in &first {
        assert!(
            !std::path::Path::new(&format!("/proc/{pid}")).exists(),
            "render process {pid} outlived its deadline"
        );
    }
    // ... and the ones alive now, fresh, burn no CPU: no render goes on.
    let alive = processes_started(&app, 1).await;
    let before: u64 = alive.iter().filter_map(|pid| cpu_ticks(*pid)).sum();
    tokio::time::sleep(Duration::from_secs(1)).await;
    let after: u64 = alive.iter().filter_map(|pid| cpu_ticks(*pid)).sum();
    assert!(
        after.saturating_sub(before) < 20,
        "render processes still burn CPU: {} ticks in 1 s",
        after - before
    );
}

#[tokio::test]
async fn a_cold_page_read_during_the_assemble_job_does_not_render_again() {
    let app = spawn_with(|_| {}).await;
    processes_started(&app, 1).await;
    // Slow to highlight (about a second or more in a debug build): the
    // page read below comes while the assemble job renders it.
    let text = "fn main() { let x = 1; }\n".repeat(20_000);
    let created = TestPaste::new(text).language("rust").create(&app).await;
    assert_eq!(app.get_page(&created.id).await.status(), 200);
    app.settle().await;
    assert_eq!(app.get_page(&created.id).await.status(), 200);
    let kinds: Vec<(&str, u64)> = ["highlight", "markdown", "plain", "timeout", "busy"]
        .into_iter()
        .map(|kind| (kind, app.metrics.renders(kind)))
        .collect();
    assert_eq!(
        renders(&app),
        1,
        "rendered once, by the job or the read: {kinds:?}"
    );
}

#[tokio::test]
async fn a_plain_paste_is_cached_with_its_numbered_lines_and_a_hot_read_makes_none() {
    let redis = crate::support::redis::RedisServer::start().await;
    let url = redis.url();
    let app = spawn_with(|s| {
        s.redis.url = Some(pastebin::configuration::RedisUrl::parse(&url).expect("a Redis URL"));
    })
    .await;
    let created = TestPaste::new("just words, a < b\nand more words\n")
        .create(&app)
        .await;
    app.settle().await;
    assert_eq!(app.metrics.renders("plain"), 1, "the job numbered it");
    let cached = redis.values(&format!("v5:paste:{}", created.id));
    assert_eq!(cached.len(), 1, "the view is cached");
    assert!(
        cached[0].contains("id=\"L2\"") && cached[0].contains("a &lt; b"),
        "the view holds the numbered, escaped lines: {}",
        cached[0]
    );
    for _ in 0..3 {
        let html = app.get_page(&created.id).await.text().await.expect("html");
        assert!(html.contains("id=\"L2\""), "{html}");
    }
    assert_eq!(renders(&app), 1, "hot reads of a plain paste make nothing");
}
