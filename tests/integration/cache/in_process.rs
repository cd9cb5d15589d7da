use std::num::NonZeroU32;

use crate::support::app::{
    TestPaste, clock_at_minute_start, quiet_periodic_jobs, spawn_app, spawn_with, spawn_with_clock,
};

#[tokio::test]
async fn hot_reads_without_redis_touch_the_store_zero_times() {
    let app = spawn_with(quiet_periodic_jobs).await;
    let created = app.create_text("hot here too").await;
    app.settle_periodic().await;
    let before = app.store_operations_total().await;
    assert!(before > 0, "the creation is counted: the metric is read");
    for _ in 0..10 {
        assert_eq!(app.get_raw(&created.id).await.status(), 200);
        assert_eq!(app.get_api_paste(&created.id).await.status(), 200);
    }
    assert_eq!(
        app.store_operations_total().await,
        before,
        "hot reads reached the store"
    );
}

#[tokio::test]
async fn with_the_cache_off_every_read_goes_to_the_store() {
    let app = spawn_with(|s| s.cache.enabled = false).await;
    let created = app.create_text("cold").await;
    app.settle().await;
    let finds = app.metrics.store_operations("find_paste");
    for _ in 0..5 {
        assert_eq!(app.get_raw(&created.id).await.status(), 200);
    }
    assert_eq!(app.metrics.store_operations("find_paste") - finds, 5);
}

#[tokio::test]
async fn a_deleted_paste_is_gone_from_the_cache_at_once() {
    let app = spawn_app().await;
    let created = app.create_text("cached then deleted").await;
    assert_eq!(app.get_raw(&created.id).await.status(), 200);
    let deleted = app.curl_delete(&created.id, &created.token).await;
    assert_eq!(deleted.status(), 204);
    assert_eq!(app.get_raw(&created.id).await.status(), 404);
}

#[tokio::test]
async fn an_expired_cached_paste_is_404_at_once() {
    let clock = pastebin::clock::Clock::manual(time::OffsetDateTime::now_utc());
    let app = spawn_with_clock(clock.clone(), |_| {}).await;
    let created = TestPaste::new("short").expires("1m").create(&app).await;
    assert_eq!(app.get_raw(&created.id).await.status(), 200);
    let hits = app.metrics.cache_requests("paste", "hit");
    assert_eq!(app.get_raw(&created.id).await.status(), 200);
    assert_eq!(
        app.metrics.cache_requests("paste", "hit"),
        hits + 1,
        "cached"
    );
    // The cached view's own lifetime is real time and a minute long: only the
    // check of every hit against the clock can make it gone now.
    clock.advance(std::time::Duration::from_secs(61));
    assert_eq!(app.get_raw(&created.id).await.status(), 404);
}

#[tokio::test]
async fn the_rate_limit_applies_in_process_too() {
    let app = spawn_with_clock(clock_at_minute_start(), |s| {
        s.limits.create_per_minute = NonZeroU32::new(2).expect("not zero")
    })
    .await;
    let mut statuses = Vec::new();
    for i in 0..3 {
        let r = app.put_text(format!("p{i}")).await;
        statuses.push(r.status().as_u16());
        if r.status() == 429 {
            assert!(r.headers().contains_key("retry-after"));
            assert!(
                r.text()
                    .await
                    .expect("text")
                    .starts_with("error: too many pastes")
            );
        }
    }
    assert_eq!(statuses, [201, 201, 429]);
}

#[tokio::test]
async fn a_forwarded_address_counts_only_from_a_trusted_proxy() {
    let app = spawn_with_clock(clock_at_minute_start(), |s| {
        s.limits.create_per_minute = NonZeroU32::new(1).expect("not zero");
        s.server.trusted_proxies = vec!["127.0.0.1".parse().expect("an address")];
    })
    .await;
    let create = |client_ip: &'static str| {
        app.client
            .put(app.url("/"))
            .header("X-Forwarded-For", format!("203.0.113.9, {client_ip}"))
            .body("x")
            .send()
    };
    assert_eq!(
        create("198.51.100.1").await.expect("answered").status(),
        201
    );
    assert_eq!(
        create("198.51.100.2").await.expect("answered").status(),
        201,
        "another client"
    );
    assert_eq!(
        create("198.51.100.1").await.expect("answered").status(),
        429,
        "the same client again"
    );

    let untrusted =
        spawn_with(|s| s.limits.create_per_minute = NonZeroU32::new(1).expect("not zero")).await;
    let spoof = |ip: &'static str| {
        untrusted
            .client
            .put(untrusted.url("/"))
            .header("X-Forwarded-For", ip)
            .body("x")
            .send()
    };
    assert_eq!(spoof("198.51.100.1").await.expect("answered").status(), 201);
    assert_eq!(
        spoof("198.51.100.2").await.expect("answered").status(),
        429,
        "an untrusted peer cannot pose as another client"
    );
}

#[tokio::test]
async fn idempotency_keys_work_without_redis() {
    let app = spawn_app().await;
    let send = |body: &'static str| {
        app.client
            .put(app.url("/"))
            .header("Idempotency-Key", "k-1-of-a-random-key")
            .body(body)
            .send()
    };
    let first = send("same")
        .await
        .expect("answered")
        .text()
        .await
        .expect("url");
    let again = send("same").await.expect("answered");
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    assert_eq!(again.text().await.expect("url"), first);
    assert_eq!(send("different").await.expect("answered").status(), 422);
    let bad = app
        .client
        .put(app.url("/"))
        .header("Idempotency-Key", "")
        .body("x")
        .send();
    assert_eq!(bad.await.expect("answered").status(), 422);
}
