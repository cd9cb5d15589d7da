//! Forks on every document store: the link back kept whole, the list by
//! cursor (only what the viewer may see), the recount, and originals that go.

use std::sync::Arc;

use pastebin::domain::paste::now_millis;
use pastebin::domain::{
    AuthorSummary, ForkOrigin, ListCursor, PageRequest, Paste, PasteId, Title, Username, Visibility,
};
use pastebin::store::{DocumentStore, ForkCount};
use time::Duration;

use super::store::{Guard, authored, embedded, mongodb, paste_with, user};

fn fork_of(original: &Paste, created_at: time::OffsetDateTime) -> Paste {
    let mut fork = paste_with("forked text", None);
    fork.fields.created_at = created_at;
    fork.forked_from = Some(ForkOrigin {
        id: original.id().clone(),
        title: original.fields.title.clone(),
        author: original.fields.author.as_ref().map(|a| a.username.clone()),
        gone: false,
    });
    fork
}

async fn all_forks(
    store: &Arc<dyn DocumentStore>,
    original: &PasteId,
    viewer: Option<&pastebin::domain::UserId>,
    limit: usize,
) -> Vec<PasteId> {
    let mut seen = Vec::new();
    let mut after: Option<ListCursor> = None;
    loop {
        let page = PageRequest {
            after: after.clone(),
            limit,
            public_only: true,
        };
        let lines = store
            .paste_forks(original, viewer, &page, now_millis())
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

/// A fork's link back comes back whole; the original's forks are listed
/// newest first, a page at a time without duplicates or gaps, public ones
/// and the viewer's own only; the recount counts each live fork once.
pub async fn forks_link_back_are_listed_and_counted(store: Arc<dyn DocumentStore>) {
    let ada = user("ada");
    store.insert_user(&ada).await.expect("inserted");
    let mut original = authored(&ada, now_millis(), Visibility::Public);
    original.fields.title = Title::parse("the original", 100).expect("a title");
    store.insert_paste(&original).await.expect("inserted");
    let base = now_millis() - Duration::minutes(10);
    let mut public = Vec::new();
    for i in 0..7 {
        // Two forks share each millisecond: the id breaks the tie.
        let fork = fork_of(&original, base + Duration::milliseconds(i / 2));
        store.insert_paste(&fork).await.expect("inserted");
        public.push(fork.id().clone());
    }
    let found = store
        .find_paste(&public[0], now_millis())
        .await
        .expect("read")
        .expect("there");
    let origin = found.forked_from.expect("a link back");
    assert_eq!(&origin.id, original.id());
    assert_eq!(origin.title, original.fields.title);
    assert_eq!(origin.author, Some(Username::parse("ada").expect("a name")));
    assert!(!origin.gone);

    let bob = user("bob");
    let mut hidden = fork_of(&original, base + Duration::seconds(1));
    hidden.fields.visibility = Visibility::Unlisted;
    hidden.fields.author = Some(AuthorSummary {
        id: bob.id.clone(),
        username: bob.username.clone(),
    });
    store.insert_paste(&hidden).await.expect("inserted");
    let mut expired = fork_of(&original, base + Duration::seconds(2));
    expired.fields.expires_at = Some(now_millis() - Duration::seconds(1));
    store.insert_paste(&expired).await.expect("inserted");
    // A paste that is no fork is never listed.
    store
        .insert_paste(&paste_with("unrelated", None))
        .await
        .expect("inserted");

    for limit in [1, 2, 3, 100] {
        let mut anonymous = all_forks(&store, original.id(), None, limit).await;
        assert_eq!(anonymous.len(), 7, "page size {limit}: {anonymous:?}");
        anonymous.sort();
        let mut expected = public.clone();
        expected.sort();
        assert_eq!(anonymous, expected, "page size {limit}");
    }
    let as_bob = all_forks(&store, original.id(), Some(&bob.id), 3).await;
    assert_eq!(as_bob.len(), 8, "bob also sees his unlisted fork");
    assert_eq!(as_bob[0], *hidden.id(), "newest first");

    let counted = store
        .recount_forks(original.id(), now_millis())
        .await
        .expect("ran");
    assert_eq!(
        counted,
        Some(ForkCount {
            count: 8,
            changed: true
        })
    );
    let again = store
        .recount_forks(original.id(), now_millis())
        .await
        .expect("ran");
    assert_eq!(
        again,
        Some(ForkCount {
            count: 8,
            changed: false
        }),
        "a rerun counts nothing twice"
    );
    let stored = store
        .find_paste(original.id(), now_millis())
        .await
        .expect("read")
        .expect("there");
    assert_eq!(stored.fork_count, 8);
    assert_eq!(
        store
            .recount_forks(&PasteId::random(8), now_millis())
            .await
            .expect("ran"),
        None,
        "no original, nothing counted"
    );
}

/// An original deleted or swept leaves its forks alive; marking them says
/// so once (a rerun changes nothing).
pub async fn forks_outlive_their_original(store: Arc<dyn DocumentStore>) {
    let mut original = paste_with("short-lived", Some(Duration::days(1)));
    original.fields.expires_at = Some(now_millis() + Duration::milliseconds(300));
    store.insert_paste(&original).await.expect("inserted");
    let forks: Vec<Paste> = (0..3).map(|_| fork_of(&original, now_millis())).collect();
    for fork in &forks {
        store.insert_paste(fork).await.expect("inserted");
    }
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    let purged = store.purge_expired(now_millis()).await.expect("swept");
    assert!(purged.contains(original.id()));
    for fork in &forks {
        assert!(
            store
                .find_paste(fork.id(), now_millis())
                .await
                .expect("read")
                .is_some(),
            "the sweep of the original left its fork"
        );
    }
    let mut marked = store.orphan_forks(original.id()).await.expect("marked");
    marked.sort();
    let mut ids: Vec<PasteId> = forks.iter().map(|f| f.id().clone()).collect();
    ids.sort();
    assert_eq!(marked, ids);
    assert!(
        store
            .orphan_forks(original.id())
            .await
            .expect("ran")
            .is_empty(),
        "set once"
    );
    let found = store
        .find_paste(forks[0].id(), now_millis())
        .await
        .expect("read")
        .expect("there");
    assert!(found.forked_from.expect("still a fork").gone);

    let deleted = paste_with("deleted", None);
    store.insert_paste(&deleted).await.expect("inserted");
    let fork = fork_of(&deleted, now_millis());
    store.insert_paste(&fork).await.expect("inserted");
    assert!(store.delete_paste(deleted.id()).await.expect("deleted"));
    assert!(
        store
            .find_paste(fork.id(), now_millis())
            .await
            .expect("read")
            .is_some()
    );
    assert_eq!(
        store.orphan_forks(deleted.id()).await.expect("marked"),
        vec![fork.id().clone()]
    );
}

macro_rules! forks {
    ($backend:ident, $open:expr $(, #[$attr:meta])?) => {
        mod $backend {
            use super::*;
            forks!(@case $open, forks_link_back_are_listed_and_counted $(, #[$attr])?);
            forks!(@case $open, forks_outlive_their_original $(, #[$attr])?);
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

forks!(embedded_store, embedded());
forks!(
    mongodb_store,
    mongodb().await,
    #[cfg_attr(not(mongodb_tests), ignore = "set PASTEBIN_TEST_MONGODB_URI to a MongoDB replica set to run")]
);
