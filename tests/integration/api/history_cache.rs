//! A paste's revisions and diffs are cached objects: read twice, the second
//! read reaches neither the store nor a render process; they are
//! highlighted as the paste page is; and a revision trimmed or a paste
//! deleted is 404 from then on, cached or not.

use serde_json::{Value, json};

use crate::support::app::{TestApp, spawn_app, spawn_with};

const ONE: &str = "fn main() {\n    println!(\"one\");\n}\n";
const TWO: &str = "fn main() {\n    println!(\"two\");\n}\n";
const THREE: &str = "fn main() {\n    let n = 3;\n    println!(\"{n}\");\n}\n";

/// A Rust paste edited into revisions 2 and 3; its id and delete token.
async fn edited_thrice(app: &TestApp) -> (String, String) {
    let created: Value = app
        .post_paste(&json!({"content": ONE, "language": "rust"}))
        .await
        .json()
        .await
        .expect("JSON");
    let id = created["id"].as_str().expect("an id").to_owned();
    let token = created["delete_token"]
        .as_str()
        .expect("a token")
        .to_owned();
    for (base, content) in [(1, TWO), (2, THREE)] {
        let answer = app
            .client
            .patch(app.url(&format!("/api/v1/pastes/{id}")))
            .header("X-Delete-Token", &token)
            .json(&json!({"revision": base, "content": content}))
            .send()
            .await
            .expect("the edit is answered");
        assert_eq!(answer.status(), 200);
    }
    app.worker.run_until_empty().await;
    (id, token)
}

fn history_paths(id: &str) -> [String; 5] {
    [
        format!("/{id}/r/1"),
        format!("/raw/{id}/r/1"),
        format!("/{id}/r/3"),
        format!("/{id}/diff/1..3"),
        format!("/api/v1/pastes/{id}/revisions/2"),
    ]
}

fn renders(app: &TestApp) -> u64 {
    ["highlight", "markdown", "plain", "timeout", "busy"]
        .iter()
        .map(|kind| app.metrics.renders(kind))
        .sum()
}

#[tokio::test]
async fn a_revision_and_a_diff_read_twice_reach_the_store_and_the_renderer_once() {
    let app = spawn_app().await;
    let (id, _) = edited_thrice(&app).await;
    for path in history_paths(&id) {
        assert_eq!(app.html(&path).await.0, 200, "{path}");
    }
    let (store, rendered) = (app.store_operations_total().await, renders(&app));
    for path in history_paths(&id) {
        assert_eq!(app.html(&path).await.0, 200, "{path}");
    }
    assert_eq!(
        app.store_operations_total().await,
        store,
        "a second read of a revision or a diff reached the store"
    );
    assert_eq!(renders(&app), rendered, "a second read rendered again");
    let (_, raw) = app.get(&format!("/raw/{id}/r/1")).await;
    assert_eq!(raw, ONE, "the cached revision is revision 1's text");
    let (_, api) = app.get(&format!("/api/v1/pastes/{id}/revisions/2")).await;
    let api: Value = serde_json::from_str(&api).expect("JSON");
    assert_eq!(
        (api["number"].as_u64(), api["content"].as_str()),
        (Some(2), Some(TWO))
    );
}

#[tokio::test]
async fn old_revisions_and_diffs_are_highlighted_with_the_marks_beside() {
    let app = spawn_app().await;
    let (id, _) = edited_thrice(&app).await;
    let (status, page) = app.html(&format!("/{id}/r/1")).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("<span class=\"k\">fn</span>"),
        "highlighted: {page}"
    );
    assert!(page.contains("id=\"language\">Rust<"), "{page}");
    let (status, diff) = app.html(&format!("/{id}/diff/1..3")).await;
    assert_eq!(status, 200);
    // The removed line keeps revision 1's highlighting, the added one
    // revision 3's, each after its sign.
    assert!(
        diff.contains("<span class=\"removed\"><span class=\"sign\">-</span>    println!(<span class=\"s\">&quot;one&quot;</span>);</span>"),
        "{diff}"
    );
    assert!(
        diff.contains(
            "<span class=\"added\"><span class=\"sign\">+</span>    <span class=\"k\">let</span>"
        ),
        "{diff}"
    );
    assert!(
        diff.contains(
            "<span class=\"kept\"><span class=\"sign\"> </span><span class=\"k\">fn</span>"
        ),
        "{diff}"
    );
    // A program still gets the unified diff as text.
    let text = app
        .client
        .get(app.url(&format!("/{id}/diff/1..3")))
        .header("Accept", "text/plain")
        .send()
        .await
        .expect("answered")
        .text()
        .await
        .expect("text");
    assert!(
        text.contains("-    println!(\"one\");\n+    let n = 3;\n"),
        "{text}"
    );
}

#[tokio::test]
async fn a_deleted_paste_s_cached_history_is_404() {
    let app = spawn_app().await;
    let (id, token) = edited_thrice(&app).await;
    for path in history_paths(&id) {
        assert_eq!(app.html(&path).await.0, 200, "{path}");
    }
    assert_eq!(app.delete_paste(&id, Some(&token)).await.status(), 204);
    for path in history_paths(&id) {
        assert_eq!(app.html(&path).await.0, 404, "{path} after the delete");
    }
}

#[tokio::test]
async fn a_trimmed_revision_is_404_though_it_was_cached() {
    let app = spawn_with(|s| s.limits.revisions_kept = 1).await;
    let created: Value = app
        .post_paste(&json!({"content": ONE}))
        .await
        .json()
        .await
        .expect("JSON");
    let id = created["id"].as_str().expect("an id");
    let token = created["delete_token"].as_str().expect("a token");
    let edit = |base: u64, content: &'static str| {
        app.client
            .patch(app.url(&format!("/api/v1/pastes/{id}")))
            .header("X-Delete-Token", token)
            .json(&json!({"revision": base, "content": content}))
            .send()
    };
    assert_eq!(edit(1, TWO).await.expect("answered").status(), 200);
    for path in [
        format!("/{id}/r/1"),
        format!("/raw/{id}/r/1"),
        format!("/{id}/diff/1..2"),
    ] {
        assert_eq!(app.html(&path).await.0, 200, "{path} while kept");
    }
    assert_eq!(edit(2, THREE).await.expect("answered").status(), 200);
    for path in [
        format!("/{id}/r/1"),
        format!("/raw/{id}/r/1"),
        format!("/{id}/diff/1..2"),
    ] {
        assert_eq!(app.html(&path).await.0, 404, "{path} once trimmed");
    }
    assert_eq!(
        app.get(&format!("/raw/{id}/r/2")).await,
        (200, TWO.to_owned())
    );
}
