use serde_json::json;

use crate::support::app::{TestPaste, error_code, spawn_app};

#[tokio::test]
async fn a_paste_created_through_the_api_reads_back_with_every_field() {
    let app = spawn_app().await;
    let created = TestPaste::new("fn main() {}\n")
        .title("Main")
        .language("Rust")
        .expires("1d")
        .unlisted()
        .create(&app)
        .await;
    let body = &created.body;
    assert_eq!(created.id.len(), 8);
    assert!(created.id.bytes().all(|b| b.is_ascii_alphanumeric()));
    assert_eq!(body["url"], app.url(&format!("/{}", created.id)));
    assert_eq!(body["raw_url"], app.url(&format!("/raw/{}", created.id)));
    assert_eq!(body["language"], "rust");
    assert_eq!(body["visibility"], "unlisted");
    assert!(body["expires_at"].is_string());

    let response = app.get_api_paste(&created.id).await;
    assert_eq!(response.status(), 200);
    let read: serde_json::Value = response.json().await.expect("JSON");
    assert_eq!(read["content"], "fn main() {}\n");
    assert_eq!(read["title"], "Main");
    assert_eq!(read["created_at"], body["created_at"]);
    assert_eq!(read["expires_at"], body["expires_at"]);
    assert_eq!(read["size_bytes"], 13);
    assert!(
        read.get("delete_token").is_none(),
        "the token is shown only at creation"
    );
}

#[tokio::test]
async fn the_creation_answer_carries_location_and_delete_token_headers() {
    let app = spawn_app().await;
    let response = app.post_paste(&json!({"content": "x"})).await;
    assert_eq!(response.status(), 201);
    let location = response.headers()["location"]
        .to_str()
        .expect("text")
        .to_owned();
    let token = response.headers()["x-delete-token"]
        .to_str()
        .expect("text")
        .to_owned();
    let body: serde_json::Value = response.json().await.expect("JSON");
    assert_eq!(location, body["url"]);
    assert_eq!(token, body["delete_token"]);
}

#[tokio::test]
async fn delete_needs_the_right_token_and_then_the_paste_is_gone() {
    let app = spawn_app().await;
    let created = app.create_text("secret").await;
    let (id, token) = (created.id.as_str(), Some(created.token.as_str()));

    let none = app.delete_paste(id, None).await;
    assert_eq!(none.status(), 401);
    assert_eq!(error_code(none).await, "missing_delete_token");
    let wrong = app.delete_paste(id, Some("nope")).await;
    assert_eq!(wrong.status(), 403);
    assert_eq!(error_code(wrong).await, "wrong_delete_token");

    assert_eq!(app.delete_paste(id, token).await.status(), 204);
    assert_eq!(app.get_api_paste(id).await.status(), 404);
    assert_eq!(app.get_raw(id).await.status(), 404);
    assert_eq!(app.delete_paste(id, token).await.status(), 404);
}

#[tokio::test]
async fn an_api_read_of_a_burn_after_read_paste_burns_it() {
    let app = spawn_app().await;
    let created = TestPaste::new("once").burn().create(&app).await;
    let path = format!("/api/v1/pastes/{}", created.id);
    let (status, body) = app.get(&path).await;
    assert_eq!(status, 200);
    assert!(body.contains("\"once\""));
    assert_eq!(app.get(&path).await.0, 404);
}

#[tokio::test]
async fn missing_and_malformed_ids_are_404_in_json() {
    let app = spawn_app().await;
    for path in [
        "/api/v1/pastes/AAAAAAAA",
        "/api/v1/pastes/..",
        "/api/v1/pastes/a%2Fb",
        "/api/v1/nothing",
    ] {
        let response = app.get_path(path).await;
        assert_eq!(response.status(), 404, "{path}");
        let code = error_code(response).await;
        assert!(code == "not_found" || code == "no_route", "{path}: {code}");
    }
}
