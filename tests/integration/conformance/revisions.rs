//! Edits and revisions, for every document store (cases of `store`'s suite).

use std::sync::Arc;
use std::time::Duration as StdDuration;

use pastebin::domain::paste::now_millis;
use pastebin::domain::{Content, EditOutcome, Paste, PasteEdit, RevisionMark, Title, Visibility};
use pastebin::store::DocumentStore;
use time::Duration;

use super::store::paste_with;

/// The edit of `paste` at revision `base` to `text`, keeping `keep`.
fn edit_of(paste: &Paste, base: u64, text: &str, keep: u64) -> PasteEdit {
    PasteEdit {
        id: paste.id().clone(),
        base,
        content: Content::parse(text.to_owned(), 1 << 20).expect("valid content"),
        title: Title::parse(&format!("r{}", base + 1), 100).expect("a title"),
        language: None,
        visibility: Visibility::Unlisted,
        expires_at: paste.fields.expires_at,
        mark: RevisionMark {
            number: base + 1,
            at: now_millis(),
            by: None,
            lines_added: 1,
            lines_removed: 1,
        },
        keep,
    }
}

fn edited(outcome: EditOutcome) -> Paste {
    match outcome {
        EditOutcome::Edited(paste) => *paste,
        other => panic!("not edited: {other:?}"),
    }
}

/// An edit makes the paste its new revision and keeps the old one apart; its
/// retry finds it done (no second revision); a stale one changes nothing.
pub async fn an_edit_makes_one_revision_and_a_stale_edit_changes_nothing(
    store: Arc<dyn DocumentStore>,
) {
    let paste = paste_with("first text\n", None);
    store.insert_paste(&paste).await.expect("inserted");
    let edit = edit_of(&paste, 1, "second text\n", 10);
    let now = edited(store.edit_paste(&edit, now_millis()).await.expect("ran"));
    assert_eq!(now.revision_number(), 2);
    assert_eq!(now.fields.content.as_str(), "second text\n");
    assert_eq!(now.fields.visibility, Visibility::Unlisted);
    let found = store
        .find_paste(paste.id(), now_millis())
        .await
        .expect("read")
        .expect("there");
    assert_eq!(found, now, "the stored paste is the edited one");
    let retried = edited(store.edit_paste(&edit, now_millis()).await.expect("ran"));
    assert_eq!(retried, now, "a retry finds its work done");
    let lines = store.paste_revisions(paste.id()).await.expect("listed");
    assert_eq!(lines.len(), 1, "one earlier revision, not two: {lines:?}");
    assert_eq!(lines[0].mark.number, 1);
    assert_eq!(lines[0].size_bytes, "first text\n".len() as u64);
    let first = store
        .find_revision(paste.id(), 1)
        .await
        .expect("read")
        .expect("revision 1 is kept");
    assert_eq!(first.content.as_str(), "first text\n");
    assert_eq!(first.mark, paste.latest_revision());
    let stale = edit_of(&paste, 1, "another text\n", 10);
    assert_eq!(
        store.edit_paste(&stale, now_millis()).await.expect("ran"),
        EditOutcome::Stale { current: 2 }
    );
    let found = store
        .find_paste(paste.id(), now_millis())
        .await
        .expect("read")
        .expect("there");
    assert_eq!(found.fields.content.as_str(), "second text\n");
    let missing = paste_with("never stored", None);
    assert_eq!(
        store
            .edit_paste(&edit_of(&missing, 1, "x", 10), now_millis())
            .await
            .expect("ran"),
        EditOutcome::Missing
    );
    assert_eq!(
        store.find_revision(paste.id(), 2).await.expect("read"),
        None,
        "the latest revision is the paste itself"
    );
}

/// Of edits racing from the same revision, exactly one lands.
pub async fn racing_edits_make_exactly_one_revision(store: Arc<dyn DocumentStore>) {
    let paste = paste_with("base\n", None);
    store.insert_paste(&paste).await.expect("inserted");
    let tasks: Vec<_> = (0..8)
        .map(|i| {
            let store = store.clone();
            let edit = edit_of(&paste, 1, &format!("racer {i}\n"), 10);
            tokio::spawn(async move { store.edit_paste(&edit, now_millis()).await })
        })
        .collect();
    let mut landed = 0;
    for task in tasks {
        match task.await.expect("joined").expect("ran") {
            EditOutcome::Edited(_) => landed += 1,
            EditOutcome::Stale { current } => assert_eq!(current, 2),
            EditOutcome::Missing => panic!("the paste is there"),
        }
    }
    assert_eq!(landed, 1, "exactly one edit from revision 1 lands");
    let lines = store.paste_revisions(paste.id()).await.expect("listed");
    assert_eq!(lines.len(), 1);
}

/// Revisions past the limit are dropped by the edit; a paste's revisions go
/// when it is deleted or swept.
pub async fn revisions_are_bounded_and_go_with_their_paste(store: Arc<dyn DocumentStore>) {
    let paste = paste_with("r1\n", None);
    store.insert_paste(&paste).await.expect("inserted");
    for base in 1..=5 {
        let edit = edit_of(&paste, base, &format!("r{}\n", base + 1), 2);
        edited(store.edit_paste(&edit, now_millis()).await.expect("ran"));
    }
    let numbers: Vec<u64> = store
        .paste_revisions(paste.id())
        .await
        .expect("listed")
        .iter()
        .map(|l| l.mark.number)
        .collect();
    assert_eq!(numbers, vec![4, 5], "the two latest earlier revisions");
    assert_eq!(
        store
            .find_revision(paste.id(), 5)
            .await
            .expect("read")
            .expect("kept")
            .content
            .as_str(),
        "r5\n"
    );
    assert!(store.delete_paste(paste.id()).await.expect("deleted"));
    assert!(
        store
            .paste_revisions(paste.id())
            .await
            .expect("listed")
            .is_empty()
    );
    assert_eq!(
        store.find_revision(paste.id(), 5).await.expect("read"),
        None
    );

    let expiring = paste_with("soon\n", Some(Duration::hours(1)));
    store.insert_paste(&expiring).await.expect("inserted");
    let mut edit = edit_of(&expiring, 1, "sooner\n", 10);
    edit.expires_at = Some(now_millis() + Duration::milliseconds(1));
    let now = edited(store.edit_paste(&edit, now_millis()).await.expect("ran"));
    assert_eq!(now.fields.expires_at, edit.expires_at, "the expiry changes");
    tokio::time::sleep(StdDuration::from_millis(5)).await;
    let purged = store.purge_expired(now_millis()).await.expect("purged");
    assert!(purged.contains(expiring.id()));
    assert!(
        store
            .paste_revisions(expiring.id())
            .await
            .expect("listed")
            .is_empty()
    );
}
