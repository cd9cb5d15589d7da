//! API tokens: exchanged for a password, listed and revoked on the settings
//! page, and honoured on the whole JSON API.

use serde_json::json;

use crate::support::accounts::{PASSWORD, csrf_of};
use crate::support::app::{TestApp, error_code, spawn_app};

async fn exchange(app: &TestApp, username: &str, password: &str) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/tokens"))
        .json(&json!({"username": username, "password": password, "name": "CI"}))
        .send()
        .await
        .expect("answered")
}

fn with_bearer(request: reqwest::RequestBuilder, token: &str) -> reqwest::RequestBuilder {
    request.header("Authorization", format!("Bearer {token}"))
}

#[tokio::test]
async fn a_token_lives_from_exchange_to_revocation() {
    let app = spawn_app().await;
    let ada = app.signed_up("ada").await;
    let wrong = exchange(&app, "ada", "not the password").await;
    assert_eq!(wrong.status(), 401);
    assert_eq!(error_code(wrong).await, "invalid_credentials");
    let issued = exchange(&app, "ada", PASSWORD).await;
    assert_eq!(issued.status(), 201);
    let issued: serde_json::Value = issued.json().await.expect("JSON");
    let token = issued["token"].as_str().expect("a secret").to_owned();
    assert!(token.starts_with("pbt_"));

    // Created with the token: authored, and private is allowed.
    let created = with_bearer(app.client.post(app.url("/api/v1/pastes")), &token)
        .json(&json!({"content": "from CI", "visibility": "private"}))
        .send()
        .await
        .expect("answered");
    assert_eq!(created.status(), 201);
    let created: serde_json::Value = created.json().await.expect("JSON");
    let id = created["id"].as_str().expect("an id").to_owned();
    let read = |bearer: Option<&str>| {
        let request = app.client.get(app.url(&format!("/api/v1/pastes/{id}")));
        let request = match bearer {
            Some(token) => with_bearer(request, token),
            None => request,
        };
        async move { request.send().await.expect("answered") }
    };
    let own = read(Some(&token)).await;
    assert_eq!(own.status(), 200);
    let own: serde_json::Value = own.json().await.expect("JSON");
    assert_eq!(own["author"], "ada");
    assert_eq!(read(None).await.status(), 404, "private to anyone else");
    assert_eq!(
        app.get_as(&ada, &format!("/raw/{id}")).await.status(),
        200,
        "the author's browser reads it too"
    );
    let listed = with_bearer(app.client.get(app.url("/api/v1/users/ada/pastes")), &token)
        .send()
        .await
        .expect("answered")
        .text()
        .await
        .expect("a body");
    assert!(
        listed.contains(&id),
        "the owner's list holds the private paste"
    );
    assert!(!app.get("/api/v1/users/ada/pastes").await.1.contains(&id));

    // The settings page lists it; revoking it ends it at once.
    let settings = app.get_as(&ada, "/settings").await;
    assert_eq!(settings.status(), 200);
    let page = settings.text().await.expect("a page");
    let token_id = issued["id"].as_str().expect("an id");
    assert!(
        page.contains(token_id) && !page.contains(&token),
        "listed, secret not shown"
    );
    let csrf = csrf_of(&page).expect("the forms carry the CSRF token");
    let revoke = format!("/settings/tokens/{token_id}/revoke");
    assert_eq!(
        app.post_form_as(Some(&ada), &revoke, &[]).await.status(),
        403
    );
    let revoked = app
        .post_form_as(Some(&ada), &revoke, &[("csrf_token", &csrf)])
        .await;
    assert_eq!(revoked.status(), 303);
    let refused = read(Some(&token)).await;
    assert_eq!(refused.status(), 401);
    assert_eq!(error_code(refused).await, "invalid_token");
}

#[tokio::test]
async fn an_owner_deletes_with_the_token_alone_and_nobody_else_can() {
    let app = spawn_app().await;
    app.signed_up("ada").await;
    app.signed_up("grace").await;
    let token = |name: &'static str| {
        let app = &app;
        async move {
            let issued: serde_json::Value = exchange(app, name, PASSWORD)
                .await
                .json()
                .await
                .expect("JSON");
            issued["token"].as_str().expect("a secret").to_owned()
        }
    };
    let (ada, grace) = (token("ada").await, token("grace").await);
    let created: serde_json::Value = with_bearer(app.client.post(app.url("/api/v1/pastes")), &ada)
        .json(&json!({"content": "ada's"}))
        .send()
        .await
        .expect("answered")
        .json()
        .await
        .expect("JSON");
    let url = app.url(&format!(
        "/api/v1/pastes/{}",
        created["id"].as_str().expect("an id")
    ));
    let by_grace = with_bearer(app.client.delete(&url), &grace)
        .send()
        .await
        .expect("answered");
    assert_eq!(by_grace.status(), 401, "not hers: a delete token is needed");
    let by_ada = with_bearer(app.client.delete(&url), &ada)
        .send()
        .await
        .expect("answered");
    assert_eq!(by_ada.status(), 204);

    // A private paste: hidden from others (404, not 401 or 403), but its
    // delete token alone still deletes it, as curl would.
    let private: serde_json::Value = with_bearer(app.client.post(app.url("/api/v1/pastes")), &ada)
        .json(&json!({"content": "ada's secret", "visibility": "private"}))
        .send()
        .await
        .expect("answered")
        .json()
        .await
        .expect("JSON");
    let id = private["id"].as_str().expect("an id");
    for (who, token) in [(Some(&grace), None), (None, None), (None, Some("wrong"))] {
        let request = app.client.delete(app.url(&format!("/api/v1/pastes/{id}")));
        let request = match who {
            Some(bearer) => with_bearer(request, bearer),
            None => request,
        };
        let request = match token {
            Some(token) => request.header("X-Delete-Token", token),
            None => request,
        };
        let refused = request.send().await.expect("answered");
        assert_eq!(
            refused.status(),
            404,
            "as missing to {who:?} with {token:?}"
        );
    }
    let token = private["delete_token"].as_str().expect("a token");
    assert_eq!(app.curl_delete(id, token).await.status(), 204);
}

#[tokio::test]
async fn a_bad_bearer_token_is_refused_not_ignored() {
    let app = spawn_app().await;
    for bearer in [
        "Bearer nonsense",
        "Basic YWRhOng=",
        "Bearer pbt_abcdefghijkl_abcdefghijklmnopqrstuvwxyz012345",
    ] {
        let response = app
            .client
            .get(app.url("/api/v1/users/ada/pastes"))
            .header("Authorization", bearer)
            .send()
            .await
            .expect("answered");
        assert_eq!(response.status(), 401, "{bearer}");
        assert_eq!(error_code(response).await, "invalid_token");
    }
}

#[tokio::test]
async fn the_settings_page_makes_a_token_shown_once_and_needs_a_session() {
    let app = spawn_app().await;
    let anonymous = app.get_path("/settings").await;
    assert_eq!(anonymous.status(), 303);
    assert_eq!(anonymous.headers()["Location"], "/login");
    let ada = app.signed_up("ada").await;
    let page = app
        .get_as(&ada, "/settings")
        .await
        .text()
        .await
        .expect("a page");
    let csrf = csrf_of(&page).expect("a CSRF token");
    let forged = app
        .post_form_as(Some(&ada), "/settings/tokens", &[("name", "laptop")])
        .await;
    assert_eq!(forged.status(), 403);
    let made = app
        .post_form_as(
            Some(&ada),
            "/settings/tokens",
            &[("name", "laptop"), ("csrf_token", &csrf)],
        )
        .await;
    assert_eq!(made.status(), 200);
    assert_eq!(made.headers()["Cache-Control"], "no-store");
    let page = made.text().await.expect("a page");
    let at = page
        .find("id=\"token-secret\">")
        .expect("the secret is shown")
        + 18;
    let secret = &page[at..at + page[at..].find('<').expect("its end")];
    assert!(secret.starts_with("pbt_"));
    assert!(
        page.contains("id=\"copy-token\""),
        "a Copy button beside it"
    );
    assert!(page.contains("not used lately"), "never used yet");
    let listed = with_bearer(app.client.get(app.url("/api/v1/users/ada/pastes")), secret)
        .send()
        .await
        .expect("answered");
    assert_eq!(listed.status(), 200, "the token works");
    let again = app
        .get_as(&ada, "/settings")
        .await
        .text()
        .await
        .expect("a page");
    assert!(
        again.contains("laptop") && !again.contains(secret),
        "shown once"
    );
    // Its use shows as its last-used date (noted at most once a minute).
    assert!(again.contains("class=\"last-used\">"), "{again}");
    assert!(again.contains("last used <time"), "{again}");
}

/// How `curl` creates: `-F` (multipart), `--data` (urlencoded) and `-T`
/// (a raw `PUT`), each asking for a private paste.
async fn create_by(app: &TestApp, surface: &str, bearer: Option<&str>) -> reqwest::Response {
    let request = match surface {
        "multipart" => app.client.post(app.url("/")).multipart(
            reqwest::multipart::Form::new()
                .text("content", "from curl -F")
                .text("visibility", "private"),
        ),
        "urlencoded" => app
            .client
            .post(app.url("/"))
            .form(&[("content", "from curl --data"), ("visibility", "private")]),
        "put" => app
            .client
            .put(app.url("/notes.txt?visibility=private"))
            .body("from curl -T"),
        other => panic!("no surface {other}"),
    };
    let request = request.header("Accept", "application/json");
    match bearer {
        Some(token) => with_bearer(request, token),
        None => request,
    }
    .send()
    .await
    .expect("answered")
}

#[tokio::test]
async fn a_bearer_token_is_honoured_on_every_creation_surface() {
    let app = spawn_app().await;
    app.signed_up("ada").await;
    let issued: serde_json::Value = exchange(&app, "ada", PASSWORD)
        .await
        .json()
        .await
        .expect("JSON");
    let token = issued["token"].as_str().expect("a secret").to_owned();
    for surface in ["multipart", "urlencoded", "put"] {
        let created = create_by(&app, surface, Some(&token)).await;
        assert_eq!(
            created.status(),
            201,
            "{surface}: private, for the token's user"
        );
        let created: serde_json::Value = created.json().await.expect("JSON");
        let id = created["id"].as_str().expect("an id");
        let read = with_bearer(
            app.client.get(app.url(&format!("/api/v1/pastes/{id}"))),
            &token,
        )
        .send()
        .await
        .expect("answered");
        assert_eq!(read.status(), 200, "{surface}");
        let read: serde_json::Value = read.json().await.expect("JSON");
        assert_eq!(
            read["author"], "ada",
            "{surface}: credited to the token's user"
        );
        assert_eq!(read["visibility"], "private", "{surface}");

        let refused = create_by(&app, surface, Some("pbt_not-a-live-token")).await;
        assert_eq!(refused.status(), 401, "{surface}: a bogus token is refused");
        assert_eq!(error_code(refused).await, "invalid_token", "{surface}");
        let anonymous = create_by(&app, surface, None).await;
        assert_eq!(
            error_code(anonymous).await,
            "private_needs_account",
            "{surface}: without a token it stays anonymous"
        );
    }
    let (_, listed) = app.get("/api/v1/users/ada/pastes").await;
    assert!(
        !listed.contains("from curl"),
        "private pastes are listed to nobody else"
    );
}

#[tokio::test]
async fn a_bearer_token_reads_its_private_paste_on_every_surface() {
    let app = spawn_app().await;
    app.signed_up("ada").await;
    let issued: serde_json::Value = exchange(&app, "ada", PASSWORD)
        .await
        .json()
        .await
        .expect("JSON");
    let token = issued["token"].as_str().expect("a secret").to_owned();
    let created: serde_json::Value =
        with_bearer(app.client.post(app.url("/api/v1/pastes")), &token)
            .json(&json!({"content": "ada's secret", "visibility": "private"}))
            .send()
            .await
            .expect("answered")
            .json()
            .await
            .expect("JSON");
    let id = created["id"].as_str().expect("an id");
    for path in [format!("/raw/{id}"), format!("/{id}"), format!("/dl/{id}")] {
        let get = |bearer: &str| with_bearer(app.client.get(app.url(&path)), bearer).send();
        let own = get(&token).await.expect("answered");
        assert_eq!(own.status(), 200, "{path}: the token's user reads it");
        assert!(
            own.text().await.expect("a body").contains("secret"),
            "{path}"
        );
        let bogus = get("pbt_not-a-live-token").await.expect("answered");
        assert_eq!(
            bogus.status(),
            401,
            "{path}: a bogus token is refused, not anonymous"
        );
        assert_eq!(
            app.get(&path).await.0,
            404,
            "{path}: private to anyone else"
        );
    }
}

#[tokio::test]
async fn a_proxy_s_basic_credentials_leave_pages_and_raw_reads_alone() {
    // A private instance behind a proxy's Basic authentication: the proxy
    // forwards the header with every request, and pages must still answer.
    let app = spawn_app().await;
    let created = app.create_text("behind a proxy").await;
    for path in [
        format!("/raw/{}", created.id),
        format!("/{}", created.id),
        "/".to_owned(),
    ] {
        let answer = app
            .client
            .get(app.url(&path))
            .header("Authorization", "Basic YWRhOng=")
            .send()
            .await
            .expect("answered");
        assert_eq!(answer.status(), 200, "{path}");
    }
    let api = app
        .client
        .get(app.url(&format!("/api/v1/pastes/{}", created.id)))
        .header("Authorization", "Basic YWRhOng=")
        .send()
        .await
        .expect("answered");
    assert_eq!(api.status(), 401, "the API knows bearer tokens only");
}
