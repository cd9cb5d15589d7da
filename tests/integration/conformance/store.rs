//! The document store conformance suite.

use std::sync::Arc;
use std::time::Duration as StdDuration;

use pastebin::configuration::Synchronous;
use pastebin::domain::paste::now_millis;
use pastebin::domain::{
    ApiToken, AuthorSummary, Content, DeleteToken, Language, ListCursor, Month, NewPaste,
    PageRequest, PasswordHash, Paste, PasteId, PasteSummary, Title, TokenName, TokenSecret, User,
    UserId, UserStats, Username, Visibility,
};
use pastebin::store::embedded::EmbeddedStore;
use pastebin::store::mongo::MongoStore;
use pastebin::store::{DocumentStore, StoreError, VisitCount};
use time::Duration;

use super::revisions::*;

pub(super) fn paste_with(content: &str, expires_in: Option<Duration>) -> Paste {
    let now = now_millis();
    Paste::new(NewPaste {
        id: PasteId::random(8),
        content: Content::parse(content.to_owned(), 16 * 1024 * 1024).expect("valid content"),
        title: None,
        language: None,
        visibility: Visibility::Public,
        burn_after_read: false,
        max_views: None,
        lock: None,
        created_at: now,
        expires_at: expires_in.map(|d| now + d),
        author: None,
        delete_token_hash: DeleteToken::random().hash(),
        end_to_end: false,
        files: Vec::new(),
    })
}

/// Every field, unicode, nulls and a 2 MB body come back exactly.
pub async fn round_trips_every_field(store: Arc<dyn DocumentStore>) {
    let mut full = paste_with(
        "héllo wörld 🦀\n\ttabs\r\nand CRLF\u{0}nul",
        Some(Duration::days(1)),
    );
    full.fields.title = Title::parse("Ünïcode title ✓", 200).expect("valid");
    full.fields.language = Language::parse("rust").expect("valid");
    full.fields.visibility = Visibility::Unlisted;
    full.fields.burn_after_read = true;
    // The store keeps the flag of an end-to-end encrypted paste (it never
    // looks at the content).
    full.fields.end_to_end = true;
    full.fields.author = Some(AuthorSummary {
        id: UserId::parse("u-1").expect("an id"),
        username: Username::parse("ada").expect("a name"),
    });
    let bare = paste_with("x", None);
    let mut counted = paste_with("y", None);
    counted.fields.max_views = Some(7);
    let mut locked = paste_with(pastebin::domain::paste_lock::LOCKED_CONTENT, None);
    locked.fields.lock = Some(pastebin::domain::PasteLock {
        memory_kib: 64,
        iterations: 1,
        salt: [7; 16],
        nonce: [9; 24],
        sealed: vec![0, 1, 2, 255],
    });
    let big = paste_with(&"0123456789abcdef".repeat(2 * 1024 * 1024 / 16), None);
    for paste in [full, bare, counted, locked, big] {
        store.insert_paste(&paste).await.expect("inserted");
        let found = store
            .find_paste(paste.id(), now_millis())
            .await
            .expect("read");
        assert_eq!(
            found.as_ref(),
            Some(&paste),
            "paste {} came back different",
            paste.id()
        );
    }
}

/// A taken id is a conflict, and the first paste is untouched.
pub async fn a_duplicate_id_is_a_conflict(store: Arc<dyn DocumentStore>) {
    let first = paste_with("first", None);
    store.insert_paste(&first).await.expect("inserted");
    let mut second = paste_with("second", None);
    second.fields.id = first.id().clone();
    assert!(matches!(
        store.insert_paste(&second).await,
        Err(StoreError::Conflict)
    ));
    let found = store
        .find_paste(first.id(), now_millis())
        .await
        .expect("read")
        .expect("present");
    assert_eq!(found.fields.content.as_str(), "first");
}

/// Expired at exactly its expiry instant, present one millisecond before.
pub async fn expiry_is_exact_at_the_boundary(store: Arc<dyn DocumentStore>) {
    let paste = paste_with("short-lived", Some(Duration::seconds(60)));
    store.insert_paste(&paste).await.expect("inserted");
    let at = paste.fields.expires_at.expect("expires");
    let before = at - Duration::milliseconds(1);
    assert!(
        store
            .find_paste(paste.id(), before)
            .await
            .expect("read")
            .is_some()
    );
    assert!(
        store
            .find_paste(paste.id(), at)
            .await
            .expect("read")
            .is_none()
    );
    assert!(
        store
            .take_paste(paste.id(), at)
            .await
            .expect("take")
            .is_none()
    );
    assert!(
        store
            .find_paste(paste.id(), before)
            .await
            .expect("read")
            .is_some(),
        "a failed take keeps it"
    );
}

/// Of 20 concurrent takers exactly one gets the paste.
pub async fn take_is_exactly_once_under_a_race(store: Arc<dyn DocumentStore>) {
    let paste = paste_with("once", None);
    store.insert_paste(&paste).await.expect("inserted");
    let takers = (0..20).map(|_| {
        let (store, id) = (store.clone(), paste.id().clone());
        tokio::spawn(async move { store.take_paste(&id, now_millis()).await })
    });
    let mut winners = 0;
    for taker in takers {
        if let Some(taken) = taker.await.expect("joined").expect("no store error") {
            assert_eq!(taken, paste);
            winners += 1;
        }
    }
    assert_eq!(winners, 1);
    assert!(
        store
            .find_paste(paste.id(), now_millis())
            .await
            .expect("read")
            .is_none()
    );
}

/// A `max_views` paste: of 20 concurrent takers exactly `max_views` get it,
/// each seeing the views spent before its own (each count once), and the
/// last removes it. A paste of one view left is taken like burn-after-read.
pub async fn max_views_takes_are_exactly_the_limit_under_a_race(store: Arc<dyn DocumentStore>) {
    let mut paste = paste_with("five times", None);
    paste.fields.max_views = Some(5);
    store.insert_paste(&paste).await.expect("inserted");
    let takers = (0..20).map(|_| {
        let (store, id) = (store.clone(), paste.id().clone());
        tokio::spawn(async move { store.take_paste(&id, now_millis()).await })
    });
    let mut spent = Vec::new();
    for taker in takers {
        if let Some(taken) = taker.await.expect("joined").expect("no store error") {
            assert_eq!(taken.fields, paste.fields);
            spent.push(taken.views_spent);
        }
    }
    spent.sort_unstable();
    assert_eq!(spent, [0, 1, 2, 3, 4], "each view spent once");
    assert!(
        store
            .find_paste(paste.id(), now_millis())
            .await
            .expect("read")
            .is_none(),
        "the fifth view removed it"
    );
    let mut partly = paste_with("read twice", None);
    partly.fields.max_views = Some(3);
    store.insert_paste(&partly).await.expect("inserted");
    store
        .take_paste(partly.id(), now_millis())
        .await
        .expect("took")
        .expect("there");
    let stored = store
        .find_paste(partly.id(), now_millis())
        .await
        .expect("read")
        .expect("two views left");
    assert_eq!(stored.views_spent, 1);
    assert_eq!(stored.view_limit(), Some(3));
}

/// Delete says whether there was something to delete.
pub async fn delete_removes_once(store: Arc<dyn DocumentStore>) {
    let paste = paste_with("doomed", None);
    store.insert_paste(&paste).await.expect("inserted");
    assert!(store.delete_paste(paste.id()).await.expect("deleted"));
    assert!(!store.delete_paste(paste.id()).await.expect("second delete"));
    assert!(
        store
            .find_paste(paste.id(), now_millis())
            .await
            .expect("read")
            .is_none()
    );
}

/// Concurrent visit batches add up exactly, per month and in total.
pub async fn visit_counters_add_up_under_concurrency(store: Arc<dyn DocumentStore>) {
    let paste = paste_with("popular", None);
    store.insert_paste(&paste).await.expect("inserted");
    let month = Month::of(now_millis());
    let batches = (0..20).map(|i| {
        let store = store.clone();
        let visit = VisitCount {
            id: paste.id().clone(),
            month: if i % 2 == 0 {
                month
            } else {
                Month::parse("2020-01").expect("a month")
            },
            count: 5,
        };
        tokio::spawn(async move { store.add_visits(&format!("batch-{i}"), &[visit]).await })
    });
    for batch in batches {
        assert!(
            batch.await.expect("joined").expect("counted"),
            "each batch is new"
        );
    }
    let found = store
        .find_paste(paste.id(), now_millis())
        .await
        .expect("read")
        .expect("present");
    assert_eq!(found.stats.total_views, 100);
    assert_eq!(found.stats.monthly.get(&month), Some(&50));
    assert_eq!(
        found
            .stats
            .monthly
            .get(&Month::parse("2020-01").expect("a month")),
        Some(&50)
    );
    let gone = VisitCount {
        id: PasteId::random(8),
        month,
        count: 1,
    };
    store
        .add_visits("batch-gone", &[gone])
        .await
        .expect("visits of a deleted paste are dropped quietly");
}

/// A batch applied twice (a fold redelivered after a crash) counts once.
pub async fn a_visit_batch_counts_once(store: Arc<dyn DocumentStore>) {
    let paste = paste_with("counted once", None);
    store.insert_paste(&paste).await.expect("inserted");
    let visit = VisitCount {
        id: paste.id().clone(),
        month: Month::parse("2026-11").expect("a month"),
        count: 7,
    };
    let first = store
        .add_visits("fold-1", std::slice::from_ref(&visit))
        .await;
    assert!(first.expect("applied"));
    let replay = store
        .add_visits("fold-1", std::slice::from_ref(&visit))
        .await;
    assert!(!replay.expect("answered"), "a replay changes nothing");
    let found = store
        .find_paste(paste.id(), now_millis())
        .await
        .expect("read")
        .expect("present");
    assert_eq!(found.stats.total_views, 7);
}

/// The sweep removes exactly the expired pastes.
pub async fn purge_removes_only_expired_pastes(store: Arc<dyn DocumentStore>) {
    let expired = paste_with("old", Some(Duration::milliseconds(1)));
    let alive = paste_with("young", Some(Duration::hours(1)));
    let forever = paste_with("forever", None);
    for p in [&expired, &alive, &forever] {
        store.insert_paste(p).await.expect("inserted");
    }
    tokio::time::sleep(StdDuration::from_millis(5)).await;
    let purged = store.purge_expired(now_millis()).await.expect("purged");
    assert!(purged.contains(expired.id()));
    assert!(!purged.contains(alive.id()) && !purged.contains(forever.id()));
    assert!(
        store
            .find_paste(alive.id(), now_millis())
            .await
            .expect("read")
            .is_some()
    );
    assert!(
        store
            .find_paste(forever.id(), now_millis())
            .await
            .expect("read")
            .is_some()
    );
    store.ping().await.expect("the store answers");
}

pub(super) fn user(name: &str) -> User {
    User {
        id: UserId::random(),
        username: Username::parse(name).expect("a valid name"),
        created_at: now_millis(),
        stats: UserStats::default(),
        // Every backend keeps the hash as it was written (a PHC string).
        password_hash: PasswordHash::parse(
            "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
        ),
    }
}

pub(super) fn authored(
    author: &User,
    created_at: time::OffsetDateTime,
    visibility: Visibility,
) -> Paste {
    let mut paste = paste_with("by an author", None);
    paste.fields.author = Some(AuthorSummary {
        id: author.id.clone(),
        username: author.username.clone(),
    });
    paste.fields.created_at = created_at;
    paste.fields.visibility = visibility;
    paste
}

/// Usernames are unique whatever the id; a user comes back whole.
pub async fn usernames_are_unique(store: Arc<dyn DocumentStore>) {
    let ada = user("ada");
    store.insert_user(&ada).await.expect("inserted");
    let impostor = user("ADA");
    assert!(matches!(
        store.insert_user(&impostor).await,
        Err(StoreError::Conflict)
    ));
    let mut same_id = user("grace");
    same_id.id = ada.id.clone();
    assert!(matches!(
        store.insert_user(&same_id).await,
        Err(StoreError::Conflict)
    ));
    let found = store
        .find_user(&Username::parse("Ada").expect("valid"))
        .await
        .expect("read");
    assert_eq!(
        found,
        Some(ada),
        "the user comes back whole, its password hash too"
    );
    let mut no_password = user("no-password");
    no_password.password_hash = None;
    store.insert_user(&no_password).await.expect("inserted");
    assert_eq!(
        store
            .find_user(&no_password.username)
            .await
            .expect("read")
            .and_then(|u| u.password_hash),
        None,
        "a user without a password stays without one"
    );
    let nobody = Username::parse("nobody").expect("valid");
    assert_eq!(store.find_user(&nobody).await.expect("read"), None);
    store
        .insert_user(&user("grace"))
        .await
        .expect("another name is free");
}

/// Each authored paste raises its author's counter exactly once, even when 20
/// arrive together; a paste refused for its id counts nothing.
pub async fn an_author_counts_their_pastes_under_concurrency(store: Arc<dyn DocumentStore>) {
    let ada = user("ada");
    store.insert_user(&ada).await.expect("inserted");
    let inserts = (0..20).map(|_| {
        let (store, paste) = (
            store.clone(),
            authored(&ada, now_millis(), Visibility::Public),
        );
        tokio::spawn(async move { store.insert_paste(&paste).await.map(|()| paste) })
    });
    let mut first = None;
    for insert in inserts {
        first = Some(insert.await.expect("joined").expect("inserted"));
    }
    let mut again = authored(&ada, now_millis(), Visibility::Public);
    again.fields.id = first.expect("twenty pastes").id().clone();
    assert!(matches!(
        store.insert_paste(&again).await,
        Err(StoreError::Conflict)
    ));
    let found = store
        .find_user(&ada.username)
        .await
        .expect("read")
        .expect("present");
    assert_eq!(found.stats.pastes_created, 20);
}

/// Pages through an author's list; with `arrivals`, stores that many new
/// pastes of the author between each page and the next, as a busy author would.
async fn walk(
    store: &Arc<dyn DocumentStore>,
    author: &User,
    limit: usize,
    public_only: bool,
    arrivals: usize,
) -> Vec<PasteSummary> {
    let mut all = Vec::new();
    let mut after: Option<ListCursor> = None;
    for _ in 0..1000 {
        let page = PageRequest {
            after: after.clone(),
            limit,
            public_only,
        };
        let lines = store
            .author_pastes(&author.id, &page, now_millis())
            .await
            .expect("a page");
        assert!(lines.len() <= limit, "a page holds at most its limit");
        let Some(last) = lines.last() else {
            return all;
        };
        let full = lines.len() == limit;
        after = Some(last.cursor());
        all.extend(lines);
        if !full {
            // A short page is the last one: nothing may follow it.
            let rest = PageRequest {
                after: after.clone(),
                limit,
                public_only,
            };
            let more = store
                .author_pastes(&author.id, &rest, now_millis())
                .await
                .expect("a page");
            assert!(more.is_empty(), "a short page came before the end");
            return all;
        }
        for _ in 0..arrivals {
            let paste = authored(author, now_millis(), Visibility::Public);
            store.insert_paste(&paste).await.expect("inserted");
        }
    }
    panic!("the listing never ended");
}

/// An author's list, newest first, paged with a cursor while new pastes keep
/// arriving: every older paste exactly once, in order, full pages, none of
/// anyone else's, none expired, none hidden from strangers (even a run of
/// hidden ones longer than a page).
pub async fn author_listings_page_without_duplicates_or_gaps(store: Arc<dyn DocumentStore>) {
    const LIMIT: usize = 7;
    let ada = user("ada");
    let grace = user("grace");
    store.insert_user(&ada).await.expect("inserted");
    let base = now_millis() - Duration::hours(1);
    let mut public = Vec::new();
    let mut unlisted = Vec::new();
    for i in 0..40_i64 {
        // Three pastes per millisecond: ties are broken by id. Pastes 10 to
        // 19 (a run longer than a page) and every sixth one are unlisted.
        let at = base - Duration::milliseconds(i / 3);
        let visibility = if (10..20).contains(&i) || i % 6 == 5 {
            Visibility::Unlisted
        } else {
            Visibility::Public
        };
        let paste = authored(&ada, at, visibility);
        store.insert_paste(&paste).await.expect("inserted");
        if visibility == Visibility::Public {
            public.push(paste);
        } else {
            unlisted.push(paste);
        }
    }
    let mut expired = authored(&ada, base, Visibility::Public);
    expired.fields.expires_at = Some(now_millis() - Duration::seconds(1));
    store.insert_paste(&expired).await.expect("inserted");
    let someone_else = authored(&grace, base, Visibility::Public);
    store.insert_paste(&someone_else).await.expect("inserted");

    let seen = walk(&store, &ada, LIMIT, true, 3).await;

    let ids: Vec<&PasteId> = seen.iter().map(|l| &l.id).collect();
    let unique: std::collections::HashSet<&PasteId> = ids.iter().copied().collect();
    assert_eq!(unique.len(), ids.len(), "no paste twice");
    for pair in seen.windows(2) {
        assert!(
            (pair[0].created_at, pair[0].id.as_str()) > (pair[1].created_at, pair[1].id.as_str()),
            "newest first, ties by id: {:?} then {:?}",
            pair[0].cursor(),
            pair[1].cursor()
        );
    }
    for paste in &public {
        assert!(
            unique.contains(paste.id()),
            "{} is missing: a gap",
            paste.id()
        );
    }
    assert_eq!(
        seen.len(),
        public.len(),
        "pastes newer than the first page never show up later"
    );
    for hidden in unlisted.iter().chain([&expired, &someone_else]) {
        assert!(
            !unique.contains(hidden.id()),
            "{} should not be listed",
            hidden.id()
        );
    }
    assert!(seen.iter().all(|l| l.visibility == Visibility::Public));
    let sample = seen
        .iter()
        .find(|l| &l.id == public[0].id())
        .expect("listed");
    assert_eq!(sample.size_bytes, public[0].fields.content.len() as u64);
    assert_eq!(sample.created_at, public[0].fields.created_at);

    // The owner's view adds the unlisted ones (and those that arrived during
    // the first walk); a limit of 0 is an empty page.
    // Three arrived after each full page of the first walk.
    let arrived = seen.len() / LIMIT * 3;
    let everything = walk(&store, &ada, 11, false, 0).await;
    assert_eq!(everything.len(), public.len() + unlisted.len() + arrived);
    let none = PageRequest {
        after: None,
        limit: 0,
        public_only: false,
    };
    assert!(
        store
            .author_pastes(&ada.id, &none, now_millis())
            .await
            .expect("a page")
            .is_empty()
    );
}

/// What a backend's test leaves behind, cleaned up when the test is done.
pub(super) enum Guard {
    Folder(#[expect(dead_code, reason = "held only to be removed on drop")] tempfile::TempDir),
    Database(mongodb::Database),
}

impl Guard {
    pub(super) async fn finish(self) {
        if let Guard::Database(db) = self {
            let _ = db.drop().await;
        }
    }
}

fn token_of(user: &User, name: &str) -> ApiToken {
    let secret = TokenSecret::random();
    ApiToken {
        id: secret.id().clone(),
        user: AuthorSummary {
            id: user.id.clone(),
            username: user.username.clone(),
        },
        name: TokenName::parse(name).expect("a name"),
        hash: secret.hash(),
        created_at: now_millis(),
    }
}

/// Tokens come back whole by id and per user, oldest first; an id is
/// unique; a user revokes only their own.
pub async fn api_tokens_belong_to_their_user(store: Arc<dyn DocumentStore>) {
    let (ada, grace) = (user("ada"), user("grace"));
    let laptop = token_of(&ada, "laptop");
    let mut ci = token_of(&ada, "CI");
    ci.created_at = laptop.created_at + Duration::milliseconds(5);
    let hers = token_of(&grace, "hers");
    for token in [&laptop, &ci, &hers] {
        store.insert_token(token).await.expect("stored");
    }
    assert!(matches!(
        store.insert_token(&laptop).await,
        Err(StoreError::Conflict)
    ));
    assert_eq!(
        store.find_token(&laptop.id).await.expect("read"),
        Some(laptop.clone())
    );
    assert_eq!(
        store.user_tokens(&ada.id).await.expect("read"),
        vec![laptop.clone(), ci.clone()]
    );
    assert!(
        !store
            .delete_token(&grace.id, &laptop.id)
            .await
            .expect("ran"),
        "grace cannot revoke ada's token"
    );
    assert!(store.delete_token(&ada.id, &laptop.id).await.expect("ran"));
    assert!(!store.delete_token(&ada.id, &laptop.id).await.expect("ran"));
    assert_eq!(store.find_token(&laptop.id).await.expect("read"), None);
    assert_eq!(store.user_tokens(&ada.id).await.expect("read"), vec![ci]);
    assert_eq!(
        store.user_tokens(&grace.id).await.expect("read"),
        vec![hers]
    );
}

/// A live anonymous paste gets an author once, counted once; an authored,
/// expired or missing one is not claimed.
pub async fn an_anonymous_paste_is_claimed_once(store: Arc<dyn DocumentStore>) {
    let (ada, grace) = (user("ada"), user("grace"));
    store.insert_user(&ada).await.expect("stored");
    store.insert_user(&grace).await.expect("stored");
    let summary = |u: &User| AuthorSummary {
        id: u.id.clone(),
        username: u.username.clone(),
    };
    let anonymous = paste_with("anonymous", None);
    store.insert_paste(&anonymous).await.expect("stored");
    let now = now_millis();
    assert!(
        store
            .claim_paste(anonymous.id(), &summary(&ada), now)
            .await
            .expect("ran")
    );
    assert!(
        !store
            .claim_paste(anonymous.id(), &summary(&grace), now)
            .await
            .expect("ran"),
        "claimed once"
    );
    let found = store
        .find_paste(anonymous.id(), now)
        .await
        .expect("read")
        .expect("still there");
    assert_eq!(found.fields.author, Some(summary(&ada)));
    let count = |name: Username| {
        let store = store.clone();
        async move {
            store
                .find_user(&name)
                .await
                .expect("read")
                .expect("a user")
                .stats
                .pastes_created
        }
    };
    assert_eq!(count(ada.username.clone()).await, 1);
    assert_eq!(count(grace.username.clone()).await, 0);
    let page = PageRequest {
        after: None,
        limit: 10,
        public_only: false,
    };
    let listed = store
        .author_pastes(&ada.id, &page, now)
        .await
        .expect("read");
    assert_eq!(listed.len(), 1, "listed as ada's");
    let missing = PasteId::random(8);
    assert!(
        !store
            .claim_paste(&missing, &summary(&ada), now)
            .await
            .expect("ran")
    );
    let expiring = paste_with("soon gone", Some(Duration::seconds(1)));
    store.insert_paste(&expiring).await.expect("stored");
    let later = now + Duration::seconds(5);
    assert!(
        !store
            .claim_paste(expiring.id(), &summary(&ada), later)
            .await
            .expect("ran")
    );
}

/// A multi-file paste comes back whole (every name, language and text, in
/// order, the first file's text stored once), and goes whole.
pub async fn a_multi_file_paste_round_trips_whole(store: Arc<dyn DocumentStore>) {
    let file = |name: &str, language: Option<&str>, text: &str| pastebin::domain::PasteFile {
        name: pastebin::domain::FileName::parse(name).expect("a name"),
        language: language.map(|l| Language::parse(l).expect("valid").expect("a language")),
        content: Content::parse(text.to_owned(), 1024).expect("valid content"),
    };
    let files = vec![
        file("main.rs", Some("rust"), "fn main() {}\n"),
        file("é notes.txt", None, "ünïcode\r\n"),
        file("c.py", Some("python"), "pass\n"),
    ];
    let mut fields = paste_with("fn main() {}\n", None).fields;
    fields.language = files[0].language.clone();
    fields.files = files;
    let paste = Paste::new(fields);
    store.insert_paste(&paste).await.expect("stored");
    let now = now_millis();
    let found = store
        .find_paste(paste.id(), now)
        .await
        .expect("read")
        .expect("found");
    assert_eq!(found, paste, "every file, in order");
    let one = paste_with("one text", None);
    store.insert_paste(&one).await.expect("stored");
    let found = store
        .find_paste(one.id(), now)
        .await
        .expect("read")
        .expect("found");
    assert!(
        found.fields.files.is_empty(),
        "a paste of one text has no files"
    );
    assert!(store.delete_paste(paste.id()).await.expect("deleted"));
    assert!(
        store
            .find_paste(paste.id(), now)
            .await
            .expect("read")
            .is_none()
    );
}

macro_rules! conformance {
    ($backend:ident, $open:expr $(, #[$attr:meta])?) => {
        mod $backend {
            use super::*;
            conformance!(@case $open, round_trips_every_field $(, #[$attr])?);
            conformance!(@case $open, a_multi_file_paste_round_trips_whole $(, #[$attr])?);
            conformance!(@case $open, a_duplicate_id_is_a_conflict $(, #[$attr])?);
            conformance!(@case $open, expiry_is_exact_at_the_boundary $(, #[$attr])?);
            conformance!(@case $open, take_is_exactly_once_under_a_race $(, #[$attr])?);
            conformance!(@case $open, max_views_takes_are_exactly_the_limit_under_a_race $(, #[$attr])?);
            conformance!(@case $open, delete_removes_once $(, #[$attr])?);
            conformance!(@case $open, visit_counters_add_up_under_concurrency $(, #[$attr])?);
            conformance!(@case $open, a_visit_batch_counts_once $(, #[$attr])?);
            conformance!(@case $open, purge_removes_only_expired_pastes $(, #[$attr])?);
            conformance!(@case $open, usernames_are_unique $(, #[$attr])?);
            conformance!(@case $open, api_tokens_belong_to_their_user $(, #[$attr])?);
            conformance!(@case $open, an_anonymous_paste_is_claimed_once $(, #[$attr])?);
            conformance!(@case $open, an_author_counts_their_pastes_under_concurrency $(, #[$attr])?);
            conformance!(@case $open, author_listings_page_without_duplicates_or_gaps $(, #[$attr])?);
            conformance!(@case $open, an_edit_makes_one_revision_and_a_stale_edit_changes_nothing $(, #[$attr])?);
            conformance!(@case $open, racing_edits_make_exactly_one_revision $(, #[$attr])?);
            conformance!(@case $open, revisions_are_bounded_and_go_with_their_paste $(, #[$attr])?);
        }
    };
    (@case $open:expr, $name:ident $(, #[$attr:meta])?) => {
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        $(#[$attr])?
        async fn $name() {
            let (store, guard) = $open;
            super::$name(store).await;
            guard.finish().await;
        }
    };
}

pub(super) fn embedded() -> (Arc<dyn DocumentStore>, Guard) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let store = EmbeddedStore::open(dir.path(), Synchronous::Full).expect("the store opens");
    (Arc::new(store), Guard::Folder(dir))
}

/// A fresh database per test on the server named by `PASTEBIN_TEST_MONGODB_URI`
/// (indexes are created before the first insert), dropped when the test ends.
/// One client per test: a client belongs to the runtime that made it.
pub(super) async fn mongodb() -> (Arc<dyn DocumentStore>, Guard) {
    let uri = std::env::var("PASTEBIN_TEST_MONGODB_URI")
        .expect("PASTEBIN_TEST_MONGODB_URI names a MongoDB");
    let mut settings = pastebin::configuration::Settings::defaults()
        .expect("defaults")
        .mongodb;
    settings.uri = Some(pastebin::configuration::MongoUri::parse(&uri).expect("a MongoDB URI"));
    settings.database = format!("pastebin_test_{}", uuid::Uuid::new_v4().simple());
    let store = MongoStore::connect(&settings).await.expect("a client");
    store.migrate().await.expect("indexes created");
    let db = store.database().clone();
    (Arc::new(store), Guard::Database(db))
}

conformance!(embedded_store, embedded());
conformance!(
    mongodb_store,
    mongodb().await,
    #[cfg_attr(not(mongodb_tests), ignore = "set PASTEBIN_TEST_MONGODB_URI to a MongoDB replica set to run")]
);
