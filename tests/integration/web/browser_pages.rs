//! The paste page in a real (headless) browser: highlighting, line links,
//! wrap, theme, copy, Markdown, and deleting later with the token.

use fantoccini::Locator;

use crate::support::app::{TestPaste, spawn_app};
use crate::support::browser::Browser;

async fn script(browser: &Browser, js: &str) -> serde_json::Value {
    browser.execute(js, vec![]).await.expect("the script runs")
}

async fn class_of(browser: &Browser, css: &str) -> String {
    browser
        .element(css)
        .await
        .attr("class")
        .await
        .expect("an attribute")
        .unwrap_or_default()
}

#[tokio::test]
async fn a_person_reads_a_highlighted_paste_links_lines_wraps_copies_and_switches_theme() {
    let app = spawn_app().await;
    let browser = Browser::start().await;
    browser.goto(&app.url("/")).await.expect("the form opens");
    let mut text = String::from("use std::io;\n\nfn main() {\n    let mut total = 0;\n");
    for i in 0..30 {
        text.push_str(&format!("    total += {i}; // step {i}\n"));
    }
    text.push_str("}\n");
    let content = browser.element("textarea[name=content]").await;
    content.send_keys(&text).await.expect("typed");
    // Ctrl+Enter sends the form (WebDriver keys: Control, Enter, release all).
    content
        .send_keys("\u{E009}\u{E007}\u{E000}")
        .await
        .expect("pressed");
    let url = browser.wait_to_leave(&app.url("/")).await;

    assert_eq!(
        browser
            .element("#language")
            .await
            .text()
            .await
            .expect("text"),
        "Rust"
    );
    let how = browser
        .element("#detected")
        .await
        .text()
        .await
        .expect("text");
    assert!(how.contains("detected"), "{how}");
    assert!(
        browser.has("#paste-content span.c").await,
        "comments are highlighted"
    );
    assert!(
        browser.has("#paste-content span.k").await,
        "keywords are highlighted"
    );
    browser.save_screenshot("paste-highlighted.png").await;

    // A line, then a range.
    browser.goto(&format!("{url}#L3")).await.expect("a line");
    assert!(class_of(&browser, "#L3").await.contains("marked"));
    browser
        .goto(&format!("{url}#L5-L8"))
        .await
        .expect("a range");
    for n in 5..=8 {
        assert!(
            class_of(&browser, &format!("#L{n}"))
                .await
                .contains("marked"),
            "L{n}"
        );
    }
    assert!(!class_of(&browser, "#L9").await.contains("marked"));
    assert!(!class_of(&browser, "#L3").await.contains("marked"));
    browser.save_screenshot("paste-range.png").await;

    // Wrap.
    let wrap = browser.element("#wrap").await;
    wrap.click().await.expect("clicked");
    assert!(browser.has(".code.wrap").await, "lines wrap");
    assert_eq!(
        wrap.attr("aria-pressed").await.expect("attr").as_deref(),
        Some("true")
    );

    // Copy: the button says it worked.
    let copy = browser.element("#copy").await;
    copy.click().await.expect("clicked");
    browser
        .wait()
        .at_most(std::time::Duration::from_secs(5))
        .for_element(Locator::XPath("//button[@id='copy' and text()='Copied!']"))
        .await
        .expect("the copy button confirms");

    // Theme: the toggle flips it and the choice outlives a reload.
    let before = script(
        &browser,
        "return getComputedStyle(document.body).backgroundColor",
    )
    .await;
    browser
        .element("#theme-toggle")
        .await
        .click()
        .await
        .expect("clicked");
    let chosen = script(&browser, "return document.documentElement.dataset.theme").await;
    assert!(chosen == "dark" || chosen == "light", "{chosen}");
    let after = script(
        &browser,
        "return getComputedStyle(document.body).backgroundColor",
    )
    .await;
    assert_ne!(before, after, "the colours changed");
    browser.save_screenshot("paste-theme.png").await;
    browser.refresh().await.expect("reloaded");
    assert_eq!(
        script(&browser, "return document.documentElement.dataset.theme").await,
        chosen,
        "remembered"
    );
    browser.save_screenshot("paste-reloaded.png").await;
    browser.quit().await;
}

#[tokio::test]
async fn a_markdown_paste_is_shown_rendered_and_deleted_later_with_its_token() {
    let app = spawn_app().await;
    let created =
        TestPaste::new("# Release notes\n\n* fast\n* **safe**\n\n```python\nprint('hi')\n```\n")
            .language("markdown")
            .create(&app)
            .await;
    let browser = Browser::start().await;
    let page = app.url(&format!("/{}", created.id));
    browser.goto(&page).await.expect("the page opens");
    let heading = browser
        .element(".markdown h1")
        .await
        .text()
        .await
        .expect("text");
    assert!(heading.starts_with("Release notes"), "{heading}");
    assert!(browser.has(".markdown strong").await);
    assert!(
        browser
            .has(".markdown pre span.f, .markdown pre span.s")
            .await,
        "the fence is highlighted"
    );
    browser.save_screenshot("paste-markdown.png").await;
    browser
        .element("#source")
        .await
        .click()
        .await
        .expect("clicked");
    browser.wait_for_element("#paste-content .l").await;

    // Later, from the delete page, with the token pasted in.
    browser
        .goto(&app.url(&format!("/{}/delete", created.id)))
        .await
        .expect("the delete page opens");
    browser
        .element("#delete_token")
        .await
        .send_keys(&created.token)
        .await
        .expect("typed");
    browser
        .element("input[name=confirm]")
        .await
        .click()
        .await
        .expect("ticked");
    browser
        .element("#delete")
        .await
        .click()
        .await
        .expect("clicked");
    browser
        .wait()
        .at_most(std::time::Duration::from_secs(15))
        .for_element(Locator::XPath("//h1[text()='Deleted']"))
        .await
        .expect("the paste is deleted");
    assert_eq!(app.get_raw(&created.id).await.status(), 404);
    browser.quit().await;
}
