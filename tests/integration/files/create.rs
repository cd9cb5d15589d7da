//! Making multi-file pastes on every surface, and the limits they meet.

use reqwest::multipart::{Form, Part};

use crate::support::app::{TestApp, spawn_app, spawn_with};

/// `curl -F file=@a.rs -F file=@b.py $H/`: the text answer's paste id.
pub(super) async fn curl_files(app: &TestApp, files: &[(&str, &str)]) -> String {
    let response = post_files(app, files, &[]).await;
    assert_eq!(response.status(), 201, "created");
    let url = response.text().await.expect("a URL");
    url.trim().rsplit('/').next().expect("an id").to_owned()
}

/// The multipart body curl sends for `-F file=@name` parts and `-F k=v` fields.
pub(super) async fn post_files(
    app: &TestApp,
    files: &[(&str, &str)],
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let mut form = Form::new();
    for (name, text) in files {
        form = form.part(
            "file",
            Part::bytes(text.as_bytes().to_vec()).file_name(name.to_string()),
        );
    }
    for (k, v) in fields {
        form = form.text(k.to_string(), v.to_string());
    }
    app.client
        .post(app.url("/"))
        .multipart(form)
        .send()
        .await
        .expect("answered")
}

#[tokio::test]
async fn curl_with_two_files_makes_one_paste_of_two_files() {
    let app = spawn_app().await;
    let id = curl_files(&app, &[("a.rs", "fn a() {}\n"), ("b.py", "print('b')\n")]).await;
    let read: serde_json::Value = app.get_api_paste(&id).await.json().await.expect("JSON");
    let files = read["files"].as_array().expect("a files list");
    assert_eq!(files.len(), 2, "{read}");
    assert_eq!(files[0]["name"], "a.rs");
    assert_eq!(files[0]["language"], "rust");
    assert_eq!(files[1]["name"], "b.py");
    assert_eq!(files[1]["language"], "python");
    assert_eq!(files[1]["content"], "print('b')\n");
    assert!(
        files[1]["raw_url"]
            .as_str()
            .expect("a URL")
            .ends_with(&format!("/raw/{id}/b.py"))
    );
    // The paste's one-text fields are its first file's.
    assert_eq!(read["content"], "fn a() {}\n");
    assert_eq!(read["title"], "a.rs");
    assert_eq!(read["size_bytes"], 10 + 11);
}

#[tokio::test]
async fn one_file_is_still_a_paste_of_one_text_on_every_surface() {
    let app = spawn_app().await;
    let id = curl_files(&app, &[("only.rs", "fn only() {}\n")]).await;
    let read: serde_json::Value = app.get_api_paste(&id).await.json().await.expect("JSON");
    assert!(read.get("files").is_none(), "no files list: {read}");
    assert_eq!(read["title"], "only.rs");
    assert_eq!(read["language"], "rust");
    let api = app
        .create(serde_json::json!({"files": [{"name": "x.py", "content": "pass\n"}]}))
        .await;
    assert!(api.body.get("files").is_none(), "{}", api.body);
    let raw = app.get_raw(&api.id).await;
    assert_eq!(raw.text().await.expect("text"), "pass\n");
}

#[tokio::test]
async fn the_api_takes_files_with_text_or_base64_and_content_as_the_first() {
    let app = spawn_app().await;
    let created = app
        .create(serde_json::json!({
            "content": "typed\n",
            "files": [
                {"name": "b.md", "content_base64": "IyBUaXRsZQo="},
                {"name": "c.txt", "content": "see\n", "language": "python"}
            ]
        }))
        .await;
    let names: Vec<&str> = created.body["files"]
        .as_array()
        .expect("files in the creation answer")
        .iter()
        .map(|f| f["name"].as_str().expect("a name"))
        .collect();
    assert_eq!(names, ["file1.txt", "b.md", "c.txt"]);
    assert!(created.body["files"][0].get("content").is_none());
    assert_eq!(created.body["files"][2]["language"], "python");
    let raw = app
        .get_path(&format!("/raw/{}/b.md", created.id))
        .await
        .text()
        .await
        .expect("text");
    assert_eq!(raw, "# Title\n");
}

#[tokio::test]
async fn the_form_without_script_sends_its_text_and_files_as_one_paste() {
    let app = spawn_app().await;
    let form = Form::new()
        .text("content", "typed in the box\n")
        .part(
            "file",
            Part::bytes(b"fn b() {}\n".to_vec()).file_name("b.rs"),
        )
        .part("file", Part::bytes(b"x = 1\n".to_vec()).file_name("c.py"))
        .text("title", "Three files");
    let response = app
        .client
        .post(app.url("/"))
        .header("accept", "text/html")
        .multipart(form)
        .send()
        .await
        .expect("answered");
    assert_eq!(response.status(), 303, "a browser is sent to the page");
    let location = response.headers()["location"]
        .to_str()
        .expect("text")
        .to_owned();
    let id = location.trim_start_matches('/').to_owned();
    let (status, html) = app.html(&format!("/{id}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("Three files"));
    for name in ["file1.txt", "b.rs", "c.py"] {
        assert!(
            html.contains(&format!("<section class=\"file\" id=\"{name}\"")),
            "{name}: {html}"
        );
        assert!(
            html.contains(&format!("id=\"{name}-L1\"")),
            "{name}'s line anchors"
        );
        assert!(
            html.contains(&format!("href=\"/raw/{id}/{name}\"")),
            "{name}'s raw link"
        );
    }
    assert!(
        html.contains("<span class=\"k\">fn</span>"),
        "b.rs highlighted as Rust"
    );
    assert!(html.contains("3 files"), "the facts say how many");
    let (_, form_page) = app.html("/").await;
    assert!(
        form_page.contains("name=\"file\" multiple"),
        "the form takes several files"
    );
}

#[tokio::test]
async fn limits_on_files_are_named_in_the_refusal() {
    let app = spawn_with(|s| {
        s.limits.max_files = pastebin::configuration::MaxFiles::new(2).expect("a count");
        s.limits.max_paste_bytes =
            pastebin::configuration::MaxPasteBytes::new(1024).expect("a size");
        s.limits.max_file_bytes = pastebin::configuration::MaxPasteBytes::new(512).expect("a size");
    })
    .await;
    let one_big = post_files(&app, &[("small", "1"), ("big.txt", &"x".repeat(513))], &[]).await;
    assert_eq!(one_big.status(), 413, "one file over the limit per file");
    let said = one_big.text().await.expect("text");
    assert!(
        said.contains("big.txt") && said.contains("512 bytes per file"),
        "{said}"
    );
    let three = post_files(&app, &[("a", "1"), ("b", "2"), ("c", "3")], &[]).await;
    assert_eq!(three.status(), 422);
    assert!(
        three
            .text()
            .await
            .expect("text")
            .contains("at most 2 files")
    );
    let (near, over_rest) = ("x".repeat(510), "y".repeat(520));
    let over = post_files(&app, &[("a", &near), ("b", &over_rest)], &[]).await;
    assert_eq!(
        over.status(),
        413,
        "the files together are over the paste's limit"
    );
    assert!(over.text().await.expect("text").contains("1 KiB"));
    let twice = app
        .post_paste(&serde_json::json!({"files": [
            {"name": "a.rs", "content": "1"}, {"name": "a.rs", "content": "2"}
        ]}))
        .await;
    assert_eq!(twice.status(), 422);
    let body: serde_json::Value = twice.json().await.expect("JSON");
    assert_eq!(body["error"]["code"], "duplicate_file_name");
    let bad_name = app
        .post_paste(&serde_json::json!({"files": [
            {"name": "..", "content": "1"}, {"name": "b", "content": "2"}
        ]}))
        .await;
    let body: serde_json::Value = bad_name.json().await.expect("JSON");
    assert_eq!(body["error"]["code"], "invalid_file_name");
    let sealed = post_files(&app, &[("a", "1"), ("b", "2")], &[("password", "pw")]).await;
    assert_eq!(sealed.status(), 422, "a password seals one text only");
    let not_text = app
        .post_paste(&serde_json::json!({"files": [
            {"name": "a", "content": "1"}, {"name": "b", "content_base64": "//79"}
        ]}))
        .await;
    let body: serde_json::Value = not_text.json().await.expect("JSON");
    assert_eq!(body["error"]["code"], "content_not_text");
}
