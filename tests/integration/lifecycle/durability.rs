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

/// An edit flood, then `kill -9`: every acknowledged edit is its revision,
/// and revisions and the paste agree (numbers 1..latest without a gap: no
/// revision without its paste update, nor the reverse).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_acknowledged_edit_survives_kill_9_whole() {
    let dir = tempfile::tempdir().expect("a folder");
    let env = [
        ("PASTEBIN__LIMITS__EDIT_PER_MINUTE", "100000"),
        ("PASTEBIN__LIMITS__REVISIONS_KEPT", "100000"),
    ];
    let server = ServerProcess::start(dir.path(), &env).await;
    let http = client();
    let created: serde_json::Value = http
        .post(format!("{}/api/v1/pastes", server.address))
        .json(&serde_json::json!({ "content": "revision one\n" }))
        .send()
        .await
        .expect("answered")
        .json()
        .await
        .expect("JSON");
    let (id, token) = (
        created["id"].as_str().expect("an id").to_owned(),
        created["delete_token"]
            .as_str()
            .expect("a token")
            .to_owned(),
    );
    let editors: Vec<_> = (0..8)
        .map(|editor| {
            let (http, base, id, token) = (
                http.clone(),
                server.address.clone(),
                id.clone(),
                token.clone(),
            );
            tokio::spawn(async move {
                let mut acknowledged = Vec::new();
                for round in 0.. {
                    let Ok(read) = http.get(format!("{base}/api/v1/pastes/{id}")).send().await
                    else {
                        break;
                    };
                    let Ok(read) = read.json::<serde_json::Value>().await else {
                        break;
                    };
                    let Some(base_revision) = read["revision"].as_u64() else {
                        break;
                    };
                    let text = format!("editor {editor} round {round}\n");
                    let Ok(answer) = http
                        .patch(format!("{base}/api/v1/pastes/{id}"))
                        .header("X-Delete-Token", &token)
                        .json(&serde_json::json!({ "revision": base_revision, "content": text }))
                        .send()
                        .await
                    else {
                        break;
                    };
                    if answer.status() == 200 {
                        let Ok(body) = answer.json::<serde_json::Value>().await else {
                            break;
                        };
                        let number = body["revision"].as_u64().expect("a revision");
                        assert_eq!(number, base_revision + 1);
                        acknowledged.push((number, text));
                    } else {
                        assert_eq!(answer.status(), 409, "a racing edit is stale, nothing else");
                    }
                }
                acknowledged
            })
        })
        .collect();
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    server.kill_9();
    let mut acknowledged = Vec::new();
    for editor in editors {
        acknowledged.extend(editor.await.expect("an editor finishes"));
    }
    assert!(
        acknowledged.len() > 5,
        "the flood made edits: {}",
        acknowledged.len()
    );

    let server = ServerProcess::start(dir.path(), &env).await;
    let history: serde_json::Value = http
        .get(format!("{}/api/v1/pastes/{id}/revisions", server.address))
        .send()
        .await
        .expect("answered")
        .json()
        .await
        .expect("JSON");
    let latest = history["revision"].as_u64().expect("a revision");
    let numbers: Vec<u64> = history["revisions"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|r| r["number"].as_u64().expect("a number"))
        .collect();
    assert_eq!(
        numbers,
        (1..=latest).rev().collect::<Vec<_>>(),
        "every revision from 1 to the paste's own, no gap and none past it"
    );
    for (number, text) in acknowledged {
        assert!(number <= latest, "acknowledged revision {number} was lost");
        let revision: serde_json::Value = http
            .get(format!(
                "{}/api/v1/pastes/{id}/revisions/{number}",
                server.address
            ))
            .send()
            .await
            .expect("answered")
            .json()
            .await
            .expect("JSON");
        assert_eq!(revision["content"], text.as_str(), "revision {number}");
    }
}
