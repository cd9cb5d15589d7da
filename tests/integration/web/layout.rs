//! The pages' layout in a real browser: a phone never scrolls sideways, the
//! form's Create button is on the first screen, sharing comes first after
//! creating, and a paste too large is refused before the text is lost.

use crate::support::app::{TestApp, TestPaste, spawn_app, spawn_with};
use crate::support::browser::Browser;
use pastebin::configuration::MaxPasteBytes;

async fn script(browser: &Browser, js: &str) -> serde_json::Value {
    browser.execute(js, vec![]).await.expect("the script runs")
}

/// The pages a phone opens, with something on each.
async fn pages(app: &TestApp) -> Vec<String> {
    let code = TestPaste::new(format!(
        "fn main() {{ let a_very_long_identifier_that_does_not_wrap = {}; }}\n",
        "1 + ".repeat(40) + "1"
    ))
    .title("long_line.sh")
    .create(app)
    .await;
    let markdown = TestPaste::new("# Notes\n\n| a | b |\n|---|--:|\n| 1 | 2 |\n\nhttps://example.com/a/very/long/link/that/goes/on/and/on/and/on/without/a/break\n")
        .language("markdown")
        .create(app)
        .await;
    let burn = TestPaste::new("once").burn().create(app).await;
    crate::support::users::seed(app.dir.path(), "ada", 3).await;
    [
        "/".to_owned(),
        format!("/{}", code.id),
        format!("/{}", markdown.id),
        format!("/{}", burn.id),
        format!("/{}/stats", code.id),
        format!("/{}/delete", code.id),
        "/u/ada".to_owned(),
        "/recent".to_owned(),
        "/recent?title=nothing&language=rust".to_owned(),
        "/login".to_owned(),
        "/signup".to_owned(),
        "/api".to_owned(),
        "/no-such-paste".to_owned(),
    ]
    .into()
}

#[tokio::test]
async fn no_page_scrolls_sideways_on_a_320_px_phone_and_create_is_on_the_first_screen() {
    let app = spawn_app().await;
    let paths = pages(&app).await;
    for width in [320, 390] {
        let phone = Browser::phone(width).await;
        for path in &paths {
            phone.goto(&app.url(path)).await.expect("the page opens");
            // Against the phone's width, not `innerWidth`: a mobile browser
            // widens its layout viewport to fit a page that overflows.
            let scroll = script(
                &phone,
                "return Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)",
            )
            .await;
            assert!(
                scroll.as_u64().expect("a width") <= u64::from(width),
                "{path} scrolls sideways at {width} px: {scroll} px wide"
            );
        }
        // The form: Create is on the first screen, below the text area.
        phone.goto(&app.url("/")).await.expect("the form opens");
        let placed = script(
            &phone,
            "var b = document.getElementById('create').getBoundingClientRect();\
             var t = document.getElementById('content').getBoundingClientRect();\
             return [b.top >= 0 && b.bottom <= window.innerHeight, b.top >= t.top, b.width > 0];",
        )
        .await;
        assert_eq!(
            placed,
            serde_json::json!([true, true, true]),
            "at {width} px Create is not on the first screen"
        );
        // Still reachable once the text is long (it stays at the bottom).
        let content = phone.element("#content").await;
        content
            .send_keys(&"line\n".repeat(200))
            .await
            .expect("typed");
        let visible = script(
            &phone,
            "var b = document.getElementById('create').getBoundingClientRect();\
             return b.top >= 0 && b.bottom <= window.innerHeight;",
        )
        .await;
        assert_eq!(visible, true, "at {width} px Create scrolled away");
        phone.quit().await;
    }
}

#[tokio::test]
async fn after_creating_the_link_comes_first_and_delete_is_for_the_owner_only() {
    let app = spawn_app().await;
    let browser = Browser::start().await;
    browser.goto(&app.url("/")).await.expect("the form opens");
    let content = browser.element("#content").await;
    content.send_keys("echo hello\n").await.expect("typed");
    browser
        .element("#create")
        .await
        .click()
        .await
        .expect("clicked");
    let url = browser.wait_to_leave(&app.url("/")).await;
    let shared = browser.element("#share-url").await;
    assert_eq!(
        shared.prop("value").await.expect("a value").as_deref(),
        Some(url.as_str())
    );
    // The first button of the notice is Copy link, the primary one; the
    // delete button is secondary.
    let first = script(
        &browser,
        "var b = document.querySelector('.notice.created button');\
         return [b.id, b.className, document.querySelector('.notice.created button.danger.primary') === null];",
    )
    .await;
    assert_eq!(first, serde_json::json!(["copy-link", "primary", true]));
    assert!(
        browser.has(".notice.created img[src$='/qr']").await,
        "the QR code is one click away"
    );
    assert!(browser.has("#delete-token").await && browser.has("#copy-token").await);
    assert!(browser.has("#delete-later").await);
    // A visitor's page: Copy, Raw, Download first; no Delete; the More menu
    // opens without a script.
    browser.goto(&url).await.expect("the page reloads");
    let primary = script(
        &browser,
        "return Array.from(document.querySelectorAll('.primary-actions > *')).map(e => e.textContent.trim())",
    )
    .await;
    assert_eq!(primary, serde_json::json!(["Copy", "Raw", "Download"]));
    let id = url.rsplit('/').next().expect("an id");
    assert!(
        !browser.has(&format!("a[href='/{id}/delete']")).await,
        "a visitor is offered Delete"
    );
    assert!(!browser.has("#owner-delete").await);
    browser
        .element("#more > summary")
        .await
        .click()
        .await
        .expect("clicked");
    assert!(
        browser
            .element("#stats")
            .await
            .is_displayed()
            .await
            .expect("shown")
    );
    browser.quit().await;
}

#[tokio::test]
async fn a_paste_over_the_limit_is_refused_in_the_browser_and_the_text_stays() {
    let app = spawn_with(|s| {
        s.limits.max_paste_bytes = MaxPasteBytes::new(1000).expect("a paste size");
    })
    .await;
    let browser = Browser::start().await;
    browser.goto(&app.url("/")).await.expect("the form opens");
    let text = "x".repeat(1200);
    let content = browser.element("#content").await;
    content.send_keys(&text).await.expect("typed");
    browser
        .element("#create")
        .await
        .click()
        .await
        .expect("clicked");
    let error = browser.wait_for_element("#size-error").await;
    assert!(error.is_displayed().await.expect("shown"));
    assert!(
        error
            .text()
            .await
            .expect("a text")
            .contains("Your text is still here"),
    );
    assert_eq!(
        browser.current_url().await.expect("an address").as_str(),
        app.url("/")
    );
    let kept = browser
        .element("#content")
        .await
        .prop("value")
        .await
        .expect("a value");
    assert_eq!(kept.as_deref(), Some(text.as_str()));
    browser.quit().await;
}
