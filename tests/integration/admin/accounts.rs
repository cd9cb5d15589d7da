//! `pastebin admin user disable|enable` on a fleet: the account's session
//! and API token are refused on both clones at once, it cannot log in, and
//! once enabled it can again.

use serde_json::json;

use super::admin_ok;
use crate::support::accounts::PASSWORD;
use crate::support::app::{TestApp, error_code, spawn_clones};
use crate::support::redis::RedisServer;

async fn token_of(app: &TestApp, username: &str) -> String {
    let issued: serde_json::Value = app
        .client
        .post(app.url("/api/v1/tokens"))
        .json(&json!({"username": username, "password": PASSWORD, "name": "CI"}))
        .send()
        .await
        .expect("answered")
        .json()
        .await
        .expect("JSON");
    issued["token"].as_str().expect("a token").to_owned()
}

async fn create_with(app: &TestApp, token: &str) -> u16 {
    app.client
        .post(app.url("/api/v1/pastes"))
        .header("Authorization", format!("Bearer {token}"))
        .json(&json!({"content": "mine", "visibility": "private"}))
        .send()
        .await
        .expect("answered")
        .status()
        .as_u16()
}

#[tokio::test]
async fn a_disabled_account_is_refused_its_session_and_token_on_both_clones() {
    let redis = RedisServer::start().await;
    let (a, b) = spawn_clones(&redis.url(), |_| {}).await;
    let ada = a.signed_up("ada").await;
    let token = token_of(&a, "ada").await;
    let kept = a.create_as(&ada, "a paste that stays", "public").await;
    for app in [&a, &b] {
        assert_eq!(
            app.get_as(&ada, "/settings").await.status(),
            200,
            "signed in"
        );
        assert_eq!(create_with(app, &token).await, 201, "the token works");
    }

    let said = admin_ok(
        a.dir.path(),
        Some(&redis.url()),
        &["user", "disable", "ada", "--note", "spam bot"],
    );
    assert!(
        said.contains("disabled ada") && said.contains("1 API token"),
        "{said}"
    );

    for (name, app) in [("a", &a), ("b", &b)] {
        let settings = app.get_as(&ada, "/settings").await;
        assert_eq!(settings.status(), 303, "the session ended on {name}");
        assert_eq!(
            create_with(app, &token).await,
            401,
            "the token ended on {name}"
        );
        let again = app.log_in("ada", PASSWORD).await;
        assert_eq!(again.status(), 403, "no log-in on {name}");
    }
    let refused = a
        .client
        .post(a.url("/api/v1/tokens"))
        .json(&json!({"username": "ada", "password": PASSWORD, "name": "again"}))
        .send()
        .await
        .expect("answered");
    assert_eq!(error_code(refused).await, "account_disabled");
    // Kept pastes stay readable.
    assert_eq!(b.get(&format!("/raw/{kept}")).await.0, 200);

    admin_ok(a.dir.path(), Some(&redis.url()), &["user", "enable", "ada"]);
    let back = b.logged_in("ada").await;
    assert_eq!(b.get_as(&back, "/settings").await.status(), 200);
    let audit = admin_ok(a.dir.path(), Some(&redis.url()), &["audit"]);
    assert!(
        audit.contains("user_enable\tada") && audit.contains("user_disable\tada\tspam bot"),
        "{audit}"
    );
}

#[tokio::test]
async fn disabling_with_remove_pastes_takes_every_paste_down() {
    let redis = RedisServer::start().await;
    let (a, b) = spawn_clones(&redis.url(), |_| {}).await;
    let ada = a.signed_up("ada").await;
    let pastes = [
        a.create_as(&ada, "one", "public").await,
        a.create_as(&ada, "two", "unlisted").await,
    ];
    for id in &pastes {
        assert_eq!(b.get(&format!("/raw/{id}")).await.0, 200);
    }
    let said = admin_ok(
        a.dir.path(),
        Some(&redis.url()),
        &["user", "disable", "ada", "--remove-pastes"],
    );
    assert!(said.contains("2 paste(s) removed"), "{said}");
    for id in &pastes {
        assert_eq!(b.get(&format!("/raw/{id}")).await.0, 410, "{id} on b");
        assert_eq!(a.get(&format!("/raw/{id}")).await.0, 410, "{id} on a");
    }
}
