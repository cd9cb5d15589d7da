//! An edit on one clone, readers on another: once the edit has answered, no
//! read that starts after it sees the old text, on any surface, near tier
//! included (the other clone hears of Redis's changes late, on purpose).

use std::sync::Arc;
use std::time::{Duration, Instant};

use super::near::{clones_with_a_slow_one, until_near_hit};
use crate::support::redis::RedisServer;

const OLD: &str = "the old text, revision one";
const NEW: &str = "the new text, revision two";

fn surfaces(id: &str) -> Vec<String> {
    vec![
        format!("/raw/{id}"),
        format!("/{id}"),
        format!("/{id}?source"),
        format!("/{id}.txt"),
        format!("/api/v1/pastes/{id}"),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn no_read_that_starts_after_an_edit_answered_sees_the_old_text() {
    let redis = RedisServer::start().await;
    // b hears of a's changes 400 ms after Redis made them.
    let (a, b, _link) = clones_with_a_slow_one(&redis, Duration::from_millis(400)).await;
    let created = a.create_text(OLD).await;
    a.settle().await;
    for path in surfaces(&created.id) {
        until_near_hit(&b, &path).await;
    }
    // 100 readers read every surface through b while a edits.
    let answered: Arc<std::sync::Mutex<Option<Instant>>> = Arc::default();
    let stale = Arc::new(std::sync::Mutex::new(Vec::new()));
    let readers: Vec<_> = (0..100)
        .map(|i| {
            let (client, answered, stale) = (b.client.clone(), answered.clone(), stale.clone());
            let paths = surfaces(&created.id);
            let urls: Vec<String> = paths.iter().map(|p| b.url(p)).collect();
            tokio::spawn(async move {
                for round in 0..20 {
                    let url = &urls[(i + round) % urls.len()];
                    let started = Instant::now();
                    let Ok(response) = client.get(url).send().await else {
                        continue;
                    };
                    let body = response.text().await.unwrap_or_default();
                    let after = answered
                        .lock()
                        .expect("a lock")
                        .is_some_and(|at| started > at);
                    if after && body.contains(OLD) {
                        stale.lock().expect("a lock").push(url.clone());
                    }
                }
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(50)).await;
    let edited = a
        .client
        .patch(a.url(&format!("/api/v1/pastes/{}", created.id)))
        .header("X-Delete-Token", &created.token)
        .json(&serde_json::json!({ "revision": 1, "content": NEW }))
        .send()
        .await
        .expect("the edit is answered");
    *answered.lock().expect("a lock") = Some(Instant::now());
    assert_eq!(edited.status(), 200);
    for path in surfaces(&created.id) {
        let (status, body) = b.get(&path).await;
        assert_eq!(status, 200, "{path}");
        assert!(!body.contains(OLD), "{path} on b still shows the old text");
        assert!(body.contains(NEW), "{path} on b does not show the edit");
    }
    for reader in readers {
        reader.await.expect("a reader finishes");
    }
    let stale = stale.lock().expect("a lock");
    assert!(
        stale.is_empty(),
        "reads that started after the edit answered saw the old text: {stale:?}"
    );
}
