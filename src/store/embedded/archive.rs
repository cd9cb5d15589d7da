//! The public archive in the embedded store: the `listed_language` column
//! (the language shown, on listed pastes only; NULL on every other) and its
//! two partial indexes, newest first over the whole archive and per
//! language. A title search walks one of them newest first and keeps the
//! lines whose `title_words` match (`Search::matches`, the rule MongoDB's
//! filter states); it stops as soon as the page is full.

use rusqlite::{Connection, params};

use super::super::StoreError;
use crate::domain::{PageRequest, Paste, PasteSummary, Search};
use crate::store::document;

/// The `listed_language` column of `paste`.
pub(super) fn listed_language(paste: &Paste) -> Option<String> {
    paste.is_listed().then(|| paste.shown_language()).flatten()
}

/// A title is matched row by row (this store has no word index): a search
/// that matches little would otherwise read the whole archive on every
/// request. Past this many rows a page ends with what it found
/// (docs/using.md says so).
pub(super) const MAX_SCANNED: usize = 5_000;

/// Schema 6: the `listed_language` column and its indexes, added to a store
/// made before them; the pastes already there are read once and their row
/// and document given what the archive reads (inside the migration's
/// immediate transaction, so another process never sees half of it).
pub(super) fn add_listed(conn: &Connection) -> rusqlite::Result<()> {
    let has: bool = conn.query_row(
        "SELECT count(*) FROM pragma_table_info('pastes') WHERE name = 'listed_language'",
        [],
        |row| row.get::<_, i64>(0).map(|n| n > 0),
    )?;
    if !has {
        conn.execute_batch("ALTER TABLE pastes ADD COLUMN listed_language TEXT")?;
        backfill(conn)?;
    }
    conn.execute_batch(
        "CREATE INDEX IF NOT EXISTS pastes_listed
             ON pastes (created_at DESC, id DESC) WHERE listed_language IS NOT NULL;
         CREATE INDEX IF NOT EXISTS pastes_listed_by_language
             ON pastes (listed_language, created_at DESC, id DESC)
             WHERE listed_language IS NOT NULL;",
    )
}

/// Rewrites every paste's document with the archive's fields, and sets its
/// column. A document that does not decode is left as it was (its reads
/// report it corrupt, as before).
fn backfill(conn: &Connection) -> rusqlite::Result<()> {
    let rows: Vec<(String, Vec<u8>)> = {
        let mut stmt = conn.prepare("SELECT id, doc FROM pastes")?;
        stmt.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?
    };
    let mut update =
        conn.prepare("UPDATE pastes SET doc = ?2, listed_language = ?3 WHERE id = ?1")?;
    for (id, bytes) in rows {
        let Ok(paste) = document::decode(&bytes) else {
            continue;
        };
        let Ok(doc) = document::encode(&paste) else {
            continue;
        };
        update.execute(params![id, doc, listed_language(&paste)])?;
    }
    Ok(())
}

impl super::EmbeddedStore {
    /// `DocumentStore::public_pastes`: the range after the cursor on
    /// `pastes_listed_by_language` when the search names a language, else on
    /// `pastes_listed`.
    pub(super) fn archive_page(
        &self,
        search: &Search,
        page: &PageRequest,
        now_ms: i64,
    ) -> Result<Vec<PasteSummary>, StoreError> {
        // One statement per shape (with or without a language, first page
        // or after a cursor): an `OR` for an absent part would keep SQLite
        // from bounding its index scan at the cursor (as `author_pastes`).
        const LIVE: &str = "(expires_at IS NULL OR expires_at > ?1)";
        const ORDER: &str = "ORDER BY created_at DESC, id DESC";
        let limit = page.capped_limit();
        let all = format!("SELECT doc FROM pastes WHERE listed_language IS NOT NULL AND {LIVE}");
        let by_language = format!("SELECT doc FROM pastes WHERE listed_language = ?2 AND {LIVE}");
        let sql = match (&search.language, &page.after) {
            (None, None) => format!("{all} {ORDER}"),
            (None, Some(_)) => format!("{all} AND (created_at, id) < (?2, ?3) {ORDER}"),
            (Some(_), None) => format!("{by_language} {ORDER}"),
            (Some(_), Some(_)) => {
                format!("{by_language} AND (created_at, id) < (?3, ?4) {ORDER}")
            }
        };
        let mut args: Vec<rusqlite::types::Value> = vec![now_ms.into()];
        if let Some(language) = &search.language {
            args.push(language.clone().into());
        }
        if let Some(after) = &page.after {
            args.push(super::millis(after.created_at).into());
            args.push(after.id.as_str().to_owned().into());
        }
        self.read(|conn| {
            let mut stmt = conn.prepare_cached(&sql)?;
            let mut rows = stmt.query(rusqlite::params_from_iter(args))?;
            let mut lines = Vec::with_capacity(limit.min(100));
            let mut scanned = 0;
            while lines.len() < limit && scanned < MAX_SCANNED {
                let Some(row) = rows.next()? else { break };
                scanned += 1;
                let bytes: Vec<u8> = row.get(0)?;
                match document::from_bytes::<document::SummaryDocument>(&bytes) {
                    Ok(line)
                        if !search.matches(&line.title_words, line.shown_language.as_deref()) => {}
                    line => lines.push(line.and_then(PasteSummary::try_from)),
                }
            }
            Ok(lines)
        })?
        .into_iter()
        .collect()
    }
}
