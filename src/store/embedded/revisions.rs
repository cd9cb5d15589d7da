//! Edits and revisions in the embedded store. An edit is one write of the
//! writer thread, under a savepoint of its group transaction: the earlier
//! revision's row, the paste's new document and the drop of revisions past
//! the limit commit together or not at all (so `kill -9` leaves either the
//! edit whole or nothing of it). Revision rows go with their paste by the
//! table's `ON DELETE CASCADE`, whatever deletes it (delete, burn, sweep).

use rusqlite::{Connection, OptionalExtension, params};

use super::super::StoreError;
use super::writer::unavailable;
use crate::domain::{EditOutcome, PasteEdit, Revision, RevisionLine};
use crate::store::document::{self, RevisionDocument, RevisionLineDocument};

/// Applies `edit` if the paste is live and at its base (see
/// `DocumentStore::edit_paste`). The writer holds SQLite's write lock, so
/// the compare and the set cannot interleave with another process's.
pub(super) fn edit(
    conn: &Connection,
    edit: &PasteEdit,
    now_ms: i64,
) -> Result<EditOutcome, StoreError> {
    let bytes: Option<Vec<u8>> = conn
        .prepare_cached(
            "SELECT doc FROM pastes WHERE id = ?1 AND (expires_at IS NULL OR expires_at > ?2)",
        )
        .and_then(|mut stmt| {
            stmt.query_row(params![edit.id.as_str(), now_ms], |row| row.get(0))
                .optional()
        })
        .map_err(unavailable)?;
    let Some(bytes) = bytes else {
        return Ok(EditOutcome::Missing);
    };
    let paste = document::decode(&bytes)?;
    if edit.is_applied_in(&paste) {
        return Ok(EditOutcome::Edited(Box::new(paste)));
    }
    if paste.revision_number() != edit.base {
        return Ok(EditOutcome::Stale {
            current: paste.revision_number(),
        });
    }
    let earlier = RevisionDocument::new(&Revision::latest_of(&paste), edit.expires_at);
    let edited = paste.edited(edit);
    let earlier_bytes = document::to_bytes(&earlier)?;
    let edited_bytes = document::encode(&edited)?;
    // Earlier revisions numbered up to this one are dropped (`keep` stay).
    let drop_through = i64::try_from(edit.base.saturating_sub(edit.keep)).unwrap_or(i64::MAX);
    conn.execute_batch("SAVEPOINT edit").map_err(unavailable)?;
    let result = (|| {
        conn.prepare_cached("INSERT INTO revisions (paste_id, number, doc) VALUES (?1, ?2, ?3)")?
            .execute(params![edit.id.as_str(), earlier.number, earlier_bytes])?;
        conn.prepare_cached(
            "UPDATE pastes SET doc = ?2, expires_at = ?3, listed_language = ?4 WHERE id = ?1",
        )?
        .execute(params![
            edit.id.as_str(),
            edited_bytes,
            edit.expires_at.map(super::millis),
            super::archive::listed_language(&edited)
        ])?;
        conn.prepare_cached("DELETE FROM revisions WHERE paste_id = ?1 AND number <= ?2")?
            .execute(params![edit.id.as_str(), drop_through])?;
        Ok::<_, rusqlite::Error>(())
    })()
    .map_err(unavailable);
    let end = if result.is_ok() {
        "RELEASE edit"
    } else {
        "ROLLBACK TO edit; RELEASE edit"
    };
    conn.execute_batch(end).map_err(unavailable)?;
    result.map(|()| EditOutcome::Edited(Box::new(edited)))
}

/// The earlier revisions of a paste, oldest first, without their text.
pub(super) fn lines(conn: &Connection, id: &str) -> rusqlite::Result<Vec<Vec<u8>>> {
    let mut stmt =
        conn.prepare_cached("SELECT doc FROM revisions WHERE paste_id = ?1 ORDER BY number")?;
    let rows = stmt.query_map([id], |row| row.get(0))?;
    rows.collect()
}

/// Decodes the rows of `lines` (the text is skipped, not copied).
pub(super) fn decode_lines(rows: &[Vec<u8>]) -> Result<Vec<RevisionLine>, StoreError> {
    rows.iter()
        .map(|b| document::from_bytes::<RevisionLineDocument>(b).and_then(RevisionLine::try_from))
        .collect()
}

/// One earlier revision's row.
pub(super) fn one(conn: &Connection, id: &str, number: i64) -> rusqlite::Result<Option<Vec<u8>>> {
    conn.prepare_cached("SELECT doc FROM revisions WHERE paste_id = ?1 AND number = ?2")?
        .query_row(params![id, number], |row| row.get(0))
        .optional()
}

/// Decodes a row of `one`.
pub(super) fn decode_one(bytes: &[u8]) -> Result<Revision, StoreError> {
    document::from_bytes::<RevisionDocument>(bytes).and_then(Revision::try_from)
}
