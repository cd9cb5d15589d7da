//! Pages rendered once, by the worker or the first read, and served from the
//! cached view after that.

use crate::support::app::{TestPaste, quiet_periodic_jobs, spawn_app, spawn_with};

fn renders(app: &crate::support::app::TestApp) -> u64 {
    ["highlight", "markdown", "plain"]
        .iter()
        .map(|kind| app.metrics.renders(kind))
        .sum()
}

#[tokio::test]
async fn a_hot_page_read_renders_nothing_and_touches_no_store() {
    let app = spawn_with(quiet_periodic_jobs).await;
    let created = TestPaste::new("fn main() {\n    println!(\"hi\");\n}\n")
        .language("rust")
        .create(&app)
        .await;
    // The assemble job renders the page ahead of its first read.
    app.settle_periodic().await;
    let rendered = app.metrics.renders("highlight");
    assert_eq!(rendered, 1, "the assemble job rendered it");
    let stored = app.store_operations_total().await;
    for _ in 0..5 {
        let page = app.get_page(&created.id).await;
        assert_eq!(page.status(), 200);
        let html = page.text().await.expect("html");
        assert!(html.contains("<span class=\"k\">fn</span>"), "highlighted");
    }
    assert_eq!(renders(&app), rendered, "hot page reads rendered");
    assert_eq!(
        app.store_operations_total().await,
        stored,
        "hot page reads reached the store"
    );
}

#[tokio::test]
async fn raw_and_api_reads_never_render_and_a_page_miss_renders_once() {
    let app = spawn_with(|s| s.cache.enabled = false).await;
    let created = TestPaste::new("SELECT 1;\n")
        .language("sql")
        .create(&app)
        .await;
    app.settle().await;
    let before = renders(&app);
    for _ in 0..3 {
        assert_eq!(app.get_raw(&created.id).await.status(), 200);
        assert_eq!(app.get_api_paste(&created.id).await.status(), 200);
    }
    assert_eq!(renders(&app), before, "raw and API reads rendered");
    assert_eq!(app.get_page(&created.id).await.status(), 200);
    assert_eq!(
        renders(&app),
        before + 1,
        "a page with no cache renders inline"
    );
}

#[tokio::test]
async fn the_page_says_which_language_it_shows_and_whether_it_was_detected() {
    let app = spawn_app().await;
    let named = TestPaste::new("echo hi\n")
        .language("Batch File")
        .create(&app)
        .await;
    let html = app.get_page(&named.id).await.text().await.expect("html");
    assert!(html.contains(">Batch File</span>"), "the name is shown");
    assert!(!html.contains("id=\"detected\""));
    let guessed = TestPaste::new("#!/usr/bin/env python3\nprint('hi')\n")
        .create(&app)
        .await;
    let html = app.get_page(&guessed.id).await.text().await.expect("html");
    assert!(html.contains(">Python</span>"), "{html}");
    assert!(html.contains("detected from the first line"));
}

#[tokio::test]
async fn a_paste_past_the_render_bound_is_plain_text_and_the_page_says_so() {
    let app = spawn_with(|s| {
        s.render.max_bytes = pastebin::configuration::RenderBytes::new(64).expect("a size")
    })
    .await;
    let text = "fn main() { let big = 1; }\n".repeat(10);
    let created = TestPaste::new(text).language("rust").create(&app).await;
    let html = app.get_page(&created.id).await.text().await.expect("html");
    assert!(html.contains("id=\"fallback\""), "the page says why");
    assert!(html.contains("too large to highlight"));
    assert!(!html.contains("<span class=\"k\">"), "nothing highlighted");
    assert!(html.contains("id=\"L10\""), "lines are still numbered");
}

#[tokio::test]
async fn a_markdown_paste_is_rendered_sanitized_and_its_source_is_a_link_away() {
    let app = spawn_app().await;
    let created =
        TestPaste::new("# Notes\n\n<script>alert(1)</script>\n\n```rust\nfn x() {}\n```\n")
            .title("notes.md")
            .create(&app)
            .await;
    let html = app.get_page(&created.id).await.text().await.expect("html");
    assert!(
        html.contains(">Notes <a href=\"#user-content-notes\""),
        "{html}"
    );
    assert!(!html.contains("<script>alert"), "sanitized");
    assert!(html.contains(&format!("href=\"/{}?source\"", created.id)));
    let source = app
        .get_html(&format!("/{}?source", created.id))
        .await
        .text()
        .await
        .expect("html");
    assert!(source.contains("# Notes"), "the source is shown");
    assert!(source.contains("&lt;script&gt;"), "escaped");
}

#[tokio::test]
async fn unknown_languages_are_refused_and_names_and_extensions_accepted() {
    let app = spawn_app().await;
    let refused = app
        .post_paste(&serde_json::json!({"content": "x", "language": "klingon"}))
        .await;
    assert_eq!(refused.status(), 422);
    for (sent, kept) in [
        ("Batch File", "batch-file"),
        ("rs", "rust"),
        ("TOML", "toml"),
    ] {
        let made = app
            .post_paste(&serde_json::json!({"content": "x", "language": sent}))
            .await;
        assert_eq!(made.status(), 201, "{sent}");
        let body: serde_json::Value = made.json().await.expect("JSON");
        assert_eq!(body["language"], kept);
    }
}

#[tokio::test]
async fn past_render_max_queued_a_new_paste_is_not_rendered_ahead_and_its_first_read_renders_it() {
    let app = spawn_with(|s| {
        quiet_periodic_jobs(s);
        s.render.max_queued = 0;
    })
    .await;
    let created = TestPaste::new("fn main() {}\n")
        .language("rust")
        .create(&app)
        .await;
    app.settle_periodic().await;
    assert_eq!(app.metrics.render_ahead_sheds(), 1, "its job was shed");
    assert_eq!(renders(&app), 0, "nothing was rendered ahead");
    for _ in 0..3 {
        let page = app.get_page(&created.id).await;
        assert_eq!(page.status(), 200);
        let html = page.text().await.expect("html");
        assert!(html.contains("<span class=\"k\">fn</span>"), "highlighted");
    }
    assert_eq!(
        app.metrics.renders("highlight"),
        1,
        "the first read rendered it, once"
    );
    let (_, metrics) = app.get("/metrics").await;
    assert!(
        metrics.contains("pastebin_render_ahead_shed_total 1"),
        "exposed"
    );
}
