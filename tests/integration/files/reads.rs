//! Reading a multi-file paste: one file's raw bytes, the archive, the whole
//! paste private or burned as one, and edit and fork refused.

use std::io::Read;

use super::create::{curl_files, post_files};
use crate::support::app::spawn_app;

#[tokio::test]
async fn each_file_has_its_raw_url_with_the_raw_headers_and_its_own_etag() {
    let app = spawn_app().await;
    let id = curl_files(
        &app,
        &[("a.rs", "fn a() {}\n"), ("é b.txt", "<script>x</script>\n")],
    )
    .await;
    let first = app.get_path(&format!("/raw/{id}/a.rs")).await;
    assert_eq!(first.status(), 200);
    let etag_a = first.headers()["etag"].to_str().expect("text").to_owned();
    assert_eq!(first.text().await.expect("text"), "fn a() {}\n");
    let second = app.get_path(&format!("/raw/{id}/%C3%A9%20b.txt")).await;
    assert_eq!(second.status(), 200, "a name beyond ASCII, percent-encoded");
    let headers = second.headers().clone();
    assert_eq!(headers["content-type"], "text/plain; charset=utf-8");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert!(
        headers["content-security-policy"]
            .to_str()
            .expect("text")
            .contains("sandbox")
    );
    assert_eq!(
        headers["content-disposition"],
        "inline; filename=\"_ b.txt\"; filename*=UTF-8''%C3%A9%20b.txt"
    );
    let etag_b = headers["etag"].to_str().expect("text").to_owned();
    assert_ne!(etag_a, etag_b, "each file has its own validator");
    assert_eq!(second.text().await.expect("text"), "<script>x</script>\n");
    let again = app
        .client
        .get(app.url(&format!("/raw/{id}/a.rs")))
        .header("if-none-match", &etag_a)
        .send()
        .await
        .expect("answered");
    assert_eq!(again.status(), 304);
    // The one-text raw answer is the first file; a name it has not is 404.
    assert_eq!(
        app.get_raw(&id).await.text().await.expect("text"),
        "fn a() {}\n"
    );
    assert_eq!(app.get_path(&format!("/raw/{id}/c.rs")).await.status(), 404);
    let single = app.create_text("one\n").await;
    assert_eq!(
        app.get_path(&format!("/raw/{}/one", single.id))
            .await
            .status(),
        404
    );
}

#[tokio::test]
async fn the_download_of_a_multi_file_paste_is_a_tar_gz_of_every_file() {
    let app = spawn_app().await;
    let id = curl_files(
        &app,
        &[
            ("a.rs", "fn a() {}\n"),
            ("b.py", "pass\n"),
            ("c.md", "# c\n"),
        ],
    )
    .await;
    let response = app.get_download(&id).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/gzip");
    assert_eq!(
        response.headers()["content-disposition"],
        format!("attachment; filename=\"{id}.tar.gz\"").as_str()
    );
    let gz = response.bytes().await.expect("bytes");
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(&gz[..]));
    let mut seen = Vec::new();
    for entry in archive.entries().expect("a tar") {
        let mut entry = entry.expect("an entry");
        let mut text = String::new();
        entry.read_to_string(&mut text).expect("text");
        let path = entry.path().expect("a path").to_string_lossy().into_owned();
        seen.push((path, text));
    }
    let expected: Vec<(String, String)> = [
        ("a.rs", "fn a() {}\n"),
        ("b.py", "pass\n"),
        ("c.md", "# c\n"),
    ]
    .iter()
    .map(|(n, t)| (format!("{id}/{n}"), t.to_string()))
    .collect();
    assert_eq!(seen, expected);
    // A paste of one text downloads as it always did.
    let single = app.create_text("one\n").await;
    let download = app.get_download(&single.id).await;
    assert_eq!(
        download.headers()["content-type"],
        "text/plain; charset=utf-8"
    );
    assert_eq!(download.text().await.expect("text"), "one\n");
}

#[tokio::test]
async fn a_burn_after_read_multi_file_paste_burns_whole_at_its_first_file_read() {
    let app = spawn_app().await;
    let response = post_files(
        &app,
        &[("a.txt", "first\n"), ("b.txt", "second\n")],
        &[("burn_after_read", "1")],
    )
    .await;
    assert_eq!(response.status(), 201);
    let url = response.text().await.expect("a URL");
    let id = url.trim().rsplit('/').next().expect("an id").to_owned();
    let read = app.get_path(&format!("/raw/{id}/b.txt")).await;
    assert_eq!(read.text().await.expect("text"), "second\n");
    for path in [
        format!("/raw/{id}/a.txt"),
        format!("/raw/{id}/b.txt"),
        format!("/raw/{id}"),
        format!("/dl/{id}"),
    ] {
        assert_eq!(
            app.get_path(&path).await.status(),
            404,
            "{path} after the burn"
        );
    }
}

#[tokio::test]
async fn a_private_multi_file_paste_is_served_to_its_author_only_on_every_file_route() {
    let app = spawn_app().await;
    let ada = app.signed_up("ada").await;
    let form = reqwest::multipart::Form::new()
        .part(
            "file",
            reqwest::multipart::Part::bytes(b"secret a\n".to_vec()).file_name("a.txt"),
        )
        .part(
            "file",
            reqwest::multipart::Part::bytes(b"secret b\n".to_vec()).file_name("b.txt"),
        )
        .text("visibility", "private")
        .text("csrf_token", ada.csrf.clone());
    let response = app
        .client
        .post(app.url("/"))
        .header("cookie", &ada.cookie)
        .multipart(form)
        .send()
        .await
        .expect("answered");
    assert_eq!(response.status(), 201);
    let url = response.text().await.expect("a URL");
    let id = url.trim().rsplit('/').next().expect("an id").to_owned();
    let routes = [
        format!("/raw/{id}/a.txt"),
        format!("/raw/{id}/b.txt"),
        format!("/raw/{id}"),
        format!("/dl/{id}"),
        format!("/{id}"),
    ];
    for path in &routes {
        assert_eq!(
            app.get_path(path).await.status(),
            404,
            "{path} to a stranger"
        );
        assert_eq!(
            app.get_as(&ada, path).await.status(),
            200,
            "{path} to its author"
        );
    }
    // The API reads with bearer tokens, never the session: a stranger's 404.
    let api = app.get_api_paste(&id).await;
    assert_eq!(api.status(), 404, "the API to a stranger");
}

#[tokio::test]
async fn edit_and_fork_refuse_a_multi_file_paste_with_409() {
    let app = spawn_app().await;
    let created = app
        .create(serde_json::json!({"files": [
            {"name": "a", "content": "1\n"}, {"name": "b", "content": "2\n"}
        ]}))
        .await;
    let edit = app
        .client
        .patch(app.url(&format!("/api/v1/pastes/{}", created.id)))
        .header("x-delete-token", &created.token)
        .json(&serde_json::json!({"content": "3\n"}))
        .send()
        .await
        .expect("answered");
    assert_eq!(edit.status(), 409);
    let body: serde_json::Value = edit.json().await.expect("JSON");
    assert_eq!(body["error"]["code"], "multi_file_paste");
    let fork = app
        .client
        .post(app.url(&format!("/api/v1/pastes/{}/forks", created.id)))
        .send()
        .await
        .expect("answered");
    assert_eq!(fork.status(), 409);
    let (status, _) = app.html(&format!("/{}/edit", created.id)).await;
    assert_eq!(status, 409);
    let (_, page) = app.html(&format!("/{}", created.id)).await;
    assert!(
        !page.contains("id=\"edit\"") && !page.contains("id=\"fork\""),
        "the page offers neither"
    );
    assert!(page.contains("Download all (.tar.gz)"));
}

/// Every kind of `pastebin_renders_total`.
fn renders(app: &crate::support::app::TestApp) -> u64 {
    ["highlight", "markdown", "plain", "timeout", "busy"]
        .iter()
        .map(|kind| app.metrics.renders(kind))
        .sum()
}

#[tokio::test]
async fn a_hot_read_of_a_multi_file_page_renders_nothing_and_its_cached_files_stay_apart() {
    let app = spawn_app().await;
    let id = curl_files(
        &app,
        &[
            ("a.rs", "fn a() {}\n"),
            ("b.md", "# B\n"),
            ("c.txt", "sea\n"),
        ],
    )
    .await;
    // The assemble job renders every file once, ahead of the first read.
    app.settle().await;
    let made = renders(&app);
    assert_eq!(made, 3, "one render per file");
    for _ in 0..3 {
        let (status, html) = app.html(&format!("/{id}")).await;
        assert_eq!(status, 200);
        assert!(html.contains("id=\"b.md-name\"") && html.contains("<h1"));
    }
    assert_eq!(renders(&app), made, "hot reads render nothing");
    // The cached view's bytes are sliced back into the right files.
    for (name, text) in [
        ("a.rs", "fn a() {}\n"),
        ("b.md", "# B\n"),
        ("c.txt", "sea\n"),
    ] {
        let raw = app.get_path(&format!("/raw/{id}/{name}")).await;
        assert_eq!(
            raw.text().await.expect("text"),
            text,
            "{name} from the cache"
        );
    }
}

/// The page's Raw links encode `+` and `%`, which actix leaves encoded in a
/// path segment: each link must still name its file (a review found both
/// 404); and such a paste has no history routes (it is never edited).
#[tokio::test]
async fn names_with_plus_and_percent_are_served_at_the_links_the_page_gives() {
    let app = spawn_app().await;
    let id = curl_files(&app, &[("a+b.txt", "one\n"), ("100%.txt", "two\n")]).await;
    let page = app.get_page(&id).await.text().await.expect("text");
    for (link, body) in [("a%2Bb.txt", "one\n"), ("100%25.txt", "two\n")] {
        assert!(page.contains(&format!("/raw/{id}/{link}")), "{link} linked");
        let answer = app.get_path(&format!("/raw/{id}/{link}")).await;
        assert_eq!(answer.status(), 200, "{link}");
        assert_eq!(answer.text().await.expect("text"), body);
    }
    for path in [format!("/raw/{id}/r/1"), format!("/{id}/r/1")] {
        assert_eq!(app.get_path(&path).await.status(), 404, "{path}");
    }
}
