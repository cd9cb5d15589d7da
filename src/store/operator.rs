//! The operator's records seam: takedowns, disabled accounts, reports, the
//! audit log, and the listing of recent pastes `pastebin admin recent`
//! reads. Kept apart from `DocumentStore` (the paths every request takes)
//! because only the admin tools, the report form and the few reads that
//! must tell "removed" from "missing" use it. Both backends implement it
//! over the same documents (`document::operator`).
//!
//! A removal is kept for good: the id it names is never handed out again
//! (each backend's `insert_paste` refuses it as a `Conflict`, so a new id is
//! drawn), and reads of it answer 410.

use async_trait::async_trait;

use super::StoreError;
use crate::domain::{
    AuditEntry, DisabledAccount, PasteId, RecentFilter, RecentPaste, Removal, Report, ReportId,
    Resolution, UserId,
};

/// Where the operator's records live. Implemented by the embedded store and
/// by MongoDB.
#[async_trait]
pub trait OperatorStore: Send + Sync + 'static {
    /// Keeps `removal` (replacing an earlier one of the same paste). Done
    /// before the paste's document is deleted: from then on its id is
    /// never reused.
    async fn record_removal(&self, removal: &Removal) -> Result<(), StoreError>;

    /// The removal of `id`, if it was taken down.
    async fn find_removal(&self, id: &PasteId) -> Result<Option<Removal>, StoreError>;

    /// Marks an account disabled (`Some`) or enabled again (`None`).
    async fn set_disabled(
        &self,
        user: &UserId,
        disabled: Option<&DisabledAccount>,
    ) -> Result<(), StoreError>;

    /// The record of `user`'s account if it is disabled.
    async fn find_disabled(&self, user: &UserId) -> Result<Option<DisabledAccount>, StoreError>;

    /// Stores a new report; `Conflict` when its id is taken.
    async fn insert_report(&self, report: &Report) -> Result<(), StoreError>;

    /// Reports, newest first: the open ones only, or all; at most `limit`.
    async fn reports(&self, open_only: bool, limit: usize) -> Result<Vec<Report>, StoreError>;

    /// Closes an open report; false when there is no such open report.
    async fn resolve_report(
        &self,
        id: &ReportId,
        resolution: &Resolution,
    ) -> Result<bool, StoreError>;

    /// Appends an entry to the audit log (entries are never changed).
    async fn append_audit(&self, entry: &AuditEntry) -> Result<(), StoreError>;

    /// The audit log, newest first, at most `limit` entries.
    async fn audit_log(&self, limit: usize) -> Result<Vec<AuditEntry>, StoreError>;

    /// Pastes still stored (expired or not), newest first, that `filter`
    /// names; at most `limit`. Runs on an index for each filter.
    async fn recent_pastes(
        &self,
        filter: &RecentFilter,
        limit: usize,
    ) -> Result<Vec<RecentPaste>, StoreError>;
}
