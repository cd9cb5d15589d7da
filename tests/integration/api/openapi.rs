//! The OpenAPI document describes the answers the API really gives.

use serde_json::{Value, json};

use crate::support::app::{TestApp, TestPaste, spawn_app};

/// A JSON Schema (2020-12, the dialect of OpenAPI 3.1) validator for one
/// schema of the document. The schema is given the document's `components`,
/// so its `#/components/schemas/...` references resolve inside it; formats
/// (`date-time`, ...) are checked too.
pub(super) fn validator(doc: &Value, schema: &Value) -> jsonschema::Validator {
    let mut root = schema.as_object().expect("a schema object").clone();
    root.insert("components".into(), doc["components"].clone());
    jsonschema::draft202012::options()
        .should_validate_formats(true)
        .build(&Value::Object(root))
        .unwrap_or_else(|e| panic!("the document's schema {schema} compiles: {e}"))
}

/// The schema the document declares for one answer, if it has a JSON body.
pub(super) fn declared_schema<'d>(
    doc: &'d Value,
    path: &str,
    method: &str,
    status: &str,
) -> Option<&'d Value> {
    let operation = &doc["paths"][path][method];
    assert!(operation.is_object(), "{method} {path} is not documented");
    let declared = &operation["responses"][status];
    assert!(
        declared.is_object(),
        "{method} {path} answered {status}, which the document does not declare"
    );
    declared["content"]["application/json"]["schema"]
        .as_object()
        .map(|_| &declared["content"]["application/json"]["schema"])
}

/// Every way `value` breaks the schema, one line each (none when it fits).
pub(super) fn violations(doc: &Value, schema: &Value, value: &Value) -> Vec<String> {
    validator(doc, schema)
        .iter_errors(value)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

/// Checks one real answer against the document's entry for its operation.
pub(super) async fn conforms(doc: &Value, path: &str, method: &str, response: reqwest::Response) {
    let status = response.status().as_u16().to_string();
    let body = response.bytes().await.expect("a body");
    match declared_schema(doc, path, method, &status) {
        Some(schema) => {
            let value: Value = serde_json::from_slice(&body).expect("a JSON body");
            let broken = violations(doc, schema, &value);
            assert!(
                broken.is_empty(),
                "{method} {path} {status} does not match the document: {broken:#?}\n{value}"
            );
        }
        None => assert!(
            body.is_empty(),
            "{method} {path} {status} has an undocumented body"
        ),
    }
}

/// The document, as the app serves it.
pub(super) async fn document(app: &TestApp) -> Value {
    let response = app.get_path("/api/v1/openapi.json").await;
    assert_eq!(response.status(), 200);
    response.json().await.expect("a JSON document")
}

#[tokio::test]
async fn the_document_is_openapi_3_1_and_lists_the_api() {
    let app = spawn_app().await;
    let doc = document(&app).await;
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
    let doc = document(&app).await;
    let pastes = "/api/v1/pastes";

    let created = TestPaste::new("x").expires("1h").create(&app).await;
    conforms(
        &doc,
        pastes,
        "post",
        app.post_paste(&json!({"content": "y"})).await,
    )
    .await;
    for bad in [
        json!({"content": ""}),
        json!({"content": 1}),
        json!({"content": "x", "visibility": "private"}),
    ] {
        conforms(&doc, pastes, "post", app.post_paste(&bad).await).await;
    }
    let malformed = app
        .client
        .post(app.url(pastes))
        .header("content-type", "application/json")
        .body("{")
        .send();
    conforms(&doc, pastes, "post", malformed.await.expect("answered")).await;
    let wrong_type = app.client.post(app.url(pastes)).body("x").send();
    conforms(&doc, pastes, "post", wrong_type.await.expect("answered")).await;

    let two = json!({"files": [
        {"name": "a.rs", "content": "fn a() {}"}, {"name": "b.txt", "content_base64": "Yg=="}
    ]});
    let multi_id = app.create(two.clone()).await.id;
    conforms(&doc, pastes, "post", app.post_paste(&two).await).await;

    let item = "/api/v1/pastes/{id}";
    conforms(&doc, item, "get", app.get_api_paste(&created.id).await).await;
    conforms(&doc, item, "get", app.get_api_paste(&multi_id).await).await;
    conforms(&doc, item, "get", app.get_api_paste("zzzzzzzz").await).await;
    for token in [None, Some("wrong"), Some(created.token.as_str())] {
        conforms(
            &doc,
            item,
            "delete",
            app.delete_paste(&created.id, token).await,
        )
        .await;
    }
}

#[tokio::test]
async fn the_user_listing_answers_as_documented() {
    let app = spawn_app().await;
    crate::support::users::seed(app.dir.path(), "ada", 3).await;
    let doc = document(&app).await;
    for path in [
        "/api/v1/users/ada/pastes?limit=1",
        "/api/v1/users/nobody/pastes",
        "/api/v1/users/ada/pastes?cursor=x",
    ] {
        let response = app.get_path(path).await;
        conforms(&doc, "/api/v1/users/{username}/pastes", "get", response).await;
    }
}

/// The check is not a rubber stamp: a real answer passes, and the same answer
/// with a nullable field of the wrong type, a required field dropped, a count
/// below zero or a time that is no date-time fails.
#[tokio::test]
async fn the_check_rejects_answers_that_break_the_document() {
    let app = spawn_app().await;
    let doc = document(&app).await;
    let schema =
        declared_schema(&doc, "/api/v1/pastes/{id}", "get", "200").expect("a read answers JSON");
    let created = TestPaste::new("x").create(&app).await;
    let real: Value = app
        .get_api_paste(&created.id)
        .await
        .json()
        .await
        .expect("JSON");
    assert_eq!(violations(&doc, schema, &real), Vec::<String>::new());

    // utoipa writes these `Option`s as `type: [T, "null"]`.
    let nullable = ["title", "language", "expires_at", "author"];
    for field in nullable {
        let mut null = real.clone();
        null[field] = Value::Null;
        assert_eq!(
            violations(&doc, schema, &null),
            Vec::<String>::new(),
            "{field} may be null"
        );
        let mut wrong = real.clone();
        wrong[field] = json!(42);
        assert!(
            !violations(&doc, schema, &wrong).is_empty(),
            "{field} = 42 passed"
        );
    }
    let mut missing = real.clone();
    missing.as_object_mut().expect("an object").remove("id");
    assert!(
        !violations(&doc, schema, &missing).is_empty(),
        "no id passed"
    );
    let mut negative = real.clone();
    negative["views"] = json!(-1);
    assert!(
        !violations(&doc, schema, &negative).is_empty(),
        "views = -1 passed"
    );
    let mut bad_time = real.clone();
    bad_time["created_at"] = json!("yesterday");
    assert!(
        !violations(&doc, schema, &bad_time).is_empty(),
        "a created_at that is no date-time passed"
    );
}

/// The document has no `oneOf`/`anyOf` today, but utoipa writes them for an
/// `Option` of a component (`oneOf: [null, $ref]`) and for enums with data;
/// the same check, with the same borrowed `components`, holds to them.
#[test]
fn the_check_holds_to_one_of_and_any_of_through_references() {
    let doc = json!({"components": {"schemas": {
        "Author": {"type": "object", "required": ["name"],
                   "properties": {"name": {"type": "string"}}},
        "Id": {"type": "string", "minLength": 8, "maxLength": 8},
    }}});
    let schema = json!({"type": "object", "properties": {
        "author": {"oneOf": [{"type": "null"}, {"$ref": "#/components/schemas/Author"}]},
        "ref": {"anyOf": [{"$ref": "#/components/schemas/Id"}, {"type": "integer"}]},
    }});
    for fits in [
        json!({"author": null, "ref": "abcdEFGH"}),
        json!({"author": {"name": "ada"}, "ref": 7}),
    ] {
        assert_eq!(
            violations(&doc, &schema, &fits),
            Vec::<String>::new(),
            "{fits}"
        );
    }
    for breaks in [
        json!({"author": {"nom": "ada"}}),
        json!({"author": "ada"}),
        json!({"ref": "short"}),
        json!({"ref": 1.5}),
    ] {
        assert!(
            !violations(&doc, &schema, &breaks).is_empty(),
            "{breaks} passed"
        );
    }
}

#[tokio::test]
async fn the_document_describes_bearer_tokens_and_their_answers_match_it() {
    let app = spawn_app().await;
    let doc = document(&app).await;
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
    for (path, method) in [
        ("/api/v1/pastes", "post"),
        ("/api/v1/pastes/{id}", "get"),
        ("/api/v1/pastes/{id}", "delete"),
        ("/api/v1/pastes/{id}/stats", "get"),
        ("/api/v1/users/{username}/pastes", "get"),
    ] {
        let operation = &doc["paths"][path][method];
        assert!(
            operation["responses"]["401"].is_object(),
            "{method} {path}: 401"
        );
        assert!(
            operation["security"].to_string().contains("bearer"),
            "{method} {path}: security"
        );
    }
    app.signed_up("ada").await;
    let exchange = |password: &'static str| {
        app.client
            .post(app.url("/api/v1/tokens"))
            .json(&serde_json::json!({"username": "ada", "password": password, "name": "CI"}))
            .send()
    };
    let issued = exchange(crate::support::accounts::PASSWORD)
        .await
        .expect("answered");
    assert_eq!(issued.status(), 201);
    conforms(&doc, "/api/v1/tokens", "post", issued).await;
    let refused = exchange("wrong password").await.expect("answered");
    assert_eq!(refused.status(), 401);
    conforms(&doc, "/api/v1/tokens", "post", refused).await;
    let bad_bearer = app
        .client
        .get(app.url("/api/v1/pastes/abcdEFGH"))
        .header("Authorization", "Bearer nonsense")
        .send()
        .await
        .expect("answered");
    assert_eq!(bad_bearer.status(), 401);
    conforms(&doc, "/api/v1/pastes/{id}", "get", bad_bearer).await;
}

/// The API can have an account (a bearer token): its document says how to
/// make a private paste rather than that it cannot.
#[tokio::test]
async fn the_document_says_a_bearer_token_makes_a_paste_private() {
    let app = spawn_app().await;
    let doc: Value = app
        .client
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .expect("answered")
        .json()
        .await
        .expect("JSON");
    let text = doc.to_string();
    assert!(!text.contains("cannot have"), "a stale sentence is left");
    let visibility = &doc["components"]["schemas"]["CreatePaste"]["properties"]["visibility"];
    let said = visibility["description"].as_str().expect("described");
    assert!(said.contains("bearer token"), "{said}");
}
