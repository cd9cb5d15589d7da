//! A person edits a paste in a real (headless) browser and reads the diff.

use crate::support::app::{TestPaste, spawn_app};
use crate::support::browser::Browser;

#[tokio::test]
async fn a_person_edits_a_paste_with_its_token_and_reads_the_diff() {
    let app = spawn_app().await;
    let created = TestPaste::new("first line\nsecond line\n")
        .create(&app)
        .await;
    let browser = Browser::start().await;
    let page = app.url(&format!("/{}", created.id));
    browser.goto(&page).await.expect("the page opens");
    // Edit sits in the page's More menu (a <details>: no script needed).
    browser
        .element("#more > summary")
        .await
        .click()
        .await
        .expect("the More menu opens");
    browser
        .element("#edit")
        .await
        .click()
        .await
        .expect("clicked");
    let content = browser.element("textarea[name=content]").await;
    content.clear().await.expect("cleared");
    content
        .send_keys("first line\nsecond line, edited\nthird line\n")
        .await
        .expect("typed");
    let token = browser.element("input[name=delete_token]").await;
    token.send_keys(&created.token).await.expect("typed");
    browser
        .element("#save")
        .await
        .click()
        .await
        .expect("clicked");
    browser
        .wait_to_leave(&app.url(&format!("/{}/edit", created.id)))
        .await;
    let shown = browser
        .element("#paste-content")
        .await
        .text()
        .await
        .expect("a text");
    assert!(shown.contains("second line, edited"), "{shown}");
    let edited = browser.element("#edited").await;
    assert_eq!(edited.text().await.expect("a text"), "edited 1 time");
    edited.click().await.expect("clicked");
    browser
        .element(".diff-link")
        .await
        .click()
        .await
        .expect("clicked");
    let removed = browser
        .wait_for_element(".hunk .removed")
        .await
        .text()
        .await
        .expect("a text");
    assert!(removed.contains("second line"), "{removed}");
    let hunk = browser.element(".hunk").await.text().await.expect("a text");
    for marked in [
        "-second line",
        "+second line, edited",
        "+third line",
        " first line",
    ] {
        assert!(
            hunk.contains(marked),
            "{marked:?} is not in the diff: {hunk}"
        );
    }
    assert!(browser.has(".hunk .added").await, "added lines are marked");
    browser.screenshot_if_asked("diff.png").await;
    browser.quit().await;
}
