//! `max_views` from every creation surface: curl's form fields, an
//! urlencoded body, `PUT`'s query and the JSON API; refused values in each
//! surface's own format.

use crate::support::app::{BROWSER_ACCEPT, TestApp, TestPaste, error_code, spawn_app};

/// The id in the first line of a text answer (the paste's URL).
async fn id_of(response: reqwest::Response) -> String {
    assert_eq!(response.status(), 201);
    let text = response.text().await.expect("text");
    let url = text.lines().next().expect("a URL");
    url.rsplit('/').next().expect("an id").to_owned()
}

/// What the API says the paste's limit and views left are (a quiet HEAD
/// would not say; this reads, so it spends one).
async fn limit_of(app: &TestApp, id: &str) -> (serde_json::Value, serde_json::Value) {
    let answer = app.get_api_paste(id).await;
    assert_eq!(answer.status(), 200, "{id}");
    let body: serde_json::Value = answer.json().await.expect("JSON");
    (body["max_views"].clone(), body["views_left"].clone())
}

#[tokio::test]
async fn every_creation_surface_takes_max_views() {
    let app = spawn_app().await;
    let multipart = reqwest::multipart::Form::new()
        .text("content", "by -F")
        .text("max_views", "3");
    let form = app.client.post(app.url("/")).multipart(multipart);
    let by_form = id_of(form.send().await.expect("answered")).await;
    let urlencoded = app
        .client
        .post(app.url("/"))
        .form(&[("content", "by -d"), ("max_views", "3")]);
    let by_urlencoded = id_of(urlencoded.send().await.expect("answered")).await;
    let put = app.client.put(app.url("/?max_views=3")).body("by -T");
    let by_put = id_of(put.send().await.expect("answered")).await;
    let by_api = TestPaste::new("by the API").max_views(3).create(&app).await;
    assert_eq!(by_api.body["max_views"], 3);
    assert_eq!(by_api.body["views_left"], 3);
    for id in [by_form, by_urlencoded, by_put, by_api.id] {
        assert_eq!(limit_of(&app, &id).await, (3.into(), 2.into()), "{id}");
        assert_eq!(limit_of(&app, &id).await, (3.into(), 1.into()), "{id}");
        assert_eq!(limit_of(&app, &id).await, (3.into(), 0.into()), "{id}");
        assert_eq!(app.get_raw(&id).await.status(), 404, "{id}");
    }
    let plain = app.create_text("no limit").await;
    assert_eq!(plain.body["max_views"], serde_json::Value::Null);
    assert_eq!(plain.body["views_left"], serde_json::Value::Null);
}

#[tokio::test]
async fn a_max_views_out_of_bounds_or_beside_burn_after_read_is_refused_per_surface() {
    let app = spawn_app().await;
    for (body, code) in [
        (
            serde_json::json!({"content": "x", "max_views": 0}),
            "invalid_max_views",
        ),
        (
            serde_json::json!({"content": "x", "max_views": 1001}),
            "invalid_max_views",
        ),
        (
            serde_json::json!({"content": "x", "max_views": "5"}),
            "invalid_field",
        ),
        (
            serde_json::json!({"content": "x", "max_views": -1}),
            "invalid_field",
        ),
        (
            serde_json::json!({"content": "x", "max_views": 2, "burn_after_read": true}),
            "two_view_limits",
        ),
    ] {
        let answer = app.post_paste(&body).await;
        assert_eq!(answer.status(), 422, "{body}");
        assert_eq!(error_code(answer).await, code, "{body}");
    }
    let put = app.client.put(app.url("/?max_views=lots")).body("x");
    let answer = put.send().await.expect("answered");
    assert_eq!(answer.status(), 422);
    let text = answer.text().await.expect("text");
    assert!(
        text.contains("`max_views` must be a whole number from 1 to 1000"),
        "{text}"
    );
    // The form shows the refusal beside its field, what was typed kept.
    let form = app
        .client
        .post(app.url("/"))
        .header("accept", BROWSER_ACCEPT)
        .form(&[("content", "kept"), ("max_views", "0")]);
    let answer = form.send().await.expect("answered");
    assert_eq!(answer.status(), 422);
    let html = answer.text().await.expect("html");
    assert!(html.contains(r#"id="max-views-error""#), "{html}");
    assert!(html.contains(r#"value="0""#), "{html}");
}
