//! Forks in the embedded store: listed and counted on the `pastes_by_origin`
//! index of the `forked_from` column. The writes (`recount`, `orphan`) run on
//! the writer thread inside its group transaction, so a recount's count and
//! its update are one atomic step.

use rusqlite::{Connection, OptionalExtension, params};

use super::super::{ForkCount, StoreError};
use super::writer::unavailable;
use crate::domain::{ForkSummary, PageRequest, PasteId, UserId};
use crate::store::document;

/// Counts the live forks of `id` and writes the count into its document;
/// `None` when the original is gone.
pub(super) fn recount(
    conn: &Connection,
    id: &str,
    now_ms: i64,
) -> Result<Option<ForkCount>, StoreError> {
    let bytes: Option<Vec<u8>> = conn
        .query_row("SELECT doc FROM pastes WHERE id = ?1", [id], |row| {
            row.get(0)
        })
        .optional()
        .map_err(unavailable)?;
    let Some(bytes) = bytes else {
        return Ok(None);
    };
    let count: i64 = conn
        .prepare_cached(
            "SELECT count(*) FROM pastes
             WHERE forked_from = ?1 AND (expires_at IS NULL OR expires_at > ?2)",
        )
        .and_then(|mut stmt| stmt.query_row(params![id, now_ms], |row| row.get(0)))
        .map_err(unavailable)?;
    let mut doc = document::decode_document(&bytes)?;
    let changed = doc.fork_count != count;
    if changed {
        doc.fork_count = count;
        conn.execute(
            "UPDATE pastes SET doc = ?2 WHERE id = ?1",
            params![id, document::to_bytes(&doc)?],
        )
        .map_err(unavailable)?;
    }
    Ok(Some(ForkCount {
        count: u64::try_from(count).unwrap_or(0),
        changed,
    }))
}

/// Sets `forked_from.gone` on every fork of `id` that does not have it;
/// returns their ids.
pub(super) fn orphan(conn: &Connection, id: &str) -> Result<Vec<String>, StoreError> {
    let rows: Vec<(String, Vec<u8>)> = conn
        .prepare_cached("SELECT id, doc FROM pastes WHERE forked_from = ?1")
        .and_then(|mut stmt| {
            stmt.query_map([id], |row| Ok((row.get(0)?, row.get(1)?)))?
                .collect()
        })
        .map_err(unavailable)?;
    let mut changed = Vec::new();
    for (fork, bytes) in rows {
        let mut doc = document::decode_document(&bytes)?;
        match doc.forked_from.as_mut() {
            Some(origin) if !origin.gone => origin.gone = true,
            _ => continue,
        }
        conn.execute(
            "UPDATE pastes SET doc = ?2 WHERE id = ?1",
            params![fork, document::to_bytes(&doc)?],
        )
        .map_err(unavailable)?;
        changed.push(fork);
    }
    Ok(changed)
}

impl super::EmbeddedStore {
    /// `DocumentStore::paste_forks`: the range after the cursor on
    /// `pastes_by_origin` (as `author_pastes` reads its index), skipping
    /// the forks `viewer` may not see.
    pub(super) fn forks_page(
        &self,
        original: &PasteId,
        viewer: Option<&UserId>,
        page: &PageRequest,
        now_ms: i64,
    ) -> Result<Vec<ForkSummary>, StoreError> {
        const FIRST: &str = "SELECT doc FROM pastes
             WHERE forked_from = ?1 AND (expires_at IS NULL OR expires_at > ?2)
             ORDER BY created_at DESC, id DESC";
        const NEXT: &str = "SELECT doc FROM pastes
             WHERE forked_from = ?1 AND (expires_at IS NULL OR expires_at > ?2)
               AND (created_at, id) < (?3, ?4)
             ORDER BY created_at DESC, id DESC";
        let limit = page.capped_limit();
        self.read(|conn| {
            let (mut stmt, mut rows);
            match &page.after {
                None => {
                    stmt = conn.prepare_cached(FIRST)?;
                    rows = stmt.query(params![original.as_str(), now_ms])?;
                }
                Some(after) => {
                    stmt = conn.prepare_cached(NEXT)?;
                    rows = stmt.query(params![
                        original.as_str(),
                        now_ms,
                        super::millis(after.created_at),
                        after.id.as_str()
                    ])?;
                }
            }
            let mut lines = Vec::with_capacity(limit.min(100));
            while lines.len() < limit {
                let Some(row) = rows.next()? else { break };
                let bytes: Vec<u8> = row.get(0)?;
                match document::from_bytes::<document::ForkLineDocument>(&bytes) {
                    Ok(line) if !line.listed_for(viewer) => {}
                    line => lines.push(line.and_then(ForkSummary::try_from)),
                }
            }
            Ok(lines)
        })?
        .into_iter()
        .collect()
    }
}
