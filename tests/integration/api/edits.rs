//! `PATCH /api/v1/pastes/{id}`: an edit by its delete token, a stale one, and
//! the pastes that are never edited.

use serde_json::{Value, json};

use crate::support::app::{TestApp, error_code, spawn_app};

/// Creates a paste from `body`; its id and delete token.
async fn create(app: &TestApp, body: Value) -> (String, String) {
    let answer = app.post_paste(&body).await;
    assert_eq!(answer.status(), 201, "{body}");
    let created: Value = answer.json().await.expect("JSON");
    (
        created["id"].as_str().expect("an id").to_owned(),
        created["delete_token"]
            .as_str()
            .expect("a token")
            .to_owned(),
    )
}

async fn edit(app: &TestApp, id: &str, token: &str, body: Value) -> reqwest::Response {
    app.client
        .patch(app.url(&format!("/api/v1/pastes/{id}")))
        .header("X-Delete-Token", token)
        .json(&body)
        .send()
        .await
        .expect("the edit is answered")
}

#[tokio::test]
async fn an_edit_makes_a_revision_and_a_stale_one_changes_nothing() {
    let app = spawn_app().await;
    let (id, token) = create(&app, json!({"content": "one\ntwo\n"})).await;
    let first = edit(
        &app,
        &id,
        &token,
        json!({"revision": 1, "content": "one\nTWO\n"}),
    )
    .await;
    assert_eq!(first.status(), 200);
    let edited: Value = first.json().await.expect("JSON");
    assert_eq!(edited["revision"], 2);
    assert_eq!(
        app.get(&format!("/raw/{id}")).await,
        (200, "one\nTWO\n".to_owned())
    );
    let stale = edit(
        &app,
        &id,
        &token,
        json!({"revision": 1, "content": "lost\n"}),
    )
    .await;
    assert_eq!(stale.status(), 409);
    assert_eq!(error_code(stale).await, "stale_revision");
    assert_eq!(app.get(&format!("/raw/{id}")).await.1, "one\nTWO\n");
    let wrong = edit(&app, &id, "not-its-token", json!({"content": "x\n"})).await;
    assert_eq!(wrong.status(), 403);
    let (status, old) = app.get(&format!("/raw/{id}/r/1")).await;
    assert_eq!((status, old.as_str()), (200, "one\ntwo\n"));
}

#[tokio::test]
async fn counted_and_sealed_pastes_are_never_edited() {
    let app = spawn_app().await;
    let envelope = format!(
        "e2e-v1.{}.{}.{}",
        "eyJleHBpcmVzIjoibmV2ZXIiLCJidXJuX2FmdGVyX3JlYWQiOmZhbHNlLCJrZGYiOm51bGx9",
        "CQkJCQkJCQkJCQkJ",
        "BQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQ"
    );
    for body in [
        json!({"content": "once", "burn_after_read": true}),
        json!({"content": "thrice", "max_views": 3}),
        json!({"content": "sealed", "password": "hunter2"}),
        json!({"content": envelope, "end_to_end": true}),
    ] {
        let (id, token) = create(&app, body.clone()).await;
        let refused = edit(&app, &id, &token, json!({"content": "in clear\n"})).await;
        assert_eq!(refused.status(), 409, "{body}");
        assert_eq!(error_code(refused).await, "not_editable", "{body}");
    }
}

#[tokio::test]
async fn no_history_route_reads_a_counted_or_sealed_paste() {
    let app = spawn_app().await;
    let (counted, _) = create(&app, json!({"content": "thrice only", "max_views": 3})).await;
    let (locked, _) = create(&app, json!({"content": "sealed", "password": "hunter2"})).await;
    for id in [&counted, &locked] {
        for path in [
            format!("/raw/{id}/r/1"),
            format!("/{id}/r/1"),
            format!("/{id}/revisions"),
            format!("/{id}/diff/1..1"),
            format!("/{id}/edit"),
            format!("/api/v1/pastes/{id}/revisions"),
            format!("/api/v1/pastes/{id}/revisions/1"),
        ] {
            let (status, body) = app.get(&path).await;
            assert_eq!(status, 404, "{path}");
            assert!(!body.contains("thrice only"), "{path} showed the text");
        }
    }
    // None of that spent a view: all three are left.
    let read: Value = app
        .get_api_paste(&counted)
        .await
        .json()
        .await
        .expect("JSON");
    assert_eq!(read["views_left"], 2, "this read spent the first");
}

#[tokio::test]
async fn a_password_beyond_ascii_opens_through_the_header() {
    let app = spawn_app().await;
    let (id, _) = create(&app, json!({"content": "geheim", "password": "pässwort"})).await;
    let opened = app
        .client
        .get(app.url(&format!("/raw/{id}")))
        .header(
            "X-Paste-Password",
            reqwest::header::HeaderValue::from_bytes("pässwort".as_bytes()).expect("bytes"),
        )
        .send()
        .await
        .expect("answered");
    assert_eq!(opened.status(), 200);
    assert_eq!(opened.text().await.expect("text"), "geheim");
}

/// Seconds from now to the `expires_at` of `id` (`None`: never expires).
async fn expires_in(app: &TestApp, id: &str) -> Option<i64> {
    let read: Value = app.get_api_paste(id).await.json().await.expect("JSON");
    let at = read["expires_at"].as_str()?;
    let at = time::OffsetDateTime::parse(at, &time::format_description::well_known::Rfc3339)
        .expect("an RFC 3339 time");
    Some((at - time::OffsetDateTime::now_utc()).whole_seconds())
}

#[tokio::test]
async fn an_edit_changes_the_expiry_within_the_configured_maximum() {
    let app = spawn_app().await;
    let (id, token) = create(&app, json!({"content": "short-lived\n"})).await;
    assert_eq!(expires_in(&app, &id).await, None);
    // The creation's assemble job first: this test is about expiry, and a
    // job that read revision 1 may still land over an edit's view within
    // one cache round trip (a race the closing note of 2026-12-08 names).
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while !app
        .get("/metrics")
        .await
        .1
        .contains(r#"pastebin_jobs_total{kind="assemble",outcome="ok"} 1"#)
    {
        assert!(std::time::Instant::now() < deadline, "the assemble job ran");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let hour = edit(&app, &id, &token, json!({"expires": "1h"})).await;
    assert_eq!(hour.status(), 200);
    let left = expires_in(&app, &id).await.expect("it expires now");
    assert!((3500..=3600).contains(&left), "{left} s left");
    // Past `limits.max_expiry` (1y by default): refused, nothing changed.
    let too_long = edit(&app, &id, &token, json!({"expires": "2y"})).await;
    assert_eq!(too_long.status(), 422);
    assert_eq!(error_code(too_long).await, "expires_too_long");
    let kept = edit(&app, &id, &token, json!({"expires": "keep", "title": "t"})).await;
    assert_eq!(kept.status(), 200);
    let left = expires_in(&app, &id).await.expect("kept");
    assert!((3500..=3600).contains(&left), "{left} s left");
    let never = edit(&app, &id, &token, json!({"expires": "never"})).await;
    assert_eq!(never.status(), 200);
    assert_eq!(expires_in(&app, &id).await, None);
    // The signed-in owner, from the page's form.
    let ada = app.signed_up("ada").await;
    let own = app.create_as(&ada, "mine\n", "public").await;
    let (_, form) = {
        let page = app.get_as(&ada, &format!("/{own}/edit")).await;
        (page.status(), page.text().await.expect("the form"))
    };
    assert!(form.contains("<option value=\"10m\">"), "{form}");
    let posted = app
        .post_form_as(
            Some(&ada),
            &format!("/{own}/edit"),
            &[
                ("revision", "1"),
                ("expires", "10m"),
                ("csrf_token", &ada.csrf),
            ],
        )
        .await;
    assert_eq!(posted.status(), 303);
    let left = expires_in(&app, &own).await.expect("it expires now");
    assert!((500..=600).contains(&left), "{left} s left");
}
