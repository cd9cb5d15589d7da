//! Counts every call that reaches the document store.

use std::sync::Arc;

use async_trait::async_trait;
use time::OffsetDateTime;

use super::{DocumentStore, ForkCount, StoreError, VisitCount};
use crate::domain::{
    ApiToken, AuthorSummary, EditOutcome, ForkSummary, PageRequest, Paste, PasteEdit, PasteId,
    PasteSummary, Revision, RevisionLine, Search, TokenId, User, UserId, Username,
};
use crate::metrics::Metrics;

/// Wraps a backend and counts each operation in
/// `pastebin_store_operations_total{op}`, so a test or an operator can see
/// exactly which requests reach the store.
pub(crate) struct MeteredStore {
    inner: Arc<dyn DocumentStore>,
    metrics: Arc<Metrics>,
}

impl MeteredStore {
    /// Wraps `inner`.
    pub(crate) fn new(inner: Arc<dyn DocumentStore>, metrics: Arc<Metrics>) -> Self {
        Self { inner, metrics }
    }
}

#[async_trait]
impl DocumentStore for MeteredStore {
    fn backend(&self) -> &'static str {
        self.inner.backend()
    }

    async fn insert_paste(&self, paste: &Paste) -> Result<(), StoreError> {
        self.metrics.store_op("insert_paste");
        self.inner.insert_paste(paste).await
    }

    async fn find_paste(
        &self,
        id: &PasteId,
        now: OffsetDateTime,
    ) -> Result<Option<Paste>, StoreError> {
        self.metrics.store_op("find_paste");
        self.inner.find_paste(id, now).await
    }

    async fn take_paste(
        &self,
        id: &PasteId,
        now: OffsetDateTime,
    ) -> Result<Option<Paste>, StoreError> {
        self.metrics.store_op("take_paste");
        self.inner.take_paste(id, now).await
    }

    async fn edit_paste(
        &self,
        edit: &PasteEdit,
        now: OffsetDateTime,
    ) -> Result<EditOutcome, StoreError> {
        self.metrics.store_op("edit_paste");
        self.inner.edit_paste(edit, now).await
    }

    async fn paste_revisions(&self, id: &PasteId) -> Result<Vec<RevisionLine>, StoreError> {
        self.metrics.store_op("paste_revisions");
        self.inner.paste_revisions(id).await
    }

    async fn find_revision(
        &self,
        id: &PasteId,
        number: u64,
    ) -> Result<Option<Revision>, StoreError> {
        self.metrics.store_op("find_revision");
        self.inner.find_revision(id, number).await
    }

    async fn delete_paste(&self, id: &PasteId) -> Result<bool, StoreError> {
        self.metrics.store_op("delete_paste");
        self.inner.delete_paste(id).await
    }

    async fn add_visits(&self, batch: &str, visits: &[VisitCount]) -> Result<bool, StoreError> {
        self.metrics.store_op("add_visits");
        self.inner.add_visits(batch, visits).await
    }

    async fn purge_expired(&self, now: OffsetDateTime) -> Result<Vec<PasteId>, StoreError> {
        self.metrics.store_op("purge_expired");
        self.inner.purge_expired(now).await
    }

    async fn insert_user(&self, user: &User) -> Result<(), StoreError> {
        self.metrics.store_op("insert_user");
        self.inner.insert_user(user).await
    }

    async fn find_user(&self, username: &Username) -> Result<Option<User>, StoreError> {
        self.metrics.store_op("find_user");
        self.inner.find_user(username).await
    }

    async fn author_pastes(
        &self,
        author_id: &UserId,
        page: &PageRequest,
        now: OffsetDateTime,
    ) -> Result<Vec<PasteSummary>, StoreError> {
        self.metrics.store_op("author_pastes");
        self.inner.author_pastes(author_id, page, now).await
    }

    async fn author_search(
        &self,
        author_id: &UserId,
        search: &Search,
        page: &PageRequest,
        now: OffsetDateTime,
    ) -> Result<Vec<PasteSummary>, StoreError> {
        self.metrics.store_op("author_pastes");
        self.inner.author_search(author_id, search, page, now).await
    }

    async fn public_pastes(
        &self,
        search: &Search,
        page: &PageRequest,
        now: OffsetDateTime,
    ) -> Result<Vec<PasteSummary>, StoreError> {
        self.metrics.store_op("public_pastes");
        self.inner.public_pastes(search, page, now).await
    }

    async fn claim_paste(
        &self,
        id: &PasteId,
        author: &AuthorSummary,
        now: OffsetDateTime,
    ) -> Result<bool, StoreError> {
        self.metrics.store_op("claim_paste");
        self.inner.claim_paste(id, author, now).await
    }

    async fn paste_forks(
        &self,
        original: &PasteId,
        viewer: Option<&UserId>,
        page: &PageRequest,
        now: OffsetDateTime,
    ) -> Result<Vec<ForkSummary>, StoreError> {
        self.metrics.store_op("paste_forks");
        self.inner.paste_forks(original, viewer, page, now).await
    }

    async fn recount_forks(
        &self,
        original: &PasteId,
        now: OffsetDateTime,
    ) -> Result<Option<ForkCount>, StoreError> {
        self.metrics.store_op("recount_forks");
        self.inner.recount_forks(original, now).await
    }

    async fn orphan_forks(&self, original: &PasteId) -> Result<Vec<PasteId>, StoreError> {
        self.metrics.store_op("orphan_forks");
        self.inner.orphan_forks(original).await
    }

    async fn insert_token(&self, token: &ApiToken) -> Result<(), StoreError> {
        self.metrics.store_op("insert_token");
        self.inner.insert_token(token).await
    }

    async fn find_token(&self, id: &TokenId) -> Result<Option<ApiToken>, StoreError> {
        self.metrics.store_op("find_token");
        self.inner.find_token(id).await
    }

    async fn user_tokens(&self, user: &UserId) -> Result<Vec<ApiToken>, StoreError> {
        self.metrics.store_op("user_tokens");
        self.inner.user_tokens(user).await
    }

    async fn delete_token(&self, user: &UserId, id: &TokenId) -> Result<bool, StoreError> {
        self.metrics.store_op("delete_token");
        self.inner.delete_token(user, id).await
    }

    async fn ping(&self) -> Result<(), StoreError> {
        self.metrics.store_op("ping");
        self.inner.ping().await
    }

    fn indexes_missing(&self) -> Option<String> {
        self.inner.indexes_missing()
    }
}
