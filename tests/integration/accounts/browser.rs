//! A person with an account, in a real (headless) browser.

use crate::support::accounts::PASSWORD;
use crate::support::app::spawn_app;
use crate::support::browser::Browser;

#[tokio::test]
async fn a_person_signs_up_logs_in_keeps_a_private_paste_and_loses_it_on_log_out() {
    let app = spawn_app().await;
    let browser = Browser::start().await;

    // Sign up from the header's link, then log out and log in again.
    browser.goto(&app.url("/")).await.expect("the form opens");
    browser
        .element("#signup")
        .await
        .click()
        .await
        .expect("clicked");
    browser.wait_for_element("#username").await;
    let name = browser.element("#username").await;
    name.send_keys("Ada").await.expect("typed");
    let password = browser.element("#password").await;
    password.send_keys(PASSWORD).await.expect("typed");
    browser
        .element("#submit")
        .await
        .click()
        .await
        .expect("clicked");
    let signed_in = browser.wait_for_element("#signed-in").await;
    assert_eq!(signed_in.text().await.expect("a text"), "ada");
    browser
        .element("#logout")
        .await
        .click()
        .await
        .expect("clicked");
    browser
        .wait_for_element("#login")
        .await
        .click()
        .await
        .expect("clicked");
    browser.wait_for_element("#username").await;
    let name = browser.element("#username").await;
    name.send_keys("ada").await.expect("typed");
    let password = browser.element("#password").await;
    password.send_keys(PASSWORD).await.expect("typed");
    browser
        .element("#submit")
        .await
        .click()
        .await
        .expect("clicked");
    browser.wait_for_element("#my-pastes").await;

    // A private paste from the form.
    browser.goto(&app.url("/")).await.expect("the form opens");
    let content = browser.element("textarea[name=content]").await;
    content.send_keys("only mine").await.expect("typed");
    let private = browser
        .element("select[name=visibility] option[value=private]")
        .await;
    private.click().await.expect("chosen");
    browser
        .element("form.new button[type=submit]")
        .await
        .click()
        .await
        .expect("clicked");
    let url = browser.wait_to_leave(&app.url("/")).await;
    let content = browser.wait_for_element("#paste-content").await;
    assert_eq!(content.text().await.expect("a text"), "only mine");
    browser.screenshot_if_asked("private.png").await;

    // It is listed in "my pastes", marked private.
    browser
        .goto(&app.url("/u/ada"))
        .await
        .expect("the user page opens");
    browser.wait_for_element("#my-pastes").await;
    let list = browser
        .element("#pastes")
        .await
        .text()
        .await
        .expect("a text");
    assert!(list.contains("private"), "{list}");
    browser.screenshot_if_asked("my-pastes.png").await;

    // Logged out, it is as missing as a paste that never was.
    browser
        .element("#logout")
        .await
        .click()
        .await
        .expect("clicked");
    browser.wait_for_element("#login").await;
    browser.goto(&url).await.expect("the page opens");
    let heading = browser.element("h1").await.text().await.expect("a text");
    assert!(heading.contains("404"), "{heading}");
    browser.quit().await;
}
