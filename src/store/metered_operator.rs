//! Counts every call that reaches the operator's records, as `metered` does
//! for the document store: `pastebin_store_operations_total{op}` covers
//! every call to the store, these included (a read that misses asks
//! `find_removal`).

use std::sync::Arc;

use async_trait::async_trait;

use super::{OperatorStore, StoreError};
use crate::domain::{
    AuditEntry, DisabledAccount, PasteId, RecentFilter, RecentPaste, Removal, Report, ReportId,
    Resolution, UserId,
};
use crate::metrics::Metrics;

/// Wraps an operator store and counts each operation.
pub(crate) struct MeteredOperator {
    inner: Arc<dyn OperatorStore>,
    metrics: Arc<Metrics>,
}

impl MeteredOperator {
    /// Wraps `inner`.
    pub(crate) fn new(inner: Arc<dyn OperatorStore>, metrics: Arc<Metrics>) -> Self {
        Self { inner, metrics }
    }
}

#[async_trait]
impl OperatorStore for MeteredOperator {
    async fn record_removal(&self, removal: &Removal) -> Result<(), StoreError> {
        self.metrics.store_op("record_removal");
        self.inner.record_removal(removal).await
    }

    async fn find_removal(&self, id: &PasteId) -> Result<Option<Removal>, StoreError> {
        self.metrics.store_op("find_removal");
        self.inner.find_removal(id).await
    }

    async fn set_disabled(
        &self,
        user: &UserId,
        disabled: Option<&DisabledAccount>,
    ) -> Result<(), StoreError> {
        self.metrics.store_op("set_disabled");
        self.inner.set_disabled(user, disabled).await
    }

    async fn find_disabled(&self, user: &UserId) -> Result<Option<DisabledAccount>, StoreError> {
        self.metrics.store_op("find_disabled");
        self.inner.find_disabled(user).await
    }

    async fn insert_report(&self, report: &Report) -> Result<(), StoreError> {
        self.metrics.store_op("insert_report");
        self.inner.insert_report(report).await
    }

    async fn reports(&self, open_only: bool, limit: usize) -> Result<Vec<Report>, StoreError> {
        self.metrics.store_op("reports");
        self.inner.reports(open_only, limit).await
    }

    async fn resolve_report(
        &self,
        id: &ReportId,
        resolution: &Resolution,
    ) -> Result<bool, StoreError> {
        self.metrics.store_op("resolve_report");
        self.inner.resolve_report(id, resolution).await
    }

    async fn append_audit(&self, entry: &AuditEntry) -> Result<(), StoreError> {
        self.metrics.store_op("append_audit");
        self.inner.append_audit(entry).await
    }

    async fn audit_log(&self, limit: usize) -> Result<Vec<AuditEntry>, StoreError> {
        self.metrics.store_op("audit_log");
        self.inner.audit_log(limit).await
    }

    async fn recent_pastes(
        &self,
        filter: &RecentFilter,
        limit: usize,
    ) -> Result<Vec<RecentPaste>, StoreError> {
        self.metrics.store_op("recent_pastes");
        self.inner.recent_pastes(filter, limit).await
    }
}
