//! The public archive on every document store: which pastes it lists,
//! newest first by cursor without duplicates or gaps, and its search by
//! title words and by the language shown (given or detected) giving the
//! same answers on every backend.

use std::sync::Arc;

use pastebin::domain::paste::now_millis;
use pastebin::domain::{
    Language, ListCursor, PageRequest, Paste, PasteEdit, PasteId, Search, Title, Visibility,
};
use pastebin::store::DocumentStore;
use time::Duration;

use super::store::{Guard, embedded, mongodb, paste_with};

fn titled(title: &str, content: &str, at: time::OffsetDateTime) -> Paste {
    let mut paste = paste_with(content, None);
    paste.fields.title = Title::parse(title, 100).expect("a title");
    paste.fields.created_at = at;
    Paste::new(paste.fields)
}

async fn walk(store: &Arc<dyn DocumentStore>, search: &Search, limit: usize) -> Vec<PasteId> {
    let mut seen = Vec::new();
    let mut after: Option<ListCursor> = None;
    loop {
        let page = PageRequest {
            after: after.clone(),
            limit,
            public_only: true,
        };
        let lines = store
            .public_pastes(search, &page, now_millis())
            .await
            .expect("a page");
        let Some(last) = lines.last() else {
            return seen;
        };
        after = Some(last.cursor());
        seen.extend(lines.into_iter().map(|l| l.id));
        assert!(seen.len() < 1000, "the walk never ends");
    }
}

fn search(title: &str, language: &str) -> Search {
    Search::of(title, language).expect("a search")
}

/// Listed pastes only (public, not counted, locked or sealed; not expired),
/// newest first, a page at a time; searches by title words and language.
pub async fn the_archive_lists_public_pastes_and_searches_them(store: Arc<dyn DocumentStore>) {
    let base = now_millis() - Duration::minutes(10);
    let at = |i: i64| base + Duration::milliseconds(i / 2);
    let deploy = titled("deploy.sh", "set -e\nmake\n", at(0));
    let query = titled("Report query", "SELECT 1 FROM t WHERE x = 2;\n", at(1));
    let script = titled(
        "Deploy notes",
        "#!/usr/bin/env python3\nprint('hi')\n",
        at(2),
    );
    let mut hinted = titled("More deploy", "plain words", at(3));
    hinted.fields.language = Language::parse("rust").expect("valid");
    let hinted = Paste::new(hinted.fields);
    let untitled = {
        let mut p = paste_with("fn main() {\n    let mut x = 1;\n}\n", None);
        p.fields.created_at = at(4);
        p
    };
    let listed = [&deploy, &query, &script, &hinted, &untitled];
    for paste in listed {
        assert!(paste.is_listed());
        store.insert_paste(paste).await.expect("inserted");
    }
    // Never listed: each of these kinds, with a title that would match.
    let mut hidden = Vec::new();
    for i in 0..5 {
        let mut p = titled("deploy secret", "echo hidden\n", at(10 + i));
        match i {
            0 => p.fields.visibility = Visibility::Unlisted,
            1 => p.fields.burn_after_read = true,
            2 => p.fields.max_views = Some(3),
            3 => p.fields.end_to_end = true,
            _ => p.fields.expires_at = Some(now_millis() - Duration::seconds(1)),
        }
        let p = Paste::new(p.fields);
        store.insert_paste(&p).await.expect("inserted");
        hidden.push(p.id().clone());
    }

    // Newest first; pastes of one millisecond (two share each) by id, descending.
    let order = |pastes: &[&Paste]| -> Vec<PasteId> {
        let mut sorted: Vec<&Paste> = pastes.to_vec();
        sorted.sort_by(|a, b| {
            (b.fields.created_at, b.id().as_str()).cmp(&(a.fields.created_at, a.id().as_str()))
        });
        sorted.into_iter().map(|p| p.id().clone()).collect()
    };
    let newest_first = order(&listed);
    for limit in [1, 2, 3, 100] {
        assert_eq!(
            walk(&store, &search("", ""), limit).await,
            newest_first,
            "limit {limit}"
        );
    }
    // Title words, any case, every one: `deploy.sh` by `deploy` and by `sh`.
    let deploys = order(&[&hinted, &script, &deploy]);
    for limit in [1, 2, 100] {
        assert_eq!(
            walk(&store, &search("DEPLOY", ""), limit).await,
            deploys,
            "limit {limit}"
        );
    }
    assert_eq!(
        walk(&store, &search("sh", ""), 10).await,
        [deploy.id().clone()]
    );
    assert_eq!(
        walk(&store, &search("deploy.sh", ""), 10).await,
        [deploy.id().clone()]
    );
    assert_eq!(
        walk(&store, &search("deploy notes", ""), 10).await,
        [script.id().clone()]
    );
    assert!(walk(&store, &search("deployment", ""), 10).await.is_empty());
    // The language shown: named by the author, else detected from the file
    // name, the first line or the text.
    assert_eq!(
        walk(&store, &search("", "shell"), 10).await,
        [deploy.id().clone()]
    );
    assert_eq!(
        walk(&store, &search("", "sql"), 10).await,
        [query.id().clone()]
    );
    assert_eq!(
        walk(&store, &search("", "python"), 10).await,
        [script.id().clone()]
    );
    for limit in [1, 100] {
        assert_eq!(
            walk(&store, &search("", "rust"), limit).await,
            order(&[&untitled, &hinted]),
            "limit {limit}"
        );
    }
    assert_eq!(
        walk(&store, &search("deploy", "rs"), 10).await,
        [hinted.id().clone()]
    );
    let everything = walk(&store, &search("", ""), 100).await;
    assert!(hidden.iter().all(|id| !everything.contains(id)));
    // A listed line says what its page shows.
    let page = PageRequest {
        after: None,
        limit: 1,
        public_only: true,
    };
    let line = store
        .public_pastes(&search("", "sql"), &page, now_millis())
        .await
        .expect("a page");
    assert_eq!(line.len(), 1);
}

/// An edit that makes a listed paste unlisted takes it out of the archive;
/// one that renames it changes what finds it; a delete removes it.
pub async fn edits_and_deletes_follow_into_the_archive(store: Arc<dyn DocumentStore>) {
    let paste = titled(
        "first name",
        "some text\n",
        now_millis() - Duration::seconds(5),
    );
    store.insert_paste(&paste).await.expect("inserted");
    assert_eq!(
        walk(&store, &search("first", ""), 10).await,
        [paste.id().clone()]
    );
    let edit = |base: u64, title: &str, visibility: Visibility| PasteEdit {
        id: paste.id().clone(),
        base,
        content: paste.fields.content.clone(),
        title: Title::parse(title, 100).expect("a title"),
        language: None,
        visibility,
        expires_at: None,
        mark: pastebin::domain::RevisionMark {
            number: base + 1,
            at: now_millis(),
            by: None,
            lines_added: 0,
            lines_removed: 0,
        },
        keep: 10,
    };
    store
        .edit_paste(&edit(1, "second name", Visibility::Public), now_millis())
        .await
        .expect("edited");
    assert!(walk(&store, &search("first", ""), 10).await.is_empty());
    assert_eq!(
        walk(&store, &search("second", ""), 10).await,
        [paste.id().clone()]
    );
    store
        .edit_paste(&edit(2, "second name", Visibility::Unlisted), now_millis())
        .await
        .expect("edited");
    assert!(walk(&store, &search("second", ""), 10).await.is_empty());
    assert!(walk(&store, &search("", ""), 10).await.is_empty());
    store
        .edit_paste(&edit(3, "second name", Visibility::Public), now_millis())
        .await
        .expect("edited");
    assert_eq!(
        walk(&store, &search("", ""), 10).await,
        [paste.id().clone()]
    );
    assert!(store.delete_paste(paste.id()).await.expect("deleted"));
    assert!(walk(&store, &search("", ""), 10).await.is_empty());
}

macro_rules! archive {
    ($backend:ident, $open:expr $(, #[$attr:meta])?) => {
        mod $backend {
            use super::*;
            archive!(@case $open, the_archive_lists_public_pastes_and_searches_them $(, #[$attr])?);
            archive!(@case $open, edits_and_deletes_follow_into_the_archive $(, #[$attr])?);
        }
    };
    (@case $open:expr, $name:ident $(, #[$attr:meta])?) => {
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        $(#[$attr])?
        async fn $name() {
            let (store, guard): (Arc<dyn DocumentStore>, Guard) = $open;
            super::$name(store).await;
            guard.finish().await;
        }
    };
}

archive!(embedded_store, embedded());
archive!(
    mongodb_store,
    mongodb().await,
    #[cfg_attr(not(mongodb_tests), ignore = "set PASTEBIN_TEST_MONGODB_URI to a MongoDB replica set to run")]
);
