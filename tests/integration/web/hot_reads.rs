//! Hot reads answer from what the shared view's first read made (its
//! `ETag`, its page around the visit count): the same answers as before,
//! never one made of an older view.

use serde_json::json;

use crate::support::app::{TestPaste, spawn_app};

#[tokio::test]
async fn a_hot_page_is_the_first_read_s_page_with_its_own_visit_count() {
    let app = spawn_app().await;
    let created = TestPaste::new("fn main() {}\n")
        .language("rust")
        .create(&app)
        .await;
    app.settle().await;
    let page = format!("/{}", created.id);
    let (_, first) = app.html(&page).await;
    let (_, second) = app.html(&page).await;
    let (_, third) = app.html(&page).await;
    assert!(first.contains(">1 view<"), "{first}");
    assert_eq!(
        second,
        first.replace(">1 view<", ">2 views<"),
        "the same page but for its count"
    );
    assert_eq!(third, first.replace(">1 view<", ">3 views<"));
    assert!(first.contains("main"), "{first}");
}

#[tokio::test]
async fn a_markdown_page_and_its_source_are_two_pages_of_one_view() {
    let app = spawn_app().await;
    let created = TestPaste::new("# Title here\n\nSome *words*.\n")
        .language("markdown")
        .create(&app)
        .await;
    app.settle().await;
    let page = format!("/{}", created.id);
    for _ in 0..2 {
        let (_, document) = app.html(&page).await;
        assert!(document.contains("<em>words</em>"), "{document}");
        let (_, source) = app.html(&format!("{page}?source")).await;
        assert!(!source.contains("<em>words</em>"), "{source}");
        assert!(source.contains("*words*"), "{source}");
    }
}

#[tokio::test]
async fn after_an_edit_hot_reads_answer_the_new_revision_s_bytes_validator_and_page() {
    let app = spawn_app().await;
    let created = app.create(json!({"content": "old text\n"})).await;
    let raw = format!("/raw/{}", created.id);
    let page = format!("/{}", created.id);
    let mut old_etag = String::new();
    for _ in 0..3 {
        let answer = app.get_path(&raw).await;
        old_etag = answer.headers()["etag"].to_str().expect("text").to_owned();
        assert_eq!(answer.text().await.expect("text"), "old text\n");
        let (_, html) = app.html(&page).await;
        assert!(html.contains("old text"), "{html}");
    }
    let edited = app
        .client
        .patch(app.url(&format!("/api/v1/pastes/{}", created.id)))
        .header("X-Delete-Token", &created.token)
        .json(&json!({"revision": 1, "content": "new text\n"}))
        .send()
        .await
        .expect("the edit is answered");
    assert_eq!(edited.status(), 200);
    for _ in 0..3 {
        let answer = app.get_path(&raw).await;
        let etag = answer.headers()["etag"].to_str().expect("text").to_owned();
        assert_ne!(etag, old_etag, "a new revision, a new validator");
        assert_eq!(answer.text().await.expect("text"), "new text\n");
        let stale = app
            .client
            .get(app.url(&raw))
            .header("If-None-Match", &old_etag)
            .send()
            .await
            .expect("answered");
        assert_eq!(stale.status(), 200, "the old validator matches no more");
        let (_, html) = app.html(&page).await;
        assert!(
            html.contains("new text") && !html.contains("old text"),
            "{html}"
        );
    }
}
