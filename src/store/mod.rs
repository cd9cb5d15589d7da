//! The document store seam.
//!
//! Operations are shaped by the use cases (an atomic take for burn-after-read, a
//! batch of visit counts), never a generic query API, so each backend can do each
//! one in a single atomic step. Documents have the same BSON shape in every
//! backend (`document`), so data can move between them.
//!
//! Expiry is enforced here on every read: an expired paste is absent at once,
//! whether or not a sweep has purged it yet.

pub(crate) mod document;
pub mod embedded;
pub(crate) mod metered;
pub(crate) mod metered_operator;
pub mod mongo;
pub mod operator;

pub use operator::OperatorStore;

use async_trait::async_trait;
use time::OffsetDateTime;

use crate::domain::{
    ApiToken, AuthorSummary, EditOutcome, ForkSummary, Month, PageRequest, Paste, PasteEdit,
    PasteId, PasteSummary, Revision, RevisionLine, Search, TokenId, User, UserId, Username,
};

/// The cause of a store error, kept whole (its own `source` chain too): a
/// driver's error, or what the backend itself found wrong.
pub type Cause = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Why the store could not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The id is taken (the caller draws another).
    #[error("a document with this id exists")]
    Conflict,
    /// The backend cannot be reached or refused to work: a 503, retried later.
    #[error("the document store is unavailable: {0}")]
    Unavailable(#[source] Cause),
    /// A stored document does not decode: a bug or tampering, never a panic.
    #[error("a stored document is corrupt: {0}")]
    Corrupt(#[source] Cause),
    /// An index this release needs clashes with one already in the database
    /// (same keys or name, other options): an operator must drop the old one.
    #[error(
        "index {index:?} of collection {collection:?} conflicts with an index already there \
         ({why}; the server said: {said}). Drop the existing index MongoDB names \
         (in mongosh: db.{collection}.dropIndex(\"<its name>\"); it may be {index:?} itself), \
         then run `pastebin migrate` again: it creates {index:?} as this release needs it"
    )]
    IndexConflict {
        /// The collection.
        collection: &'static str,
        /// The index this release creates.
        index: String,
        /// What kind of clash, from the server's code.
        why: &'static str,
        /// The server's own message (it names the index already there).
        said: String,
    },
}

/// A cause, and what the store was doing when it happened.
#[derive(Debug, thiserror::Error)]
#[error("{doing}: {cause}")]
pub struct While {
    doing: String,
    #[source]
    cause: Cause,
}

impl While {
    /// `cause`, met while `doing`.
    pub(crate) fn doing(doing: impl Into<String>, cause: impl Into<Cause>) -> Self {
        Self {
            doing: doing.into(),
            cause: cause.into(),
        }
    }
}

impl StoreError {
    /// Unavailable, because of `cause`.
    pub(crate) fn unavailable(cause: impl Into<Cause>) -> Self {
        Self::Unavailable(cause.into())
    }

    /// Corrupt, because of `cause`.
    pub(crate) fn corrupt(cause: impl Into<Cause>) -> Self {
        Self::Corrupt(cause.into())
    }
}

/// Visits to add to one paste's statistics for one month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VisitCount {
    /// The paste.
    pub id: PasteId,
    /// The month.
    pub month: Month,
    /// How many visits.
    pub count: u64,
}

/// What a recount of a paste's forks found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ForkCount {
    /// Live forks now stored.
    pub count: u64,
    /// True when the stored counter was something else (and is now this).
    pub changed: bool,
}

/// Where documents live. Implemented by the embedded store and by MongoDB.
#[async_trait]
pub trait DocumentStore: Send + Sync + 'static {
    /// A short name for logs and `/readyz` (`embedded`, `mongodb`).
    fn backend(&self) -> &'static str;

    /// Stores a new paste; `Conflict` when its id is taken. Durable once it
    /// returns. An authored paste raises its stored author's `pastes_created`
    /// in the same atomic step (never counted twice, never counted without
    /// being stored); an author with no user document is not counted.
    async fn insert_paste(&self, paste: &Paste) -> Result<(), StoreError>;

    /// The paste, unless it is missing or expired at `now`.
    async fn find_paste(
        &self,
        id: &PasteId,
        now: OffsetDateTime,
    ) -> Result<Option<Paste>, StoreError>;

    /// Spends one view of the paste in one atomic step and returns it as it
    /// was before (its `views_spent` not counting this view). The view that
    /// completes its limit (`max_views`, else one: burn-after-read, or a
    /// paste taken whole) removes it: of many concurrent callers, exactly as
    /// many as it had views left get it. Missing or expired gives `None`.
    async fn take_paste(
        &self,
        id: &PasteId,
        now: OffsetDateTime,
    ) -> Result<Option<Paste>, StoreError>;

    /// Deletes the paste (and its earlier revisions); false when there was none.
    async fn delete_paste(&self, id: &PasteId) -> Result<bool, StoreError>;

    /// Applies an edit to a live paste, if it is still at the edit's base
    /// revision: in one atomic step, the revision it replaces is stored
    /// apart, the paste document becomes the new revision, and revisions
    /// past `edit.keep` are dropped. A paste at another revision is `Stale`
    /// and unchanged, unless it is what this very edit made (a retry whose
    /// first answer was lost): then `Edited`, and nothing is written twice.
    async fn edit_paste(
        &self,
        edit: &PasteEdit,
        now: OffsetDateTime,
    ) -> Result<EditOutcome, StoreError>;

    /// The earlier revisions kept of a paste, oldest first, without their text.
    async fn paste_revisions(&self, id: &PasteId) -> Result<Vec<RevisionLine>, StoreError>;

    /// One earlier revision of a paste (the latest is the paste itself).
    async fn find_revision(
        &self,
        id: &PasteId,
        number: u64,
    ) -> Result<Option<Revision>, StoreError>;

    /// Adds visits to the statistics of each paste still present, once per
    /// `batch`: false (and nothing changed) when that batch was applied before.
    async fn add_visits(&self, batch: &str, visits: &[VisitCount]) -> Result<bool, StoreError>;

    /// Deletes every paste expired at `now`, with its revisions (and forgets visit batches older
    /// than a week); returns the ids of the pastes.
    async fn purge_expired(&self, now: OffsetDateTime) -> Result<Vec<PasteId>, StoreError>;

    /// Stores a new user; `Conflict` when the id or the username is taken
    /// (usernames are unique across the fleet, enforced by the store).
    async fn insert_user(&self, user: &User) -> Result<(), StoreError>;

    /// The user with this name, if any.
    async fn find_user(&self, username: &Username) -> Result<Option<User>, StoreError>;

    /// A page of an author's pastes still live at `now`, newest first (by
    /// creation time, then id), strictly after `page.after`. The caller joins
    /// this with the user in Rust: a user page is two indexed queries.
    async fn author_pastes(
        &self,
        author_id: &UserId,
        page: &PageRequest,
        now: OffsetDateTime,
    ) -> Result<Vec<PasteSummary>, StoreError>;

    /// `author_pastes`, keeping only the pastes that match `search` (the
    /// owner's search of their own page): the same index range on the
    /// author, its lines filtered.
    async fn author_search(
        &self,
        author_id: &UserId,
        search: &Search,
        page: &PageRequest,
        now: OffsetDateTime,
    ) -> Result<Vec<PasteSummary>, StoreError>;

    /// A page of the public archive: listed pastes (`Paste::is_listed`)
    /// still live at `now` that match `search`, newest first (by creation
    /// time, then id), strictly after `page.after` (`page.public_only` is
    /// not read: the archive is public). Runs on the archive's indexes: no
    /// backend scans every paste for it.
    async fn public_pastes(
        &self,
        search: &Search,
        page: &PageRequest,
        now: OffsetDateTime,
    ) -> Result<Vec<PasteSummary>, StoreError>;

    /// Makes a live anonymous paste `author`'s, raising their
    /// `pastes_created` in the same atomic step; false (nothing changed) when
    /// the paste is missing, expired, or has an author already.
    async fn claim_paste(
        &self,
        id: &PasteId,
        author: &AuthorSummary,
        now: OffsetDateTime,
    ) -> Result<bool, StoreError>;

    /// A page of the live forks of `original` that `viewer` may see listed
    /// (public ones, and the viewer's own), newest first (by creation time,
    /// then id), strictly after `page.after` (`page.public_only` is not
    /// read: the viewer decides). Runs on an index of `forked_from`.
    async fn paste_forks(
        &self,
        original: &PasteId,
        viewer: Option<&UserId>,
        page: &PageRequest,
        now: OffsetDateTime,
    ) -> Result<Vec<ForkSummary>, StoreError>;

    /// Counts the live forks of `original` and stores the count in its
    /// `fork_count`; `None` when `original` is gone. Idempotent (a recount,
    /// never an increment): however often a job runs it, the counter ends
    /// at the number of forks stored when the last run finished.
    async fn recount_forks(
        &self,
        original: &PasteId,
        now: OffsetDateTime,
    ) -> Result<Option<ForkCount>, StoreError>;

    /// Marks every fork of `original` as forked from a paste that is gone
    /// (set once); returns the forks it changed (their cached views are
    /// refreshed by the caller).
    async fn orphan_forks(&self, original: &PasteId) -> Result<Vec<PasteId>, StoreError>;

    /// Stores a new API token; `Conflict` when its id is taken.
    async fn insert_token(&self, token: &ApiToken) -> Result<(), StoreError>;

    /// The API token with this id, if any (one indexed read per API request
    /// that carries one).
    async fn find_token(&self, id: &TokenId) -> Result<Option<ApiToken>, StoreError>;

    /// A user's API tokens, oldest first.
    async fn user_tokens(&self, user: &UserId) -> Result<Vec<ApiToken>, StoreError>;

    /// Deletes one of `user`'s tokens; false when `user` has no such token
    /// (another user's token is never touched).
    async fn delete_token(&self, user: &UserId, id: &TokenId) -> Result<bool, StoreError>;

    /// Checks the backend answers, for `/readyz`.
    async fn ping(&self) -> Result<(), StoreError>;

    /// Why the store's indexes are not all in place, while they are not (a
    /// process that started while MongoDB was down keeps creating them in
    /// the background): `/readyz` says so. `None` once they are.
    fn indexes_missing(&self) -> Option<String>;
}
