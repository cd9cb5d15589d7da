//! The near cache of every clone: hot reads answered from memory, never
//! served stale after a change was acknowledged, emptied when its link to
//! Redis is lost.

use std::sync::Arc;
use std::time::{Duration, Instant};

use pastebin::clock::Clock;
use pastebin::configuration::{Millis, PublicUrl, RedisUrl, Settings};

use crate::support::app::{TestApp, TestPaste, spawn_at, spawn_clones, spawn_clones_at};
use crate::support::redis::RedisServer;
use crate::support::slow_link::SlowLink;

/// No flush of counted visits during the test, so Redis sees only what reads
/// cost; and a link proof that outlives a test runtime busy elsewhere (the
/// link's heartbeat runs on it), so every hot read is served near.
fn patient(s: &mut Settings) {
    s.near_cache.visits_flush_ms = Millis::new(3_600_000).expect("a duration");
    s.near_cache.max_lag_ms = Millis::new(2_000).expect("a duration");
}

/// Reads `path` on `app` until its near tier answers it (its link to Redis
/// proves itself within milliseconds of the start).
pub(crate) async fn until_near_hit(app: &TestApp, path: &str) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let hits = app.metrics.near_requests("hit");
        assert_eq!(app.get(path).await.0, 200, "{path}");
        if app.metrics.near_requests("hit") > hits {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "the near tier never served {path}"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// Reads `path` on `app` until `done` holds of its metrics.
async fn until(app: &TestApp, path: &str, what: &str, done: impl Fn(&TestApp) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !done(app) {
        assert_eq!(app.get(path).await.0, 200, "{path} while waiting: {what}");
        assert!(Instant::now() < deadline, "never: {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Every command Redis ran, but the link's heartbeats and the probes of the
/// test itself (`INFO`).
fn redis_commands(redis: &RedisServer) -> u64 {
    redis.calls_except(&["ping", "role", "info", "client", "hello"])
}

fn read_paths(id: &str) -> [String; 3] {
    [
        format!("/raw/{id}"),
        format!("/{id}"),
        format!("/api/v1/pastes/{id}"),
    ]
}

#[tokio::test]
async fn a_hot_read_on_a_clone_costs_zero_redis_round_trips() {
    let redis = RedisServer::start().await;
    let (a, b) = spawn_clones(&redis.url(), patient).await;
    let created = a.create_text("hot and near").await;
    a.settle().await;
    for path in read_paths(&created.id) {
        until_near_hit(&b, &path).await;
    }
    let (commands, hits) = (redis_commands(&redis), b.metrics.near_requests("hit"));
    assert!(commands > 0, "the creation's commands are counted");
    for _ in 0..30 {
        for path in read_paths(&created.id) {
            assert_eq!(b.get(&path).await.0, 200, "{path}");
        }
    }
    assert_eq!(
        redis_commands(&redis),
        commands,
        "hot reads (visits included) asked Redis"
    );
    assert_eq!(b.metrics.near_requests("hit"), hits + 90);
    let (_, page) = b.html(&format!("/{}", created.id)).await;
    let shown: u64 = page
        .split(r#"<span class="views">"#)
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .expect("the page shows its visits");
    assert!(shown > 90, "b's own visits show at once: {shown}");
}

#[tokio::test]
async fn with_the_near_cache_off_every_hot_read_asks_redis() {
    let redis = RedisServer::start().await;
    let (a, b) = spawn_clones(&redis.url(), |s| s.near_cache.enabled = false).await;
    let created = a.create_text("far").await;
    a.settle().await;
    let commands = redis_commands(&redis);
    for _ in 0..10 {
        assert_eq!(b.get_raw(&created.id).await.status(), 200);
    }
    assert!(redis_commands(&redis) >= commands + 10);
    assert_eq!(b.metrics.near_requests("hit"), 0);
}

#[tokio::test]
async fn a_delete_on_one_clone_is_a_404_on_the_other_as_soon_as_it_returned() {
    let redis = RedisServer::start().await;
    let (a, b) = spawn_clones(&redis.url(), |_| {}).await;
    for round in 0..5 {
        let created = a.create_text(&format!("deleted in round {round}")).await;
        a.settle().await;
        for path in read_paths(&created.id) {
            until_near_hit(&b, &path).await;
        }
        let deleted = a.delete_paste(&created.id, Some(&created.token)).await;
        assert_eq!(deleted.status(), 204);
        for path in read_paths(&created.id) {
            assert_eq!(b.get(&path).await.0, 404, "round {round}: {path} on b");
        }
    }
    assert!(b.metrics.near_invalidations_total() >= 5, "told by Redis");
}

#[tokio::test]
async fn readers_racing_a_delete_never_see_it_after_it_returned() {
    let redis = RedisServer::start().await;
    let (a, b) = spawn_clones(&redis.url(), |_| {}).await;
    let created = a.create_text("raced").await;
    a.settle().await;
    until_near_hit(&b, &format!("/raw/{}", created.id)).await;
    // Readers keep fetching (and refilling the near tier) while the delete runs.
    let (client, url) = (b.client.clone(), b.url(&format!("/raw/{}", created.id)));
    let readers = tokio::spawn(async move {
        for _ in 0..200 {
            let _ = client.get(&url).send().await;
        }
    });
    let deleted = a.delete_paste(&created.id, Some(&created.token)).await;
    assert_eq!(deleted.status(), 204);
    for _ in 0..50 {
        assert_eq!(b.get_raw(&created.id).await.status(), 404);
    }
    readers.await.expect("the readers finish");
    assert_eq!(b.get_raw(&created.id).await.status(), 404);
}

#[tokio::test]
async fn a_burn_after_read_paste_is_never_kept_near() {
    let redis = RedisServer::start().await;
    let (a, b) = spawn_clones(&redis.url(), |_| {}).await;
    let created = TestPaste::new("once").burn().create(&a).await;
    a.settle().await;
    let page = b.get_page(&created.id).await;
    assert_eq!(page.status(), 200, "the page asks for the click");
    assert_eq!(
        b.get(&format!("/raw/{}", created.id)).await,
        (200, "once".into())
    );
    for app in [&a, &b] {
        assert_eq!(app.get_raw(&created.id).await.status(), 404);
    }
}

#[tokio::test]
async fn an_expired_paste_is_gone_from_every_near_tier() {
    let redis = RedisServer::start().await;
    let clock = Clock::manual(time::OffsetDateTime::now_utc());
    let (a, b) = spawn_clones_at(&redis.url(), clock.clone(), |_| {}).await;
    let created = TestPaste::new("brief").expires("10m").create(&a).await;
    a.settle().await;
    let raw = format!("/raw/{}", created.id);
    until_near_hit(&b, &raw).await;
    clock.advance(Duration::from_secs(11 * 60));
    assert_eq!(b.get(&raw).await.0, 404, "expired the moment it expires");
    let told = b.metrics.near_invalidations_total();
    assert_eq!(a.worker.sweep().await.expect("swept"), 1);
    let deadline = Instant::now() + Duration::from_secs(10);
    while b.metrics.near_invalidations_total() == told {
        assert!(Instant::now() < deadline, "the sweep was never told to b");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(b.get(&raw).await.0, 404);
}

#[tokio::test]
async fn a_flush_or_a_restart_of_redis_empties_the_near_tier_and_reads_carry_on() {
    let mut redis = RedisServer::start().await;
    let (a, b) = spawn_clones(&redis.url(), patient).await;
    let created = a.create_text("survives redis").await;
    a.settle().await;
    let raw = format!("/raw/{}", created.id);
    until_near_hit(&b, &raw).await;

    // FLUSHALL: Redis says so, and the near tier lets go of everything.
    let told = b.metrics.near_invalidations_total();
    redis.flush_all().await;
    until(&b, &raw, "the flush is told", |b| {
        b.metrics.near_invalidations_total() > told
    })
    .await;
    let misses = b.metrics.near_requests("miss");
    assert_eq!(b.get(&raw).await, (200, "survives redis".into()));
    assert_eq!(b.metrics.near_requests("miss"), misses + 1, "not kept");

    // Redis gone: the link is lost, nothing is served from memory, reads go on.
    until_near_hit(&b, &raw).await;
    redis.kill();
    until(&b, &raw, "reads bypass the near tier", |b| {
        b.metrics.near_requests("bypass") > 0
    })
    .await;
    let hits = b.metrics.near_requests("hit");
    for _ in 0..5 {
        assert_eq!(b.get(&raw).await, (200, "survives redis".into()));
    }
    assert_eq!(b.metrics.near_requests("hit"), hits, "nothing served near");

    // Back (empty): the link tracks again and hot reads are near again.
    redis.resume().await;
    until_near_hit(&b, &raw).await;
}

/// Clone `a` on Redis itself, clone `b` behind a link that delivers Redis's
/// answers and invalidations `lag` late (a loaded or distant clone), both
/// patient enough for it; one store.
pub(super) async fn clones_with_a_slow_one(
    redis: &RedisServer,
    lag: Duration,
) -> (TestApp, TestApp, SlowLink) {
    let link = SlowLink::start(redis.port(), lag).await;
    let dir = Arc::new(tempfile::tempdir().expect("a temporary folder"));
    let configure = |url: String| {
        move |s: &mut Settings| {
            s.redis.url = Some(RedisUrl::parse(&url).expect("a Redis URL"));
            s.server.public_url = Some(PublicUrl::parse("http://paste.test").expect("a URL"));
            s.redis.response_timeout_ms = Millis::new(5_000).expect("a duration");
            s.redis.connect_timeout_ms = Millis::new(5_000).expect("a duration");
            patient(s);
        }
    };
    let a = spawn_at(dir.clone(), Clock::System, configure(redis.url())).await;
    let b = spawn_at(dir, Clock::System, configure(link.redis_url())).await;
    (a, b, link)
}

#[tokio::test]
async fn a_claim_on_one_clone_shows_on_the_other_as_soon_as_it_returned() {
    let redis = RedisServer::start().await;
    // b hears of a's change 400 ms after Redis made it; its near tier may
    // serve that long (the link's proof is within `max_lag_ms`, 2 s).
    let (a, b, _link) = clones_with_a_slow_one(&redis, Duration::from_millis(400)).await;
    let created = a.create_text("claimed later").await;
    a.settle().await;
    let ada = a.signed_up("ada").await;
    let page = format!("/{}", created.id);
    until_near_hit(&b, &page).await;
    let claimed = a
        .post_form_as(
            Some(&ada),
            &format!("/{}/claim", created.id),
            &[("delete_token", &created.token), ("csrf_token", &ada.csrf)],
        )
        .await;
    assert_eq!(claimed.status(), 303);
    let (status, shown) = b.html(&page).await;
    assert_eq!(status, 200);
    assert!(
        shown.contains(r#"<a class="author" href="/u/ada">ada</a>"#),
        "b still shows the paste unclaimed after the claim returned"
    );
    let api: serde_json::Value = b
        .get_api_paste(&created.id)
        .await
        .json()
        .await
        .expect("JSON");
    assert_eq!(api["author"], "ada");
}
