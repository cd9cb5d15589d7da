//! The Report form (`/{id}/report`): CSRF-checked for a session, throttled
//! per client, and what it files is listed and resolved by
//! `pastebin admin reports`.

use std::num::NonZeroU32;

use super::{admin, admin_ok};
use crate::support::app::spawn_with;

#[tokio::test]
async fn a_report_is_checked_throttled_listed_and_resolved() {
    let app =
        spawn_with(|s| s.limits.reports_per_hour = NonZeroU32::new(2).expect("not zero")).await;
    let created = app.create_text("buy now").await;
    let path = format!("/{}/report", created.id);
    let (status, form) = app.html(&path).await;
    assert_eq!(status, 200);
    assert!(
        form.contains("name=\"reason\"") && form.contains("value=\"spam\""),
        "{form}"
    );
    let (_, page) = app.html(&format!("/{}", created.id)).await;
    assert!(
        page.contains(&format!("href=\"{path}\"")),
        "the More menu links it"
    );

    let sent = app
        .post_form_as(None, &path, &[("reason", "spam"), ("details", "an ad")])
        .await;
    assert_eq!(sent.status(), 200);
    assert!(sent.text().await.expect("a body").contains("Thank you"));
    // A bad reason spends nothing.
    let bad = app.post_form_as(None, &path, &[("reason", "boring")]).await;
    assert_eq!(bad.status(), 422);
    let missing = app
        .post_form_as(None, "/nosuchpaste1/report", &[("reason", "spam")])
        .await;
    assert_eq!(missing.status(), 404);
    let second = app
        .post_form_as(None, &path, &[("reason", "malware")])
        .await;
    assert_eq!(second.status(), 200);
    let third = app.post_form_as(None, &path, &[("reason", "spam")]).await;
    assert_eq!(third.status(), 429, "two an hour from this client");
    assert!(third.headers().contains_key("retry-after"));

    // A signed-in browser's form must carry its session's CSRF token.
    let ada = app.signed_up("ada").await;
    let forged = app
        .post_form_as(Some(&ada), &path, &[("reason", "spam")])
        .await;
    assert_eq!(forged.status(), 403);

    let store = app.dir.path();
    let open = admin_ok(store, None, &["reports"]);
    let lines: Vec<&str> = open.lines().skip(1).collect();
    assert_eq!(lines.len(), 2, "{open}");
    assert!(
        lines
            .iter()
            .all(|l| l.contains(&created.id) && l.contains("open"))
    );
    assert!(
        lines[0].contains("malware") && lines[1].contains("an ad"),
        "newest first: {open}"
    );
    let report = lines[0].split('\t').next().expect("an id");
    let said = admin_ok(
        store,
        None,
        &["reports", "--resolve", report, "--note", "looked"],
    );
    assert!(said.contains("resolved"), "{said}");
    let twice = admin(store, None, &["reports", "--resolve", report]);
    assert!(
        !twice.ok && twice.stderr.contains("no open report"),
        "{}",
        twice.stderr
    );
    let left = admin_ok(store, None, &["reports"]);
    assert_eq!(left.lines().count(), 2, "one open report left: {left}");
    let all = admin_ok(store, None, &["reports", "--all"]);
    assert!(all.contains("resolved by alice"), "{all}");
}

#[tokio::test]
async fn a_reader_reports_a_paste_from_its_more_menu_in_the_browser() {
    let app = spawn_with(|_| {}).await;
    let created = app.create_text("a suspicious link").await;
    let browser = crate::support::browser::Browser::start().await;
    browser
        .goto(&app.url(&format!("/{}", created.id)))
        .await
        .expect("the page opens");
    browser
        .element("#more > summary")
        .await
        .click()
        .await
        .expect("the menu opens");
    browser
        .element("#report")
        .await
        .click()
        .await
        .expect("clicked");
    browser
        .wait_for_element("#reason")
        .await
        .click()
        .await
        .expect("a reason chosen");
    browser
        .element("#details")
        .await
        .send_keys("looks like phishing")
        .await
        .expect("typed");
    browser
        .element("#send-report")
        .await
        .click()
        .await
        .expect("sent");
    browser.wait_for_element("#reported").await;
    browser.quit().await;
    let listed = admin_ok(app.dir.path(), None, &["reports"]);
    assert!(
        listed.contains(&created.id) && listed.contains("looks like phishing"),
        "{listed}"
    );
}
