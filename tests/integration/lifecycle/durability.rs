//! Nothing acknowledged is ever lost: restarts, kill -9, several processes.

use crate::support::app::{TestPaste, client, spawn_in};
use crate::support::process::ServerProcess;

#[tokio::test]
async fn pastes_survive_a_restart() {
    let first = crate::support::app::spawn_app().await;
    let created = TestPaste::new("still here")
        .expires("1d")
        .create(&first)
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

/// Without Redis each process caches on its own; this checks that writes are
/// shared through the store. (Cached views across clones: `redis::clones`.)
/// Without Redis each process caches on its own; this checks that writes are
/// shared through the store. (Cached views across clones: `redis::clones`.)
#[tokio::test]
async fn two_processes_share_one_embedded_store() {
    let dir = tempfile::tempdir().expect("a folder");
    let a = ServerProcess::start(dir.path(), &[]).await;
    let b = ServerProcess::start(dir.path(), &[]).await;
    assert!(
        !a.logged().contains("another serve process"),
        "{}",
        a.logged()
    );
    assert!(
        b.logged()
            .contains("another serve process uses this store without Redis"),
        "{}",
        b.logged()
    );
    let http = client();
    let put = |server: &ServerProcess, body: &'static str| {
        http.put(format!("{}/", server.address)).body(body).send()
    };
    let made = put(&a, "written by a").await.expect("answered");
    let token = made.headers()["x-delete-token"]
        .to_str()
        .expect("text")
        .to_owned();
    let url = made.text().await.expect("url");
    let id = url.trim().rsplit('/').next().expect("id").to_owned();
    let raw =
        |server: &ServerProcess, id: &str| http.get(format!("{}/raw/{id}", server.address)).send();
    assert_eq!(
        raw(&b, &id)
            .await
            .expect("answered")
            .text()
            .await
            .expect("text"),
        "written by a"
    );
    let deleted = http
        .delete(format!("{}/{id}", b.address))
        .header("X-Delete-Token", token)
        .send()
        .await
        .expect("answered");
    assert_eq!(deleted.status(), 204);
    assert_eq!(raw(&b, &id).await.expect("answered").status(), 404);

    let made = put(&b, "written by b").await.expect("answered");
    let url = made.text().await.expect("url");
    let id = url.trim().rsplit('/').next().expect("id").to_owned();
    assert_eq!(
        raw(&a, &id)
            .await
            .expect("answered")
            .text()
            .await
            .expect("text"),
        "written by b"
    );
}

#[tokio::test]
async fn processes_starting_together_on_a_new_store_all_come_up() {
    let dir = tempfile::tempdir().expect("a folder");
    let path = dir.path().to_path_buf();
    let starts = (0..3).map(|_| {
        let path = path.clone();
        tokio::spawn(async move { ServerProcess::start(&path, &[]).await })
    });
    let mut servers = Vec::new();
    for start in starts {
        servers.push(start.await.expect("came up"));
    }
    let http = client();
    for server in &servers {
        let r = http
            .get(format!("{}/readyz", server.address))
            .send()
            .await
            .expect("answered");
        assert_eq!(r.status(), 200);
    }
}
