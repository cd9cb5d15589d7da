//! Who may see and delete what: private pastes are their author's only, on
//! every path; authors delete without a token; CSRF guards signed-in forms.

use crate::support::app::{quiet_periodic_jobs, spawn_app, spawn_with};

#[tokio::test]
async fn a_private_paste_is_its_authors_only_on_every_path() {
    let app = spawn_app().await;
    let ada = app.signed_up("ada").await;
    let grace = app.signed_up("grace").await;
    let id = app.create_as(&ada, "ada's secret", "private").await;
    app.settle().await;
    let paths = [
        format!("/{id}"),
        format!("/raw/{id}"),
        format!("/dl/{id}"),
        format!("/{id}/stats"),
    ];
    for path in &paths {
        assert_eq!(app.get_as(&ada, path).await.status(), 200, "ada: {path}");
    }
    // Twice each: a first read may fill a cache, the second must not use it.
    for _ in 0..2 {
        for path in &paths {
            assert_eq!(
                app.get_as(&grace, path).await.status(),
                404,
                "grace: {path}"
            );
            assert_eq!(app.get(path).await.0, 404, "anonymous: {path}");
        }
        assert_eq!(app.get_api_paste(&id).await.status(), 404, "the API");
        let stats = app.get_path(&format!("/api/v1/pastes/{id}/stats")).await;
        assert_eq!(stats.status(), 404);
    }
    let missing = app.get("/raw/zzzzzzzz").await;
    let hidden = app.get(&format!("/raw/{id}")).await;
    assert_eq!(missing, hidden, "private looks exactly like missing");
    let raw = app.get_as(&ada, &format!("/raw/{id}")).await;
    assert_eq!(raw.headers()["Cache-Control"], "no-store");
    assert_eq!(raw.text().await.expect("a body"), "ada's secret");
}

#[tokio::test]
async fn a_private_paste_is_never_cached_for_anyone() {
    let app = spawn_with(quiet_periodic_jobs).await;
    let ada = app.signed_up("ada").await;
    let id = app.create_as(&ada, "not for caches", "private").await;
    app.settle().await;
    for _ in 0..3 {
        assert_eq!(app.get_as(&ada, &format!("/raw/{id}")).await.status(), 200);
    }
    assert_eq!(app.metrics.cache_requests("paste", "hit"), 0);
}

#[tokio::test]
async fn the_owner_sees_every_visibility_in_my_pastes_and_others_see_public_ones() {
    let app = spawn_app().await;
    let ada = app.signed_up("ada").await;
    let grace = app.signed_up("grace").await;
    let public = app.create_as(&ada, "public one", "public").await;
    let unlisted = app.create_as(&ada, "unlisted one", "unlisted").await;
    let private = app.create_as(&ada, "private one", "private").await;
    let own = app
        .get_as(&ada, "/u/ada")
        .await
        .text()
        .await
        .expect("a page");
    assert!(own.contains("id=\"my-pastes\""));
    for id in [&public, &unlisted, &private] {
        assert!(
            own.contains(&format!("href=\"/{id}\"")),
            "{id} in my pastes"
        );
    }
    for page in [
        app.get_as(&grace, "/u/ada")
            .await
            .text()
            .await
            .expect("a page"),
        app.get("/u/ada").await.1,
    ] {
        assert!(!page.contains("my-pastes"));
        assert!(page.contains(&format!("href=\"/{public}\"")));
        for id in [&unlisted, &private] {
            assert!(!page.contains(&format!("href=\"/{id}\"")), "{id} listed");
        }
    }
    let api = app.get("/api/v1/users/ada/pastes").await.1;
    assert!(api.contains(&public) && !api.contains(&unlisted) && !api.contains(&private));
}

#[tokio::test]
async fn a_paste_made_while_signed_in_names_its_author() {
    let app = spawn_app().await;
    let ada = app.signed_up("ada").await;
    let id = app.create_as(&ada, "by ada", "public").await;
    let page = app.html(&format!("/{id}")).await.1;
    assert!(page.contains("<a class=\"author\" href=\"/u/ada\">ada</a>"));
    let json: serde_json::Value = app.get_api_paste(&id).await.json().await.expect("JSON");
    assert_eq!(json["author"], "ada");
}

#[tokio::test]
async fn a_signed_in_form_without_its_csrf_token_is_refused_and_an_anonymous_one_works() {
    let app = spawn_app().await;
    let ada = app.signed_up("ada").await;
    for fields in [
        vec![("content", "forged")],
        vec![("content", "forged"), ("csrf_token", "guess")],
    ] {
        let response = app.post_form_as(Some(&ada), "/", &fields).await;
        assert_eq!(response.status(), 403);
        let page = response.text().await.expect("a page");
        assert!(page.contains("csrf_token"), "a page that says why: {page}");
    }
    let json = app
        .client
        .post(app.url("/"))
        .header("Cookie", &ada.cookie)
        .header("Accept", "application/json")
        .form(&[("content", "forged")])
        .send()
        .await
        .expect("answered");
    assert_eq!(json.status(), 403);
    assert_eq!(crate::support::app::error_code(json).await, "csrf_refused");
    let anonymous = app.post_form_as(None, "/", &[("content", "anyone")]).await;
    assert_eq!(anonymous.status(), 303, "no cookie, no token needed");
}

#[tokio::test]
async fn the_author_deletes_from_the_page_without_a_token_and_nobody_else_can() {
    let app = spawn_app().await;
    let ada = app.signed_up("ada").await;
    let grace = app.signed_up("grace").await;
    let id = app.create_as(&ada, "mine", "public").await;
    let page = app
        .get_as(&ada, &format!("/{id}"))
        .await
        .text()
        .await
        .expect("a page");
    assert!(
        page.contains("id=\"owner-delete\""),
        "the author gets a button"
    );
    let other = app
        .get_as(&grace, &format!("/{id}"))
        .await
        .text()
        .await
        .expect("a page");
    assert!(!other.contains("owner-delete"));
    let path = format!("/{id}/delete");
    let by_grace = app
        .post_form_as(Some(&grace), &path, &[("csrf_token", &grace.csrf)])
        .await;
    assert_eq!(by_grace.status(), 401, "not hers: a delete token is needed");
    let forged = app.post_form_as(Some(&ada), &path, &[]).await;
    assert_eq!(forged.status(), 403, "no CSRF token");
    let by_ada = app
        .post_form_as(Some(&ada), &path, &[("csrf_token", &ada.csrf)])
        .await;
    assert_eq!(by_ada.status(), 200);
    assert_eq!(app.get(&format!("/raw/{id}")).await.0, 404);
}

#[tokio::test]
async fn private_needs_an_account_and_login_can_be_required_to_create() {
    let app = spawn_app().await;
    let anonymous = app
        .post_form_as(None, "/", &[("content", "x"), ("visibility", "private")])
        .await;
    assert_eq!(anonymous.status(), 422);
    let strict = spawn_with(|s| s.accounts.require_login_to_create = true).await;
    let refused = strict.post_form_as(None, "/", &[("content", "x")]).await;
    assert_eq!(refused.status(), 401);
    assert_eq!(strict.put_text("from curl").await.status(), 401);
    let ada = strict.signed_up("ada").await;
    strict.create_as(&ada, "signed in", "public").await;
    assert_eq!(strict.get("/").await.0, 200, "anyone may still read");
}

#[tokio::test]
async fn a_signed_in_creators_delete_button_carries_the_csrf_token_and_works() {
    let app = spawn_app().await;
    let ada = app.signed_up("ada").await;
    let created = app
        .post_form_as(
            Some(&ada),
            "/",
            &[("content", "soon gone"), ("csrf_token", &ada.csrf)],
        )
        .await;
    assert_eq!(created.status(), 303);
    let token_cookie = created
        .headers()
        .get_all("Set-Cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("pb_token="))
        .and_then(|v| v.split(';').next())
        .expect("the delete token rides in a cookie")
        .to_owned();
    let location = created.headers()["Location"]
        .to_str()
        .expect("text")
        .to_owned();
    let page = app
        .client
        .get(app.url(&location))
        .header("Cookie", format!("{}; {token_cookie}", ada.cookie))
        .header("accept", crate::support::app::BROWSER_ACCEPT)
        .send()
        .await
        .expect("answered")
        .text()
        .await
        .expect("a page");
    let notice = &page[page.find("notice created").expect("the notice")..];
    let notice = &notice[..notice.find("</section>").expect("its end")];
    assert!(
        notice.contains(&format!("name=\"csrf_token\" value=\"{}\"", ada.csrf)),
        "{notice}"
    );
    assert_eq!(page.matches("Delete this paste").count(), 1, "one button");
    let token = token_cookie.trim_start_matches("pb_token=");
    let deleted = app
        .post_form_as(
            Some(&ada),
            &format!("{location}/delete"),
            &[("delete_token", token), ("csrf_token", &ada.csrf)],
        )
        .await;
    assert_eq!(deleted.status(), 200);
}

/// Pages made for a signed-in browser carry its name and CSRF token (and the
/// form filled from a private paste carries that paste): no shared cache may
/// keep any of them, whatever the page; anonymous pages stay shareable.
#[tokio::test]
async fn every_answer_to_a_signed_in_browser_is_private() {
    let app = spawn_app().await;
    let ada = app.signed_up("ada").await;
    let id = app.create_as(&ada, "ada's secret", "private").await;
    for path in [
        "/".to_owned(),
        format!("/?from={id}"),
        format!("/{id}/stats"),
        format!("/{id}/delete"),
        "/api".to_owned(),
        format!("/raw/{id}"),
    ] {
        let answer = app.get_as(&ada, &path).await;
        let cache = answer
            .headers()
            .get("Cache-Control")
            .map(|v| v.to_str().expect("ascii").to_owned())
            .unwrap_or_default();
        assert!(
            cache.contains("private") || cache.contains("no-store"),
            "{path}: {cache}"
        );
    }
    let anonymous = app
        .client
        .get(format!("{}/api", app.address))
        .send()
        .await
        .expect("answered");
    let cache = anonymous
        .headers()
        .get("Cache-Control")
        .map(|v| v.to_str().expect("ascii").to_owned())
        .unwrap_or_default();
    assert!(!cache.contains("private"), "anonymous /api: {cache}");
}

/// The assets are the same bytes for everyone: a signed-in browser (or a
/// bearer token) keeps their public, year-long caching, or every page of a
/// signed-in user would revalidate its stylesheet and script.
#[tokio::test]
async fn assets_stay_publicly_cacheable_for_a_signed_in_browser() {
    let app = spawn_app().await;
    let ada = app.signed_up("ada").await;
    let home = app.get_as(&ada, "/").await.text().await.expect("a page");
    let at = home
        .find("/static/style.css?v=")
        .expect("a fingerprinted link");
    let link: String = home[at..].chars().take_while(|c| *c != '"').collect();
    let cache_of = |r: &reqwest::Response| {
        r.headers()
            .get("Cache-Control")
            .map(|v| v.to_str().expect("ascii").to_owned())
    };
    let signed_in = app.get_as(&ada, &link).await;
    assert_eq!(signed_in.status(), 200);
    assert_eq!(
        cache_of(&signed_in).as_deref(),
        Some("public, max-age=31536000, immutable"),
        "{link} with a session"
    );
    let bearer = app
        .client
        .get(app.url(&link))
        .header("Authorization", "Bearer pbt_whatever")
        .send()
        .await
        .expect("answered");
    assert_eq!(
        cache_of(&bearer).as_deref(),
        Some("public, max-age=31536000, immutable"),
        "{link} with a token"
    );
    let unfingerprinted = app.get_as(&ada, "/static/page.js").await;
    assert_eq!(
        cache_of(&unfingerprinted).as_deref(),
        Some("public, max-age=300")
    );
    // A page to the same browser stays private.
    let page = app.get_as(&ada, "/").await;
    assert!(cache_of(&page).is_some_and(|c| c.contains("private") || c.contains("no-store")));
}
