//! Issue 22's API warts: the language list, an optional delete token header,
//! what a read says of the language shown, the owner's list, and the message
//! for an unknown language.

use serde_json::{Value, json};

use crate::support::accounts::PASSWORD;
use crate::support::app::{client, spawn_app};

async fn document(app: &crate::support::app::TestApp) -> Value {
    let (status, text) = app.get("/api/v1/openapi.json").await;
    assert_eq!(status, 200);
    serde_json::from_str(&text).expect("JSON")
}

async fn api_token(app: &crate::support::app::TestApp, username: &str) -> String {
    app.signed_up(username).await;
    let issued: Value = client()
        .post(app.url("/api/v1/tokens"))
        .json(&json!({"username": username, "password": PASSWORD, "name": "test"}))
        .send()
        .await
        .expect("the app answers")
        .json()
        .await
        .expect("JSON");
    issued["token"].as_str().expect("a token").to_owned()
}

#[tokio::test]
async fn the_languages_are_listed_once_each_and_the_document_names_only_tokens() {
    let app = spawn_app().await;
    let response = app.get_path("/api/v1/languages").await;
    assert_eq!(response.status(), 200);
    let cache = response.headers()["cache-control"].to_str().expect("ASCII");
    assert!(
        cache.contains("public") && cache.contains("max-age"),
        "{cache}"
    );
    let list: Value = response.json().await.expect("JSON");
    let languages = list["languages"].as_array().expect("a list");
    let rust = languages
        .iter()
        .find(|l| l["token"] == "rust")
        .expect("rust is listed");
    assert_eq!(rust["name"], "Rust");
    assert!(
        rust["extensions"]
            .as_array()
            .expect("a list")
            .contains(&json!("rs"))
    );
    let tokens: Vec<&str> = languages
        .iter()
        .map(|l| l["token"].as_str().expect("a token"))
        .collect();

    let doc = document(&app).await;
    let described = &doc["components"]["schemas"]["CreatePaste"]["properties"]["language"];
    let field = &described["oneOf"][0];
    let values: Vec<&Value> = field["enum"].as_array().expect("an enum").iter().collect();
    let strings: Vec<&str> = values.iter().filter_map(|v| v.as_str()).collect();
    let mut expected = vec![""];
    expected.extend(&tokens);
    assert_eq!(
        strings, expected,
        "the document lists the tokens, once each"
    );
    let mut upper: Vec<String> = strings.iter().map(|s| s.to_uppercase()).collect();
    upper.sort();
    upper.dedup();
    assert_eq!(
        upper.len(),
        strings.len(),
        "no two values differ only in case"
    );
    assert_eq!(
        field["x-enum-varnames"].as_array().map(Vec::len),
        Some(strings.len()),
        "a constant name for each value"
    );
    let description = described["description"].as_str().expect("described");
    assert!(description.contains("/api/v1/languages"), "{description}");
    assert!(doc["paths"]["/api/v1/languages"]["get"].is_object());

    // Names and extensions are still accepted.
    for spelling in ["Rust", "rs", "RUST"] {
        let created = app
            .create(json!({"content": "x", "language": spelling}))
            .await;
        assert_eq!(created.body["language"], "rust", "{spelling}");
    }
}

#[tokio::test]
async fn an_unknown_language_is_called_unknown() {
    let app = spawn_app().await;
    let response = app
        .post_paste(&json!({"content": "x", "language": "klingon"}))
        .await;
    assert_eq!(response.status(), 422);
    let body: Value = response.json().await.expect("JSON");
    assert_eq!(body["error"]["code"], "invalid_language");
    let message = body["error"]["message"].as_str().expect("a message");
    assert!(
        message.starts_with("unknown language \"klingon\""),
        "{message}"
    );
    assert!(message.contains("/api/v1/languages"), "{message}");
}

#[tokio::test]
async fn the_delete_token_header_is_optional_and_the_author_needs_none() {
    let app = spawn_app().await;
    let doc = document(&app).await;
    let parameters = doc["paths"]["/api/v1/pastes/{id}"]["delete"]["parameters"]
        .as_array()
        .expect("parameters");
    let header = parameters
        .iter()
        .find(|p| p["name"] == "X-Delete-Token")
        .expect("X-Delete-Token is documented");
    assert_ne!(header["required"], true, "{header}");
    let said = header["description"].as_str().expect("described");
    assert!(said.contains("bearer"), "{said}");

    let token = api_token(&app, "ada").await;
    let created: Value = client()
        .post(app.url("/api/v1/pastes"))
        .bearer_auth(&token)
        .json(&json!({"content": "mine"}))
        .send()
        .await
        .expect("the app answers")
        .json()
        .await
        .expect("JSON");
    let id = created["id"].as_str().expect("an id");
    let deleted = client()
        .delete(app.url(&format!("/api/v1/pastes/{id}")))
        .bearer_auth(&token)
        .send()
        .await
        .expect("the app answers");
    assert_eq!(deleted.status(), 204, "no X-Delete-Token header at all");
}

#[tokio::test]
async fn a_read_says_which_language_the_page_shows_and_how_it_was_found() {
    let app = spawn_app().await;
    let doc = document(&app).await;
    let read = &doc["components"]["schemas"]["PasteWithContent"];
    let text = read.to_string();
    assert!(
        text.contains("shown_language") && text.contains("\"detected\""),
        "{text}"
    );

    let named = app
        .create(json!({"content": "x = 1\n", "language": "python"}))
        .await;
    let guessed = app
        .create(json!({"content": "#!/usr/bin/env python3\nprint(1)\n"}))
        .await;
    let nothing = app.create(json!({"content": "just words"})).await;
    for (created, language, shown, detected) in [
        (&named, json!("python"), "python", json!(null)),
        (&guessed, json!(null), "python", json!("first_line")),
        (&nothing, json!(null), "text", json!(null)),
    ] {
        let response = app.get_api_paste(&created.id).await;
        assert_eq!(response.status(), 200);
        let body: Value = response.json().await.expect("JSON");
        assert_eq!(body["language"], language, "{body}");
        assert_eq!(body["shown_language"], shown, "{body}");
        assert_eq!(body["detected"], detected, "{body}");
    }
}

#[tokio::test]
async fn the_owners_list_says_each_pastes_visibility_and_burn() {
    let app = spawn_app().await;
    let token = api_token(&app, "ada").await;
    for body in [
        json!({"content": "a", "visibility": "private"}),
        json!({"content": "b", "visibility": "unlisted", "burn_after_read": true}),
        json!({"content": "c"}),
    ] {
        let response = client()
            .post(app.url("/api/v1/pastes"))
            .bearer_auth(&token)
            .json(&body)
            .send()
            .await
            .expect("the app answers");
        assert_eq!(response.status(), 201);
    }
    let list: Value = client()
        .get(app.url("/api/v1/users/ada/pastes"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("the app answers")
        .json()
        .await
        .expect("JSON");
    let seen: Vec<(Value, Value)> = list["pastes"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|p| (p["visibility"].clone(), p["burn_after_read"].clone()))
        .collect();
    assert_eq!(
        seen,
        vec![
            (json!("public"), json!(false)),
            (json!("unlisted"), json!(true)),
            (json!("private"), json!(false)),
        ],
        "{list}"
    );
}
