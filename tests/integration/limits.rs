//! Rate limits as a client meets them: token buckets with no window edge to
//! burst at, the not-found budget that stops id scans (hits free of any
//! extra round trip), and IPv6 clients counted by their network.

use std::num::NonZeroU32;
use std::time::Duration;

use pastebin::clock::Clock;
use pastebin::configuration::Seconds;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::support::app::{TestApp, spawn_clones_at, spawn_with_clock};
use crate::support::redis::RedisServer;

fn n(count: u32) -> NonZeroU32 {
    NonZeroU32::new(count).expect("not zero")
}

/// A manual clock one second before a minute ends: the edge at which fixed
/// one-minute windows let a client spend its limit twice.
fn clock_before_minute_end() -> Clock {
    let now = time::OffsetDateTime::now_utc();
    let start = now
        - time::Duration::seconds(i64::from(now.second()))
        - time::Duration::nanoseconds(i64::from(now.nanosecond()));
    Clock::manual(start + time::Duration::seconds(59))
}

fn header(r: &reqwest::Response, name: &str) -> String {
    r.headers()
        .get(name)
        .unwrap_or_else(|| panic!("{name} is sent"))
        .to_str()
        .expect("text")
        .to_owned()
}

async fn statuses(app: &TestApp, count: usize, path: &str) -> Vec<u16> {
    let mut seen = Vec::new();
    for _ in 0..count {
        seen.push(app.get_path(path).await.status().as_u16());
    }
    seen
}

#[tokio::test]
async fn no_window_edge_lets_a_client_create_twice_its_limit() {
    let clock = clock_before_minute_end();
    let app = spawn_with_clock(clock.clone(), |s| s.limits.create_per_minute = n(5)).await;
    for i in 0..5 {
        assert_eq!(app.put_text(format!("p{i}")).await.status(), 201);
    }
    // Two seconds later a new fixed window would have begun with 5 more.
    clock.advance(Duration::from_secs(2));
    let r = app.put_text("one too many").await;
    assert_eq!(r.status(), 429, "a bucket has no edge to burst at");
    assert_eq!(header(&r, "retry-after"), "10", "12 s a token, 2 s gone");
    clock.advance(Duration::from_secs(10));
    assert_eq!(app.put_text("a token is back").await.status(), 201);
    assert_eq!(app.put_text("and only one").await.status(), 429);
}

#[tokio::test]
async fn misses_spend_a_budget_and_then_every_request_waits() {
    let clock = Clock::manual(time::OffsetDateTime::now_utc());
    let app = spawn_with_clock(clock.clone(), |s| s.limits.misses_per_minute = n(3)).await;
    let paste = app.create_text("found").await;
    for left in ["2", "1", "0"] {
        let r = app.get_raw("Nothing1").await;
        assert_eq!(r.status(), 404);
        assert_eq!(header(&r, "ratelimit-limit"), "3");
        assert_eq!(header(&r, "ratelimit-remaining"), left);
    }
    let hit = app.get_raw(&paste.id).await;
    assert_eq!(hit.status(), 200, "a spent budget is learned at a miss");
    assert!(
        !hit.headers().contains_key("ratelimit-remaining"),
        "hits are free"
    );

    let refused = app.get_raw("Nothing2").await;
    assert_eq!(refused.status(), 429);
    assert_eq!(header(&refused, "retry-after"), "20", "a token every 20 s");
    assert_eq!(
        header(&refused, "ratelimit-reset"),
        "60",
        "full again in 60 s"
    );
    let text = refused.text().await.expect("text");
    assert!(
        text.starts_with("error: too many requests for pastes"),
        "{text}"
    );
    // Now even a paste that exists is refused: else the 200s among the 429s
    // would still tell a scanner which ids exist.
    for path in [
        format!("/raw/{}", paste.id),
        format!("/{}", paste.id),
        format!("/api/v1/pastes/{}", paste.id),
    ] {
        assert_eq!(app.get_path(&path).await.status(), 429, "{path}");
    }
    let api = app.get_api_paste(&paste.id).await;
    assert_eq!(
        api.json::<serde_json::Value>().await.expect("JSON")["error"]["code"],
        "rate_limited"
    );
    let page = app
        .client
        .get(app.url(&format!("/{}", paste.id)))
        .header("Accept", "text/html")
        .send()
        .await
        .expect("answered");
    assert_eq!(page.status(), 429);
    assert!(header(&page, "content-type").starts_with("text/html"));
    assert_eq!(statuses(&app, 1, "/healthz").await, [200], "probes pass");
    let favicon = app.get_path("/favicon.ico").await;
    assert_eq!(
        favicon.status(),
        404,
        "a browser's own request is not refused"
    );
    assert!(
        !favicon.headers().contains_key("ratelimit-remaining"),
        "nor counted"
    );

    clock.advance(Duration::from_secs(20));
    assert_eq!(
        app.get_raw(&paste.id).await.status(),
        200,
        "a token is back"
    );
    assert_eq!(statuses(&app, 2, "/raw/Nothing3").await, [404, 429]);
}

#[tokio::test]
async fn the_miss_budget_holds_across_the_fleet_and_hits_pay_no_round_trip() {
    let redis = RedisServer::start().await;
    let clock = Clock::manual(time::OffsetDateTime::now_utc());
    let (a, b) = spawn_clones_at(&redis.url(), clock.clone(), |s| {
        s.limits.misses_per_minute = n(4)
    })
    .await;
    let paste = a.create(json!({"content": "hot"})).await;
    assert_eq!(a.get_raw(&paste.id).await.status(), 200, "now cached");

    let before = redis.calls("evalsha");
    for _ in 0..20 {
        assert_eq!(a.get_raw(&paste.id).await.status(), 200);
    }
    assert_eq!(
        redis.calls("evalsha") - before,
        0,
        "a hot hit spends nothing of the budget (and its view and visit are in the clone)"
    );

    assert_eq!(statuses(&a, 2, "/raw/Nothing1").await, [404, 404]);
    assert_eq!(statuses(&b, 2, "/api/v1/pastes/Nothing2").await, [404, 404]);
    assert_eq!(
        statuses(&a, 1, "/raw/Nothing3").await,
        [429],
        "the budget is one for the fleet"
    );
    assert_eq!(a.get_raw(&paste.id).await.status(), 429, "a remembers");
    assert_eq!(
        b.get_raw(&paste.id).await.status(),
        200,
        "b learns at its next miss"
    );
    assert_eq!(statuses(&b, 2, "/raw/Nothing4").await, [429, 429]);
    clock.advance(Duration::from_secs(15));
    assert_eq!(statuses(&a, 1, &format!("/raw/{}", paste.id)).await, [200]);
}

#[tokio::test]
async fn an_ipv6_network_is_one_client() {
    let clock = Clock::manual(time::OffsetDateTime::now_utc());
    let app = spawn_with_clock(clock, |s| {
        s.limits.create_per_minute = n(2);
        s.server.trusted_proxies = vec!["127.0.0.1".parse().expect("an address")];
    })
    .await;
    let create = |client: &'static str| {
        app.client
            .put(app.url("/"))
            .header("X-Forwarded-For", client)
            .body("x")
            .send()
    };
    let status = |r: reqwest::Response| r.status().as_u16();
    assert_eq!(status(create("2001:db8:7:1::1").await.expect("ok")), 201);
    assert_eq!(status(create("2001:db8:7:1::2").await.expect("ok")), 201);
    assert_eq!(
        status(create("2001:db8:7:1:ffff::3").await.expect("ok")),
        429,
        "another address of the same /64"
    );
    assert_eq!(
        status(create("2001:db8:7:2::1").await.expect("ok")),
        201,
        "another /64"
    );
}

/// Sends a `PUT /` whose head promises a body of 1 MiB and only its start.
async fn unfinished_put(app: &TestApp) -> TcpStream {
    let host = app.address.trim_start_matches("http://");
    let mut socket = TcpStream::connect(host).await.expect("connects");
    socket
        .write_all(b"PUT / HTTP/1.1\r\nHost: x\r\nContent-Length: 1048576\r\n\r\nthe start")
        .await
        .expect("written");
    socket
}

/// The start of what the server answered on `socket`.
async fn answer(socket: &mut TcpStream) -> String {
    let mut answer = vec![0u8; 4096];
    let n = tokio::time::timeout(Duration::from_secs(30), socket.read(&mut answer))
        .await
        .expect("answered in time")
        .expect("read");
    String::from_utf8_lossy(&answer[..n]).into_owned()
}

#[tokio::test]
async fn uploads_that_never_finish_spend_no_creation_token() {
    let clock = Clock::manual(time::OffsetDateTime::now_utc());
    let app = spawn_with_clock(clock, |s| {
        s.limits.create_per_minute = n(5);
        s.limits.body_timeout_secs = Seconds::new(1).expect("not zero");
    })
    .await;
    // Five clients that stall until their time is up (408, so the server has
    // surely looked at each by now)...
    let mut stalled = Vec::new();
    for _ in 0..5 {
        stalled.push(unfinished_put(&app).await);
    }
    for socket in &mut stalled {
        let got = answer(socket).await;
        assert!(got.starts_with("HTTP/1.1 408"), "{got}");
    }
    // ...and some that hang up mid-body.
    for _ in 0..3 {
        drop(unfinished_put(&app).await);
    }
    // Bodies refused as invalid spend nothing either.
    for _ in 0..5 {
        let empty = app.put_text("").await;
        assert!(empty.status().is_client_error(), "{}", empty.status());
        assert_ne!(empty.status(), 429);
    }
    let real = app.put_text("a real paste").await;
    assert_eq!(
        real.status(),
        201,
        "no token was spent on unfinished bodies"
    );
    assert_eq!(header(&real, "ratelimit-remaining"), "4");
}

#[tokio::test]
async fn a_client_out_of_creations_is_refused_before_its_body_is_read() {
    let clock = Clock::manual(time::OffsetDateTime::now_utc());
    let app = spawn_with_clock(clock, |s| s.limits.create_per_minute = n(2)).await;
    for i in 0..2 {
        assert_eq!(app.put_text(format!("p{i}")).await.status(), 201);
    }
    // The body is never sent: a 429 answered now cannot have waited for it.
    let mut socket = unfinished_put(&app).await;
    let got = answer(&mut socket).await;
    assert!(got.starts_with("HTTP/1.1 429"), "{got}");
    assert!(got.to_ascii_lowercase().contains("retry-after:"), "{got}");
}

/// Each guessed bearer token costs a store read, as a guessed id does: both
/// spend the same budget, so token guessing is bounded too.
#[tokio::test]
async fn guessed_bearer_tokens_spend_the_not_found_budget() {
    let clock = Clock::manual(time::OffsetDateTime::now_utc());
    let app = spawn_with_clock(clock.clone(), |s| s.limits.misses_per_minute = n(3)).await;
    let guess = |path: &'static str| {
        app.client
            .get(app.url(path))
            .header(
                "Authorization",
                "Bearer pbt_abcdefghijkl_abcdefghijklmnopqrstuvwxyz012345",
            )
            .send()
    };
    for left in ["2", "1", "0"] {
        let r = guess("/api/v1/users/ada/pastes").await.expect("answered");
        assert_eq!(r.status(), 401);
        assert_eq!(header(&r, "ratelimit-remaining"), left);
    }
    let refused = guess("/").await.expect("answered");
    assert_eq!(refused.status(), 429, "the budget is spent for every route");
}

/// A retry with the same `Idempotency-Key` gets its first answer and spends
/// nothing: a client that lost an answer is never charged twice for it.
#[tokio::test]
async fn a_replayed_creation_spends_no_token() {
    let clock = Clock::manual(time::OffsetDateTime::now_utc());
    let app = spawn_with_clock(clock.clone(), |s| s.limits.create_per_minute = n(2)).await;
    let put = |key: Option<&'static str>| {
        let mut request = app.client.put(app.url("/")).body("once");
        if let Some(key) = key {
            request = request.header("Idempotency-Key", key);
        }
        request.send()
    };
    let first = put(Some("3f2c9a1e-7b4d-4c2a-9f1e-2a6b8c0d4e5f"))
        .await
        .expect("answered");
    assert_eq!(first.status(), 201);
    assert_eq!(header(&first, "ratelimit-remaining"), "1");
    for _ in 0..3 {
        let replay = put(Some("3f2c9a1e-7b4d-4c2a-9f1e-2a6b8c0d4e5f"))
            .await
            .expect("answered");
        assert_eq!(replay.status(), 201);
        assert_eq!(header(&replay, "idempotent-replayed"), "true");
        assert!(!replay.headers().contains_key("ratelimit-remaining"));
    }
    let other = put(None).await.expect("answered");
    assert_eq!(other.status(), 201, "the replays left the last token");
    assert_eq!(header(&other, "ratelimit-remaining"), "0");
}
