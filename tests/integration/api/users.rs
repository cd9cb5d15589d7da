//! `GET /api/v1/users/{username}/pastes`: the user and their public pastes,
//! joined in the application, paged with a cursor.

use serde_json::Value;

use crate::support::app::{error_code, spawn_app};
use crate::support::users::seed;

#[tokio::test]
async fn a_users_public_pastes_come_newest_first_a_page_at_a_time() {
    let app = spawn_app().await;
    let ada = seed(app.dir.path(), "ada", 8).await;
    let mut listed: Vec<Value> = Vec::new();
    let mut path = "/api/v1/users/Ada/pastes?limit=2".to_owned();
    let mut pages = 0;
    loop {
        let (status, text) = app.get(&path).await;
        assert_eq!(status, 200, "{text}");
        let body: Value = serde_json::from_str(&text).expect("JSON");
        assert_eq!(body["user"]["username"], "ada");
        assert_eq!(body["user"]["pastes_created"], 8);
        let lines = body["pastes"].as_array().expect("a list");
        assert!(!lines.is_empty() && lines.len() <= 2, "{text}");
        listed.extend(lines.iter().cloned());
        pages += 1;
        match body["next_cursor"].as_str() {
            Some(cursor) => path = format!("/api/v1/users/ada/pastes?limit=2&cursor={cursor}"),
            None => break,
        }
    }
    assert_eq!(pages, ada.public.len().div_ceil(2), "no empty last page");
    let ids: Vec<&str> = listed
        .iter()
        .map(|l| l["id"].as_str().expect("id"))
        .collect();
    let expected: Vec<&str> = ada.public.iter().map(|p| p.id().as_str()).collect();
    assert_eq!(ids, expected, "every public paste once, newest first");
    let first = &listed[0];
    assert_eq!(first["title"], "paste 0");
    assert_eq!(first["url"], app.url(&format!("/{}", ids[0])));
    assert_eq!(first["raw_url"], app.url(&format!("/raw/{}", ids[0])));
    assert_eq!(first["size_bytes"], "content of paste 0\n".len());
    assert!(first.get("content").is_none(), "a list carries no content");
    for hidden in &ada.unlisted {
        assert!(
            !ids.contains(&hidden.id().as_str()),
            "unlisted pastes stay off the list"
        );
    }
}

#[tokio::test]
async fn unknown_users_and_bad_parameters_get_clear_errors() {
    let app = spawn_app().await;
    seed(app.dir.path(), "ada", 1).await;
    for (path, status, code) in [
        ("/api/v1/users/nobody/pastes", 404, "not_found"),
        ("/api/v1/users/not%20a%20name/pastes", 404, "not_found"),
        (
            "/api/v1/users/ada/pastes?cursor=bogus",
            422,
            "invalid_cursor",
        ),
        ("/api/v1/users/ada/pastes?limit=0", 422, "invalid_limit"),
        ("/api/v1/users/ada/pastes?limit=1000", 422, "invalid_limit"),
        ("/api/v1/users/ada/pastes?page=2", 422, "unknown_field"),
    ] {
        let response = app.get_path(path).await;
        assert_eq!(response.status(), status, "{path}");
        assert_eq!(error_code(response).await, code, "{path}");
    }
    // A user without public pastes is an empty list, not an error.
    seed(app.dir.path(), "grace", 0).await;
    let (status, text) = app.get("/api/v1/users/grace/pastes").await;
    assert_eq!(status, 200);
    let body: Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(body["pastes"], serde_json::json!([]));
    assert!(body["next_cursor"].is_null());
}
