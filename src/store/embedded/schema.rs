//! Connection settings and the schema of the embedded store.

use rusqlite::Connection;

use crate::configuration::Synchronous;

/// Bumped when the schema changes; kept in `PRAGMA user_version`.
const SCHEMA_VERSION: i64 = 7;

/// How long a connection waits for another process's write lock before giving up.
const BUSY_TIMEOUT_MS: u64 = 5_000;

/// Sets the per-connection pragmas every connection needs.
pub(crate) fn configure(conn: &Connection, synchronous: Synchronous) -> rusqlite::Result<()> {
    conn.busy_timeout(std::time::Duration::from_millis(BUSY_TIMEOUT_MS))?;
    let sync = match synchronous {
        Synchronous::Full => "FULL",
        Synchronous::Normal => "NORMAL",
    };
    conn.execute_batch(&format!(
        "PRAGMA synchronous = {sync};
         PRAGMA foreign_keys = ON;
         PRAGMA temp_store = MEMORY;"
    ))?;
    // Large pastes are read whole; a bigger page cache saves re-reading hot ones.
    conn.execute_batch("PRAGMA cache_size = -16384;")?;
    Ok(())
}

/// Turns on WAL (persistent for the file) and creates the tables and indexes.
/// Safe to run from several processes at once: the work happens in one
/// immediate transaction, and every statement is idempotent.
pub(crate) fn migrate(conn: &Connection) -> rusqlite::Result<()> {
    // WAL lets readers in any process run while one writer commits, and makes a
    // commit one append to the log (group commit batches many into one fsync).
    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(rusqlite::Error::InvalidParameterName(format!(
            "the store could not switch to WAL mode (got {mode})"
        )));
    }
    conn.execute_batch(
        "BEGIN IMMEDIATE;
         -- One row per paste: the BSON document, plus copies of the fields that
         -- queries filter or sort on, so those run on indexes.
         CREATE TABLE IF NOT EXISTS pastes (
             id          TEXT PRIMARY KEY NOT NULL, -- lookups by id
             author_id   TEXT,                      -- NULL when anonymous
             created_at  INTEGER NOT NULL,          -- unix milliseconds
             expires_at  INTEGER,                   -- unix milliseconds, NULL = never
             doc         BLOB NOT NULL              -- the PasteDocument as BSON
         );
         -- A user's pastes, newest first (user pages, cursor pagination).
         CREATE INDEX IF NOT EXISTS pastes_by_author
             ON pastes (author_id, created_at DESC, id DESC) WHERE author_id IS NOT NULL;
         -- The sweep of expired pastes reads only those that expire.
         CREATE INDEX IF NOT EXISTS pastes_by_expiry
             ON pastes (expires_at) WHERE expires_at IS NOT NULL;
         -- Visit batches already added to the statistics: a fold that is
         -- redelivered after a crash finds its batch here and adds nothing.
         CREATE TABLE IF NOT EXISTS applied_visit_batches (
             batch       TEXT PRIMARY KEY NOT NULL,
             applied_at  INTEGER NOT NULL           -- unix milliseconds
         );
         -- One row per user: the UserDocument as BSON (counters included),
         -- beside its name, unique so that two sign-ups on two processes
         -- cannot both take it.
         CREATE TABLE IF NOT EXISTS users (
             id          TEXT PRIMARY KEY NOT NULL,
             username    TEXT NOT NULL UNIQUE,      -- lowercase, see Username
             doc         BLOB NOT NULL
         );
         -- One row per API token: the TokenDocument as BSON, beside its
         -- owner's id (a user's tokens are listed and revoked by it).
         CREATE TABLE IF NOT EXISTS api_tokens (
             id          TEXT PRIMARY KEY NOT NULL,
             user_id     TEXT NOT NULL,
             doc         BLOB NOT NULL
         );
         CREATE INDEX IF NOT EXISTS api_tokens_by_user ON api_tokens (user_id);
         -- Earlier revisions of edited pastes, whole (a RevisionDocument as
         -- BSON), keyed and ordered by (paste, number). Deleting a paste
         -- (delete, burn, sweep) deletes them in the same statement.
         CREATE TABLE IF NOT EXISTS revisions (
             paste_id    TEXT NOT NULL REFERENCES pastes (id) ON DELETE CASCADE,
             number      INTEGER NOT NULL,
             doc         BLOB NOT NULL,
             PRIMARY KEY (paste_id, number)
         ) WITHOUT ROWID;",
    )?;
    let done = add_forked_from(conn)
        .and_then(|()| super::archive::add_listed(conn))
        .and_then(|()| add_operator_records(conn))
        .and_then(|()| {
            conn.execute_batch(&format!(
                "PRAGMA user_version = {SCHEMA_VERSION};
             COMMIT;"
            ))
        });
    if done.is_err() {
        let _ = conn.execute_batch("ROLLBACK");
    }
    done
}

/// Schema 5: the `forked_from` column (the original's id, NULL on a paste
/// that is no fork) and its index, which lists a paste's forks newest first
/// and counts them. Added to a store made before it (SQLite has no
/// `ADD COLUMN IF NOT EXISTS`: the table's columns are looked at first,
/// inside the same immediate transaction).
fn add_forked_from(conn: &Connection) -> rusqlite::Result<()> {
    let has: bool = conn.query_row(
        "SELECT count(*) FROM pragma_table_info('pastes') WHERE name = 'forked_from'",
        [],
        |row| row.get::<_, i64>(0).map(|n| n > 0),
    )?;
    if !has {
        conn.execute_batch("ALTER TABLE pastes ADD COLUMN forked_from TEXT")?;
    }
    conn.execute_batch(
        "CREATE INDEX IF NOT EXISTS pastes_by_origin
             ON pastes (forked_from, created_at DESC, id DESC) WHERE forked_from IS NOT NULL;",
    )
}

/// Schema 7: the operator's records (`store::operator`) and the paste
/// columns `admin recent` reads on an index: `client`, the creating
/// client's address tag, and a global index by creation time.
fn add_operator_records(conn: &Connection) -> rusqlite::Result<()> {
    let has: bool = conn.query_row(
        "SELECT count(*) FROM pragma_table_info('pastes') WHERE name = 'client'",
        [],
        |row| row.get::<_, i64>(0).map(|n| n > 0),
    )?;
    if !has {
        conn.execute_batch("ALTER TABLE pastes ADD COLUMN client TEXT")?;
    }
    conn.execute_batch(
        "CREATE INDEX IF NOT EXISTS pastes_by_client
             ON pastes (client, created_at DESC) WHERE client IS NOT NULL;
         CREATE INDEX IF NOT EXISTS pastes_by_creation ON pastes (created_at DESC);
         -- Takedowns, kept for good: the id stays taken (insert checks here).
         CREATE TABLE IF NOT EXISTS removals (
             id          TEXT PRIMARY KEY NOT NULL,
             doc         BLOB NOT NULL              -- a RemovalDocument as BSON
         );
         CREATE TABLE IF NOT EXISTS disabled_accounts (
             user_id     TEXT PRIMARY KEY NOT NULL,
             doc         BLOB NOT NULL              -- a DisabledDocument as BSON
         );
         CREATE TABLE IF NOT EXISTS reports (
             id          TEXT PRIMARY KEY NOT NULL,
             resolved    INTEGER NOT NULL,          -- 0 open, 1 closed
             at          INTEGER NOT NULL,          -- unix milliseconds
             doc         BLOB NOT NULL              -- a ReportDocument as BSON
         );
         CREATE INDEX IF NOT EXISTS reports_by_state ON reports (resolved, at DESC);
         -- Every admin action; rows are only ever appended.
         CREATE TABLE IF NOT EXISTS audit_log (
             seq         INTEGER PRIMARY KEY AUTOINCREMENT,
             at          INTEGER NOT NULL,          -- unix milliseconds
             doc         BLOB NOT NULL              -- an AuditDocument as BSON
         );",
    )
}
