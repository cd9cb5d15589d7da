//! The pictures in `docs/screenshots/`, made by the browser so they never go
//! stale: the form, a paste page, the creation notice, the Markdown page,
//! the archive and an error page, on a desktop and a phone, light and dark.
//! Refresh them with
//! `SCREENSHOT_DIR=docs/screenshots cargo test --test integration web::screenshots`
//! (without it they land in `target/tmp/screenshots`).

use crate::support::app::{TestApp, TestPaste, spawn_app};
use crate::support::browser::Browser;

const CODE: &str = "#!/usr/bin/env bash\n# Deploy the site: build, upload, switch.\nset -euo pipefail\n\nbuild() {\n  cargo build --release\n}\n\nfor host in web1 web2; do\n  scp target/release/site \"$host:/srv/site.new\"\n  ssh \"$host\" 'mv /srv/site.new /srv/site && systemctl restart site'\ndone\n";

const MARKDOWN: &str = "# Release notes\n\nA **faster** start and a _calmer_ page.\n\n> Quoted: keep it short.\n\n| Item | Left | Centre | Right |\n|:-----|:-----|:------:|------:|\n| a | 1 | 2 | 3 |\n| b | 10 | 20 | 30 |\n\n- [x] highlight code\n- [ ] more themes\n\n```rust\nfn main() { println!(\"hi\"); }\n```\n\n![a remote picture](https://example.com/cat.png)\n";

/// Types a paste into the form and sends it; returns the paste page's URL.
async fn create_in_form(browser: &Browser, app: &TestApp) -> String {
    browser.goto(&app.url("/")).await.expect("the form opens");
    let content = browser.element("textarea[name=content]").await;
    content.send_keys(CODE).await.expect("typed");
    let title = browser.element("input[name=title]").await;
    title.send_keys("deploy.sh").await.expect("typed");
    browser
        .element("button[type=submit]")
        .await
        .click()
        .await
        .expect("clicked");
    browser.wait_to_leave(&app.url("/")).await
}

/// Switches the page's theme the way a reader's toggle does, then reloads.
async fn dark(browser: &Browser) {
    browser
        .execute(
            "localStorage.setItem('theme', 'dark'); location.reload();",
            vec![],
        )
        .await
        .expect("the theme is set");
    browser.wait_for_element("main").await;
}

#[tokio::test]
async fn the_documentation_screenshots_are_taken_from_the_pages() {
    let app = spawn_app().await;
    let markdown = TestPaste::new(MARKDOWN)
        .title("Release notes")
        .language("markdown")
        .create(&app)
        .await;
    // A few more for the archive's picture.
    for (title, text) in [
        (
            "query.sql",
            "SELECT id, title FROM pastes WHERE visibility = 'public';\n",
        ),
        ("config.toml", "[server]\nport = 8080\n"),
        ("", "#!/usr/bin/env python3\nprint('hello')\n"),
    ] {
        let paste = TestPaste::new(text);
        let paste = if title.is_empty() {
            paste
        } else {
            paste.title(title)
        };
        paste.create(&app).await;
    }
    let browser = Browser::start().await;
    browser.goto(&app.url("/")).await.expect("the form opens");
    browser.save_screenshot("form.png").await;
    let page = create_in_form(&browser, &app).await;
    browser.save_screenshot("created.png").await;
    browser.goto(&page).await.expect("the paste page opens");
    browser.save_screenshot("paste.png").await;
    browser
        .goto(&app.url(&format!("/{}", markdown.id)))
        .await
        .expect("the Markdown page opens");
    browser.save_screenshot("markdown.png").await;
    browser
        .goto(&app.url("/no-such-paste"))
        .await
        .expect("the error page opens");
    browser.save_screenshot("error.png").await;
    browser
        .goto(&app.url("/recent"))
        .await
        .expect("the archive opens");
    browser.save_screenshot("recent.png").await;
    browser.goto(&app.url("/")).await.expect("the form opens");
    dark(&browser).await;
    browser.save_screenshot("form-dark.png").await;
    browser.goto(&page).await.expect("the paste page opens");
    browser.save_screenshot("paste-dark.png").await;
    browser.quit().await;

    let phone = Browser::phone(390).await;
    phone.goto(&app.url("/")).await.expect("the form opens");
    phone.save_screenshot("form-phone.png").await;
    phone.goto(&page).await.expect("the paste page opens");
    phone.save_screenshot("paste-phone.png").await;
    phone
        .goto(&app.url("/recent"))
        .await
        .expect("the archive opens");
    phone.save_screenshot("recent-phone.png").await;
    phone.quit().await;
}
