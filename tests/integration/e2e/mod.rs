//! End-to-end encrypted pastes (docs/encryption.md): a real browser
//! encrypts with WebCrypto, and neither the store's files, nor Redis, nor
//! the server's logs hold the text or the key; the browser and the
//! command-line client open each other's pastes; the API refuses what is
//! not an envelope.

mod api;
mod browser;

use crate::support::browser::Browser;

/// Types `text` in the new-paste form of `base`, ticks "Encrypt in the
/// browser" (with `password`, if any) and submits; returns the URL the
/// browser landed on (`/{id}#key`).
pub async fn encrypt_in_browser(
    browser: &Browser,
    base: &str,
    text: &str,
    password: Option<&str>,
) -> String {
    browser
        .goto(&format!("{base}/"))
        .await
        .expect("the form opens");
    let content = browser.element("textarea[name=content]").await;
    content.send_keys(text).await.expect("typed");
    browser
        .element("#e2e-encrypt")
        .await
        .click()
        .await
        .expect("ticked");
    if let Some(password) = password {
        let field = browser.element("#e2e-password").await;
        field.send_keys(password).await.expect("typed");
    }
    let submit = browser.element("form.new button[type=submit]").await;
    submit.click().await.expect("clicked");
    browser.wait_to_leave(&format!("{base}/")).await
}

/// Waits for the page's decryption to end and returns (outcome, status text).
pub async fn outcome(browser: &Browser) -> (String, String) {
    let done = browser.wait_for_element("#e2e-status[data-outcome]").await;
    let outcome = done
        .attr("data-outcome")
        .await
        .expect("an attribute")
        .expect("an outcome");
    (outcome, done.text().await.expect("a text"))
}

/// The decrypted text as the page shows it, one line per numbered line.
pub async fn shown_text(browser: &Browser) -> String {
    let lines = browser
        .execute(
            "return Array.from(document.querySelectorAll('#e2e-content > .l > span')).map(s => s.textContent).join('\\n')",
            vec![],
        )
        .await
        .expect("a script runs");
    lines.as_str().expect("a string").to_owned()
}
