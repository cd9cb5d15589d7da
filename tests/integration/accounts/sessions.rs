//! Sessions live in Redis only: any clone honours them, a log-out on one
//! ends them on all, and a flushed Redis forgets them.

use crate::support::accounts::SignedIn;
use crate::support::app::{TestApp, spawn_clones};
use crate::support::redis::RedisServer;

async fn signed_in_on(app: &TestApp, who: &SignedIn) -> bool {
    let page = app.get_as(who, "/").await.text().await.expect("a page");
    page.contains("signed in as")
}

#[tokio::test]
async fn a_session_made_on_one_clone_is_honoured_on_the_other() {
    let redis = RedisServer::start().await;
    let (a, b) = spawn_clones(&redis.url(), |_| {}).await;
    let ada = a.signed_up("ada").await;
    assert!(signed_in_on(&b, &ada).await);
    // A form made on one clone is accepted by the other: the CSRF token is
    // the session's, kept with it in Redis.
    let id = b.create_as(&ada, "made on b", "private").await;
    assert_eq!(a.get_as(&ada, &format!("/raw/{id}")).await.status(), 200);
    assert_eq!(a.get_raw(&id).await.status(), 404, "private to strangers");
}

#[tokio::test]
async fn a_log_out_on_one_clone_ends_the_session_on_both() {
    let redis = RedisServer::start().await;
    let (a, b) = spawn_clones(&redis.url(), |_| {}).await;
    let ada = a.signed_up("ada").await;
    assert!(signed_in_on(&a, &ada).await && signed_in_on(&b, &ada).await);
    let out = b
        .post_form_as(Some(&ada), "/logout", &[("csrf_token", &ada.csrf)])
        .await;
    assert_eq!(out.status(), 303);
    assert!(!signed_in_on(&a, &ada).await, "ended on a too");
    assert!(!signed_in_on(&b, &ada).await);
}

#[tokio::test]
async fn sessions_vanish_when_redis_is_flushed() {
    let redis = RedisServer::start().await;
    let (a, b) = spawn_clones(&redis.url(), |_| {}).await;
    let ada = a.signed_up("ada").await;
    assert!(signed_in_on(&b, &ada).await);
    assert_eq!(
        redis.values("v1:session:*").len(),
        1,
        "one session, in Redis"
    );
    redis.flush_all().await;
    assert!(!signed_in_on(&a, &ada).await, "no clone kept a copy");
    assert!(!signed_in_on(&b, &ada).await);
    // Signed out, the old form is no longer the user's: an anonymous paste.
    let response = a
        .post_form_as(
            Some(&ada),
            "/",
            &[("content", "after the flush"), ("csrf_token", &ada.csrf)],
        )
        .await;
    assert_eq!(response.status(), 303);
}

#[tokio::test]
async fn redis_holds_the_session_under_a_hash_of_its_id_only() {
    let redis = RedisServer::start().await;
    let (a, _b) = spawn_clones(&redis.url(), |_| {}).await;
    let ada = a.signed_up("ada").await;
    let id = ada.cookie.trim_start_matches("pb_session=");
    let values = redis.values("v1:session:*");
    assert_eq!(values.len(), 1);
    assert!(!values[0].contains(id), "the cookie's id is not in Redis");
}

#[tokio::test]
async fn a_request_without_a_session_cookie_costs_no_session_lookup() {
    let redis = RedisServer::start().await;
    // Without the near tier every hot read is exactly one GET of its view.
    // With it, a read is served from memory only while the clone's link to
    // Redis proved itself within `near_cache.max_lag_ms` (100 ms): on a
    // loaded machine the proof ages, some reads bypass to Redis, and each
    // bypass is one more GET, in either half of the comparison below (10
    // session lookups seen as 10 where 11 were expected).
    let (a, _b) = spawn_clones(&redis.url(), |s| s.near_cache.enabled = false).await;
    let ada = a.signed_up("ada").await;
    let created = a.create_text("hot and public").await;
    a.settle().await;
    assert_eq!(a.get_page(&created.id).await.status(), 200, "warmed");
    // GETs inside the view's script count too (Redis counts a script's
    // commands): compare anonymous reads with signed-in ones.
    let gets = redis.calls("get");
    for _ in 0..10 {
        assert_eq!(a.get_page(&created.id).await.status(), 200);
    }
    let anonymous = redis.calls("get") - gets;
    assert_eq!(anonymous, 10, "the view's own lookup, once a read");
    let gets = redis.calls("get");
    for _ in 0..10 {
        let page = a.get_as(&ada, &format!("/{}", created.id)).await;
        assert_eq!(page.status(), 200);
    }
    // A signed-in read adds its session's lookup and the check that the
    // operator has not disabled the account (`service::admin`); an
    // anonymous one adds neither.
    assert_eq!(
        redis.calls("get") - gets,
        anonymous + 20,
        "a signed-in read adds a session lookup and a disabled-account check"
    );
}
