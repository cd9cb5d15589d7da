use std::num::NonZeroU32;
use std::time::{Duration, Instant};

use pastebin::configuration::Seconds;

use crate::support::app::{metric_value, spawn_clones};
use crate::support::redis::RedisServer;

#[tokio::test]
async fn a_redis_outage_degrades_the_service_and_caching_resumes_by_itself() {
    let mut redis = RedisServer::start().await;
    let (a, _b) = spawn_clones(&redis.url(), |s| {
        s.limits.create_per_minute = NonZeroU32::new(1_000_000).expect("not zero")
    })
    .await;
    let before = a.create_text("made before the outage").await;
    let doomed = a.create_text("to delete during the outage").await;
    assert_eq!(a.get_raw(&before.id).await.status(), 200);

    redis.kill();
    // Reads and creations keep working from the store.
    assert_eq!(
        a.get(&format!("/raw/{}", before.id)).await,
        (200, "made before the outage".into())
    );
    let during = a.create_text("made during the outage").await;
    assert_eq!(a.get_raw(&during.id).await.status(), 200);
    let (status, body) = a.get("/readyz").await;
    assert_eq!(status, 200, "degraded, not down: {body}");
    let ready: serde_json::Value = serde_json::from_str(&body).expect("JSON");
    assert_eq!(ready["status"], "degraded");
    assert_eq!(ready["checks"]["cache"]["status"], "degraded");
    // A delete cannot mark cached copies gone: it is refused, nothing changes.
    let refused = a.curl_delete(&doomed.id, &doomed.token).await;
    assert_eq!(refused.status(), 503);
    assert!(refused.headers().contains_key("retry-after"));
    let (_, metrics) = a.get("/metrics").await;
    assert!(
        metric_value(&metrics, "pastebin_cache_errors_total") > 0,
        "outage counted"
    );

    redis.resume().await;
    // The connection comes back by itself; reads fill the cache, then hit it.
    let path = format!("/raw/{}", before.id);
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let hits = a.metrics.cache_requests("paste", "hit");
        assert_eq!(a.get(&path).await.0, 200);
        assert_eq!(a.get(&path).await.0, 200);
        if a.metrics.cache_requests("paste", "hit") > hits {
            break;
        }
        assert!(Instant::now() < deadline, "caching did not resume");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Redis came back empty: the first check finds the job group gone (and
    // makes it again), the next one is ready.
    let (_, body) = a.get("/readyz").await;
    assert!(
        body.contains(r#""status":"ready""#) || body.contains("consumer group was missing"),
        "{body}"
    );
    let (_, body) = a.get("/readyz").await;
    assert!(body.contains(r#""status":"ready""#), "{body}");
    assert_eq!(
        a.get_raw(&doomed.id).await.status(),
        200,
        "the refused delete changed nothing"
    );
}

/// A delete refused while Redis is frozen (`SIGSTOP`: its sockets stay open
/// and what was sent waits in them) ends as "not deleted, and no trace":
/// once Redis resumes and runs what waited, the paste stays readable on every
/// clone, without a 404 window, also past a tombstone's life.
#[tokio::test]
async fn a_delete_refused_while_redis_is_frozen_leaves_no_trace_when_it_resumes() {
    let redis = RedisServer::start().await;
    let (a, b) = spawn_clones(&redis.url(), |s| {
        s.cache.tombstone_ttl_secs = Seconds::new(2).expect("not zero");
    })
    .await;
    let kept = a.create_text("outlives a frozen delete").await;
    a.settle().await;
    for app in [&a, &b] {
        assert_eq!(app.get_raw(&kept.id).await.status(), 200);
    }

    redis.freeze();
    let refused = a.curl_delete(&kept.id, &kept.token).await;
    assert_eq!(refused.status(), 503, "nothing can be deleted now");
    redis.thaw();

    // Past the tombstone's life (2 s) and the refused delete's clean-up.
    let until = Instant::now() + Duration::from_secs(4);
    let mut rounds = 0;
    while Instant::now() < until {
        for (name, app) in [("a", &a), ("b", &b)] {
            for path in [format!("/raw/{}", kept.id), format!("/{}", kept.id)] {
                assert_eq!(
                    app.get(&path).await.0,
                    200,
                    "{path} on {name}, {rounds} rounds after Redis resumed"
                );
            }
        }
        rounds += 1;
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let deleted = a.curl_delete(&kept.id, &kept.token).await;
    assert_eq!(deleted.status(), 204, "and a delete works again");
    for app in [&a, &b] {
        assert_eq!(app.get_raw(&kept.id).await.status(), 404);
    }
}
