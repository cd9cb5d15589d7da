//! The operator's records in MongoDB (`store::operator`): one collection
//! each (`removals`, `disabled_accounts`, `reports`, `audit_log`), with the
//! indexes of `indexes`. Writes are majority-acknowledged like the rest.

use async_trait::async_trait;
use futures_util::TryStreamExt;
use mongodb::bson::{Document, doc};
use mongodb::options::FindOptions;

use super::{AUDIT, DISABLED, MongoStore, REMOVALS, REPORTS};
use crate::domain::{
    AuditEntry, DisabledAccount, Paste, PasteId, RecentFilter, RecentPaste, Removal, Report,
    ReportId, Resolution, UserId,
};
use crate::store::document::{
    AuditDocument, DisabledDocument, RecentDocument, RemovalDocument, ReportDocument,
    ResolutionDocument,
};
use crate::store::{OperatorStore, StoreError};

/// Most documents `admin recent` reads.
const MAX_RECENT: usize = 1000;

fn as_i64(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

impl MongoStore {
    /// After a paste was inserted: if its id was taken down meanwhile (a
    /// removal is recorded before the document it names is deleted, so one
    /// of the two writers sees the other's), the new paste is taken back
    /// and the id is a conflict: the caller draws another.
    pub(super) async fn refuse_removed_id(&self, paste: &Paste) -> Result<(), StoreError> {
        if self.find_removal(paste.id()).await?.is_none() {
            return Ok(());
        }
        self.bounded(
            self.pastes
                .delete_one(doc! { "_id": paste.id().as_str(), "delete_token_sha256": paste.fields.delete_token_hash.to_hex() }),
        )
        .await?;
        Err(StoreError::Conflict)
    }

    async fn docs<D>(
        &self,
        collection: &str,
        filter: Document,
        sort: Document,
        limit: usize,
    ) -> Result<Vec<D>, StoreError>
    where
        D: serde::de::DeserializeOwned + Send + Sync,
    {
        let options = FindOptions::builder()
            .sort(sort)
            .limit(as_i64(limit))
            .max_time(self.operation_timeout)
            .build();
        let cursor = self
            .bounded(
                self.db
                    .collection::<D>(collection)
                    .find(filter)
                    .with_options(options),
            )
            .await?;
        self.bounded(cursor.try_collect::<Vec<D>>()).await
    }
}

#[async_trait]
impl OperatorStore for MongoStore {
    async fn record_removal(&self, removal: &Removal) -> Result<(), StoreError> {
        let doc = RemovalDocument::from(removal);
        self.bounded(
            self.db
                .collection::<RemovalDocument>(REMOVALS)
                .replace_one(doc! { "_id": &doc.id }, &doc)
                .upsert(true),
        )
        .await
        .map(drop)
    }

    async fn find_removal(&self, id: &PasteId) -> Result<Option<Removal>, StoreError> {
        let found = self
            .bounded(
                self.db
                    .collection::<RemovalDocument>(REMOVALS)
                    .find_one(doc! { "_id": id.as_str() })
                    .max_time(self.operation_timeout),
            )
            .await?;
        found.map(Removal::try_from).transpose()
    }

    async fn set_disabled(
        &self,
        user: &UserId,
        disabled: Option<&DisabledAccount>,
    ) -> Result<(), StoreError> {
        let accounts = self.db.collection::<DisabledDocument>(DISABLED);
        let filter = doc! { "_id": user.as_str() };
        match disabled {
            Some(d) => self
                .bounded(
                    accounts
                        .replace_one(filter, DisabledDocument::from(d))
                        .upsert(true),
                )
                .await
                .map(drop),
            None => self.bounded(accounts.delete_one(filter)).await.map(drop),
        }
    }

    async fn find_disabled(&self, user: &UserId) -> Result<Option<DisabledAccount>, StoreError> {
        let found = self
            .bounded(
                self.db
                    .collection::<DisabledDocument>(DISABLED)
                    .find_one(doc! { "_id": user.as_str() })
                    .max_time(self.operation_timeout),
            )
            .await?;
        found.map(DisabledAccount::try_from).transpose()
    }

    async fn insert_report(&self, report: &Report) -> Result<(), StoreError> {
        self.bounded(
            self.db
                .collection::<ReportDocument>(REPORTS)
                .insert_one(ReportDocument::from(report)),
        )
        .await
        .map(drop)
    }

    async fn reports(&self, open_only: bool, limit: usize) -> Result<Vec<Report>, StoreError> {
        let filter = match open_only {
            true => doc! { "resolved": false },
            false => doc! {},
        };
        let docs: Vec<ReportDocument> =
            self.docs(REPORTS, filter, doc! { "at": -1 }, limit).await?;
        docs.into_iter().map(Report::try_from).collect()
    }

    async fn resolve_report(
        &self,
        id: &ReportId,
        resolution: &Resolution,
    ) -> Result<bool, StoreError> {
        let resolution = bson::to_bson(&ResolutionDocument::from(resolution))
            .map_err(|e| StoreError::corrupt(crate::store::While::doing("encoding", e)))?;
        let done = self
            .bounded(self.db.collection::<Document>(REPORTS).update_one(
                doc! { "_id": id.as_str(), "resolved": false },
                doc! { "$set": { "resolved": true, "resolution": resolution } },
            ))
            .await?;
        Ok(done.modified_count == 1)
    }

    async fn append_audit(&self, entry: &AuditEntry) -> Result<(), StoreError> {
        self.bounded(
            self.db
                .collection::<AuditDocument>(AUDIT)
                .insert_one(AuditDocument::new(entry)),
        )
        .await
        .map(drop)
    }

    async fn audit_log(&self, limit: usize) -> Result<Vec<AuditEntry>, StoreError> {
        let docs: Vec<AuditDocument> = self.docs(AUDIT, doc! {}, doc! { "at": -1 }, limit).await?;
        docs.into_iter().map(AuditEntry::try_from).collect()
    }

    async fn recent_pastes(
        &self,
        filter: &RecentFilter,
        limit: usize,
    ) -> Result<Vec<RecentPaste>, StoreError> {
        let filter = match filter {
            RecentFilter::All => doc! {},
            RecentFilter::Address(tag) => doc! { "client": tag },
            RecentFilter::Author(user) => doc! { "author.id": user.as_str() },
        };
        let options = FindOptions::builder()
            .sort(doc! { "created_at": -1 })
            .limit(as_i64(limit.min(MAX_RECENT)))
            .projection(RecentDocument::projection())
            .max_time(self.operation_timeout)
            .build();
        let cursor = self
            .bounded(
                self.db
                    .collection::<RecentDocument>(super::PASTES)
                    .find(filter)
                    .with_options(options),
            )
            .await?;
        let docs: Vec<RecentDocument> = self.bounded(cursor.try_collect::<Vec<_>>()).await?;
        docs.into_iter().map(RecentPaste::try_from).collect()
    }
}
