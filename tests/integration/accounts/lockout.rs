//! The sign-up throttle, and what a sign-up costs.

use std::num::NonZeroU32;

use crate::support::accounts::PASSWORD;
use crate::support::app::spawn_with;

fn n(count: u32) -> NonZeroU32 {
    NonZeroU32::new(count).expect("not zero")
}

#[tokio::test]
async fn sign_ups_are_throttled_per_address() {
    let app = spawn_with(|s| {
        s.accounts.signups_per_minute = n(3);
        s.server.trusted_proxies = vec!["127.0.0.1".parse().expect("an address")];
    })
    .await;
    let sign_up = |from: &'static str, name: String| {
        app.client
            .post(app.url("/signup"))
            .header("X-Forwarded-For", from)
            .form(&[("username", name.as_str()), ("password", PASSWORD)])
            .send()
    };
    let attempts = (0..20).map(|i| sign_up("203.0.113.1", format!("user{i}")));
    let answers = futures_util::future::join_all(attempts).await;
    let mut statuses: Vec<u16> = answers
        .iter()
        .map(|r| r.as_ref().expect("answered").status().as_u16())
        .collect();
    statuses.sort_unstable();
    assert_eq!(statuses[..3], [303, 303, 303], "{statuses:?}");
    assert!(statuses[3..].iter().all(|s| *s == 429), "{statuses:?}");
    let refused = answers
        .iter()
        .map(|r| r.as_ref().expect("answered"))
        .find(|r| r.status() == 429)
        .expect("a refusal");
    assert!(refused.headers().contains_key("Retry-After"));
    let elsewhere = sign_up("203.0.113.2", "someone".into())
        .await
        .expect("answered");
    assert_eq!(
        elsewhere.status(),
        303,
        "another address has its own bucket"
    );
}

#[tokio::test]
async fn a_taken_name_costs_the_same_password_hash_as_a_free_one() {
    let app = spawn_with(|_| {}).await;
    let hashes = || app.metrics.password_hashes("hash");
    let before = hashes();
    assert_eq!(app.sign_up("ada", PASSWORD).await.status(), 303);
    assert_eq!(hashes(), before + 1, "a free name: one hash");
    let taken = app.sign_up("Ada", "another password").await;
    assert_eq!(taken.status(), 409);
    assert_eq!(hashes(), before + 2, "a taken name: one hash as well");
}
