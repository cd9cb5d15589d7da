//! Every page checked by a machine: axe-core (npm, installed pinned by
//! `tests/generators/install`) injected through the WebDriver session into
//! each page, light and dark, desktop and phone: no violation of impact
//! serious or critical. And the keyboard: every action reachable, focus
//! visible.

use std::path::{Path, PathBuf};

use crate::support::accounts::PASSWORD;
use crate::support::app::{TestApp, TestPaste, spawn_app};
use crate::support::browser::Browser;

/// axe-core's script, from where `tests/generators/install` put it.
fn axe_source() -> String {
    let dir = std::env::var_os("PASTEBIN_GENERATORS").map_or_else(
        || {
            let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(
                || Path::new(env!("CARGO_MANIFEST_DIR")).join("target"),
                PathBuf::from,
            );
            target.join("generators")
        },
        PathBuf::from,
    );
    let path = dir.join("npm/node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "axe-core is not installed at {}: {e}; run `bash tests/generators/install` \
             (`bash tests/run` does), or point PASTEBIN_GENERATORS at its folder",
            path.display()
        )
    })
}

/// The serious and critical violations axe finds on the open page.
async fn violations(browser: &Browser, axe: &str) -> Vec<String> {
    browser
        .execute(&format!("{axe}\nwindow.axe = axe;"), vec![])
        .await
        .expect("axe loads into the page");
    let found = browser
        .execute_async(
            "var done = arguments[arguments.length - 1];
             axe.run(document, {resultTypes: ['violations']}).then(function (r) {
               done(r.violations.filter(function (v) {
                 return v.impact === 'serious' || v.impact === 'critical';
               }).map(function (v) {
                 return v.id + ' (' + v.impact + '): ' + v.help + ' at ' +
                   v.nodes.slice(0, 3).map(function (n) { return n.target.join(' '); }).join(', ');
               }));
             }, function (e) { done(['axe failed: ' + e]); });",
            vec![],
        )
        .await
        .expect("axe runs");
    serde_json::from_value(found).expect("a list of violations")
}

/// Signs `ada` up in this browser and makes an API token, so the header,
/// the settings page and the user page have their signed-in parts.
async fn sign_up(browser: &Browser, app: &TestApp) {
    browser
        .goto(&app.url("/signup"))
        .await
        .expect("sign-up opens");
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
    browser.wait_for_element("#signed-in").await;
    browser
        .goto(&app.url("/settings"))
        .await
        .expect("settings open");
    let token = browser.element("#token-name").await;
    token.send_keys("laptop").await.expect("typed");
    browser
        .element("#create-token")
        .await
        .click()
        .await
        .expect("clicked");
    browser.wait_for_element("#token-secret").await;
}

#[tokio::test]
async fn no_page_has_a_serious_accessibility_violation_light_or_dark_desktop_or_phone() {
    let app = spawn_app().await;
    let axe = axe_source();
    let code = TestPaste::new("fn main() {\n    println!(\"hi\");\n}\n")
        .title("main.rs")
        .create(&app)
        .await;
    let markdown = TestPaste::new(
        "# Notes\n\n> quoted\n\n| a | b |\n|:--|--:|\n| 1 | 2 |\n\n- [x] done\n\n```rust\nfn f() {}\n```\n",
    )
    .language("markdown")
    .create(&app)
    .await;
    let burn = TestPaste::new("once").burn().create(&app).await;
    // The pages of the privacy, edit and fork features.
    let created = |body: serde_json::Value| {
        let app = &app;
        async move {
            let answer: serde_json::Value = app.post_paste(&body).await.json().await.expect("JSON");
            answer["id"].as_str().expect("an id").to_owned()
        }
    };
    let locked = created(serde_json::json!({"content": "sealed", "password": "hunter2"})).await;
    let counted = created(serde_json::json!({"content": "thrice", "max_views": 3})).await;
    let sealed = created(serde_json::json!({
        "content": "e2e-v1.eyJleHBpcmVzIjoibmV2ZXIiLCJidXJuX2FmdGVyX3JlYWQiOmZhbHNlLCJrZGYiOm51bGx9.CQkJCQkJCQkJCQkJ.BQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQ",
        "end_to_end": true,
    }))
    .await;
    // A multi-file paste: a section per file, highlighted, Markdown and plain.
    let files = created(serde_json::json!({"title": "Three files", "files": [
        {"name": "main.rs", "content": "fn main() {\n    println!(\"hi\");\n}\n"},
        {"name": "NOTES.md", "content": "# Notes\n\nA *short* list.\n"},
        {"name": "data.txt", "content": "one\ntwo\n"}
    ]}))
    .await;
    let edited = app
        .client
        .patch(app.url(&format!("/api/v1/pastes/{}", code.id)))
        .header("X-Delete-Token", &code.token)
        .json(&serde_json::json!({"revision": 1, "content": "fn main() {}\n"}))
        .send()
        .await
        .expect("the edit is answered");
    assert_eq!(edited.status(), 200);
    let forked = app
        .client
        .post(app.url(&format!("/api/v1/pastes/{}/forks", code.id)))
        .send()
        .await
        .expect("the fork is answered");
    assert_eq!(forked.status(), 201);
    // The 410 page of a paste taken down (`pastebin admin remove`).
    let removed = "takenDown1";
    crate::admin::admin_ok(
        app.dir.path(),
        None,
        &["remove", removed, "--reason", "spam"],
    );
    let anonymous = [
        format!("/{}/report", code.id),
        format!("/{removed}"),
        format!("/{locked}"),
        format!("/{counted}"),
        format!("/{sealed}"),
        format!("/{files}"),
        format!("/{}/edit", code.id),
        format!("/{}/revisions", code.id),
        format!("/{}/r/1", code.id),
        format!("/{}/diff/1..2", code.id),
        format!("/{}/forks", code.id),
        "/".to_owned(),
        format!("/{}", code.id),
        format!("/{}", markdown.id),
        format!("/{}", burn.id),
        format!("/{}/stats", code.id),
        format!("/{}/delete", code.id),
        "/login".to_owned(),
        "/signup".to_owned(),
        "/api".to_owned(),
        "/recent".to_owned(),
        "/recent?title=main&language=rust".to_owned(),
        "/recent?title=nothing+matches".to_owned(),
        "/recent?title=tool&language=klingon".to_owned(),
        "/no-such-paste".to_owned(),
        "/logout".to_owned(),
    ];
    let signed_in = [
        "/settings".to_owned(),
        "/u/ada".to_owned(),
        "/u/ada?title=nothing&language=rust".to_owned(),
        "/".to_owned(),
    ];
    let mut found = Vec::new();
    for phone in [false, true] {
        let browser = if phone {
            Browser::phone(390).await
        } else {
            Browser::start().await
        };
        for theme in ["light", "dark"] {
            browser.goto(&app.url("/")).await.expect("the form opens");
            browser
                .execute(&format!("localStorage.setItem('theme', '{theme}')"), vec![])
                .await
                .expect("the theme is set");
            for path in &anonymous {
                browser.goto(&app.url(path)).await.expect("the page opens");
                for v in violations(&browser, &axe).await {
                    found.push(format!("{path} ({theme}, phone: {phone}): {v}"));
                }
            }
        }
        browser.quit().await;
    }
    let browser = Browser::start().await;
    sign_up(&browser, &app).await;
    for theme in ["light", "dark"] {
        browser
            .execute(&format!("localStorage.setItem('theme', '{theme}')"), vec![])
            .await
            .expect("the theme is set");
        // The settings page with its new token notice, then without.
        for v in violations(&browser, &axe).await {
            found.push(format!("/settings after a new token ({theme}): {v}"));
        }
        for path in &signed_in {
            browser.goto(&app.url(path)).await.expect("the page opens");
            for v in violations(&browser, &axe).await {
                found.push(format!("{path} signed in ({theme}): {v}"));
            }
        }
    }
    browser.quit().await;
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[tokio::test]
async fn the_keyboard_reaches_every_action_with_a_visible_focus_and_marks_a_range_of_lines() {
    let app = spawn_app().await;
    let text: String = (1..=12).map(|n| format!("line {n}\n")).collect();
    let created = TestPaste::new(text).create(&app).await;
    let browser = Browser::start().await;
    browser
        .goto(&app.url(&format!("/{}", created.id)))
        .await
        .expect("the page opens");
    // Tab from the top: each stop shows a focus ring; the actions are among them.
    let mut reached = Vec::new();
    for _ in 0..16 {
        browser
            .active_element()
            .await
            .expect("a focused element")
            .send_keys("\u{E004}")
            .await
            .expect("tabbed");
        let stop = browser
            .execute(
                "var e = document.activeElement, s = getComputedStyle(e);\
                 return [e.id || e.textContent.trim(), s.outlineStyle !== 'none' && s.outlineWidth !== '0px'];",
                vec![],
            )
            .await
            .expect("the script runs");
        assert_eq!(stop[1], true, "no visible focus on {stop}");
        reached.push(stop[0].as_str().unwrap_or_default().to_owned());
    }
    for action in ["copy", "raw", "download", "wrap", "More"] {
        assert!(
            reached.iter().any(|r| r == action),
            "{action} not reached: {reached:?}"
        );
    }
    // Enter on line 3's number, Shift+Enter on line 6's: lines 3 to 6 marked.
    let three = browser.element("#L3 > a").await;
    three.send_keys("\u{E007}").await.expect("pressed");
    let six = browser.element("#L6 > a").await;
    six.send_keys("\u{E008}\u{E007}\u{E000}")
        .await
        .expect("pressed");
    let marked = browser
        .execute(
            "return Array.from(document.querySelectorAll('.l.marked')).map(l => l.id)",
            vec![],
        )
        .await
        .expect("the script runs");
    assert_eq!(marked, serde_json::json!(["L3", "L4", "L5", "L6"]));
    browser.quit().await;
}
