//! The operator's records in the embedded store (`store::operator`).
//!
//! Reads use the pooled read connections. Writes are rare (an admin
//! command, a report) and go through a connection of their own, opened for
//! the write, in a blocking task: SQLite's lock orders them with the
//! writer thread's group commits (`busy_timeout`), and the paste writer's
//! queue is not slowed by them.

use async_trait::async_trait;
use rusqlite::{Connection, OptionalExtension, params};

use super::writer::unavailable;
use super::{EmbeddedStore, millis, schema};
use crate::domain::{
    AuditEntry, DisabledAccount, PasteId, RecentFilter, RecentPaste, Removal, Report, ReportId,
    Resolution, UserId,
};
use crate::store::document::{
    self, AuditDocument, DisabledDocument, RecentDocument, RemovalDocument, ReportDocument,
    ResolutionDocument,
};
use crate::store::{OperatorStore, StoreError};

/// Most rows `admin recent` reads.
const MAX_RECENT: usize = 1000;

impl EmbeddedStore {
    /// Runs `f` on a write connection of its own, in one immediate
    /// transaction, off the async threads.
    async fn write_apart<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let (file, synchronous) = (self.file.clone(), self.synchronous);
        tokio::task::spawn_blocking(move || {
            let conn = Connection::open(&file).map_err(unavailable)?;
            schema::configure(&conn, synchronous).map_err(unavailable)?;
            conn.execute_batch("BEGIN IMMEDIATE").map_err(unavailable)?;
            match f(&conn) {
                Ok(value) => {
                    conn.execute_batch("COMMIT").map_err(unavailable)?;
                    Ok(value)
                }
                Err(e) => {
                    let _ = conn.execute_batch("ROLLBACK");
                    Err(e)
                }
            }
        })
        .await
        .map_err(|e| StoreError::unavailable(format!("a store write did not finish: {e}")))?
    }

    /// Documents of type `D` from `sql` (whose first column is the BSON).
    fn docs<D: serde::de::DeserializeOwned>(
        &self,
        sql: &'static str,
        params: impl rusqlite::Params,
    ) -> Result<Vec<D>, StoreError> {
        let rows: Vec<Vec<u8>> = self.read(|conn| {
            let mut stmt = conn.prepare_cached(sql)?;
            let rows = stmt.query_map(params, |row| row.get(0))?;
            rows.collect()
        })?;
        rows.iter().map(|b| document::from_bytes::<D>(b)).collect()
    }
}

fn as_i64(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

#[async_trait]
impl OperatorStore for EmbeddedStore {
    async fn record_removal(&self, removal: &Removal) -> Result<(), StoreError> {
        let id = removal.id.as_str().to_owned();
        let doc = document::to_bytes(&RemovalDocument::from(removal))?;
        self.write_apart(move |conn| {
            conn.execute(
                "INSERT INTO removals (id, doc) VALUES (?1, ?2)
                 ON CONFLICT (id) DO UPDATE SET doc = excluded.doc",
                params![id, doc],
            )
            .map(drop)
            .map_err(unavailable)
        })
        .await
    }

    async fn find_removal(&self, id: &PasteId) -> Result<Option<Removal>, StoreError> {
        let docs: Vec<RemovalDocument> =
            self.docs("SELECT doc FROM removals WHERE id = ?1", [id.as_str()])?;
        docs.into_iter().next().map(Removal::try_from).transpose()
    }

    async fn set_disabled(
        &self,
        user: &UserId,
        disabled: Option<&DisabledAccount>,
    ) -> Result<(), StoreError> {
        let id = user.as_str().to_owned();
        let doc = disabled
            .map(|d| document::to_bytes(&DisabledDocument::from(d)))
            .transpose()?;
        self.write_apart(move |conn| {
            match doc {
                Some(doc) => conn.execute(
                    "INSERT INTO disabled_accounts (user_id, doc) VALUES (?1, ?2)
                     ON CONFLICT (user_id) DO UPDATE SET doc = excluded.doc",
                    params![id, doc],
                ),
                None => conn.execute("DELETE FROM disabled_accounts WHERE user_id = ?1", [id]),
            }
            .map(drop)
            .map_err(unavailable)
        })
        .await
    }

    async fn find_disabled(&self, user: &UserId) -> Result<Option<DisabledAccount>, StoreError> {
        let docs: Vec<DisabledDocument> = self.docs(
            "SELECT doc FROM disabled_accounts WHERE user_id = ?1",
            [user.as_str()],
        )?;
        docs.into_iter()
            .next()
            .map(DisabledAccount::try_from)
            .transpose()
    }

    async fn insert_report(&self, report: &Report) -> Result<(), StoreError> {
        let (id, at) = (report.id.as_str().to_owned(), millis(report.at));
        let resolved = report.resolution.is_some();
        let doc = document::to_bytes(&ReportDocument::from(report))?;
        self.write_apart(move |conn| {
            let done = conn.execute(
                "INSERT INTO reports (id, resolved, at, doc) VALUES (?1, ?2, ?3, ?4)",
                params![id, resolved, at, doc],
            );
            super::statements::conflict_or_unavailable(done)
        })
        .await
    }

    async fn reports(&self, open_only: bool, limit: usize) -> Result<Vec<Report>, StoreError> {
        let limit = as_i64(limit);
        let docs: Vec<ReportDocument> = match open_only {
            true => self.docs(
                "SELECT doc FROM reports WHERE resolved = 0 ORDER BY at DESC LIMIT ?1",
                [limit],
            )?,
            false => self.docs("SELECT doc FROM reports ORDER BY at DESC LIMIT ?1", [limit])?,
        };
        docs.into_iter().map(Report::try_from).collect()
    }

    async fn resolve_report(
        &self,
        id: &ReportId,
        resolution: &Resolution,
    ) -> Result<bool, StoreError> {
        let id = id.as_str().to_owned();
        let resolution = ResolutionDocument::from(resolution);
        self.write_apart(move |conn| {
            let found: Option<Vec<u8>> = conn
                .query_row(
                    "SELECT doc FROM reports WHERE id = ?1 AND resolved = 0",
                    [&id],
                    |row| row.get(0),
                )
                .optional()
                .map_err(unavailable)?;
            let Some(bytes) = found else {
                return Ok(false);
            };
            let mut doc: ReportDocument = document::from_bytes(&bytes)?;
            doc.resolved = true;
            doc.resolution = Some(resolution);
            let bytes = document::to_bytes(&doc)?;
            conn.execute(
                "UPDATE reports SET resolved = 1, doc = ?2 WHERE id = ?1",
                params![id, bytes],
            )
            .map_err(unavailable)?;
            Ok(true)
        })
        .await
    }

    async fn append_audit(&self, entry: &AuditEntry) -> Result<(), StoreError> {
        let at = millis(entry.at);
        let doc = document::to_bytes(&AuditDocument::new(entry))?;
        self.write_apart(move |conn| {
            conn.execute(
                "INSERT INTO audit_log (at, doc) VALUES (?1, ?2)",
                params![at, doc],
            )
            .map(drop)
            .map_err(unavailable)
        })
        .await
    }

    async fn audit_log(&self, limit: usize) -> Result<Vec<AuditEntry>, StoreError> {
        let docs: Vec<AuditDocument> = self.docs(
            "SELECT doc FROM audit_log ORDER BY at DESC, seq DESC LIMIT ?1",
            [as_i64(limit)],
        )?;
        docs.into_iter().map(AuditEntry::try_from).collect()
    }

    async fn recent_pastes(
        &self,
        filter: &RecentFilter,
        limit: usize,
    ) -> Result<Vec<RecentPaste>, StoreError> {
        let limit = as_i64(limit.min(MAX_RECENT));
        let docs: Vec<RecentDocument> = match filter {
            RecentFilter::All => self.docs(
                "SELECT doc FROM pastes ORDER BY created_at DESC LIMIT ?1",
                params![limit],
            )?,
            RecentFilter::Address(tag) => self.docs(
                "SELECT doc FROM pastes WHERE client = ?1 ORDER BY created_at DESC LIMIT ?2",
                params![tag, limit],
            )?,
            RecentFilter::Author(user) => self.docs(
                "SELECT doc FROM pastes WHERE author_id = ?1 ORDER BY created_at DESC LIMIT ?2",
                params![user.as_str(), limit],
            )?,
        };
        docs.into_iter().map(RecentPaste::try_from).collect()
    }
}
