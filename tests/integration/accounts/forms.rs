//! Sign-up, log-in and log-out through the forms.

use crate::support::accounts::{PASSWORD, session_cookie, session_set_cookie};
use crate::support::app::{spawn_app, spawn_with};
use pastebin::configuration::{PublicUrl, Signup};

#[tokio::test]
async fn signing_up_opens_a_session_and_the_header_names_the_user() {
    let app = spawn_app().await;
    let response = app.sign_up("Ada", PASSWORD).await;
    assert_eq!(response.status(), 303);
    assert_eq!(
        response.headers()["Location"],
        "/u/ada",
        "the name is lowercased"
    );
    let set = session_set_cookie(&response).expect("a session cookie");
    for attribute in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(set.contains(attribute), "{attribute} missing from {set}");
    }
    assert!(!set.contains("Secure"), "not over http: {set}");
    let id = session_cookie(&response).expect("a value");
    assert!(
        id.len() >= "pb_session=".len() + 22,
        "128 bits at least: {id}"
    );

    let who = app.session_of("ada", &response).await;
    let (_, anonymous) = app.html("/").await;
    assert!(anonymous.contains("href=\"/login\"") && !anonymous.contains("signed in as"));
    let page = app.get_as(&who, "/").await.text().await.expect("a page");
    assert!(page.contains("signed in as"), "{page}");
    assert!(page.contains("id=\"signed-in\" href=\"/u/ada\">ada</a>"));
}

#[tokio::test]
async fn a_session_cookie_is_secure_when_the_service_is_https() {
    let app = spawn_with(|s| {
        s.server.public_url =
            Some(pastebin::configuration::PublicUrl::parse("https://paste.test").expect("a URL"));
    })
    .await;
    let response = app.sign_up("ada", PASSWORD).await;
    let set = session_set_cookie(&response).expect("a session cookie");
    assert!(set.contains("Secure"), "{set}");
}

#[tokio::test]
async fn sign_up_refuses_bad_names_short_passwords_and_taken_names() {
    let app = spawn_app().await;
    let short = app.sign_up("ada", "short").await;
    assert_eq!(short.status(), 422);
    assert!(session_cookie(&short).is_none());
    let page = short.text().await.expect("a page");
    assert!(page.contains("at least 8 characters"), "{page}");
    assert_eq!(app.sign_up("a b", PASSWORD).await.status(), 422);
    assert_eq!(app.sign_up("ada", PASSWORD).await.status(), 303);
    let taken = app.sign_up("ADA", PASSWORD).await;
    assert_eq!(taken.status(), 409);
    assert!(taken.text().await.expect("a page").contains("taken"));
}

#[tokio::test]
async fn an_unknown_user_and_a_wrong_password_get_the_same_answer() {
    let app = spawn_app().await;
    app.signed_up("ada").await;
    let wrong = app.log_in("ada", "not the password").await;
    let unknown = app.log_in("grace", "not the password").await;
    assert_eq!(wrong.status(), 401);
    assert_eq!(unknown.status(), 401);
    assert!(session_cookie(&wrong).is_none() && session_cookie(&unknown).is_none());
    let (wrong, unknown) = (
        wrong.text().await.expect("a page"),
        unknown.text().await.expect("a page"),
    );
    assert_eq!(
        wrong.replace("value=\"ada\"", ""),
        unknown.replace("value=\"grace\"", ""),
        "the pages differ only by the name typed"
    );
    let right = app.log_in("Ada", PASSWORD).await;
    assert_eq!(right.status(), 303);
}

#[tokio::test]
async fn each_log_in_is_a_new_session_and_log_out_ends_it() {
    let app = spawn_app().await;
    let first = app.signed_up("ada").await;
    let second = app.logged_in("ada").await;
    assert_ne!(first.cookie, second.cookie, "a new id at each log-in");
    let out = app
        .post_form_as(Some(&second), "/logout", &[("csrf_token", &second.csrf)])
        .await;
    assert_eq!(out.status(), 303);
    let set = session_set_cookie(&out).expect("the cookie is cleared");
    assert!(set.starts_with("pb_session=;"), "{set}");
    let page = app.get_as(&second, "/").await.text().await.expect("a page");
    assert!(!page.contains("signed in as"), "the session ended");
    let page = app.get_as(&first, "/").await.text().await.expect("a page");
    assert!(
        page.contains("signed in as"),
        "another session of ada lives on"
    );
}

#[tokio::test]
async fn log_out_without_the_csrf_token_is_refused() {
    let app = spawn_app().await;
    let ada = app.signed_up("ada").await;
    let forged = app.post_form_as(Some(&ada), "/logout", &[]).await;
    assert_eq!(forged.status(), 403);
    let page = app.get_as(&ada, "/").await.text().await.expect("a page");
    assert!(page.contains("signed in as"), "still signed in");
}

#[tokio::test]
async fn closed_sign_up_refuses_new_accounts() {
    let app = spawn_with(|s| s.accounts.signup = Signup::Closed).await;
    let (status, page) = app.get("/signup").await;
    assert_eq!(status, 200);
    assert!(page.contains("Sign-up is closed"));
    assert_eq!(app.sign_up("ada", PASSWORD).await.status(), 403);
}

#[tokio::test]
async fn failed_log_ins_are_throttled_per_account() {
    let app = spawn_with(|s| {
        s.accounts.login_attempts_per_minute = std::num::NonZeroU32::new(3).expect("not zero");
    })
    .await;
    app.signed_up("ada").await;
    for _ in 0..3 {
        assert_eq!(app.log_in("ada", "wrong password").await.status(), 401);
    }
    let throttled = app.log_in("ada", PASSWORD).await;
    assert_eq!(throttled.status(), 429, "even the right password waits");
    assert!(throttled.headers().contains_key("Retry-After"));
}

#[tokio::test]
async fn failed_log_ins_are_throttled_per_account_and_per_address_apart() {
    let app = spawn_with(|s| {
        s.accounts.login_attempts_per_minute = std::num::NonZeroU32::new(3).expect("not zero");
        // The test's requests come through a "proxy" that names the client.
        s.server.trusted_proxies = vec!["127.0.0.1".parse().expect("an address")];
    })
    .await;
    let attempt = |from: &'static str, username: &'static str| {
        app.client
            .post(app.url("/login"))
            .header("X-Forwarded-For", from)
            .form(&[("username", username), ("password", "wrong password")])
            .send()
    };
    for _ in 0..3 {
        let response = attempt("203.0.113.1", "ada").await.expect("answered");
        assert_eq!(response.status(), 401);
    }
    let same_account = attempt("203.0.113.2", "ada").await.expect("answered");
    assert_eq!(same_account.status(), 429, "the account's bucket is empty");
    let same_address = attempt("203.0.113.1", "grace").await.expect("answered");
    assert_eq!(same_address.status(), 429, "the address's bucket is empty");
    let elsewhere = attempt("203.0.113.3", "grace").await.expect("answered");
    assert_eq!(
        elsewhere.status(),
        401,
        "another account from another address"
    );
}

/// Log-in CSRF: another site's form must not sign the browser into an
/// account (the attacker's), so a cross-site log-in or sign-up is refused
/// and sets no session; the same request from this site's own form works.
#[tokio::test]
async fn a_log_in_or_sign_up_from_another_site_is_refused() {
    let app = spawn_app().await;
    app.sign_up("mallory", PASSWORD).await;
    let body = format!("username=mallory&password={}", PASSWORD.replace(' ', "+"));
    for path in ["/login", "/signup"] {
        let forged = app
            .client
            .post(format!("{}{path}", app.address))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Sec-Fetch-Site", "cross-site")
            .body(body.clone())
            .send()
            .await
            .expect("answered");
        assert_eq!(forged.status(), 403, "{path}");
        assert!(
            session_set_cookie(&forged).is_none(),
            "{path} set a session"
        );
    }
    let own = app
        .client
        .post(format!("{}/login", app.address))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Sec-Fetch-Site", "same-origin")
        .body(body)
        .send()
        .await
        .expect("answered");
    assert_eq!(own.status(), 303);
    assert!(session_set_cookie(&own).is_some());
}

/// Log-in CSRF beyond `cross-site`: a sibling subdomain (`same-site`), and a
/// browser that sends no `Sec-Fetch-Site` but an `Origin` that is not this
/// service's (or `null`), are refused too; this service's own origin (as
/// `server.public_url` or the addressed `Host` names it), a browser that
/// says `same-origin`, and a client that is no browser (neither header) log
/// in.
#[tokio::test]
async fn a_log_in_from_a_sibling_site_or_a_foreign_origin_is_refused() {
    let app = spawn_with(|s| {
        s.server.public_url = Some(PublicUrl::parse("https://paste.test").expect("a URL"));
    })
    .await;
    app.sign_up("mallory", PASSWORD).await;
    let body = format!("username=mallory&password={}", PASSWORD.replace(' ', "+"));
    let host = app.address.trim_start_matches("http://").to_owned();
    let post = |path: &'static str, headers: Vec<(&'static str, String)>| {
        let mut request = app
            .client
            .post(app.url(path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(body.clone());
        for (name, value) in headers {
            request = request.header(name, value);
        }
        request.send()
    };
    let refused: Vec<Vec<(&str, String)>> = vec![
        vec![("Sec-Fetch-Site", "same-site".into())],
        vec![
            ("Sec-Fetch-Site", "same-site".into()),
            ("Origin", "https://paste.test".into()),
        ],
        vec![("Origin", "https://evil.paste.test".into())],
        vec![("Origin", "https://elsewhere.example".into())],
        vec![("Origin", "http://paste.test".into())],
        // A plain-http page of this very host (an active network attacker's),
        // sent to it by name as a proxy in front would pass it on.
        vec![
            ("Origin", "http://paste.test".into()),
            ("Host", "paste.test".into()),
        ],
        // This https service's address reached over plain http.
        vec![("Origin", format!("http://{host}"))],
        vec![("Origin", "null".into())],
        vec![("Origin", "https://paste.test.evil.example".into())],
    ];
    for headers in refused {
        for path in ["/login", "/signup"] {
            let forged = post(path, headers.clone()).await.expect("answered");
            assert_eq!(forged.status(), 403, "{path} {headers:?}");
            assert!(
                session_set_cookie(&forged).is_none(),
                "{path} {headers:?} set a session"
            );
        }
    }
    let accepted: Vec<Vec<(&str, String)>> = vec![
        vec![("Origin", "https://paste.test".into())],
        vec![("Origin", "https://PASTE.test:443".into())],
        vec![
            ("Sec-Fetch-Site", "same-origin".into()),
            ("Origin", "null".into()),
        ],
        vec![],
    ];
    for headers in accepted {
        let own = post("/login", headers.clone()).await.expect("answered");
        assert_eq!(own.status(), 303, "{headers:?}");
        assert!(session_set_cookie(&own).is_some(), "{headers:?}");
    }
}

/// The address a browser typed (`localhost` for a service whose links say
/// `127.0.0.1`) is this service too, under the service's own scheme.
#[tokio::test]
async fn a_log_in_from_the_host_the_browser_addressed_is_accepted() {
    let app = spawn_app().await;
    app.sign_up("ada", PASSWORD).await;
    let port = app.address.rsplit(':').next().expect("a port").to_owned();
    let body = format!("username=ada&password={}", PASSWORD.replace(' ', "+"));
    let own = app
        .client
        .post(app.url("/login"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Host", format!("localhost:{port}"))
        .header("Origin", format!("http://localhost:{port}"))
        .body(body.clone())
        .send()
        .await
        .expect("answered");
    assert_eq!(own.status(), 303);
    let other_scheme = app
        .client
        .post(app.url("/login"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Host", format!("localhost:{port}"))
        .header("Origin", format!("https://localhost:{port}"))
        .body(body)
        .send()
        .await
        .expect("answered");
    assert_eq!(other_scheme.status(), 403);
}
