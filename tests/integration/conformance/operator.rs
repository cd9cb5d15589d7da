//! The operator's records on every document store: a removal keeps its id
//! taken, disabled accounts, reports and their resolution, the audit log,
//! and the recent pastes of a client or an author.

use std::sync::Arc;

use pastebin::configuration::Synchronous;
use pastebin::domain::paste::now_millis;
use pastebin::domain::{
    AuditEntry, AuthorSummary, Category, DisabledAccount, Note, PasteId, RecentFilter, Removal,
    Report, Resolution,
};
use pastebin::store::embedded::EmbeddedStore;
use pastebin::store::mongo::MongoStore;
use pastebin::store::{DocumentStore, OperatorStore, StoreError};
use time::Duration;

use super::store::{Guard, paste_with, user};

type Stores = (Arc<dyn DocumentStore>, Arc<dyn OperatorStore>);

fn removal_of(id: &PasteId) -> Removal {
    Removal {
        id: id.clone(),
        category: Category::Malware,
        note: Note::parse("phishing kit, ticket 12"),
        operator: "alice".into(),
        at: now_millis(),
    }
}

/// A removal comes back whole; once recorded, its id is refused to a new
/// paste (a conflict: the caller draws another), even after the document
/// it named is gone.
pub async fn a_removed_id_is_never_reused((store, operator): Stores) {
    let paste = paste_with("bad", None);
    store.insert_paste(&paste).await.expect("stored");
    assert_eq!(operator.find_removal(paste.id()).await.expect("read"), None);
    let removal = removal_of(paste.id());
    operator.record_removal(&removal).await.expect("recorded");
    assert!(store.delete_paste(paste.id()).await.expect("deleted"));
    assert_eq!(
        operator.find_removal(paste.id()).await.expect("read"),
        Some(removal.clone())
    );
    let mut again = paste_with("a new paste drawn the same id", None);
    again.fields.id = paste.id().clone();
    assert!(matches!(
        store.insert_paste(&again).await,
        Err(StoreError::Conflict)
    ));
    assert!(
        store
            .find_paste(paste.id(), now_millis())
            .await
            .expect("read")
            .is_none(),
        "the refused paste was not kept"
    );
    // Recorded twice (a retried command): still one, the latest.
    let mut later = removal.clone();
    later.category = Category::Spam;
    operator.record_removal(&later).await.expect("recorded");
    assert_eq!(
        operator
            .find_removal(paste.id())
            .await
            .expect("read")
            .map(|r| r.category),
        Some(Category::Spam)
    );
}

/// Disabling is a record per user that comes back whole and goes away.
pub async fn accounts_are_disabled_and_enabled((store, operator): Stores) {
    let ada = user("ada");
    store.insert_user(&ada).await.expect("stored");
    assert_eq!(operator.find_disabled(&ada.id).await.expect("read"), None);
    let record = DisabledAccount {
        user: ada.id.clone(),
        username: ada.username.clone(),
        operator: "alice".into(),
        at: now_millis(),
    };
    operator
        .set_disabled(&ada.id, Some(&record))
        .await
        .expect("set");
    operator
        .set_disabled(&ada.id, Some(&record))
        .await
        .expect("set twice");
    assert_eq!(
        operator.find_disabled(&ada.id).await.expect("read"),
        Some(record)
    );
    operator.set_disabled(&ada.id, None).await.expect("lifted");
    assert_eq!(operator.find_disabled(&ada.id).await.expect("read"), None);
}

fn report(paste: &PasteId, at: time::OffsetDateTime) -> Report {
    Report {
        id: PasteId::random(10),
        paste: paste.clone(),
        category: Category::Spam,
        details: Note::parse("the same ad, every minute"),
        client: "0123456789abcdef0123456789abcdef".into(),
        at,
        resolution: None,
    }
}

/// Reports are listed newest first, the open ones apart; one is resolved
/// once; an id is unique.
pub async fn reports_are_listed_and_resolved_once((_store, operator): Stores) {
    let paste = PasteId::random(8);
    let now = now_millis();
    let older = report(&paste, now - Duration::seconds(10));
    let newer = report(&paste, now);
    for r in [&older, &newer] {
        operator.insert_report(r).await.expect("stored");
    }
    assert!(matches!(
        operator.insert_report(&older).await,
        Err(StoreError::Conflict)
    ));
    let open = operator.reports(true, 10).await.expect("listed");
    assert_eq!(open, vec![newer.clone(), older.clone()]);
    let resolution = Resolution {
        operator: "alice".into(),
        at: now_millis(),
        note: Note::parse("removed"),
    };
    assert!(
        operator
            .resolve_report(&older.id, &resolution)
            .await
            .expect("ran")
    );
    assert!(
        !operator
            .resolve_report(&older.id, &resolution)
            .await
            .expect("ran"),
        "an already closed report"
    );
    assert!(
        !operator
            .resolve_report(&PasteId::random(10), &resolution)
            .await
            .expect("ran")
    );
    assert_eq!(
        operator.reports(true, 10).await.expect("listed"),
        vec![newer.clone()]
    );
    let all = operator.reports(false, 10).await.expect("listed");
    assert_eq!(all.len(), 2);
    assert_eq!(all[1].resolution, Some(resolution));
    assert_eq!(operator.reports(false, 1).await.expect("listed").len(), 1);
}

/// The audit log keeps every entry whole, newest first.
pub async fn the_audit_log_keeps_every_action((_store, operator): Stores) {
    let now = now_millis();
    let entries: Vec<AuditEntry> = (0..3)
        .map(|i| AuditEntry {
            at: now + Duration::milliseconds(i),
            operator: "alice".into(),
            action: "remove".into(),
            target: format!("paste{i}aa"),
            reason: (i != 1).then(|| "spam: again".to_owned()),
        })
        .collect();
    for e in &entries {
        operator.append_audit(e).await.expect("appended");
    }
    let read = operator.audit_log(10).await.expect("read");
    let mut newest_first = entries.clone();
    newest_first.reverse();
    assert_eq!(read, newest_first);
    assert_eq!(operator.audit_log(2).await.expect("read").len(), 2);
}

/// Recent pastes: all, by the creating client's tag, by author; newest first.
pub async fn recent_pastes_are_found_by_client_and_author((store, operator): Stores) {
    let ada = user("ada");
    store.insert_user(&ada).await.expect("stored");
    let now = now_millis();
    let mut ids = Vec::new();
    for i in 0..4 {
        let mut p = paste_with(&format!("paste {i}"), None);
        p.fields.created_at = now + Duration::milliseconds(i);
        p.client = Some(if i % 2 == 0 { "tag-even" } else { "tag-odd" }.to_owned());
        if i == 3 {
            p.fields.author = Some(AuthorSummary {
                id: ada.id.clone(),
                username: ada.username.clone(),
            });
        }
        store.insert_paste(&p).await.expect("stored");
        ids.push(p.id().clone());
    }
    let listed = |lines: Vec<pastebin::domain::RecentPaste>| {
        lines.into_iter().map(|l| l.id).collect::<Vec<_>>()
    };
    let all = operator
        .recent_pastes(&RecentFilter::All, 10)
        .await
        .expect("read");
    assert_eq!(all[0].client.as_deref(), Some("tag-odd"));
    assert_eq!(all[0].author.as_ref(), Some(&ada.username));
    assert_eq!(
        listed(all),
        vec![
            ids[3].clone(),
            ids[2].clone(),
            ids[1].clone(),
            ids[0].clone()
        ]
    );
    let even = operator
        .recent_pastes(&RecentFilter::Address("tag-even".into()), 10)
        .await
        .expect("read");
    assert_eq!(listed(even), vec![ids[2].clone(), ids[0].clone()]);
    let hers = operator
        .recent_pastes(&RecentFilter::Author(ada.id.clone()), 10)
        .await
        .expect("read");
    assert_eq!(listed(hers), vec![ids[3].clone()]);
    let one = operator
        .recent_pastes(&RecentFilter::All, 1)
        .await
        .expect("read");
    assert_eq!(listed(one), vec![ids[3].clone()]);
}

fn embedded() -> (Stores, Guard) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let store = Arc::new(EmbeddedStore::open(dir.path(), Synchronous::Full).expect("opens"));
    ((store.clone(), store), Guard::Folder(dir))
}

async fn mongodb() -> (Stores, Guard) {
    let uri = std::env::var("PASTEBIN_TEST_MONGODB_URI")
        .expect("PASTEBIN_TEST_MONGODB_URI names a MongoDB");
    let mut settings = pastebin::configuration::Settings::defaults()
        .expect("defaults")
        .mongodb;
    settings.uri = Some(pastebin::configuration::MongoUri::parse(&uri).expect("a MongoDB URI"));
    settings.database = format!("pastebin_test_{}", uuid::Uuid::new_v4().simple());
    let store = Arc::new(MongoStore::connect(&settings).await.expect("a client"));
    store.migrate().await.expect("indexes created");
    let db = store.database().clone();
    ((store.clone(), store), Guard::Database(db))
}

macro_rules! operator_conformance {
    ($backend:ident, $open:expr $(, #[$attr:meta])?) => {
        mod $backend {
            use super::*;
            operator_conformance!(@case $open, a_removed_id_is_never_reused $(, #[$attr])?);
            operator_conformance!(@case $open, accounts_are_disabled_and_enabled $(, #[$attr])?);
            operator_conformance!(@case $open, reports_are_listed_and_resolved_once $(, #[$attr])?);
            operator_conformance!(@case $open, the_audit_log_keeps_every_action $(, #[$attr])?);
            operator_conformance!(@case $open, recent_pastes_are_found_by_client_and_author $(, #[$attr])?);
        }
    };
    (@case $open:expr, $name:ident $(, #[$attr:meta])?) => {
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        $(#[$attr])?
        async fn $name() {
            let (stores, guard) = $open;
            super::$name(stores).await;
            guard.finish().await;
        }
    };
}

operator_conformance!(embedded_store, embedded());
operator_conformance!(
    mongodb_store,
    mongodb().await,
    #[cfg_attr(not(mongodb_tests), ignore = "set PASTEBIN_TEST_MONGODB_URI to a MongoDB replica set to run")]
);
