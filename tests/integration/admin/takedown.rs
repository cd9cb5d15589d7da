//! A takedown on a fleet: two clones sharing one Redis and one store, each
//! with its near tier warm, then `pastebin admin remove` as a separate
//! process: at once, every route of the paste answers 410 on both.

use super::admin_ok;
use crate::support::app::{BROWSER_ACCEPT, TestApp, spawn_clones, spawn_with};
use crate::support::redis::RedisServer;

const TEXT: &str = "the text that must come down";

/// Every route of a paste, as curl and as a browser see it.
fn routes(id: &str) -> Vec<(String, bool)> {
    [
        format!("/{id}"),
        format!("/raw/{id}"),
        format!("/dl/{id}"),
        format!("/api/v1/pastes/{id}"),
        format!("/api/v1/pastes/{id}/stats"),
        format!("/{id}/stats"),
        format!("/{id}/revisions"),
        format!("/raw/{id}/r/1"),
        format!("/{id}/report"),
        format!("/{id}.rs"),
    ]
    .into_iter()
    .flat_map(|path| [(path.clone(), false), (path, true)])
    .collect()
}

async fn answer(app: &TestApp, path: &str, browser: bool) -> (u16, String) {
    let mut request = app.client.get(app.url(path));
    if browser {
        request = request.header("accept", BROWSER_ACCEPT);
    }
    let response = request.send().await.expect("answered");
    let status = response.status().as_u16();
    (status, response.text().await.expect("a body"))
}

#[tokio::test]
async fn a_takedown_answers_410_on_both_clones_at_once_near_tiers_included() {
    let redis = RedisServer::start().await;
    let (a, b) = spawn_clones(&redis.url(), |_| {}).await;
    let created = a.create_text(TEXT).await;
    a.worker.run_until_empty().await;
    // Before: both clones serve it, from their near tiers once warm.
    for app in [&a, &b] {
        for _ in 0..3 {
            let (status, body) = answer(app, &format!("/raw/{}", created.id), false).await;
            assert_eq!((status, body.as_str()), (200, TEXT));
        }
        assert_eq!(answer(app, &format!("/{}", created.id), true).await.0, 200);
    }
    assert!(
        a.metrics.near_requests("hit") > 0,
        "a's near tier serves it"
    );
    assert!(
        b.metrics.near_requests("hit") > 0,
        "b's near tier serves it"
    );

    let said = admin_ok(
        a.dir.path(),
        Some(&redis.url()),
        &[
            "remove",
            &created.id,
            "--reason",
            "malware",
            "--note",
            "ticket 7",
        ],
    );
    assert!(said.contains(&format!("removed {}", created.id)), "{said}");

    // After, with no wait: every route, both clones, curl and browser.
    for (name, app) in [("a", &a), ("b", &b)] {
        for (path, browser) in routes(&created.id) {
            let (status, body) = answer(app, &path, browser).await;
            assert_eq!(status, 410, "{path} on {name} (browser: {browser}): {body}");
            let said = body.to_lowercase();
            assert!(
                said.contains("removed by the operator") && said.contains("malware or phishing"),
                "{path} on {name} says why: {body}"
            );
            assert!(!body.contains(TEXT), "{path} on {name} shows the content");
        }
        let deleted = app.delete_paste(&created.id, Some(&created.token)).await;
        assert_eq!(
            deleted.status(),
            410,
            "its own token cannot touch it either"
        );
    }
    // The content is gone from the store; the id stays taken.
    let store = pastebin::store::embedded::EmbeddedStore::open(
        a.dir.path(),
        pastebin::configuration::Synchronous::Full,
    )
    .expect("the store opens");
    let id: pastebin::domain::PasteId =
        serde_json::from_value(serde_json::json!(created.id)).expect("an id");
    use pastebin::store::{DocumentStore, OperatorStore};
    assert!(
        store
            .find_paste(&id, time::OffsetDateTime::UNIX_EPOCH)
            .await
            .expect("read")
            .is_none()
    );
    assert!(store.find_removal(&id).await.expect("read").is_some());
    // The audit log says who, what and why.
    let audit = admin_ok(a.dir.path(), Some(&redis.url()), &["audit"]);
    let line = audit
        .lines()
        .find(|l| l.contains(&created.id))
        .unwrap_or_else(|| panic!("no audit line: {audit}"));
    assert!(
        line.contains("alice") && line.contains("remove") && line.contains("malware: ticket 7"),
        "{line}"
    );
}

#[tokio::test]
async fn a_removed_paste_is_410_after_its_cached_mark_is_gone() {
    let redis = RedisServer::start().await;
    let (a, _b) = spawn_clones(&redis.url(), |_| {}).await;
    let created = a.create_text(TEXT).await;
    a.worker.run_until_empty().await;
    admin_ok(
        a.dir.path(),
        Some(&redis.url()),
        &["remove", &created.id, "--reason", "spam"],
    );
    // Redis loses everything: the store's removal record still answers.
    redis.flush_all().await;
    let (status, body) = answer(&a, &format!("/raw/{}", created.id), false).await;
    assert_eq!(status, 410, "{body}");
    assert!(body.contains("spam"), "{body}");
}

#[tokio::test]
async fn recent_lists_pastes_by_the_creating_address_and_by_user() {
    let app = spawn_with(|_| {}).await;
    let ada = app.signed_up("ada").await;
    let anonymous = app.create_text("from the loopback").await;
    let hers = app.create_as(&ada, "hers", "unlisted").await;
    let store = app.dir.path();
    let mine = admin_ok(store, None, &["recent", "--by-address", "127.0.0.1"]);
    assert!(
        mine.contains(&anonymous.id) && mine.contains(&hers),
        "{mine}"
    );
    assert!(
        !mine.contains("127.0.0.1"),
        "the address itself is not kept: {mine}"
    );
    let other = admin_ok(store, None, &["recent", "--by-address", "192.0.2.1"]);
    assert!(!other.contains(&anonymous.id), "{other}");
    let by_ada = admin_ok(store, None, &["recent", "--by-user", "ada"]);
    assert!(
        by_ada.contains(&hers) && !by_ada.contains(&anonymous.id),
        "{by_ada}"
    );
    let all = admin_ok(store, None, &["recent", "--limit", "1"]);
    assert_eq!(all.lines().count(), 2, "a header and one paste: {all}");
}
