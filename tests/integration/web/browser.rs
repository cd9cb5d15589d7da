//! A person in a real (headless) browser.

use crate::support::app::{TestPaste, spawn_app};
use crate::support::browser::Browser;

/// The rendered text of the element matching a CSS selector.
async fn text_of(browser: &Browser, css: &str) -> String {
    let element = browser.element(css).await;
    element.text().await.expect("the element has a text")
}

#[tokio::test]
async fn a_person_pastes_in_the_form_and_lands_on_the_paste_page() {
    let app = spawn_app().await;
    let browser = Browser::start().await;
    browser.goto(&app.url("/")).await.expect("the form opens");
    let title = browser.title().await.expect("a title");
    assert!(title.contains("New paste"), "{title}");
    let text = "fn main() {\n    println!(\"<hi> & bye\");\n}\n";
    let content = browser.element("textarea[name=content]").await;
    content.send_keys(text).await.expect("typed");
    let title = browser.element("input[name=title]").await;
    title.send_keys("My first paste").await.expect("typed");
    let submit = browser.element("button[type=submit]").await;
    submit.click().await.expect("clicked");

    let url = browser.wait_to_leave(&app.url("/")).await;
    let id = url.rsplit('/').next().expect("an id").to_owned();
    assert_eq!(id.len(), 8, "landed on {url}");
    assert_eq!(text_of(&browser, "h1").await, "My first paste");
    let shown = text_of(&browser, "#paste-content").await;
    assert_eq!(shown.trim_end(), text.trim_end());
    assert!(
        browser.has(".notice.created .token").await,
        "the delete token is shown once"
    );
    browser.screenshot_if_asked("paste.png").await;
    // What the browser sent is exactly what was typed, newlines as LF.
    assert_eq!(app.get(&format!("/raw/{id}")).await.1, text);
    // The token was shown once; a reload does not show it again.
    browser.goto(&url).await.expect("the page reloads");
    assert!(!browser.has(".notice.created").await);
    browser.quit().await;
}

#[tokio::test]
async fn a_burn_after_read_paste_is_revealed_by_a_click_and_then_gone() {
    let app = spawn_app().await;
    let created = TestPaste::new("for your eyes only")
        .burn()
        .create(&app)
        .await;
    let browser = Browser::start().await;
    let page = app.url(&format!("/{}", created.id));
    browser.goto(&page).await.expect("the page opens");
    assert!(
        !browser.has("#paste-content").await,
        "nothing shown before the click"
    );
    let reveal = browser.element("#reveal").await;
    reveal.click().await.expect("clicked");
    let content = browser.wait_for_element("#paste-content").await;
    assert_eq!(content.text().await.expect("a text"), "for your eyes only");
    assert!(browser.has(".notice.burned").await);
    browser.goto(&page).await.expect("the page opens again");
    assert!(text_of(&browser, "h1").await.contains("404"));
    browser.quit().await;
}

#[tokio::test]
async fn a_person_pages_through_a_users_pastes_and_opens_one() {
    let app = spawn_app().await;
    // Public: pastes 0, 1, 3, 4 and 6 (2 and 5 are unlisted), newest first.
    crate::support::users::seed(app.dir.path(), "ada", 7).await;
    let browser = Browser::start().await;
    browser
        .goto(&app.url("/u/ada?limit=3"))
        .await
        .expect("the user page opens");
    assert!(browser.title().await.expect("a title").contains("ada"));
    assert_eq!(text_of(&browser, "#pastes-created").await, "7");
    let first = text_of(&browser, "#pastes").await;
    for shown in ["paste 0", "paste 1", "paste 3"] {
        assert!(first.contains(shown), "{shown} missing from {first:?}");
    }
    assert!(!first.contains("paste 2"), "an unlisted paste is listed");
    browser.screenshot_if_asked("user.png").await;
    let older = browser.element("#older").await;
    older.click().await.expect("clicked");
    browser.wait_for_element("a[href='/u/ada']").await;
    let second = text_of(&browser, "#pastes").await;
    assert!(
        second.contains("paste 4") && second.contains("paste 6"),
        "{second:?}"
    );
    assert!(
        !second.contains("paste 3"),
        "the older page repeats {second:?}"
    );
    assert!(!browser.has("#older").await, "the last page links nowhere");
    let link = browser.element("#pastes li a.title").await;
    link.click().await.expect("clicked");
    browser.wait_for_element("#paste-content").await;
    assert_eq!(text_of(&browser, "h1").await, "paste 4");
    assert_eq!(text_of(&browser, "a.author").await, "ada");
    let author = browser.element("a.author").await;
    author.click().await.expect("clicked");
    let username = browser.wait_for_element("#username").await;
    assert_eq!(username.text().await.expect("a text"), "ada");
    browser.quit().await;
}
