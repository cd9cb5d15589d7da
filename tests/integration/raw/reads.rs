use crate::support::app::{TestPaste, spawn_app};

#[tokio::test]
async fn raw_returns_the_exact_bytes_with_safe_headers() {
    let app = spawn_app().await;
    let content = "  leading spaces\r\n\ttab\u{0}nul é 🦀\n\n";
    let created = app.create_text(content).await;
    let response = app.get_raw(&created.id).await;
    assert_eq!(response.status(), 200);
    let headers = response.headers().clone();
    assert_eq!(headers["content-type"], "text/plain; charset=utf-8");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(
        headers["cache-control"], "public, no-cache",
        "caches revalidate by default"
    );
    assert!(headers.contains_key("etag"));
    assert_eq!(
        response.bytes().await.expect("bytes").as_ref(),
        content.as_bytes()
    );
}

#[tokio::test]
async fn a_matching_if_none_match_is_304_without_a_body() {
    let app = spawn_app().await;
    let created = app.create_text("cache me").await;
    let url = app.url(&format!("/raw/{}", created.id));
    let first = app.get_raw(&created.id).await;
    let etag = first.headers()["etag"].to_str().expect("text").to_owned();
    let second = app
        .client
        .get(&url)
        .header("if-none-match", &etag)
        .send()
        .await
        .expect("answered");
    assert_eq!(second.status(), 304);
    assert_eq!(second.headers()["etag"].to_str().expect("text"), etag);
    assert!(second.bytes().await.expect("body").is_empty());
    let other = app
        .client
        .get(&url)
        .header("if-none-match", "\"other\"")
        .send()
        .await
        .expect("answered");
    assert_eq!(other.status(), 200);
}

#[tokio::test]
async fn cache_headers_suit_each_paste() {
    let app = crate::support::app::spawn_with(|s| s.http.raw_max_age_secs = 3600).await;
    let public = app.create_text("p").await;
    let unlisted = TestPaste::new("u").unlisted().create(&app).await;
    let short = TestPaste::new("s").expires("90s").create(&app).await;
    let burn = TestPaste::new("b").burn().create(&app).await;
    let headers = async |id: String| {
        let r = app.get_raw(&id).await;
        let cache = r.headers()["cache-control"]
            .to_str()
            .expect("text")
            .to_owned();
        (cache, r.headers().contains_key("etag"))
    };
    assert_eq!(headers(public.id).await.0, "public, max-age=3600");
    assert_eq!(headers(unlisted.id).await.0, "private, max-age=3600");
    let (short_cc, _) = headers(short.id).await;
    let age: u64 = short_cc
        .strip_prefix("public, max-age=")
        .expect("a max-age")
        .parse()
        .expect("a number");
    assert!(age <= 90, "max-age {age} outlives the paste");
    let (burn_cc, burn_etag) = headers(burn.id).await;
    assert_eq!(burn_cc, "no-store");
    assert!(!burn_etag);
}

#[tokio::test]
async fn download_is_an_attachment_with_a_safe_name() {
    let app = spawn_app().await;
    let created = TestPaste::new("x")
        .title("my \"notes\"; rm -rf.sh")
        .create(&app)
        .await;
    let response = app.get_download(&created.id).await;
    assert_eq!(response.status(), 200);
    let disposition = response.headers()["content-disposition"]
        .to_str()
        .expect("text")
        .to_owned();
    assert_eq!(
        disposition,
        "attachment; filename=\"my__notes___rm_-rf.sh\""
    );
    let untitled = app.create_text("y").await;
    let response = app.get_download(&untitled.id).await;
    let disposition = response.headers()["content-disposition"]
        .to_str()
        .expect("text")
        .to_owned();
    assert_eq!(
        disposition,
        format!("attachment; filename=\"{}.txt\"", untitled.id)
    );
}

#[tokio::test]
async fn raw_reads_of_a_burn_after_read_paste_burn_at_once() {
    let app = spawn_app().await;
    let created = TestPaste::new("one look").burn().create(&app).await;
    assert_eq!(
        app.get(&format!("/raw/{}", created.id)).await,
        (200, "one look".into())
    );
    assert_eq!(app.get_raw(&created.id).await.status(), 404);
    assert_eq!(app.get_download(&created.id).await.status(), 404);
}
