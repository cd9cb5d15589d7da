use std::num::NonZeroU32;

use serde_json::json;

use crate::support::app::{clock_at_minute_start, spawn_clones, spawn_clones_at};
use crate::support::redis::RedisServer;

#[tokio::test]
async fn the_creation_rate_limit_holds_across_the_fleet() {
    let redis = RedisServer::start().await;
    let (a, b) = spawn_clones_at(&redis.url(), clock_at_minute_start(), |s| {
        s.limits.create_per_minute = NonZeroU32::new(5).expect("not zero")
    })
    .await;
    for i in 0..5 {
        let app = if i % 2 == 0 { &a } else { &b };
        let r = app.put_text(format!("paste {i}")).await;
        assert_eq!(r.status(), 201, "creation {i}");
        assert_eq!(r.headers()["ratelimit-limit"], "5");
        assert_eq!(
            r.headers()["ratelimit-remaining"].to_str().expect("text"),
            (4 - i).to_string()
        );
        assert!(r.headers().contains_key("ratelimit-reset"));
    }
    for app in [&a, &b] {
        let r = app.post_paste(&json!({"content": "one too many"})).await;
        assert_eq!(r.status(), 429);
        let retry: u64 = r.headers()["retry-after"]
            .to_str()
            .expect("text")
            .parse()
            .expect("seconds");
        assert!((1..=60).contains(&retry), "{retry}");
        assert_eq!(r.headers()["ratelimit-remaining"], "0");
        let body: serde_json::Value = r.json().await.expect("JSON");
        assert_eq!(body["error"]["code"], "rate_limited");
    }
}

#[tokio::test]
async fn an_idempotent_retry_gets_the_same_paste_on_any_clone() {
    let redis = RedisServer::start().await;
    let (a, b) = spawn_clones(&redis.url(), |_| {}).await;
    let send = |app: &crate::support::app::TestApp, content: &str| {
        app.client
            .post(app.url("/api/v1/pastes"))
            .header("Idempotency-Key", "order-7-attempt-0001")
            .json(&json!({"content": content}))
            .send()
    };
    let first = send(&a, "exactly once").await.expect("answered");
    assert_eq!(first.status(), 201);
    assert!(!first.headers().contains_key("idempotent-replayed"));
    let first: serde_json::Value = first.json().await.expect("JSON");
    let retry = send(&b, "exactly once").await.expect("answered");
    assert_eq!(retry.status(), 201);
    assert_eq!(retry.headers()["idempotent-replayed"], "true");
    let retry: serde_json::Value = retry.json().await.expect("JSON");
    assert_eq!(retry, first, "the same answer, token included");
    let created =
        a.metrics.store_operations("insert_paste") + b.metrics.store_operations("insert_paste");
    assert_eq!(created, 1);

    let other = send(&b, "something else").await.expect("answered");
    assert_eq!(other.status(), 422);
    let body: serde_json::Value = other.json().await.expect("JSON");
    assert_eq!(body["error"]["code"], "idempotency_key_reused");
}

#[tokio::test]
async fn idempotency_records_hold_no_secret_in_the_clear() {
    let redis = RedisServer::start().await;
    let (a, b) = spawn_clones(&redis.url(), |_| {}).await;
    let key = "3f9a2c71-5d0e-4b8a-9e6f-0c1d2b3a4f5e";
    let send = |app: &crate::support::app::TestApp| {
        app.client
            .post(app.url("/api/v1/pastes"))
            .header("Idempotency-Key", key)
            .json(&json!({"content": "sealed"}))
            .send()
    };
    let first: serde_json::Value = send(&a)
        .await
        .expect("answered")
        .json()
        .await
        .expect("JSON");
    let token = first["delete_token"].as_str().expect("a token").to_owned();
    let records = redis.values("v4:idem:*");
    assert_eq!(records.len(), 1, "one record: {records:?}");
    for record in &records {
        assert!(
            !record.contains(&token),
            "the delete token is sealed: {record}"
        );
        assert!(
            !record.contains(key),
            "the key is not kept either: {record}"
        );
    }
    let replay = send(&b).await.expect("answered");
    assert_eq!(replay.headers()["idempotent-replayed"], "true");
    let replay: serde_json::Value = replay.json().await.expect("JSON");
    assert_eq!(
        replay["delete_token"],
        token.as_str(),
        "the replay opens it"
    );
}

#[tokio::test]
async fn a_device_cookie_from_one_clone_keeps_its_allowance_on_another() {
    use crate::accounts::lockout::{device_cookie, log_in_from, pair};
    use crate::support::accounts::PASSWORD;
    let redis = RedisServer::start().await;
    let (a, b) = spawn_clones_at(&redis.url(), clock_at_minute_start(), |s| {
        s.accounts.login_attempts_per_minute = NonZeroU32::new(3).expect("not zero");
        s.server.trusted_proxies = vec!["127.0.0.1".parse().expect("an address")];
    })
    .await;
    a.signed_up("ada").await;
    let owner = log_in_from(&a, "198.51.100.7", None, "ada", PASSWORD).await;
    assert_eq!(owner.status(), 303);
    let device = pair(&device_cookie(&owner).expect("a device cookie"));
    for i in 0..4 {
        let clone = if i % 2 == 0 { &a } else { &b };
        let from = format!("203.0.113.{i}");
        log_in_from(clone, &from, None, "ada", "wrong password").await;
    }
    for clone in [&a, &b] {
        let without = log_in_from(clone, "198.51.100.7", None, "ada", PASSWORD).await;
        assert_eq!(
            without.status(),
            429,
            "the account's shared allowance is spent fleet-wide"
        );
    }
    let with = log_in_from(&b, "198.51.100.7", Some(&device), "ada", PASSWORD).await;
    assert_eq!(with.status(), 303, "b honours the cookie a issued");
}

#[tokio::test]
async fn the_sign_up_throttle_holds_across_the_fleet() {
    let redis = RedisServer::start().await;
    let (a, b) = spawn_clones_at(&redis.url(), clock_at_minute_start(), |s| {
        s.accounts.signups_per_minute = NonZeroU32::new(2).expect("not zero");
    })
    .await;
    let password = crate::support::accounts::PASSWORD;
    assert_eq!(a.sign_up("ada", password).await.status(), 303);
    assert_eq!(b.sign_up("grace", password).await.status(), 303);
    for clone in [&a, &b] {
        let refused = clone.sign_up("linus", password).await;
        assert_eq!(refused.status(), 429);
        assert!(refused.headers().contains_key("retry-after"));
    }
}
