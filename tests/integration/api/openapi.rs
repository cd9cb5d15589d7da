//! The OpenAPI document describes the answers the API really gives.

use serde_json::{Value, json};

use crate::support::app::{TestApp, spawn_app};

/// Follows a `$ref` to `#/components/schemas/...`.
fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(reference) => {
            let name = reference.trim_start_matches("#/components/schemas/");
            resolve(doc, &doc["components"]["schemas"][name])
        }
        None => schema,
    }
}

/// Checks `value` against `schema`: types, required properties, nested objects.
fn check(doc: &Value, schema: &Value, value: &Value, at: &str) {
    let schema = resolve(doc, schema);
    for key in ["allOf", "oneOf", "anyOf"] {
        if let Some(parts) = schema.get(key).and_then(Value::as_array) {
            if key == "allOf" {
                parts.iter().for_each(|p| check(doc, p, value, at));
            }
            // oneOf/anyOf are only used here for nullable references.
            if key != "allOf" && !value.is_null() {
                let fits = parts
                    .iter()
                    .any(|p| resolve(doc, p).get("type") != Some(&json!("null")));
                assert!(fits, "{at}: no alternative fits");
            }
        }
    }
    if let Some(types) = schema.get("type") {
        let allowed: Vec<&str> = match types {
            Value::String(t) => vec![t.as_str()],
            Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        let actual = match value {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(n) if n.is_u64() || n.is_i64() => "integer",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        };
        let ok = allowed.contains(&actual) || (actual == "integer" && allowed.contains(&"number"));
        assert!(ok, "{at}: {actual} where the document says {allowed:?}");
    }
    if let (Some(object), Some(properties)) = (value.as_object(), schema.get("properties")) {
        for name in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let name = name.as_str().expect("a name");
            assert!(
                object.contains_key(name),
                "{at}: required `{name}` is missing"
            );
        }
        for (name, sub) in properties.as_object().expect("properties") {
            if let Some(v) = object.get(name) {
                check(doc, sub, v, &format!("{at}.{name}"));
            }
        }
    }
}

/// Checks one real answer against the document's entry for its operation.
async fn conforms(
    app: &TestApp,
    doc: &Value,
    path: &str,
    method: &str,
    response: reqwest::Response,
) {
    let status = response.status().as_u16().to_string();
    let operation = &doc["paths"][path][method];
    assert!(operation.is_object(), "{method} {path} is not documented");
    let declared = &operation["responses"][&status];
    assert!(
        declared.is_object(),
        "{method} {path} answered {status}, which the document does not declare"
    );
    let body = response.bytes().await.expect("a body");
    match declared["content"]["application/json"]["schema"].as_object() {
        Some(_) => {
            let value: Value = serde_json::from_slice(&body).expect("a JSON body");
            check(
                doc,
                &declared["content"]["application/json"]["schema"],
                &value,
                &format!("{method} {path} {status}"),
            );
        }
        None => assert!(
            body.is_empty(),
            "{method} {path} {status} has an undocumented body"
        ),
    }
    let _ = app;
}

#[tokio::test]
async fn the_document_is_openapi_3_1_and_lists_the_api() {
    let app = spawn_app().await;
    let (status, text) = app.get("/api/v1/openapi.json").await;
    assert_eq!(status, 200);
    let doc: Value = serde_json::from_str(&text).expect("JSON");
    assert!(
        doc["openapi"]
            .as_str()
            .expect("a version")
            .starts_with("3.1")
    );
    for path in ["/api/v1/pastes", "/api/v1/pastes/{id}"] {
        assert!(doc["paths"][path].is_object(), "{path} missing");
    }
}

#[tokio::test]
async fn real_answers_match_the_document_including_errors() {
    let app = spawn_app().await;
    let doc: Value = serde_json::from_str(&app.get("/api/v1/openapi.json").await.1).expect("JSON");
    let create = |body: Value| {
        app.client
            .post(app.url("/api/v1/pastes"))
            .json(&body)
            .send()
    };

    let created = create(json!({"content": "x", "expires": "1h"}))
        .await
        .expect("answered");
    let body: Value = serde_json::from_slice(&created.bytes().await.expect("body")).expect("JSON");
    let id = body["id"].as_str().expect("id").to_owned();
    let token = body["delete_token"].as_str().expect("token").to_owned();
    let again = create(json!({"content": "y"})).await.expect("answered");
    conforms(&app, &doc, "/api/v1/pastes", "post", again).await;
    for bad in [
        json!({"content": ""}),
        json!({"content": 1}),
        json!({"content": "x", "visibility": "private"}),
    ] {
        conforms(
            &app,
            &doc,
            "/api/v1/pastes",
            "post",
            create(bad).await.expect("answered"),
        )
        .await;
    }
    let malformed = app
        .client
        .post(app.url("/api/v1/pastes"))
        .header("content-type", "application/json")
        .body("{")
        .send();
    conforms(
        &app,
        &doc,
        "/api/v1/pastes",
        "post",
        malformed.await.expect("answered"),
    )
    .await;
    let wrong_type = app.client.post(app.url("/api/v1/pastes")).body("x").send();
    conforms(
        &app,
        &doc,
        "/api/v1/pastes",
        "post",
        wrong_type.await.expect("answered"),
    )
    .await;

    let item = app.url(&format!("/api/v1/pastes/{id}"));
    conforms(
        &app,
        &doc,
        "/api/v1/pastes/{id}",
        "get",
        app.client.get(&item).send().await.expect("answered"),
    )
    .await;
    let missing = app.client.get(app.url("/api/v1/pastes/zzzzzzzz")).send();
    conforms(
        &app,
        &doc,
        "/api/v1/pastes/{id}",
        "get",
        missing.await.expect("answered"),
    )
    .await;
    for token in [None, Some("wrong"), Some(token.as_str())] {
        let mut request = app.client.delete(&item);
        if let Some(token) = token {
            request = request.header("X-Delete-Token", token);
        }
        conforms(
            &app,
            &doc,
            "/api/v1/pastes/{id}",
            "delete",
            request.send().await.expect("answered"),
        )
        .await;
    }
}

#[tokio::test]
async fn the_user_listing_answers_as_documented() {
    let app = spawn_app().await;
    crate::support::users::seed(app.dir.path(), "ada", 3).await;
    let doc: Value = serde_json::from_str(&app.get("/api/v1/openapi.json").await.1).expect("JSON");
    for path in [
        "/api/v1/users/ada/pastes?limit=1",
        "/api/v1/users/nobody/pastes",
        "/api/v1/users/ada/pastes?cursor=x",
    ] {
        let response = app
            .client
            .get(app.url(path))
            .send()
            .await
            .expect("answered");
        conforms(
            &app,
            &doc,
            "/api/v1/users/{username}/pastes",
            "get",
            response,
        )
        .await;
    }
}
