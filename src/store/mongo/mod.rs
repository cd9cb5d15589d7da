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
//!
//! Every time limit is the driver's (so the driver's futures always run to
//! completion and its connection pool stays sound): server selection and
//! connection on the client, `maxTimeMS` (`mongodb.operation_timeout_ms`) on
//! every read and find-and-modify, `wtimeout` on every majority write,
//! `maxCommitTimeMS` on transactions. The Rust driver has no socket timeout
//! (`socketTimeoutMS` is not supported), so a server that accepts a command
//! and then never answers is bounded by the request's own deadline above
//! this layer, not here.

mod archive;
mod error;
mod filters;
mod forks;
pub(crate) mod indexes;
mod maintenance;
mod operator;
mod revisions;
mod transaction;

use std::future::IntoFuture;
use std::time::Duration;

use async_trait::async_trait;
use futures_util::TryStreamExt;
use mongodb::bson::{Document, doc};
use mongodb::options::{
    ClientOptions, CollectionOptions, ReadPreference, SelectionCriteria, WriteConcern,
};
use mongodb::{Client, Collection, Database};
use time::OffsetDateTime;

use self::filters::{author_page, live, spend_view};
use super::document::{PasteDocument, SummaryDocument, TokenDocument, UserDocument};
use super::{DocumentStore, ForkCount, StoreError, VisitCount};
use crate::configuration::{self, MongoSettings};
use crate::domain::{
    ApiToken, AuthorSummary, EditOutcome, ForkSummary, PageRequest, Paste, PasteEdit, PasteId,
    PasteSummary, Revision, RevisionLine, Search, TokenId, User, UserId, Username,
};

/// Collection of paste documents.
pub(crate) const PASTES: &str = "pastes";
/// Collection of applied visit batches (`_id`: the batch id).
pub(crate) const BATCHES: &str = "visit_batches";
/// Collection of API token documents.
pub(crate) const TOKENS: &str = "api_tokens";
/// Collection of user documents.
pub(crate) const USERS: &str = "users";
/// Collection of earlier revisions of edited pastes.
pub(crate) const REVISIONS: &str = "revisions";
/// Collection of takedowns (`_id`: the paste id), kept for good.
pub(crate) const REMOVALS: &str = "removals";
/// Collection of disabled accounts (`_id`: the user id).
pub(crate) const DISABLED: &str = "disabled_accounts";
/// Collection of readers' reports.
pub(crate) const REPORTS: &str = "reports";
/// Collection of the audit log of admin actions.
pub(crate) const AUDIT: &str = "audit_log";

/// The MongoDB backend.
pub struct MongoStore {
    client: Client,
    db: Database,
    pastes: Collection<PasteDocument>,
    paste_reads: Collection<PasteDocument>,
    summaries: Collection<SummaryDocument>,
    users: Collection<UserDocument>,
    tokens: Collection<TokenDocument>,
    batches: Collection<Document>,
    revisions: Collection<super::document::RevisionDocument>,
    revision_lines: Collection<super::document::RevisionLineDocument>,
    operation_timeout: Duration,
    /// Set once the indexes are known to exist.
    indexes: tokio::sync::OnceCell<()>,
    /// Why the last attempt to create them failed, for `/readyz`.
    index_error: std::sync::Mutex<Option<String>>,
}

/// First and longest pause between two attempts at creating the indexes.
const INDEX_RETRY: (Duration, Duration) = (Duration::from_secs(1), Duration::from_secs(30));

/// The client's options: the URI's, with this service's name and time
/// limits. A majority that does not confirm within the operation timeout is
/// an error, not a hang (the write may still land: the caller retries with a
/// new id, and nothing acknowledged is lost).
async fn client_options(settings: &MongoSettings) -> Result<ClientOptions, StoreError> {
    let uri = settings.uri.as_ref().map_or("", |uri| uri.as_str());
    let mut options = ClientOptions::parse(uri).await?;
    options.app_name = Some("pastebin".to_owned());
    options.server_selection_timeout = Some(settings.server_selection_timeout_ms.duration());
    options.connect_timeout = Some(settings.connect_timeout_ms.duration());
    options.write_concern = Some(
        WriteConcern::builder()
            .w(mongodb::options::Acknowledgment::Majority)
            .w_timeout(settings.operation_timeout_ms.duration())
            .build(),
    );
    Ok(options)
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

impl MongoStore {
    /// Builds the process's one client. Nothing is sent yet: a clone starts
    /// while MongoDB is down and answers 503 until it is back.
    pub async fn connect(settings: &MongoSettings) -> Result<Self, StoreError> {
        let operation_timeout = settings.operation_timeout_ms.duration();
        let client = Client::with_options(client_options(settings).await?)?;
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
            tokens: db.collection(TOKENS),
            batches: db.collection(BATCHES),
            revisions: db.collection(REVISIONS),
            revision_lines: db.collection(REVISIONS),
            paste_reads,
            client,
            db,
            operation_timeout,
            indexes: tokio::sync::OnceCell::new(),
            index_error: std::sync::Mutex::new(None),
        })
    }

    /// Runs one store operation (a driver action or a block of them) to its
    /// end, its driver error mapped. Bounded by the driver's own limits (see
    /// the module doc), never by dropping its future.
    async fn bounded<T, E>(
        &self,
        work: impl IntoFuture<Output = Result<T, E>>,
    ) -> Result<T, StoreError>
    where
        StoreError: From<E>,
    {
        work.into_future().await.map_err(StoreError::from)
    }

    /// `mongodb.operation_timeout_ms` as a command's `maxTimeMS`.
    fn max_time_ms(&self) -> i64 {
        i64::try_from(self.operation_timeout.as_millis()).unwrap_or(i64::MAX)
    }

    /// Creates the indexes (idempotent).
    pub async fn migrate(&self) -> Result<(), StoreError> {
        self.ensure_indexes().await
    }

    /// The database (tests drop theirs when done).
    pub fn database(&self) -> &Database {
        &self.db
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
            None => self.bounded(self.pastes.insert_one(&doc)).await.map(drop)?,
            Some(author) => {
                self.bounded(self.transaction(|| self.insert_authored(&doc, &author.id)))
                    .await?
            }
        }
        self.refuse_removed_id(paste).await
    }

    async fn find_paste(
        &self,
        id: &PasteId,
        now: OffsetDateTime,
    ) -> Result<Option<Paste>, StoreError> {
        let found = self
            .bounded(
                self.paste_reads
                    .find_one(live(id, now))
                    .max_time(self.operation_timeout),
            )
            .await?;
        found.map(Paste::try_from).transpose()
    }

    async fn take_paste(
        &self,
        id: &PasteId,
        now: OffsetDateTime,
    ) -> Result<Option<Paste>, StoreError> {
        // A view that leaves some of a `max_views` limit raises the count;
        // when none matches, the paste is at its last view (or has no
        // limit, or is gone), and only its deletion can still spend it:
        // exactly one caller's.
        let spent = self
            .bounded(
                self.pastes
                    .find_one_and_update(spend_view(id, now), doc! { "$inc": { "views_spent": 1 } })
                    .return_document(mongodb::options::ReturnDocument::Before)
                    .max_time(self.operation_timeout),
            )
            .await?;
        if let Some(spent) = spent {
            return Paste::try_from(spent).map(Some);
        }
        let taken = self
            .bounded(
                self.pastes
                    .find_one_and_delete(live(id, now))
                    .max_time(self.operation_timeout),
            )
            .await?;
        taken.map(Paste::try_from).transpose()
    }

    async fn delete_paste(&self, id: &PasteId) -> Result<bool, StoreError> {
        // Its history first: a crash between leaves a paste without its
        // earlier revisions, never revisions without their paste.
        self.drop_revisions(&[id.as_str()]).await?;
        let deleted = self
            .bounded(self.pastes.delete_one(doc! { "_id": id.as_str() }))
            .await?;
        Ok(deleted.deleted_count > 0)
    }

    async fn edit_paste(
        &self,
        edit: &PasteEdit,
        now: OffsetDateTime,
    ) -> Result<EditOutcome, StoreError> {
        self.bounded(self.transaction(|| self.edit_once(edit, now)))
            .await?
    }

    async fn paste_revisions(&self, id: &PasteId) -> Result<Vec<RevisionLine>, StoreError> {
        self.revision_lines(id).await
    }

    async fn find_revision(
        &self,
        id: &PasteId,
        number: u64,
    ) -> Result<Option<Revision>, StoreError> {
        self.revision(id, number).await
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
            .bounded(
                self.users
                    .find_one(doc! { "username": username.as_str() })
                    .max_time(self.operation_timeout),
            )
            .await?;
        found.map(User::try_from).transpose()
    }

    async fn author_pastes(
        &self,
        author_id: &UserId,
        page: &PageRequest,
        now: OffsetDateTime,
    ) -> Result<Vec<PasteSummary>, StoreError> {
        self.summary_page(author_page(author_id, page, now), page, None)
            .await
    }

    async fn author_search(
        &self,
        author_id: &UserId,
        search: &Search,
        page: &PageRequest,
        now: OffsetDateTime,
    ) -> Result<Vec<PasteSummary>, StoreError> {
        let mut filter = author_page(author_id, page, now);
        archive::narrow(&mut filter, search);
        self.summary_page(filter, page, None).await
    }

    async fn public_pastes(
        &self,
        search: &Search,
        page: &PageRequest,
        now: OffsetDateTime,
    ) -> Result<Vec<PasteSummary>, StoreError> {
        self.archive(search, page, now).await
    }

    async fn claim_paste(
        &self,
        id: &PasteId,
        author: &AuthorSummary,
        now: OffsetDateTime,
    ) -> Result<bool, StoreError> {
        let mut filter = live(id, now);
        filter.insert("author", mongodb::bson::Bson::Null);
        self.bounded(self.transaction(|| self.claim_authored(&filter, author)))
            .await
    }

    async fn paste_forks(
        &self,
        original: &PasteId,
        viewer: Option<&UserId>,
        page: &PageRequest,
        now: OffsetDateTime,
    ) -> Result<Vec<ForkSummary>, StoreError> {
        self.forks_of(original, viewer, page, now).await
    }

    async fn recount_forks(
        &self,
        original: &PasteId,
        now: OffsetDateTime,
    ) -> Result<Option<ForkCount>, StoreError> {
        self.recount(original, now).await
    }

    async fn orphan_forks(&self, original: &PasteId) -> Result<Vec<PasteId>, StoreError> {
        self.orphan(original).await
    }

    async fn insert_token(&self, token: &ApiToken) -> Result<(), StoreError> {
        self.bounded(self.tokens.insert_one(TokenDocument::from(token)))
            .await
            .map(drop)
    }

    async fn find_token(&self, id: &TokenId) -> Result<Option<ApiToken>, StoreError> {
        let found = self
            .bounded(
                self.tokens
                    .find_one(doc! { "_id": id.as_str() })
                    .max_time(self.operation_timeout),
            )
            .await?;
        found.map(ApiToken::try_from).transpose()
    }

    async fn user_tokens(&self, user: &UserId) -> Result<Vec<ApiToken>, StoreError> {
        let docs: Vec<TokenDocument> = self
            .bounded(async {
                self.tokens
                    .find(doc! { "user_id": user.as_str() })
                    .sort(doc! { "created_at": 1, "_id": 1 })
                    .max_time(self.operation_timeout)
                    .await?
                    .try_collect()
                    .await
            })
            .await?;
        docs.into_iter().map(ApiToken::try_from).collect()
    }

    async fn delete_token(&self, user: &UserId, id: &TokenId) -> Result<bool, StoreError> {
        let result = self
            .bounded(
                self.tokens
                    .delete_one(doc! { "_id": id.as_str(), "user_id": user.as_str() }),
            )
            .await?;
        Ok(result.deleted_count > 0)
    }

    async fn ping(&self) -> Result<(), StoreError> {
        self.bounded(
            self.db
                .run_command(doc! { "ping": 1, "maxTimeMS": self.max_time_ms() }),
        )
        .await
        .map(drop)
    }

    fn indexes_missing(&self) -> Option<String> {
        if self.indexes.initialized() {
            return None;
        }
        let last = self.index_error.lock().map(|e| e.clone()).unwrap_or(None);
        Some(last.map_or_else(
            || "indexes missing: not created yet".to_owned(),
            |e| format!("indexes missing: {e}"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[tokio::test]
    async fn the_time_limits_are_set_on_the_driver() {
        let mut settings = crate::configuration::Settings::defaults()
            .expect("defaults load")
            .mongodb;
        settings.uri = Some(
            configuration::MongoUri::parse("mongodb://127.0.0.1:1/?appName=other").expect("a URI"),
        );
        let options = client_options(&settings).await.expect("options");
        assert_eq!(
            options.server_selection_timeout,
            Some(settings.server_selection_timeout_ms.duration())
        );
        assert_eq!(
            options.connect_timeout,
            Some(settings.connect_timeout_ms.duration())
        );
        let concern = options.write_concern.expect("a write concern");
        assert_eq!(concern.w, Some(mongodb::options::Acknowledgment::Majority));
        assert_eq!(
            concern.w_timeout,
            Some(settings.operation_timeout_ms.duration())
        );
        assert_eq!(options.app_name.as_deref(), Some("pastebin"));
    }
}
