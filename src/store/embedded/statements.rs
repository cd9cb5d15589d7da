//! The statements the writer thread runs inside its group transaction, one
//! function per kind of write (`writer::apply` picks the function). None of
//! them commits: the writer does, once for the whole group.

use rusqlite::{Connection, OptionalExtension, params};

use super::super::{StoreError, VisitCount};
use super::writer::{NewRow, unavailable};
use crate::store::document;

/// Inserts a paste and, when it has an author, raises the author's counter,
/// under a savepoint: a failure leaves neither change behind. An anonymous
/// paste (nearly all of them) is one statement and needs no savepoint.
pub(super) fn insert(conn: &Connection, row: &NewRow) -> Result<(), StoreError> {
    let Some(author) = &row.author_id else {
        return insert_row(conn, row);
    };
    conn.execute_batch("SAVEPOINT paste").map_err(unavailable)?;
    let result = insert_row(conn, row).and_then(|()| count_authored_paste(conn, author));
    let end = if result.is_ok() {
        "RELEASE paste"
    } else {
        "ROLLBACK TO paste; RELEASE paste"
    };
    conn.execute_batch(end).map_err(unavailable)?;
    result
}

fn insert_row(conn: &Connection, row: &NewRow) -> Result<(), StoreError> {
    // An id an operator took down stays taken (`store::operator`): the row
    // is not inserted, and that is a conflict like a live paste's id.
    let result = conn
        .prepare_cached(
            "INSERT INTO pastes (id, author_id, created_at, expires_at, doc, forked_from, listed_language, client)
             SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8
             WHERE NOT EXISTS (SELECT 1 FROM removals WHERE id = ?1)",
        )
        .and_then(|mut stmt| {
            stmt.execute(params![
                row.id,
                row.author_id,
                row.created_ms,
                row.expires_ms,
                row.doc,
                row.forked_from,
                row.listed_language,
                row.client
            ])
        });
    match result {
        Ok(0) => Err(StoreError::Conflict),
        result => conflict_or_unavailable(result),
    }
}

/// A unique or primary key taken is a conflict; anything else means the store
/// cannot work now.
pub(super) fn conflict_or_unavailable(result: rusqlite::Result<usize>) -> Result<(), StoreError> {
    match result {
        Ok(_) => Ok(()),
        Err(rusqlite::Error::SqliteFailure(e, _))
            if e.code == rusqlite::ErrorCode::ConstraintViolation =>
        {
            Err(StoreError::Conflict)
        }
        Err(e) => Err(unavailable(e)),
    }
}

/// Adds one to `stats.pastes_created` of the author's document, if the author
/// is stored. The writer holds SQLite's write lock, so this read and write
/// cannot interleave with another process's.
fn count_authored_paste(conn: &Connection, author_id: &str) -> Result<(), StoreError> {
    let bytes: Option<Vec<u8>> = conn
        .query_row("SELECT doc FROM users WHERE id = ?1", [author_id], |row| {
            row.get(0)
        })
        .optional()
        .map_err(unavailable)?;
    let Some(bytes) = bytes else {
        return Ok(());
    };
    let mut doc: document::UserDocument = document::from_bytes(&bytes)?;
    doc.stats.pastes_created = doc.stats.pastes_created.saturating_add(1);
    let bytes = document::to_bytes(&doc)?;
    conn.execute(
        "UPDATE users SET doc = ?2 WHERE id = ?1",
        params![author_id, bytes],
    )
    .map_err(unavailable)?;
    Ok(())
}

/// Sets the author of a live paste that has none and raises the author's
/// counter, under a savepoint; false when there is no such paste.
pub(super) fn claim(
    conn: &Connection,
    id: &str,
    author_id: &str,
    username: &str,
    now_ms: i64,
) -> Result<bool, StoreError> {
    let bytes: Option<Vec<u8>> = conn
        .query_row(
            "SELECT doc FROM pastes WHERE id = ?1 AND author_id IS NULL
               AND (expires_at IS NULL OR expires_at > ?2)",
            params![id, now_ms],
            |row| row.get(0),
        )
        .optional()
        .map_err(unavailable)?;
    let Some(bytes) = bytes else {
        return Ok(false);
    };
    let mut doc = document::decode_document(&bytes)?;
    if doc.author.is_some() {
        return Ok(false);
    }
    doc.author = Some(document::AuthorDocument {
        id: author_id.to_owned(),
        username: username.to_owned(),
    });
    let bytes = document::to_bytes(&doc)?;
    conn.execute_batch("SAVEPOINT claim").map_err(unavailable)?;
    let result = conn
        .execute(
            "UPDATE pastes SET doc = ?2, author_id = ?3 WHERE id = ?1",
            params![id, bytes, author_id],
        )
        .map_err(unavailable)
        .and_then(|_| count_authored_paste(conn, author_id));
    let end = if result.is_ok() {
        "RELEASE claim"
    } else {
        "ROLLBACK TO claim; RELEASE claim"
    };
    conn.execute_batch(end).map_err(unavailable)?;
    result.map(|()| true)
}

pub(super) fn insert_user(
    conn: &Connection,
    id: &str,
    username: &str,
    doc: &[u8],
) -> Result<(), StoreError> {
    let result = conn
        .prepare_cached("INSERT INTO users (id, username, doc) VALUES (?1, ?2, ?3)")
        .and_then(|mut stmt| stmt.execute(params![id, username, doc]));
    conflict_or_unavailable(result)
}

/// Spends one view of a live paste: the last of its limit (`max_views`, else
/// one) deletes it, any other raises its `views_spent`. The writer holds
/// SQLite's write lock from the read to the write, so no other process's
/// take can come between them. Returns the document as it was before.
pub(super) fn take(
    conn: &Connection,
    id: &str,
    now_ms: i64,
) -> Result<Option<Vec<u8>>, StoreError> {
    let bytes: Option<Vec<u8>> = conn
        .prepare_cached(
            "SELECT doc FROM pastes WHERE id = ?1 AND (expires_at IS NULL OR expires_at > ?2)",
        )
        .and_then(|mut stmt| {
            stmt.query_row(params![id, now_ms], |row| row.get(0))
                .optional()
        })
        .map_err(unavailable)?;
    let Some(bytes) = bytes else {
        return Ok(None);
    };
    let mut doc = document::decode_document(&bytes)?;
    let limit = match doc.burn_after_read {
        true => 1,
        false => doc.max_views.unwrap_or(1),
    };
    if doc.views_spent.saturating_add(1) >= limit {
        conn.prepare_cached("DELETE FROM pastes WHERE id = ?1")
            .and_then(|mut stmt| stmt.execute([id]))
            .map_err(unavailable)?;
    } else {
        doc.views_spent += 1;
        let spent = document::to_bytes(&doc)?;
        conn.prepare_cached("UPDATE pastes SET doc = ?2 WHERE id = ?1")
            .and_then(|mut stmt| stmt.execute(params![id, spent]))
            .map_err(unavailable)?;
    }
    Ok(Some(bytes))
}

/// Applies a batch once (its id is recorded in the same transaction). Each
/// paste's counts are applied under a savepoint: a corrupt document loses only
/// its own counts, never half of them.
pub(super) fn add_visits(
    conn: &Connection,
    batch: &str,
    now_ms: i64,
    visits: &[VisitCount],
) -> Result<bool, StoreError> {
    let new = conn
        .execute(
            "INSERT OR IGNORE INTO applied_visit_batches (batch, applied_at) VALUES (?1, ?2)",
            params![batch, now_ms],
        )
        .map_err(unavailable)?;
    if new == 0 {
        return Ok(false);
    }
    for visit in visits {
        conn.execute_batch("SAVEPOINT visit").map_err(unavailable)?;
        match add_visit(conn, visit) {
            Ok(()) => conn.execute_batch("RELEASE visit").map_err(unavailable)?,
            Err(e) => {
                tracing::warn!(paste = %visit.id, error = %e, "visits not counted");
                conn.execute_batch("ROLLBACK TO visit; RELEASE visit")
                    .map_err(unavailable)?;
            }
        }
    }
    Ok(true)
}

fn add_visit(conn: &Connection, visit: &VisitCount) -> Result<(), StoreError> {
    let bytes: Option<Vec<u8>> = conn
        .query_row(
            "SELECT doc FROM pastes WHERE id = ?1",
            [visit.id.as_str()],
            |row| row.get(0),
        )
        .optional()
        .map_err(unavailable)?;
    let Some(bytes) = bytes else {
        return Ok(()); // deleted since the visit: nothing to count on
    };
    let mut doc = document::decode_document(&bytes)?;
    let add = i64::try_from(visit.count).unwrap_or(i64::MAX);
    doc.stats.total_views = doc.stats.total_views.saturating_add(add);
    let month = doc
        .stats
        .monthly
        .entry(visit.month.to_string())
        .or_insert(0);
    *month = month.saturating_add(add);
    let bytes = document::to_bytes(&doc)?;
    conn.execute(
        "UPDATE pastes SET doc = ?2 WHERE id = ?1",
        params![visit.id.as_str(), bytes],
    )
    .map_err(unavailable)?;
    Ok(())
}

/// Visit batches are remembered this long (a fold is retried for minutes, not weeks).
const BATCH_MEMORY_MS: i64 = 7 * 24 * 3600 * 1000;

pub(super) fn purge(conn: &Connection, now_ms: i64) -> Result<Vec<String>, StoreError> {
    conn.execute(
        "DELETE FROM applied_visit_batches WHERE applied_at < ?1",
        [now_ms.saturating_sub(BATCH_MEMORY_MS)],
    )
    .map_err(unavailable)?;
    let mut stmt = conn
        .prepare_cached(
            "DELETE FROM pastes WHERE expires_at IS NOT NULL AND expires_at <= ?1 RETURNING id",
        )
        .map_err(unavailable)?;
    let ids = stmt
        .query_map([now_ms], |row| row.get(0))
        .and_then(|rows| rows.collect::<Result<Vec<String>, _>>())
        .map_err(unavailable)?;
    Ok(ids)
}
