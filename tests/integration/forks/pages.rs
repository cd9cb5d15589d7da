//! Forking from the page (a form) and the API, and what the pages then say.

use crate::support::app::{TestApp, TestPaste, error_code, spawn_app};

/// `POST /{id}/fork` as a browser's form sends it (no script, no field but
/// the CSRF token of a signed-in session); the new paste's id.
async fn fork_from_page(
    app: &TestApp,
    id: &str,
    cookie: Option<&str>,
    csrf: Option<&str>,
) -> reqwest::Response {
    let mut request = app
        .client
        .post(app.url(&format!("/{id}/fork")))
        .header("accept", crate::support::app::BROWSER_ACCEPT);
    if let Some(cookie) = cookie {
        request = request.header("Cookie", cookie);
    }
    let fields: Vec<(&str, &str)> = csrf.map(|c| ("csrf_token", c)).into_iter().collect();
    request.form(&fields).send().await.expect("the app answers")
}

fn location_id(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("Location")
        .and_then(|v| v.to_str().ok())
        .expect("a Location")
        .trim_start_matches('/')
        .to_owned()
}

async fn api_json(app: &TestApp, id: &str) -> serde_json::Value {
    let response = app.get_api_paste(id).await;
    assert_eq!(response.status(), 200, "read of {id}");
    response.json().await.expect("JSON")
}

#[tokio::test]
async fn a_fork_from_the_page_is_a_creation_linked_both_ways() {
    let app = spawn_app().await;
    let original = TestPaste::new("fn main() {}\n")
        .title("main.rs")
        .language("rust")
        .create(&app)
        .await;
    let (_, page) = app.html(&format!("/{}", original.id)).await;
    assert!(
        page.contains(&format!(r#"action="/{}/fork""#, original.id))
            && page.contains(r#"id="fork""#),
        "the page has a Fork button: {page}"
    );
    let forked = fork_from_page(&app, &original.id, None, None).await;
    assert_eq!(forked.status(), 303, "answered like a form creation");
    let token = forked
        .headers()
        .get("X-Delete-Token")
        .and_then(|v| v.to_str().ok())
        .expect("an anonymous fork has its own delete token")
        .to_owned();
    assert_ne!(token, original.token);
    let fork = location_id(&forked);
    assert_ne!(fork, original.id);
    app.settle().await;

    let read = api_json(&app, &fork).await;
    assert_eq!(read["content"], "fn main() {}\n");
    assert_eq!(read["title"], "main.rs");
    assert_eq!(read["language"], "rust");
    assert_eq!(read["author"], serde_json::Value::Null);
    assert_eq!(read["forked_from"]["id"], original.id.as_str());
    assert_eq!(read["forked_from"]["deleted"], false);
    let (_, fork_page) = app.html(&format!("/{fork}")).await;
    assert!(
        fork_page.contains(&format!(
            r#"Forked from <a href="/{}" id="origin">main.rs</a>"#,
            original.id
        )),
        "{fork_page}"
    );

    // The worker counted it, and refreshed the original's cached view.
    assert_eq!(api_json(&app, &original.id).await["fork_count"], 1);
    let (_, original_page) = app.html(&format!("/{}", original.id)).await;
    assert!(original_page.contains(">1 fork</a>"), "{original_page}");
    let (status, list) = app.html(&format!("/{}/forks", original.id)).await;
    assert_eq!(status, 200);
    assert!(list.contains(&format!(r#"href="/{fork}""#)), "{list}");

    // The fork's own delete token deletes it, and the count follows.
    assert_eq!(app.delete_paste(&fork, Some(&token)).await.status(), 204);
    app.settle().await;
    assert_eq!(api_json(&app, &original.id).await["fork_count"], 0);
}

#[tokio::test]
async fn a_deleted_original_leaves_its_fork_saying_so() {
    let app = spawn_app().await;
    let original = TestPaste::new("soon gone")
        .title("notes")
        .create(&app)
        .await;
    let fork = app
        .client
        .post(app.url(&format!("/api/v1/pastes/{}/forks", original.id)))
        .send()
        .await
        .expect("answered");
    assert_eq!(fork.status(), 201, "answered like an API creation");
    let body: serde_json::Value = fork.json().await.expect("the creation's body");
    let fork = body["id"].as_str().expect("an id").to_owned();
    assert!(body["delete_token"].is_string());
    app.settle().await;
    let (_, before) = app.html(&format!("/{fork}")).await;
    assert!(before.contains(r#"id="origin""#), "{before}");
    assert_eq!(
        app.delete_paste(&original.id, Some(&original.token))
            .await
            .status(),
        204
    );
    app.settle().await;
    let (status, after) = app.html(&format!("/{fork}")).await;
    assert_eq!(status, 200, "a fork outlives its original");
    assert!(
        after.contains("Forked from a deleted paste (notes)") && !after.contains(r#"id="origin""#),
        "{after}"
    );
    assert_eq!(api_json(&app, &fork).await["forked_from"]["deleted"], true);
}

#[tokio::test]
async fn a_signed_in_fork_is_theirs_and_needs_the_csrf_token() {
    let app = spawn_app().await;
    let ada = app.signed_up("ada").await;
    let original = app.create_text("shared").await;
    let refused = fork_from_page(&app, &original.id, Some(&ada.cookie), None).await;
    assert_eq!(
        refused.status(),
        403,
        "a cross-site form cannot fork as ada"
    );
    let forked = fork_from_page(&app, &original.id, Some(&ada.cookie), Some(&ada.csrf)).await;
    assert_eq!(forked.status(), 303);
    let fork = location_id(&forked);
    assert_eq!(api_json(&app, &fork).await["author"], "ada");
}

#[tokio::test]
async fn a_private_paste_is_forked_by_its_owner_only_and_a_burning_one_never() {
    let app = spawn_app().await;
    let ada = app.signed_up("ada").await;
    let grace = app.signed_up("grace").await;
    let private = app.create_as(&ada, "ada's secret", "private").await;
    let api = |id: &str| {
        app.client
            .post(app.url(&format!("/api/v1/pastes/{id}/forks")))
    };
    let stranger = api(&private).send().await.expect("answered");
    assert_eq!(stranger.status(), 404, "the same 404 a read gives");
    assert_eq!(error_code(stranger).await, "not_found");
    let grace_tries = fork_from_page(&app, &private, Some(&grace.cookie), Some(&grace.csrf)).await;
    assert_eq!(grace_tries.status(), 404);
    let own = fork_from_page(&app, &private, Some(&ada.cookie), Some(&ada.csrf)).await;
    assert_eq!(own.status(), 303, "ada forks her own private paste");
    let fork = location_id(&own);
    let read = app.get_as(&ada, &format!("/raw/{fork}")).await;
    assert_eq!(read.text().await.expect("text"), "ada's secret");
    assert_eq!(
        app.get(&format!("/raw/{fork}")).await.0,
        404,
        "the fork is private too"
    );

    let burning = TestPaste::new("read once").burn().create(&app).await;
    let refused = api(&burning.id).send().await.expect("answered");
    assert_eq!(refused.status(), 409);
    assert_eq!(error_code(refused).await, "burn_after_read_not_forkable");
    let (status, text) = app.get(&format!("/raw/{}", burning.id)).await;
    assert_eq!(
        (status, text.as_str()),
        (200, "read once"),
        "the refusal burned nothing"
    );
}

#[tokio::test]
async fn a_counted_or_password_protected_paste_is_never_forked() {
    let app = spawn_app().await;
    let api = |id: &str| {
        app.client
            .post(app.url(&format!("/api/v1/pastes/{id}/forks")))
    };
    let app = &app;
    let created = |body: serde_json::Value| async move {
        let answer: serde_json::Value = app.post_paste(&body).await.json().await.expect("JSON");
        answer["id"].as_str().expect("an id").to_owned()
    };
    // A fork would read the text without spending one of its views.
    let counted = created(serde_json::json!({"content": "twice only", "max_views": 2})).await;
    let refused = api(&counted).send().await.expect("answered");
    assert_eq!(refused.status(), 409);
    assert_eq!(error_code(refused).await, "burn_after_read_not_forkable");
    let read: serde_json::Value = app
        .get_api_paste(&counted)
        .await
        .json()
        .await
        .expect("JSON");
    assert_eq!(
        read["views_left"], 1,
        "the refusal spent no view but this read's"
    );
    // The server holds it sealed: a fork would copy a placeholder.
    let locked = created(serde_json::json!({"content": "sealed", "password": "hunter2"})).await;
    let refused = api(&locked).send().await.expect("answered");
    assert_eq!(refused.status(), 409);
    assert_eq!(error_code(refused).await, "password_protected_not_forkable");
}

#[tokio::test]
async fn a_retried_fork_with_its_idempotency_key_is_one_fork() {
    let app = spawn_app().await;
    let original = app.create_text("once").await;
    let mut ids = Vec::new();
    for _ in 0..3 {
        let response = app
            .client
            .post(app.url(&format!("/api/v1/pastes/{}/forks", original.id)))
            .header("Idempotency-Key", "fork-retry-key-0001")
            .send()
            .await
            .expect("answered");
        assert_eq!(response.status(), 201);
        let body: serde_json::Value = response.json().await.expect("JSON");
        ids.push(body["id"].as_str().expect("an id").to_owned());
    }
    assert!(ids.iter().all(|id| id == &ids[0]), "{ids:?}");
    app.settle().await;
    assert_eq!(api_json(&app, &original.id).await["fork_count"], 1);
}
