//! The operator's tools (`pastebin admin`): takedowns, disabling accounts,
//! the recent pastes of a client or a user, readers' reports, and the audit
//! log that records every one of these actions.
//!
//! They act through the same services and backends as the web (the CLI
//! opens them from the same configuration as `serve`), so every clone
//! follows: a takedown marks the paste's cached view in Redis before the
//! store changes, and waits out the near tiers' lag (`fleet_lag`) before it
//! returns; a disabled account's mark in Redis ends its sessions on every
//! clone at their next request, and its tokens are deleted from the store
//! that every clone reads them from. Without Redis there is no fleet: the
//! store changes at once, but a running `serve` keeps what its own
//! in-process cache holds for up to `cache.view_ttl_secs`.
//!
//! Every action is appended to the audit log after it is done: an action
//! whose record could not be written is reported as failed (the command
//! exits non-zero), though what it did stays done.

mod accounts;
mod address;
pub(crate) mod reports;

use std::sync::Arc;
use std::time::Duration;

pub(crate) use accounts::refuses_sessions_of;
pub(crate) use address::AddressTags;
pub(crate) use reports::ReportService;

use super::PasteService;
use crate::cache::Cache;
use crate::clock::Clock;
use crate::domain::{
    AuditEntry, Category, Note, Paste, PasteId, RecentFilter, RecentPaste, Removal, Report,
    Resolution, Username,
};
use crate::error::AppError;
use crate::store::{DocumentStore, OperatorStore};

/// Who acts and why, as the audit log records it.
#[derive(Debug, Clone)]
pub(crate) struct Acting {
    /// The operator (the OS user, or `--operator`).
    pub(crate) operator: String,
    /// Why: a category, for takedowns.
    pub(crate) category: Option<Category>,
    /// Why, in the operator's words.
    pub(crate) note: Option<Note>,
}

impl Acting {
    fn reason(&self) -> Option<String> {
        let note = self.note.as_ref().map(Note::as_str);
        match (self.category, note) {
            (Some(c), Some(n)) => Some(format!("{c}: {n}")),
            (Some(c), None) => Some(c.to_string()),
            (None, Some(n)) => Some(n.to_owned()),
            (None, None) => None,
        }
    }
}

/// What the admin service is built from.
pub(crate) struct AdminParts {
    /// The paste use cases (the takedown is one).
    pub(crate) pastes: Arc<PasteService>,
    /// The document store.
    pub(crate) store: Arc<dyn DocumentStore>,
    /// The operator's records.
    pub(crate) operator: Arc<dyn OperatorStore>,
    /// The cache (Redis in a fleet): disabled accounts' marks.
    pub(crate) cache: Arc<dyn Cache>,
    /// The clock.
    pub(crate) clock: Clock,
    /// How addresses are tagged.
    pub(crate) addresses: AddressTags,
    /// How long a change takes at most to reach every clone's near tier
    /// (`near_cache.max_lag_ms` with Redis and near tiers; else zero).
    pub(crate) fleet_lag: Duration,
    /// The longest a session lives (`session.max_secs`).
    pub(crate) session_max: Duration,
}

/// The operator's use cases.
pub(crate) struct AdminService {
    parts: AdminParts,
}

impl AdminService {
    /// The service over its parts.
    pub(crate) fn new(parts: AdminParts) -> Self {
        Self { parts }
    }

    /// Appends `action` on `target` to the audit log.
    async fn audit(&self, acting: &Acting, action: &str, target: &str) -> Result<(), AppError> {
        let entry = AuditEntry {
            at: self.parts.clock.now_millis(),
            operator: acting.operator.clone(),
            action: action.to_owned(),
            target: target.to_owned(),
            reason: acting.reason(),
        };
        self.parts.operator.append_audit(&entry).await?;
        tracing::info!(operator = %entry.operator, action, target, "admin action");
        Ok(())
    }

    /// Takes a paste down (`admin remove`): once this returns, no clone
    /// serves its content and every route of it answers 410. `Some` with
    /// what was removed; `None` when nothing was stored under the id (it
    /// is marked removed anyway).
    pub(crate) async fn remove(
        &self,
        id: &PasteId,
        acting: &Acting,
    ) -> Result<Option<Paste>, AppError> {
        let removed = self.take_down(id, acting).await?;
        tokio::time::sleep(self.parts.fleet_lag).await;
        self.audit(acting, "remove", id.as_str()).await?;
        Ok(removed)
    }

    async fn take_down(&self, id: &PasteId, acting: &Acting) -> Result<Option<Paste>, AppError> {
        let removal = Removal {
            id: id.clone(),
            category: acting.category.unwrap_or(Category::Other),
            note: acting.note.clone(),
            operator: acting.operator.clone(),
            at: self.parts.clock.now_millis(),
        };
        self.parts.pastes.take_down(&removal).await
    }

    /// The newest pastes `filter` names (`admin recent`).
    pub(crate) async fn recent(
        &self,
        filter: RecentQuery<'_>,
        limit: usize,
    ) -> Result<Vec<RecentPaste>, AppError> {
        let filter = match filter {
            RecentQuery::All => RecentFilter::All,
            RecentQuery::Client(client) => RecentFilter::Address(self.parts.addresses.tag(client)),
            RecentQuery::User(name) => {
                let user = self
                    .parts
                    .store
                    .find_user(name)
                    .await?
                    .ok_or(AppError::NoSuchUser)?;
                RecentFilter::Author(user.id)
            }
        };
        Ok(self.parts.operator.recent_pastes(&filter, limit).await?)
    }

    /// Reports, newest first (`admin reports`): the open ones, or all.
    pub(crate) async fn reports(
        &self,
        open_only: bool,
        limit: usize,
    ) -> Result<Vec<Report>, AppError> {
        Ok(self.parts.operator.reports(open_only, limit).await?)
    }

    /// Closes an open report (`admin reports --resolve ID`); `NotFound`
    /// when there is no such open report.
    pub(crate) async fn resolve(&self, id: &PasteId, acting: &Acting) -> Result<(), AppError> {
        let resolution = Resolution {
            operator: acting.operator.clone(),
            at: self.parts.clock.now_millis(),
            note: acting.note.clone(),
        };
        if !self.parts.operator.resolve_report(id, &resolution).await? {
            return Err(AppError::NotFound);
        }
        self.audit(acting, "report_resolve", id.as_str()).await
    }

    /// The audit log, newest first (`admin audit`).
    pub(crate) async fn audit_log(&self, limit: usize) -> Result<Vec<AuditEntry>, AppError> {
        Ok(self.parts.operator.audit_log(limit).await?)
    }
}

/// Which pastes `recent` lists.
#[derive(Debug, Clone, Copy)]
pub(crate) enum RecentQuery<'a> {
    /// Every paste.
    All,
    /// Those made by one client (the name `Clients` gives an address).
    Client(&'a str),
    /// Those of one user.
    User(&'a Username),
}
