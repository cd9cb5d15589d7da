//! A multi-file paste made in a real browser: three files chosen in the
//! form's file input, sent without any script of ours, shown as three
//! highlighted sections, each line linkable; the picture of the page goes to
//! `docs/screenshots/files.png` with `SCREENSHOT_DIR=docs/screenshots`.

use crate::support::app::spawn_app;
use crate::support::browser::Browser;

#[tokio::test]
async fn three_files_chosen_in_the_form_make_a_page_of_three_highlighted_files() {
    let app = spawn_app().await;
    let dir = tempfile::tempdir().expect("a folder");
    let files = [
        (
            "server.rs",
            "use std::net::TcpListener;\n\nfn main() {\n    let listener = TcpListener::bind(\"127.0.0.1:8080\").unwrap();\n    for stream in listener.incoming() {\n        println!(\"connection: {:?}\", stream);\n    }\n}\n",
        ),
        (
            "client.py",
            "import socket\n\ndef main():\n    with socket.create_connection((\"127.0.0.1\", 8080)) as s:\n        s.sendall(b\"hello\")\n\nif __name__ == \"__main__\":\n    main()\n",
        ),
        (
            "README.md",
            "# Echo\n\nRun `server.rs`, then `client.py`.\n",
        ),
    ];
    let paths: Vec<String> = files
        .iter()
        .map(|(name, text)| {
            let path = dir.path().join(name);
            std::fs::write(&path, text).expect("written");
            path.to_string_lossy().into_owned()
        })
        .collect();
    let browser = Browser::start().await;
    browser.goto(&app.url("/")).await.expect("the form opens");
    browser
        .element("input[name=title]")
        .await
        .send_keys("Echo server and client")
        .await
        .expect("typed");
    browser
        .element("input[type=file]")
        .await
        .send_keys(&paths.join("\n"))
        .await
        .expect("three files chosen");
    browser
        .element("button[type=submit]")
        .await
        .click()
        .await
        .expect("clicked");
    let page = browser.wait_to_leave(&app.url("/")).await;
    browser.wait_for_element("section.file").await;
    for (name, _) in files {
        assert!(
            browser.has(&format!("section.file[id='{name}']")).await,
            "{name} has its section"
        );
    }
    assert!(
        browser.has("section[id='server.rs'] .lines .k").await,
        "Rust highlighted"
    );
    assert!(
        browser.has("section[id='client.py'] .lines .k").await,
        "Python highlighted"
    );
    assert!(
        browser.has("section[id='README.md'] .markdown h1").await,
        "Markdown rendered"
    );
    assert!(
        browser.has("span[id='server.rs-L3']").await,
        "each line has its anchor"
    );
    browser.save_screenshot("files.png").await;
    browser
        .goto(&format!("{page}#client.py-L4"))
        .await
        .expect("a line link opens");
    assert!(
        browser.has("span[id='client.py-L4']:target").await,
        "the line is the target"
    );
    browser.quit().await;
    let id = page.rsplit('/').next().expect("an id");
    let archive = app.get_download(id).await;
    assert_eq!(archive.headers()["content-type"], "application/gzip");
}
