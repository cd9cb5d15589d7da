//! The MongoDB document store: the fleet backend, chosen by `mongodb.uri`.
//!
//! Documents are the denormalized `PasteDocument`s (author summary and
//! statistics embedded); nothing here joins (`$lookup` is never used). Every
//! change is one atomic operation: burn-after-read is a `findOneAndDelete`,
//! visit counts are `$inc`s applied in one transaction with the record of
//! their batch (so a redelivered fold counts nothing twice; this needs a
//! replica set or a sharded cluster, as production MongoDB is).
//!
//! One `Client` per process, built at start. Writes use `majority` write
//! concern (an acknowledged paste survives the loss of the primary). Paste
//! reads follow `mongodb.paste_read_preference`, `primary` by default: the
//! worker assembles a paste right after it is written, and a secondary may
//! not have it yet. Users and author listings are always read from the
//! primary: a user must see what they just wrote. Short server-selection
//! timeouts, and a bound on every operation, turn an outage into fast 503s
//! rather than hanging requests.

mod error;
pub mod indexes;

use std::future::{Future, IntoFuture};
use std::time::Duration;

use async_trait::async_trait;
use futures_util::TryStreamExt;
use mongodb::bson::{Bson, Document, doc};
use mongodb::options::{
    ClientOptions, CollectionOptions, ReadPreference, SelectionCriteria, WriteConcern,
};
use mongodb::{Client, Collection, Database};
use time::OffsetDateTime;

use self::error::is_duplicate;
use super::document::{PasteDocument, SummaryDocument, UserDocument, to_bson_date};
use super::{DocumentStore, StoreError, VisitCount};
use crate::configuration::{self, MongoSettings};
use crate::domain::{
    PageRequest, Paste, PasteId, PasteSummary, User, UserId, Username, Visibility,
};

/// Collection of paste documents.
pub const PASTES: &str = "pastes";
/// Collection of applied visit batches (`_id`: the batch id).
pub const BATCHES: &str = "visit_batches";
/// Collection of user documents.
pub const USERS: &str = "users";

/// Most expired pastes one sweep deletes (the TTL index does the rest).
const SWEEP_LIMIT: i64 = 10_000;
/// Attempts of a transaction that conflicts with a concurrent one (the
/// operation timeout usually ends the retries first).
const TRANSACTION_ATTEMPTS: u32 = 30;
/// Attempts of a commit whose outcome is unknown (a commit is idempotent).
const COMMIT_ATTEMPTS: u32 = 5;
/// Expired pastes deleted by one `deleteMany` of a sweep.
const PURGE_CHUNK: usize = 1000;

/// The MongoDB backend.
pub struct MongoStore {
    client: Client,
    db: Database,
    pastes: Collection<PasteDocument>,
    paste_reads: Collection<PasteDocument>,
    summaries: Collection<SummaryDocument>,
    users: Collection<UserDocument>,
    batches: Collection<Document>,
    operation_timeout: Duration,
    /// Set once the indexes are known to exist.
    indexes: tokio::sync::OnceCell<()>,
}

/// The driver's form of `mongodb.paste_read_preference`.
fn read_preference(choice: configuration::ReadPreference) -> ReadPreference {
    match choice {
        configuration::ReadPreference::Primary => ReadPreference::Primary,
        configuration::ReadPreference::PrimaryPreferred => {
            ReadPreference::PrimaryPreferred { options: None }
        }
        configuration::ReadPreference::SecondaryPreferred => {
            ReadPreference::SecondaryPreferred { options: None }
        }
        configuration::ReadPreference::Nearest => ReadPreference::Nearest { options: None },
    }
}

/// The condition of a paste that has not expired at `now`.
fn unexpired(now: OffsetDateTime) -> Document {
    doc! { "$or": [ { "expires_at": Bson::Null }, { "expires_at": { "$gt": to_bson_date(now) } } ] }
}

/// The filter of a paste that exists and has not expired at `now`.
pub fn live(id: &PasteId, now: OffsetDateTime) -> Document {
    let mut filter = doc! { "_id": id.as_str() };
    filter.extend(unexpired(now));
    filter
}

/// The filter of one page of an author's pastes: live at `now`, visible to
/// the reader, strictly after the cursor in (created_at desc, _id desc) order.
/// Sorted that way it runs on the `author_newest_first` index: equality on
/// `author.id` (which implies the index's partial filter, `$exists`), then a
/// range on the key's order.
pub fn author_page(author_id: &UserId, page: &PageRequest, now: OffsetDateTime) -> Document {
    let mut and = vec![unexpired(now)];
    let mut filter = doc! { "author.id": author_id.as_str() };
    if let Some(after) = &page.after {
        let at = to_bson_date(after.created_at);
        and.push(doc! {
            "$or": [
                { "created_at": { "$lt": at } },
                { "created_at": at, "_id": { "$lt": after.id.as_str() } },
            ],
        });
        // Implied by the `$or` above, but said at the top level so that the
        // planner bounds the index scan at the cursor instead of walking (and
        // fetching) every newer paste of the author.
        filter.insert("created_at", doc! { "$lte": at });
    }
    filter.insert("$and", and);
    if page.public_only {
        filter.insert("visibility", Visibility::Public.as_str());
    }
    filter
}

/// The wait before retry number `tries` of a conflicting transaction:
/// exponential from 2 ms up to 256 ms, with full jitter so that transactions
/// that collided do not collide again in lockstep (on MongoDB a write conflict
/// fails at once rather than waiting for the lock).
pub fn backoff(tries: u32) -> Duration {
    let ceiling_ms = 2_u64 << tries.min(7);
    Duration::from_millis(rand::random_range(1..=ceiling_ms))
}

/// The update that adds one batch entry's visits.
pub fn add_views(visit: &VisitCount) -> Document {
    let n = i64::try_from(visit.count).unwrap_or(i64::MAX);
    let mut inc = Document::new();
    inc.insert("stats.total_views", n);
    inc.insert(format!("stats.monthly.{}", visit.month), n);
    doc! { "$inc": inc }
}

impl MongoStore {
    /// Builds the process's one client. Nothing is sent yet: a clone starts
    /// while MongoDB is down and answers 503 until it is back.
    pub async fn connect(settings: &MongoSettings) -> Result<Self, StoreError> {
        let uri = settings.uri.as_ref().map_or("", |uri| uri.as_str());
        let mut options = ClientOptions::parse(uri).await?;
        options.app_name = Some("pastebin".to_owned());
        options.server_selection_timeout = Some(settings.server_selection_timeout_ms.duration());
        options.connect_timeout = Some(settings.connect_timeout_ms.duration());
        let operation_timeout = settings.operation_timeout_ms.duration();
        // A majority that does not confirm in time is an error, not a hang
        // (the write may still land: the caller retries with a new id, and
        // nothing acknowledged is lost).
        options.write_concern = Some(
            WriteConcern::builder()
                .w(mongodb::options::Acknowledgment::Majority)
                .w_timeout(operation_timeout)
                .build(),
        );
        let client = Client::with_options(options)?;
        let db = client.database(&settings.database);
        let reads = read_preference(settings.paste_read_preference);
        let paste_reads = db.collection_with_options(
            PASTES,
            CollectionOptions::builder()
                .selection_criteria(SelectionCriteria::ReadPreference(reads))
                .build(),
        );
        Ok(Self {
            pastes: db.collection(PASTES),
            summaries: db.collection(PASTES),
            users: db.collection(USERS),
            batches: db.collection(BATCHES),
            paste_reads,
            client,
            db,
            operation_timeout,
            indexes: tokio::sync::OnceCell::new(),
        })
    }

    /// Runs one store operation (a driver action or a block of them) within
    /// `mongodb.operation_timeout_ms`: past it the request gets a 503 instead
    /// of waiting on a sick server.
    async fn bounded<T, E>(
        &self,
        work: impl IntoFuture<Output = Result<T, E>>,
    ) -> Result<T, StoreError>
    where
        StoreError: From<E>,
    {
        match tokio::time::timeout(self.operation_timeout, work.into_future()).await {
            Ok(done) => done.map_err(StoreError::from),
            Err(_) => Err(StoreError::Unavailable(format!(
                "MongoDB did not answer within {} ms",
                self.operation_timeout.as_millis()
            ))),
        }
    }

    /// Runs a transaction, again while the server calls its failure transient
    /// (a write conflict with a concurrent transaction, an election).
    async fn transaction<T, F, Fut>(&self, mut attempt: F) -> Result<T, StoreError>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = mongodb::error::Result<T>>,
    {
        let mut tries = 0;
        loop {
            tries += 1;
            match attempt().await {
                Err(e)
                    if e.contains_label(mongodb::error::TRANSIENT_TRANSACTION_ERROR)
                        && tries < TRANSACTION_ATTEMPTS =>
                {
                    tokio::time::sleep(backoff(tries)).await;
                }
                done => return done.map_err(StoreError::from),
            }
        }
    }

    /// Commits, again while the outcome is unknown (the commit is idempotent).
    async fn commit(session: &mut mongodb::ClientSession) -> mongodb::error::Result<()> {
        let mut tries = 0;
        loop {
            tries += 1;
            match session.commit_transaction().await {
                Err(e)
                    if e.contains_label(mongodb::error::UNKNOWN_TRANSACTION_COMMIT_RESULT)
                        && tries < COMMIT_ATTEMPTS => {}
                done => return done,
            }
        }
    }

    /// One attempt at storing an authored paste and raising its author's
    /// counter together.
    async fn insert_authored(
        &self,
        paste: &PasteDocument,
        author_id: &UserId,
    ) -> mongodb::error::Result<()> {
        let mut session = self.client.start_session().await?;
        session.start_transaction().await?;
        let steps = async {
            self.pastes.insert_one(paste).session(&mut session).await?;
            self.users
                .update_one(
                    doc! { "_id": author_id.as_str() },
                    doc! { "$inc": { "stats.pastes_created": 1_i64 } },
                )
                .session(&mut session)
                .await?;
            Ok(())
        }
        .await;
        if let Err(e) = steps {
            let _ = session.abort_transaction().await;
            return Err(e);
        }
        Self::commit(&mut session).await
    }

    /// Creates the indexes (idempotent).
    pub async fn migrate(&self) -> Result<(), StoreError> {
        self.ensure_indexes().await
    }

    /// The database (tests drop theirs when done).
    pub fn database(&self) -> &Database {
        &self.db
    }

    /// One attempt of the visit transaction; `Ok(false)` when the batch was applied before.
    async fn apply_batch(
        &self,
        batch: &str,
        visits: &[VisitCount],
    ) -> mongodb::error::Result<bool> {
        let mut session = self.client.start_session().await?;
        session.start_transaction().await?;
        let marker = doc! { "_id": batch, "applied_at": to_bson_date(OffsetDateTime::now_utc()) };
        if let Err(e) = self.batches.insert_one(marker).session(&mut session).await {
            let _ = session.abort_transaction().await;
            return if is_duplicate(&e) { Ok(false) } else { Err(e) };
        }
        for visit in visits {
            let updated = self
                .pastes
                .update_one(doc! { "_id": visit.id.as_str() }, add_views(visit))
                .session(&mut session)
                .await;
            if let Err(e) = updated {
                let _ = session.abort_transaction().await;
                return Err(e);
            }
        }
        Self::commit(&mut session).await.map(|()| true)
    }
}

#[async_trait]
impl DocumentStore for MongoStore {
    fn backend(&self) -> &'static str {
        "mongodb"
    }

    async fn insert_paste(&self, paste: &Paste) -> Result<(), StoreError> {
        let doc = PasteDocument::from(paste);
        match &paste.fields.author {
            // Anonymous (nearly every paste): one insert, no transaction.
            None => self.bounded(self.pastes.insert_one(&doc)).await.map(drop),
            Some(author) => {
                self.bounded(self.transaction(|| self.insert_authored(&doc, &author.id)))
                    .await
            }
        }
    }

    async fn find_paste(
        &self,
        id: &PasteId,
        now: OffsetDateTime,
    ) -> Result<Option<Paste>, StoreError> {
        let found = self
            .bounded(self.paste_reads.find_one(live(id, now)))
            .await?;
        found.map(Paste::try_from).transpose()
    }

    async fn take_paste(
        &self,
        id: &PasteId,
        now: OffsetDateTime,
    ) -> Result<Option<Paste>, StoreError> {
        let taken = self
            .bounded(self.pastes.find_one_and_delete(live(id, now)))
            .await?;
        taken.map(Paste::try_from).transpose()
    }

    async fn delete_paste(&self, id: &PasteId) -> Result<bool, StoreError> {
        let deleted = self
            .bounded(self.pastes.delete_one(doc! { "_id": id.as_str() }))
            .await?;
        Ok(deleted.deleted_count > 0)
    }

    async fn add_visits(&self, batch: &str, visits: &[VisitCount]) -> Result<bool, StoreError> {
        self.bounded(self.transaction(|| self.apply_batch(batch, visits)))
            .await
    }

    async fn purge_expired(&self, now: OffsetDateTime) -> Result<Vec<PasteId>, StoreError> {
        self.purge(now).await
    }

    async fn insert_user(&self, user: &User) -> Result<(), StoreError> {
        self.bounded(async {
            // Usernames are unique only once the unique index exists.
            self.ensure_indexes().await?;
            self.users.insert_one(UserDocument::from(user)).await?;
            Ok::<_, StoreError>(())
        })
        .await
    }

    async fn find_user(&self, username: &Username) -> Result<Option<User>, StoreError> {
        let found = self
            .bounded(self.users.find_one(doc! { "username": username.as_str() }))
            .await?;
        found.map(User::try_from).transpose()
    }

    async fn author_pastes(
        &self,
        author_id: &UserId,
        page: &PageRequest,
        now: OffsetDateTime,
    ) -> Result<Vec<PasteSummary>, StoreError> {
        let limit = page.capped_limit();
        if limit == 0 {
            return Ok(Vec::new());
        }
        let docs: Vec<SummaryDocument> = self
            .bounded(async {
                self.summaries
                    .find(author_page(author_id, page, now))
                    .sort(doc! { "created_at": -1, "_id": -1 })
                    .projection(SummaryDocument::projection())
                    .limit(i64::try_from(limit).unwrap_or(i64::MAX))
                    .await?
                    .try_collect()
                    .await
            })
            .await?;
        docs.into_iter().map(PasteSummary::try_from).collect()
    }

    async fn ping(&self) -> Result<(), StoreError> {
        self.bounded(self.db.run_command(doc! { "ping": 1 }))
            .await
            .map(drop)
    }
}

impl MongoStore {
    /// Deletes what has expired (what the TTL monitor has not yet purged), in
    /// chunks, each within the operation timeout: a large backlog is worked
    /// off over several sweeps instead of timing out whole every time.
    async fn purge(&self, now: OffsetDateTime) -> Result<Vec<PasteId>, StoreError> {
        let expired = doc! { "expires_at": { "$lte": to_bson_date(now) } };
        let found: Vec<Document> = self
            .bounded(async {
                self.db
                    .collection::<Document>(PASTES)
                    .find(expired.clone())
                    .projection(doc! { "_id": 1 })
                    .limit(SWEEP_LIMIT)
                    .await?
                    .try_collect()
                    .await
            })
            .await?;
        let ids: Vec<PasteId> = found
            .iter()
            .filter_map(|d| d.get_str("_id").ok().and_then(PasteId::parse))
            .collect();
        let mut purged = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(PURGE_CHUNK) {
            let list: Vec<&str> = chunk.iter().map(PasteId::as_str).collect();
            let mut filter = expired.clone();
            filter.insert("_id", doc! { "$in": list });
            let deleted = self.bounded(self.pastes.delete_many(filter)).await;
            match deleted {
                Ok(_) => purged.extend_from_slice(chunk),
                Err(e) if purged.is_empty() => return Err(e),
                Err(e) => {
                    tracing::warn!(error = %e, purged = purged.len(), "sweep stopped part way; the next one goes on");
                    break;
                }
            }
        }
        Ok(purged)
    }

    /// Creates the indexes once per process (a no-op on the server when they
    /// exist). Run at start; run again before anything that relies on a
    /// unique index, in case MongoDB was down when the process started.
    async fn ensure_indexes(&self) -> Result<(), StoreError> {
        self.indexes
            .get_or_try_init(|| async { indexes::ensure(&self.db).await.map_err(StoreError::from) })
            .await
            .map(drop)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_live_filter_accepts_no_expiry_or_a_later_one() {
        let id = PasteId::parse("abcdEFGH").expect("an id");
        let filter = live(&id, OffsetDateTime::UNIX_EPOCH);
        assert_eq!(filter.get_str("_id"), Ok("abcdEFGH"));
        let or = filter.get_array("$or").expect("$or");
        assert_eq!(or.len(), 2);
        assert_eq!(
            or[0].as_document().and_then(|d| d.get("expires_at")),
            Some(&Bson::Null)
        );
    }

    #[test]
    fn visits_are_added_with_inc_on_the_embedded_statistics() {
        let visit = VisitCount {
            id: PasteId::parse("abcdEFGH").expect("an id"),
            month: crate::domain::Month::parse("2026-11").expect("a month"),
            count: 3,
        };
        let update = add_views(&visit);
        let inc = update.get_document("$inc").expect("$inc");
        assert_eq!(inc.get_i64("stats.total_views"), Ok(3));
        assert_eq!(inc.get_i64("stats.monthly.2026-11"), Ok(3));
    }

    #[test]
    fn an_author_page_continues_strictly_after_its_cursor() {
        let at = OffsetDateTime::UNIX_EPOCH + time::Duration::milliseconds(1234);
        let page = PageRequest {
            after: Some(crate::domain::ListCursor {
                created_at: at,
                id: PasteId::parse("abcdEFGH").expect("an id"),
            }),
            limit: 10,
            public_only: true,
        };
        let filter = author_page(
            &UserId::parse("u1").expect("an id"),
            &page,
            OffsetDateTime::UNIX_EPOCH,
        );
        assert_eq!(filter.get_str("author.id"), Ok("u1"));
        assert_eq!(filter.get_str("visibility"), Ok("public"));
        let and = filter.get_array("$and").expect("$and");
        assert_eq!(and.len(), 2, "live, then after the cursor");
        let after = and[1]
            .as_document()
            .and_then(|d| d.get_array("$or").ok())
            .expect("$or");
        let tie = after[1].as_document().expect("a tie rule");
        assert_eq!(tie.get_datetime("created_at"), Ok(&to_bson_date(at)));
        assert_eq!(
            tie.get_document("_id").and_then(|d| d.get_str("$lt")),
            Ok("abcdEFGH")
        );
        assert_eq!(
            filter
                .get_document("created_at")
                .and_then(|d| d.get_datetime("$lte")),
            Ok(&to_bson_date(at)),
            "a top-level bound lets the planner start the index scan at the cursor"
        );
        let first = PageRequest {
            after: None,
            limit: 10,
            public_only: false,
        };
        let filter = author_page(
            &UserId::parse("u1").expect("an id"),
            &first,
            OffsetDateTime::UNIX_EPOCH,
        );
        assert!(filter.get("visibility").is_none(), "the owner sees all");
        assert!(
            filter.get("created_at").is_none(),
            "the first page is unbounded"
        );
        assert_eq!(filter.get_array("$and").map(Vec::len), Ok(1));
    }

    #[test]
    fn retries_back_off_exponentially_with_jitter_and_a_ceiling() {
        for tries in 1..40 {
            let wait = backoff(tries);
            assert!(wait >= Duration::from_millis(1));
            assert!(wait <= Duration::from_millis(2 << tries.min(7)));
            assert!(wait <= Duration::from_millis(256));
        }
        let waits: std::collections::HashSet<Duration> = (0..50).map(|_| backoff(7)).collect();
        assert!(waits.len() > 1, "jittered, not in lockstep");
    }

    #[test]
    fn each_configured_read_preference_becomes_the_drivers_own() {
        use configuration::ReadPreference as Choice;
        assert!(matches!(
            read_preference(Choice::Primary),
            ReadPreference::Primary
        ));
        assert!(matches!(
            read_preference(Choice::PrimaryPreferred),
            ReadPreference::PrimaryPreferred { .. }
        ));
        assert!(matches!(
            read_preference(Choice::SecondaryPreferred),
            ReadPreference::SecondaryPreferred { .. }
        ));
        assert!(matches!(
            read_preference(Choice::Nearest),
            ReadPreference::Nearest { .. }
        ));
    }
}
