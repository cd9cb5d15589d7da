//! Log-in throttling that slows guessing without letting anyone lock an
//! owner out (device cookies), and the sign-up throttle.

use std::num::NonZeroU32;

use crate::support::accounts::PASSWORD;
use crate::support::app::{TestApp, spawn_with};

fn n(count: u32) -> NonZeroU32 {
    NonZeroU32::new(count).expect("not zero")
}

/// The `pb_device=...` pair an answer sets, if any.
pub fn device_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("pb_device="))
        .map(str::to_owned)
}

/// `POST /login` from `from` (through the trusted test "proxy"), with a
/// `Cookie` header when given.
pub async fn log_in_from(
    app: &TestApp,
    from: &str,
    cookie: Option<&str>,
    username: &str,
    password: &str,
) -> reqwest::Response {
    let mut request = app
        .client
        .post(app.url("/login"))
        .header("X-Forwarded-For", from)
        .form(&[("username", username), ("password", password)]);
    if let Some(cookie) = cookie {
        request = request.header("Cookie", cookie);
    }
    request.send().await.expect("the app answers")
}

/// The `name=value` part of a `Set-Cookie` line.
pub fn pair(set_cookie: &str) -> String {
    set_cookie.split(';').next().expect("a pair").to_owned()
}

async fn app_with_logins(per_minute: u32) -> TestApp {
    spawn_with(|s| {
        s.accounts.login_attempts_per_minute = n(per_minute);
        s.server.trusted_proxies = vec!["127.0.0.1".parse().expect("an address")];
    })
    .await
}

#[tokio::test]
async fn an_attacker_spending_the_accounts_allowance_does_not_lock_out_the_owners_browser() {
    let app = app_with_logins(3).await;
    app.signed_up("ada").await;
    let owner = log_in_from(&app, "198.51.100.7", None, "ada", PASSWORD).await;
    assert_eq!(owner.status(), 303);
    let set = device_cookie(&owner).expect("a browser that logged in gets a device cookie");
    for attribute in ["HttpOnly", "Path=/login", "SameSite=Strict", "Max-Age="] {
        assert!(set.contains(attribute), "{attribute} missing from {set}");
    }
    let device = pair(&set);

    // Wrong passwords from many addresses empty the account's shared allowance.
    let mut refused = 0;
    for i in 0..6 {
        let from = format!("203.0.113.{i}");
        match log_in_from(&app, &from, None, "ada", "wrong password")
            .await
            .status()
            .as_u16()
        {
            401 => {}
            429 => refused += 1,
            other => panic!("a guess answered {other}"),
        }
    }
    assert!(
        refused >= 3,
        "the shared allowance is spent: {refused} refused"
    );

    let without = log_in_from(&app, "198.51.100.7", None, "ada", PASSWORD).await;
    assert_eq!(
        without.status(),
        429,
        "without its cookie the account is throttled"
    );
    assert!(without.headers().contains_key("Retry-After"));

    let with = log_in_from(&app, "198.51.100.7", Some(&device), "ada", PASSWORD).await;
    assert_eq!(
        with.status(),
        303,
        "the owner's browser keeps its own allowance"
    );
    assert!(
        device_cookie(&with).is_none(),
        "a trusted browser keeps the cookie it has"
    );
}

#[tokio::test]
async fn a_device_cookie_has_an_allowance_of_its_own_and_for_its_account_only() {
    let app = app_with_logins(3).await;
    app.signed_up("ada").await;
    app.signed_up("grace").await;
    let owner = log_in_from(&app, "198.51.100.7", None, "ada", PASSWORD).await;
    let device = pair(&device_cookie(&owner).expect("a device cookie"));

    // Another account's shared allowance, spent by the same browser's cookie:
    // the cookie vouches for ada only.
    for _ in 0..3 {
        let r = log_in_from(&app, "198.51.100.8", Some(&device), "grace", "wrong").await;
        assert_eq!(r.status(), 401);
    }
    let r = log_in_from(&app, "198.51.100.9", Some(&device), "grace", PASSWORD).await;
    assert_eq!(r.status(), 429, "grace's shared allowance is spent");

    // Guesses with a (stolen) cookie cost the cookie's own allowance.
    for _ in 0..3 {
        let r = log_in_from(&app, "198.51.100.10", Some(&device), "ada", "wrong").await;
        assert_eq!(r.status(), 401);
    }
    let r = log_in_from(&app, "198.51.100.11", Some(&device), "ada", PASSWORD).await;
    assert_eq!(r.status(), 429, "the cookie's allowance is spent too");
    let r = log_in_from(&app, "198.51.100.12", None, "ada", PASSWORD).await;
    assert_eq!(
        r.status(),
        303,
        "and ada's shared allowance was never touched"
    );

    let forged = log_in_from(
        &app,
        "198.51.100.13",
        Some("pb_device=abc"),
        "grace",
        PASSWORD,
    )
    .await;
    assert_eq!(
        forged.status(),
        429,
        "an unknown cookie is no trusted browser"
    );
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
