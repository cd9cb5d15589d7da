//! A person in a real (headless) browser.

use serde_json::json;

use crate::support::app::spawn_app;
use crate::support::browser::Browser;

#[tokio::test]
async fn a_person_pastes_in_the_form_and_lands_on_the_paste_page() {
    let app = spawn_app().await;
    let browser = Browser::start().await;
    browser.goto(&app.url("/")).await;
    assert!(browser.title().await.contains("New paste"));
    let text = "fn main() {\n    println!(\"<hi> & bye\");\n}\n";
    browser
        .element("textarea[name=content]")
        .await
        .type_text(text)
        .await;
    browser
        .element("input[name=title]")
        .await
        .type_text("My first paste")
        .await;
    browser.element("button[type=submit]").await.click().await;

    let url = browser.wait_to_leave(&app.url("/")).await;
    let id = url.rsplit('/').next().expect("an id").to_owned();
    assert_eq!(id.len(), 8, "landed on {url}");
    assert_eq!(browser.element("h1").await.text().await, "My first paste");
    let shown = browser.element("#paste-content").await.text().await;
    assert_eq!(shown.trim_end(), text.trim_end());
    assert!(
        browser.find(".notice.created .token").await.is_some(),
        "the delete token is shown once"
    );
    if let Ok(dir) = std::env::var("SCREENSHOT_DIR") {
        browser
            .screenshot(&std::path::Path::new(&dir).join("paste.png"))
            .await;
    }
    // What the browser sent is exactly what was typed, newlines as LF.
    assert_eq!(app.get(&format!("/raw/{id}")).await.1, text);
    // The token was shown once; a reload does not show it again.
    browser.goto(&url).await;
    assert!(browser.find(".notice.created").await.is_none());
    browser.quit().await;
}

#[tokio::test]
async fn a_burn_after_read_paste_is_revealed_by_a_click_and_then_gone() {
    let app = spawn_app().await;
    let created = app
        .create(json!({"content": "for your eyes only", "burn_after_read": true}))
        .await;
    let browser = Browser::start().await;
    let page = app.url(&format!("/{}", created.id));
    browser.goto(&page).await;
    assert!(
        browser.find("#paste-content").await.is_none(),
        "nothing shown before the click"
    );
    browser.element("#reveal").await.click().await;
    browser.wait_until_found("#paste-content").await;
    assert_eq!(
        browser.element("#paste-content").await.text().await,
        "for your eyes only"
    );
    assert!(browser.find(".notice.burned").await.is_some());
    browser.goto(&page).await;
    assert!(browser.element("h1").await.text().await.contains("404"));
    browser.quit().await;
}

#[tokio::test]
async fn a_person_pages_through_a_users_pastes_and_opens_one() {
    let app = spawn_app().await;
    // Public: pastes 0, 1, 3, 4 and 6 (2 and 5 are unlisted), newest first.
    crate::support::users::seed(app.dir.path(), "ada", 7).await;
    let browser = Browser::start().await;
    browser.goto(&app.url("/u/ada?limit=3")).await;
    assert!(browser.title().await.contains("ada"));
    assert_eq!(browser.element("#pastes-created").await.text().await, "7");
    let first = browser.element("#pastes").await.text().await;
    for shown in ["paste 0", "paste 1", "paste 3"] {
        assert!(first.contains(shown), "{shown} missing from {first:?}");
    }
    assert!(!first.contains("paste 2"), "an unlisted paste is listed");
    if let Ok(dir) = std::env::var("SCREENSHOT_DIR") {
        browser
            .screenshot(&std::path::Path::new(&dir).join("user.png"))
            .await;
    }
    browser.element("#older").await.click().await;
    browser.wait_until_found("a[href='/u/ada']").await;
    let second = browser.element("#pastes").await.text().await;
    assert!(
        second.contains("paste 4") && second.contains("paste 6"),
        "{second:?}"
    );
    assert!(
        !second.contains("paste 3"),
        "the older page repeats {second:?}"
    );
    assert!(
        browser.find("#older").await.is_none(),
        "the last page links nowhere"
    );
    browser.element("#pastes li a.title").await.click().await;
    browser.wait_until_found("#paste-content").await;
    assert_eq!(browser.element("h1").await.text().await, "paste 4");
    assert_eq!(browser.element("a.author").await.text().await, "ada");
    browser.element("a.author").await.click().await;
    browser.wait_until_found("#username").await;
    assert_eq!(browser.element("#username").await.text().await, "ada");
    browser.quit().await;
}
