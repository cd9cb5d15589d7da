//! The API takes an envelope and checks its shape only; bad ones are 422s.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::json;

use crate::support::app::{error_code, spawn_app};

fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// A well-formed envelope (random bytes where the ciphertext goes: the
/// server cannot tell, which is the point).
fn envelope(header: &str) -> String {
    format!(
        "e2e-v1.{}.{}.{}",
        b64(header.as_bytes()),
        b64(&[9; 12]),
        b64(&[5; 40])
    )
}

const NEVER: &str = r#"{"expires":"never","burn_after_read":false,"kdf":null}"#;

#[tokio::test]
async fn an_envelope_is_stored_unlisted_and_served_as_it_is() {
    let app = spawn_app().await;
    let sealed = envelope(NEVER);
    let answer = app
        .post_paste(&json!({"content": sealed, "end_to_end": true}))
        .await;
    assert_eq!(answer.status(), 201);
    let created: serde_json::Value = answer.json().await.expect("JSON");
    assert_eq!(created["visibility"], "unlisted");
    assert_eq!(created["end_to_end"], true);
    let id = created["id"].as_str().expect("an id");
    assert_eq!(app.get(&format!("/raw/{id}")).await, (200, sealed.clone()));
    let read: serde_json::Value = app.get_api_paste(id).await.json().await.expect("JSON");
    assert_eq!(
        (read["end_to_end"].clone(), read["shown_language"].clone()),
        (json!(true), json!("text"))
    );
    assert_eq!(read["content"], sealed);
    // The page renders none of it: the envelope for the script, and a line
    // for a browser without JavaScript.
    let (status, page) = app.html(&format!("/{id}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("Decrypting it needs JavaScript"), "{page}");
    assert!(page.contains(&format!("<pre id=\"e2e-envelope\" hidden>{sealed}</pre>")));
    assert!(!page.contains("paste-content"), "no rendered lines");
    // Delete works as for any paste.
    let token = created["delete_token"].as_str().expect("a token");
    assert_eq!(app.delete_paste(id, Some(token)).await.status(), 204);
    assert_eq!(app.get(&format!("/raw/{id}")).await.0, 404);
}

#[tokio::test]
async fn what_is_not_an_envelope_or_disagrees_with_it_is_a_clear_422() {
    let app = spawn_app().await;
    let cases = [
        (
            json!({"content": "plain text", "end_to_end": true}),
            "invalid_envelope",
        ),
        (
            json!({"content": envelope(NEVER).replace("e2e-v1", "e2e-v9"), "end_to_end": true}),
            "invalid_envelope",
        ),
        (
            json!({"content": format!("{}.x", envelope(NEVER)), "end_to_end": true}),
            "invalid_envelope",
        ),
        (
            json!({"content": envelope(r#"{"expires":"never"}"#), "end_to_end": true}),
            "invalid_envelope",
        ),
        (
            json!({"content": format!("e2e-v1.{}.{}.{}", b64(NEVER.as_bytes()), b64(&[9; 8]), b64(&[5; 40])), "end_to_end": true}),
            "invalid_envelope",
        ),
        (
            json!({"content": envelope(NEVER), "end_to_end": true, "expires": "1h"}),
            "envelope_mismatch",
        ),
        (
            json!({"content": envelope(NEVER), "end_to_end": true, "burn_after_read": true}),
            "envelope_mismatch",
        ),
        (
            json!({"content": envelope(NEVER), "end_to_end": true, "title": "in clear"}),
            "not_for_end_to_end",
        ),
        (
            json!({"content": envelope(NEVER), "end_to_end": true, "language": "rust"}),
            "not_for_end_to_end",
        ),
        (
            json!({"content": envelope(NEVER), "end_to_end": true, "visibility": "public"}),
            "not_for_end_to_end",
        ),
        (
            json!({"content": envelope(NEVER), "end_to_end": "yes"}),
            "invalid_field",
        ),
    ];
    for (body, code) in cases {
        let answer = app.post_paste(&body).await;
        assert_eq!(answer.status(), 422, "{body}");
        assert_eq!(error_code(answer).await, code, "{body}");
    }
    // The same refusals on the form surface, as text for curl.
    let form = reqwest::multipart::Form::new()
        .text("content", "plain text")
        .text("end_to_end", "1");
    let answer = app
        .client
        .post(app.url("/"))
        .multipart(form)
        .send()
        .await
        .expect("an answer");
    assert_eq!(answer.status(), 422);
    let text = answer.text().await.expect("a body");
    assert!(text.contains("e2e-v1 envelope"), "{text}");
    // A browser gets the form back with the reason, and not the envelope
    // (the text it sealed never left the browser).
    let sealed = envelope(NEVER);
    let form = reqwest::multipart::Form::new()
        .text("content", sealed.clone())
        .text("end_to_end", "on")
        .text("expires", "1h");
    let answer = app
        .client
        .post(app.url("/"))
        .header("Accept", "text/html")
        .multipart(form)
        .send()
        .await
        .expect("an answer");
    assert_eq!(answer.status(), 422);
    let page = answer.text().await.expect("a page");
    assert!(page.contains("another expiry"), "{page}");
    assert!(
        !page.contains(&sealed),
        "the envelope is not put back in the form"
    );
}

#[tokio::test]
async fn a_burn_after_read_envelope_burns_once() {
    let app = spawn_app().await;
    let header = r#"{"expires":"1h","burn_after_read":true,"kdf":null}"#;
    let created = app
        .create(json!({"content": envelope(header), "end_to_end": true, "expires": "1h", "burn_after_read": true}))
        .await;
    assert_eq!(app.get(&format!("/raw/{}", created.id)).await.0, 200);
    assert_eq!(app.get(&format!("/raw/{}", created.id)).await.0, 404);
}

#[tokio::test]
async fn an_envelope_cannot_be_forked_on_either_surface() {
    let app = spawn_app().await;
    let created: serde_json::Value = app
        .post_paste(&json!({"content": envelope(NEVER), "end_to_end": true}))
        .await
        .json()
        .await
        .expect("JSON");
    let id = created["id"].as_str().expect("an id");
    let api = app
        .client
        .post(format!("{}/api/v1/pastes/{id}/forks", app.address))
        .send()
        .await
        .expect("the fork request is answered");
    assert_eq!(api.status(), 409);
    assert_eq!(error_code(api).await, "end_to_end_not_forkable");
    let form = app
        .client
        .post(format!("{}/{id}/fork", app.address))
        .send()
        .await
        .expect("the fork form is answered");
    assert_eq!(form.status(), 409);
    // Nothing was made: the envelope is still its only paste's.
    assert_eq!(app.get(&format!("/raw/{id}")).await.0, 200);
}
