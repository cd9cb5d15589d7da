//! Revisions and diffs cached in Redis, read by two clones: the other
//! clone's second read reaches no store, and once a paste is deleted on
//! one clone its cached history is 404 on both.

use serde_json::json;

use crate::support::app::{TestApp, spawn_clones};
use crate::support::redis::RedisServer;

fn history_paths(id: &str) -> [String; 4] {
    [
        format!("/{id}/r/1"),
        format!("/raw/{id}/r/1"),
        format!("/{id}/diff/1..2"),
        format!("/api/v1/pastes/{id}/revisions/1"),
    ]
}

async fn read_all(app: &TestApp, id: &str, status: u16) {
    for path in history_paths(id) {
        assert_eq!(app.html(&path).await.0, status, "{path}");
    }
}

#[tokio::test]
async fn a_revision_cached_by_one_clone_is_read_by_another_and_gone_with_its_paste() {
    let redis = RedisServer::start().await;
    let (a, b) = spawn_clones(&redis.url(), |_| {}).await;
    let created = a
        .create(json!({"content": "let a = 1;\n", "language": "rust"}))
        .await;
    let edited = a
        .client
        .patch(a.url(&format!("/api/v1/pastes/{}", created.id)))
        .header("X-Delete-Token", &created.token)
        .json(&json!({"revision": 1, "content": "let a = 2;\n"}))
        .send()
        .await
        .expect("the edit is answered");
    assert_eq!(edited.status(), 200);
    a.worker.run_until_empty().await;
    read_all(&a, &created.id, 200).await;
    let before = b.store_operations_total().await;
    read_all(&b, &created.id, 200).await;
    assert_eq!(
        b.store_operations_total().await,
        before,
        "b read a's cached revisions and diff without the store"
    );
    let deleted = a.delete_paste(&created.id, Some(&created.token)).await;
    assert_eq!(deleted.status(), 204);
    read_all(&b, &created.id, 404).await;
    read_all(&a, &created.id, 404).await;
}
