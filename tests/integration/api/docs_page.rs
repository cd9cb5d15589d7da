//! The readable API page `/api`: its descriptions rendered as Markdown, the
//! body's fields listed, a curl command per route, and a page that fits a
//! phone.

use crate::support::app::{client, spawn_app};
use crate::support::browser::Browser;

async fn page(app: &crate::support::app::TestApp) -> String {
    let response = client()
        .get(app.url("/api"))
        .header("accept", "text/html")
        .send()
        .await
        .expect("the app answers");
    assert_eq!(response.status(), 200);
    response.text().await.expect("a page")
}

#[tokio::test]
async fn descriptions_are_rendered_and_every_body_field_is_listed() {
    let app = spawn_app().await;
    let html = page(&app).await;
    assert!(
        !html.contains('`'),
        "no Markdown backtick is printed as such"
    );
    assert!(
        html.contains("<code>405</code>") || html.contains("<code>method_not_allowed</code>"),
        "inline code is code"
    );
    let create = html
        .split("id=\"post-api-v1-pastes\"")
        .nth(1)
        .and_then(|rest| rest.split("</article>").next())
        .expect("the creation is described");
    for field in [
        "content",
        "title",
        "language",
        "expires",
        "visibility",
        "burn_after_read",
    ] {
        assert!(
            create.contains(&format!("<td><code>{field}</code>")),
            "{field} is listed with the body"
        );
    }
    let (_, doc) = app.get("/api/v1/openapi.json").await;
    let doc: serde_json::Value = serde_json::from_str(&doc).expect("JSON");
    let most = &doc["components"]["schemas"]["CreatePaste"]["properties"]["content"]["maxLength"];
    assert!(
        create.contains(&format!("at most {most}</td>")),
        "limits are shown: {create}"
    );
    assert!(create.contains("<td class=\"status\">201</td>"));
}

/// HTML text as a reader copies it.
fn unescape(html: &str) -> String {
    [
        ("&quot;", "\""),
        ("&#34;", "\""),
        ("&#39;", "'"),
        ("&lt;", "<"),
        ("&#60;", "<"),
        ("&gt;", ">"),
        ("&#62;", ">"),
        ("&amp;", "&"),
        ("&#38;", "&"),
    ]
    .iter()
    .fold(html.to_owned(), |text, (entity, plain)| {
        text.replace(entity, plain)
    })
}

#[tokio::test]
async fn every_route_has_a_curl_command_with_a_bearer_where_it_takes_one() {
    let app = spawn_app().await;
    let html = page(&app).await;
    let examples: Vec<String> = html
        .split("<pre class=\"example\"><code>")
        .skip(1)
        .filter_map(|e| e.split("</code>").next())
        .map(unescape)
        .collect();
    let operations = html.matches("<article class=\"operation\"").count();
    assert!(operations >= 7, "{operations} operations");
    assert!(examples.len() > operations, "{examples:#?}");
    for example in &examples {
        assert!(example.starts_with("curl "), "{example}");
        assert!(example.contains(&app.address), "{example}");
    }
    let create = "curl -X POST -H \"Authorization: Bearer $TOKEN\" -H 'Content-Type: application/json' -d '{";
    assert!(
        examples.iter().any(|e| e.starts_with(create)),
        "{examples:#?}"
    );
    assert!(
        examples
            .iter()
            .any(|e| e.contains("X-Delete-Token: $DELETE_TOKEN"))
    );
}

#[tokio::test]
async fn the_api_page_fits_a_390_px_phone() {
    let app = spawn_app().await;
    let browser = Browser::phone(390).await;
    browser
        .goto(&app.url("/api"))
        .await
        .expect("the page opens");
    let widths = browser
        .execute(
            "return [window.innerWidth, document.documentElement.scrollWidth];",
            vec![],
        )
        .await
        .expect("the script runs");
    let inner = widths[0].as_u64().expect("a width");
    let scroll = widths[1].as_u64().expect("a width");
    // A page wider than the phone also widens the layout viewport (the
    // browser zooms out to show it all), so both are checked.
    assert!(
        scroll <= 390,
        "the page is {scroll} px wide on a 390 px phone"
    );
    assert_eq!(inner, 390, "the page widened the phone's viewport");
    browser.quit().await;
}
