//! Nothing acknowledged is ever lost: restarts, kill -9, several processes.

use serde_json::json;

use crate::support::app::{client, spawn_in};
use crate::support::process::ServerProcess;

#[tokio::test]
async fn pastes_survive_a_restart() {
    let first = crate::support::app::spawn_app().await;
    let created = first
        .create(json!({"content": "still here", "expires": "1d"}))
        .await;
    first.stop().await;
    let second = spawn_in(first.dir.clone(), |_| {}).await;
    assert_eq!(
        second.get(&format!("/raw/{}", created.id)).await,
        (200, "still here".into())
    );
}

#[tokio::test]
async fn every_acknowledged_paste_survives_kill_9() {
    let dir = tempfile::tempdir().expect("a folder");
    let server = ServerProcess::start(dir.path(), &[]).await;
    let http = client();
    let creations = (0..200).map(|i| {
        let (http, url) = (http.clone(), format!("{}/", server.address));
        tokio::spawn(async move {
            let r = http
                .put(url)
                .body(format!("paste number {i}\n"))
                .send()
                .await
                .expect("answered");
            assert_eq!(r.status(), 201);
            (i, r.text().await.expect("the url"))
        })
    });
    let mut acknowledged = Vec::new();
    for creation in creations {
        acknowledged.push(creation.await.expect("joined"));
    }
    server.kill_9();

    let server = ServerProcess::start(dir.path(), &[]).await;
    for (i, url) in acknowledged {
        let id = url.trim().rsplit('/').next().expect("an id");
        let r = http
            .get(format!("{}/raw/{id}", server.address))
            .send()
            .await
            .expect("answered");
        assert_eq!(r.status(), 200, "paste {i} was lost");
        assert_eq!(r.text().await.expect("text"), format!("paste number {i}\n"));
    }
}

#[tokio::test]
async fn two_processes_share_one_embedded_store() {
    let dir = tempfile::tempdir().expect("a folder");
    let a = ServerProcess::start(dir.path(), &[]).await;
    let b = ServerProcess::start(dir.path(), &[]).await;
    let http = client();
    let made = http
        .put(format!("{}/", a.address))
        .body("written by a")
        .send()
        .await
        .expect("answered");
    let token = made.headers()["x-delete-token"]
        .to_str()
        .expect("text")
        .to_owned();
    let id = made
        .text()
        .await
        .expect("url")
        .trim()
        .rsplit('/')
        .next()
        .expect("id")
        .to_owned();
    let read = http
        .get(format!("{}/raw/{id}", b.address))
        .send()
        .await
        .expect("answered");
    assert_eq!(read.text().await.expect("text"), "written by a");
    let deleted = http
        .delete(format!("{}/{id}", b.address))
        .header("X-Delete-Token", token)
        .send()
        .await
        .expect("answered");
    assert_eq!(deleted.status(), 204);
    let gone = http
        .get(format!("{}/raw/{id}", a.address))
        .send()
        .await
        .expect("answered");
    assert_eq!(gone.status(), 404);
}
