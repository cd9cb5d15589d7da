//! Paste pages over plain HTTP (the browser tests drive them for real).

use crate::support::app::{TestApp, TestPaste, spawn_app};

#[tokio::test]
async fn the_form_offers_every_field_of_the_contract() {
    let app = spawn_app().await;
    let (status, html) = app.html("/").await;
    assert_eq!(status, 200);
    for field in [
        "name=\"content\"",
        "name=\"title\"",
        "name=\"language\"",
        "name=\"expires\"",
        "name=\"visibility\"",
        "name=\"burn_after_read\"",
        "name=\"max_views\"",
    ] {
        assert!(html.contains(field), "{field} missing");
    }
}

#[tokio::test]
async fn a_paste_page_escapes_the_content_and_shows_its_metadata() {
    let app = spawn_app().await;
    let created = TestPaste::new("<script>alert(1)</script>\n")
        .title("<b>bold</b>")
        .language("text")
        .create(&app)
        .await;
    let response = app.get_page(&created.id).await;
    assert_eq!(response.status(), 200);
    let csp = response.headers()["content-security-policy"]
        .to_str()
        .expect("text")
        .to_owned();
    assert!(csp.contains("default-src 'none'"));
    let html = response.text().await.expect("html");
    assert!(!html.contains("<script>alert"), "content must be escaped");
    let escaped = |text: &str| {
        [("<", "&#60;"), (">", "&#62;")]
            .iter()
            .fold(text.to_owned(), |t, (from, to)| t.replace(from, to))
    };
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "the content is shown, escaped"
    );
    assert!(
        html.contains(&escaped("<b>bold")),
        "the title is shown, escaped"
    );
    assert!(
        html.contains(&format!("/raw/{}", created.id))
            && html.contains(&format!("/dl/{}", created.id))
    );
    assert!(html.contains("anonymous"));
    assert!(html.contains(">Plain Text</span>"), "the language is shown");
}

#[tokio::test]
async fn unknown_pages_are_404_pages() {
    let app = spawn_app().await;
    for path in [
        "/AAAAAAAA",
        "/..%2F..%2Fetc%2Fpasswd",
        "/raw/../../etc/passwd",
        "/nope/deeper/path",
    ] {
        let response = app
            .client
            .get(app.url(path))
            .header("accept", "text/html")
            .send()
            .await
            .expect("answered");
        assert_eq!(response.status(), 404, "{path}");
        assert!(
            response.text().await.expect("html").contains("404"),
            "{path}"
        );
    }
}

#[tokio::test]
async fn a_burn_after_read_page_asks_for_a_click_before_burning() {
    let app = spawn_app().await;
    let created = TestPaste::new("the secret").burn().create(&app).await;
    let page = format!("/{}", created.id);
    for _ in 0..3 {
        // A link preview fetching the page, again and again, burns nothing.
        let (status, html) = app.html(&page).await;
        assert_eq!(status, 200);
        assert!(!html.contains("the secret"));
        assert!(html.contains(&format!("action=\"/{}\"", created.id)));
    }
    let head = app.client.head(app.url(&format!("/raw/{}", created.id)));
    let head = head.send().await.expect("answered");
    assert_eq!(head.status(), 200, "HEAD does not burn either");
    let (cookie, token) = click_page(&app, &page).await;
    let reveal = app
        .client
        .post(app.url(&page))
        .header("Cookie", &cookie)
        .form(&[("reveal", token.as_str())])
        .send()
        .await
        .expect("answered");
    assert_eq!(reveal.status(), 200);
    assert_eq!(reveal.headers()["cache-control"], "no-store");
    let revealed = reveal.text().await.expect("html");
    assert!(revealed.contains("the secret"));
    assert!(revealed.contains(">1 line ·"), "one line, singular");
    assert!(
        revealed.contains(">1 view<"),
        "this reading is its one view"
    );
    assert_eq!(app.get(&page).await.0, 404);
    assert_eq!(
        app.client
            .post(app.url(&page))
            .header("Cookie", &cookie)
            .form(&[("reveal", token.as_str())])
            .send()
            .await
            .expect("answered")
            .status(),
        404
    );
}

#[tokio::test]
async fn a_max_views_page_asks_for_a_click_for_every_view_and_counts_them_down() {
    let app = spawn_app().await;
    let created = TestPaste::new("twice only").max_views(2).create(&app).await;
    let page = format!("/{}", created.id);
    let reveal = |cookie: String, token: String| {
        let request = app.client.post(app.url(&page));
        async move {
            let answer = request
                .header("Cookie", cookie)
                .form(&[("reveal", token.as_str())])
                .send()
                .await
                .expect("answered");
            assert_eq!(answer.status(), 200);
            assert_eq!(answer.headers()["cache-control"], "no-store");
            answer.text().await.expect("html")
        }
    };
    for _ in 0..3 {
        // Link previews fetch the page: no view is spent.
        let (status, html) = app.html(&page).await;
        assert_eq!(status, 200);
        assert!(!html.contains("twice only"), "{html}");
        assert!(
            html.contains(r#"read <span id="views-left">2</span> more times"#),
            "{html}"
        );
    }
    let (cookie, token) = click_page(&app, &page).await;
    let first = reveal(cookie, token).await;
    assert!(first.contains("twice only"), "{first}");
    assert!(
        first.contains(r#"<span id="views-left">1</span> more time;"#),
        "{first}"
    );
    let (_, html) = app.html(&page).await;
    assert!(html.contains("This paste can be read once"), "{html}");
    let (cookie, token) = click_page(&app, &page).await;
    let last = reveal(cookie, token).await;
    assert!(last.contains("twice only"), "{last}");
    assert!(last.contains("gone from the server now"), "{last}");
    assert!(last.contains(">2 views<"), "its two views: {last}");
    assert_eq!(app.get(&page).await.0, 404);
}

/// The click page's token: the `Cookie` header to send back, and the form field.
async fn click_page(app: &TestApp, page: &str) -> (String, String) {
    let response = app
        .client
        .get(app.url(page))
        .header("accept", crate::support::app::BROWSER_ACCEPT)
        .send()
        .await
        .expect("answered");
    let cookie = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("pb_reveal="))
        .expect("a reveal cookie")
        .to_owned();
    assert!(
        cookie.contains("SameSite=Strict") && cookie.contains("HttpOnly"),
        "{cookie}"
    );
    let html = response.text().await.expect("html");
    let field = html
        .split(r#"name="reveal" value=""#)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a reveal field")
        .to_owned();
    let pair = cookie.split(';').next().expect("name=value").to_owned();
    (pair, field)
}

#[tokio::test]
async fn a_reveal_from_anywhere_but_the_page_burns_nothing() {
    let app = spawn_app().await;
    let created = TestPaste::new("the hidden words").burn().create(&app).await;
    let page = format!("/{}", created.id);
    let (cookie, token) = click_page(&app, &page).await;
    let forged = [
        // What a form on another site sends: no cookie (it is strict), no token.
        (None, None),
        // A token guessed or copied without the cookie.
        (None, Some(token.clone())),
        // The cookie without the page's token, or with another one.
        (Some(cookie.clone()), None),
        (Some(cookie.clone()), Some("x".repeat(32))),
    ];
    for (cookie, field) in forged {
        let mut request = app.client.post(app.url(&page));
        if let Some(cookie) = &cookie {
            request = request.header("Cookie", cookie);
        }
        if let Some(field) = &field {
            request = request.form(&[("reveal", field.as_str())]);
        }
        let answer = request.send().await.expect("answered");
        assert_eq!(answer.status(), 403, "{cookie:?} {field:?}");
        assert!(answer.text().await.expect("html").contains("own page"));
    }
    let (status, html) = app.html(&page).await;
    assert_eq!(status, 200, "still there");
    assert!(!html.contains("the hidden words"));
}

#[tokio::test]
async fn the_creator_can_delete_from_the_page() {
    let app = spawn_app().await;
    let created = app.create_text("regret").await;
    let wrong = app
        .client
        .post(app.url(&format!("/{}/delete", created.id)))
        .form(&[("delete_token", "wrong")])
        .send()
        .await
        .expect("answered");
    assert_eq!(wrong.status(), 403);
    let right = app
        .client
        .post(app.url(&format!("/{}/delete", created.id)))
        .form(&[("delete_token", created.token.as_str())])
        .send()
        .await
        .expect("answered");
    assert_eq!(right.status(), 200);
    assert_eq!(app.get_page(&created.id).await.status(), 404);
}

#[tokio::test]
async fn curl_deletes_with_the_token_header() {
    let app = spawn_app().await;
    let created = app.create_text("bye").await;
    let response = app.curl_delete(&created.id, &created.token).await;
    assert_eq!(response.status(), 204);
    assert_eq!(app.get_raw(&created.id).await.status(), 404);
}

#[tokio::test]
async fn a_user_page_lists_public_pastes_and_unknown_users_are_404_pages() {
    let app = spawn_app().await;
    crate::support::users::seed(app.dir.path(), "ada", 4).await;
    let (status, html) = app.get("/u/ada").await;
    assert_eq!(status, 200);
    for shown in ["paste 0", "paste 1", "paste 3", "4</span> pastes created"] {
        assert!(html.contains(shown), "{shown} missing");
    }
    assert!(!html.contains("paste 2"), "an unlisted paste is listed");
    assert!(!html.contains("id=\"older\""), "one page only");
    let response = app.get_path("/u/nobody").await;
    assert_eq!(response.status(), 404);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .expect("text")
            .starts_with("text/html")
    );
    let (status, _) = app.get("/u/ada?cursor=junk").await;
    assert_eq!(status, 422);
}
