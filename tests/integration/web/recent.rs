//! `/recent` and `/api/v1/recent`: the public archive through HTTP. Its
//! first page is one cached object that every change to a listed paste
//! replaces before it is acknowledged; searches and later pages are read
//! from the store's archive indexes.

use std::time::{Duration, Instant};

use crate::support::app::{TestApp, TestPaste, quiet_periodic_jobs, spawn_with};

/// The ids a list page links to, in order.
fn linked_ids(page: &str) -> Vec<String> {
    page.split("<a class=\"title\" href=\"/")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_owned)
        .collect()
}

async fn api_ids(app: &TestApp, query: &str) -> (Vec<String>, serde_json::Value) {
    let (status, body) = app.get(&format!("/api/v1/recent{query}")).await;
    assert_eq!(status, 200, "{body}");
    let json: serde_json::Value = serde_json::from_str(&body).expect("JSON");
    let ids = json["pastes"]
        .as_array()
        .expect("pastes")
        .iter()
        .map(|p| p["id"].as_str().expect("an id").to_owned())
        .collect();
    (ids, json)
}

/// Reads `/recent` until it comes from the cache (a change's tombstone
/// keeps it assembling from the store for 2 s).
async fn until_cached(app: &TestApp) {
    let deadline = Instant::now() + Duration::from_secs(10);
    let hits = app.metrics.cache_requests("archive", "hit");
    while app.metrics.cache_requests("archive", "hit") == hits {
        assert!(Instant::now() < deadline, "the archive was never cached");
        app.html("/recent").await;
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn recent_lists_public_pastes_only_and_every_change_shows_at_once() {
    let app = spawn_with(quiet_periodic_jobs).await;
    let first = TestPaste::new("echo one\n")
        .title("deploy.sh")
        .create(&app)
        .await;
    let second = TestPaste::new("SELECT 1 FROM t WHERE a = 1;\n")
        .title("report query")
        .create(&app)
        .await;
    for hidden in [
        TestPaste::new("unlisted").title("deploy.sh").unlisted(),
        TestPaste::new("burns").title("deploy.sh").burn(),
        TestPaste::new("counted").title("deploy.sh").max_views(3),
    ] {
        hidden.create(&app).await;
    }
    app.settle().await;
    let (status, page) = app.html("/recent").await;
    assert_eq!(status, 200);
    assert_eq!(linked_ids(&page), vec![second.id.clone(), first.id.clone()]);
    // The language the page shows, detected from the title and the text.
    assert!(
        page.contains(">Bourne Again Shell (bash)<") || page.contains(">Shell"),
        "{page}"
    );
    assert!(page.contains(">SQL<"), "{page}");
    let (ids, json) = api_ids(&app, "").await;
    assert_eq!(ids, vec![second.id.clone(), first.id.clone()]);
    assert_eq!(json["pastes"][0]["shown_language"], "sql");
    assert_eq!(json["pastes"][1]["shown_language"], "shell");

    until_cached(&app).await;
    let before = app.store_operations_total().await;
    for _ in 0..3 {
        assert_eq!(linked_ids(&app.html("/recent").await.1).len(), 2);
    }
    assert_eq!(
        app.store_operations_total().await,
        before,
        "a hot /recent reached the store"
    );

    let third = app.create_text("a third one").await;
    assert_eq!(
        linked_ids(&app.html("/recent").await.1),
        vec![third.id.clone(), second.id.clone(), first.id.clone()],
        "a creation shows at once"
    );
    until_cached(&app).await;
    let deleted = app.delete_paste(&second.id, Some(&second.token)).await;
    assert_eq!(deleted.status(), 204);
    assert_eq!(
        linked_ids(&app.html("/recent").await.1),
        vec![third.id.clone(), first.id.clone()],
        "a delete shows at once"
    );
}

#[tokio::test]
async fn recent_is_searched_by_title_and_language_and_paged_by_cursor() {
    let app = spawn_with(quiet_periodic_jobs).await;
    let mut made = Vec::new();
    for i in 0..5 {
        let paste = TestPaste::new(format!("fn main() {{ let mut x = {i}; }}\n"))
            .title(&format!("Deploy step {i}"))
            .create(&app)
            .await;
        made.push(paste.id);
        // Distinct milliseconds: within one, the order is the ids' (the
        // listing rule `accounts::user_view` tests), not creation's.
        tokio::time::sleep(Duration::from_millis(3)).await;
    }
    let other = TestPaste::new("print('hi')\n")
        .title("notes")
        .language("python")
        .create(&app)
        .await;
    made.reverse();
    // Page through a search by cursor, as the "Older pastes" link does.
    let mut seen = Vec::new();
    let mut path = "/recent?title=deploy&language=rust&limit=2".to_owned();
    loop {
        let (status, page) = app.html(&path).await;
        assert_eq!(status, 200, "{page}");
        assert!(
            page.contains("value=\"deploy\""),
            "the form keeps the search"
        );
        seen.extend(linked_ids(&page));
        let Some(rest) = page.split("id=\"older\" href=\"").nth(1) else {
            break;
        };
        path = rest
            .split('"')
            .next()
            .expect("a link")
            .replace("&#38;", "&")
            .replace("&amp;", "&");
        assert!(path.contains("title=deploy"), "{path}");
        assert!(seen.len() <= 5, "the walk never ends");
    }
    assert_eq!(seen, made);
    assert_eq!(
        linked_ids(&app.html("/recent?title=STEP+3").await.1),
        [made[1].clone()]
    );
    assert_eq!(
        linked_ids(&app.html("/recent?language=py").await.1),
        vec![other.id]
    );
    let (none, _) = api_ids(&app, "?title=deploy&language=python").await;
    assert!(none.is_empty());
    let page = app.html("/recent?title=nothing+like+it").await.1;
    assert!(page.contains("id=\"no-pastes\""), "{page}");
    for (query, code) in [
        ("?language=klingon", "invalid_language"),
        ("?cursor=nonsense", "invalid_cursor"),
        ("?q=x", "unknown_field"),
    ] {
        let (status, body) = app.get(&format!("/api/v1/recent{query}")).await;
        assert_eq!(status, 422, "{query}: {body}");
        assert!(body.contains(code), "{query}: {body}");
        let (status, _) = app.html(&format!("/recent{query}")).await;
        assert_eq!(status, 422, "{query}");
    }
    // A refused search shows the form again, the texts sent kept and the
    // error beside its field (not the generic error page), and no list.
    let long = "x".repeat(101);
    for (query, field, sent) in [
        (
            "title=deploy&language=klingon".to_owned(),
            "search-language",
            "deploy",
        ),
        (format!("title={long}"), "search-title", long.as_str()),
    ] {
        let (status, page) = app.html(&format!("/recent?{query}")).await;
        assert_eq!(status, 422, "{query}");
        assert!(page.contains("role=\"search\""), "the form again: {page}");
        assert!(
            page.contains(&format!("aria-describedby=\"{field}-error\"")),
            "{page}"
        );
        assert!(page.contains(&format!("id=\"{field}-error\"")), "{page}");
        assert!(page.contains(&format!("value=\"{sent}\"")), "{page}");
        assert!(!page.contains("id=\"pastes\""), "{page}");
        assert!(!page.contains("id=\"no-pastes\""), "{page}");
    }
}

/// In a browser, without a mouse path of its own: the header links to the
/// archive, the search form sends a title and a language (a plain GET, no
/// script needed), the results keep them, and *Clear* goes back to all.
#[tokio::test]
async fn a_browser_searches_the_archive_from_its_form() {
    use crate::support::browser::Browser;

    let app = spawn_with(quiet_periodic_jobs).await;
    let rust = TestPaste::new("fn main() { let mut x = 1; }\n")
        .title("Deploy tool")
        .create(&app)
        .await;
    TestPaste::new("print('x')\n")
        .title("Deploy helper")
        .language("python")
        .create(&app)
        .await;
    TestPaste::new("notes").title("Shopping").create(&app).await;
    let browser = Browser::start().await;
    browser.goto(&app.url("/")).await.expect("the form opens");
    browser
        .element("#nav-recent")
        .await
        .click()
        .await
        .expect("clicked");
    browser.wait_for_element("#pastes").await;
    assert_eq!(
        browser.current_url().await.expect("an address").as_str(),
        app.url("/recent")
    );
    browser
        .element("#search-title")
        .await
        .send_keys("deploy")
        .await
        .expect("typed");
    browser
        .execute(
            "var s = document.getElementById('search-language'); s.value = 'rust';",
            vec![],
        )
        .await
        .expect("a language chosen");
    browser
        .element("#search")
        .await
        .click()
        .await
        .expect("clicked");
    browser.wait_for_element("#clear-search").await;
    let url = browser.current_url().await.expect("an address");
    assert_eq!(url.query(), Some("title=deploy&language=rust"));
    let titles = browser
        .execute(
            "return Array.from(document.querySelectorAll('#pastes .title')).map(a => a.getAttribute('href'))",
            vec![],
        )
        .await
        .expect("the script runs");
    assert_eq!(titles, serde_json::json!([format!("/{}", rust.id)]));
    let kept = browser
        .element("#search-title")
        .await
        .prop("value")
        .await
        .expect("a value");
    assert_eq!(kept.as_deref(), Some("deploy"), "the form keeps the search");
    browser
        .element("#clear-search")
        .await
        .click()
        .await
        .expect("clicked");
    browser.wait_for_element("#search").await;
    let all = browser
        .execute(
            "return document.querySelectorAll('#pastes li').length",
            vec![],
        )
        .await
        .expect("the script runs");
    assert_eq!(all, serde_json::json!(3));
    browser.quit().await;
}

/// The owner searches their own page by title and language, unlisted and
/// private pastes too (with their badges); a stranger's search of it finds
/// the public ones only; the language shown is the detected one.
#[tokio::test]
async fn an_owner_searches_their_page_and_sees_the_detected_language() {
    let app = spawn_with(quiet_periodic_jobs).await;
    let ada = app.signed_up("ada").await;
    let mut made = Vec::new();
    for (title, content, visibility) in [
        ("deploy.sh", "make\n", "public"),
        ("deploy secrets", "#!/bin/bash\necho hi\n", "private"),
        ("query.sql", "SELECT 1 FROM t WHERE a = 1;\n", "unlisted"),
    ] {
        let response = app
            .post_form_as(
                Some(&ada),
                "/",
                &[
                    ("content", content),
                    ("title", title),
                    ("visibility", visibility),
                    ("csrf_token", &ada.csrf),
                ],
            )
            .await;
        assert_eq!(response.status(), 303);
        let location = response.headers()["Location"]
            .to_str()
            .expect("text")
            .to_owned();
        made.push(location.trim_start_matches('/').to_owned());
    }
    let own = |path: &'static str| {
        let (app, ada) = (&app, &ada);
        async move {
            let response = app.get_as(ada, path).await;
            assert_eq!(response.status(), 200, "{path}");
            response.text().await.expect("a page")
        }
    };
    let page = own("/u/ada?title=deploy&language=shell").await;
    assert_eq!(linked_ids(&page), vec![made[1].clone(), made[0].clone()]);
    assert!(page.contains("badge private visibility"), "{page}");
    let page = own("/u/ada").await;
    assert!(page.contains(">SQL<"), "the detected language: {page}");
    assert!(page.contains("badge unlisted visibility"));
    let (_, stranger) = app.html("/u/ada?title=deploy").await;
    assert_eq!(linked_ids(&stranger), vec![made[0].clone()]);
}
