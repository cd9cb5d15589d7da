//! A person forks a paste from its page in a real (headless) browser.

use crate::support::app::{TestPaste, spawn_app};
use crate::support::browser::Browser;

#[tokio::test]
async fn a_person_forks_a_paste_from_its_page_and_follows_the_links_both_ways() {
    let app = spawn_app().await;
    let original = TestPaste::new("def greet():\n    return 'hi'\n")
        .title("greet.py")
        .create(&app)
        .await;
    app.settle().await;
    let browser = Browser::start().await;
    let page = app.url(&format!("/{}", original.id));
    browser.goto(&page).await.expect("the page opens");
    // Fork sits in the page's More menu (a <details>: no script needed).
    browser
        .element("#more > summary")
        .await
        .click()
        .await
        .expect("the More menu opens");
    let fork = browser.element("#fork").await;
    fork.click().await.expect("clicked");
    let url = browser.wait_to_leave(&page).await;
    let id = url.rsplit('/').next().expect("an id").to_owned();
    assert_eq!(id.len(), 8, "landed on {url}");
    assert_ne!(id, original.id);
    assert!(
        browser.has(".notice.created .token").await,
        "an anonymous fork shows its own delete token once"
    );
    let origin = browser.element("#origin").await;
    assert_eq!(origin.text().await.expect("a text"), "greet.py");
    let shown = browser.element("#paste-content").await;
    assert_eq!(
        shown.text().await.expect("a text").trim_end(),
        "def greet():\n    return 'hi'"
    );
    browser.screenshot_if_asked("fork.png").await;
    app.settle().await; // the worker counts the fork
    origin.click().await.expect("clicked");
    let count = browser.wait_for_element("#fork-count").await;
    assert_eq!(count.text().await.expect("a text"), "1 fork");
    count.click().await.expect("clicked");
    let listed = browser.wait_for_element("#forks").await;
    let link = listed
        .find(fantoccini::Locator::Css("a.title"))
        .await
        .expect("the fork is listed");
    assert_eq!(
        link.attr("href").await.expect("an href"),
        Some(format!("/{id}"))
    );
    browser.quit().await;
}
