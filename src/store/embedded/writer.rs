//! The one writer thread of a process, committing writes in groups.
//!
//! Requests hand their write to this thread and wait for its answer. The thread
//! takes every write that is waiting, runs them all in one transaction and
//! commits once: under load, one fsync acknowledges hundreds of pastes. No write
//! is acknowledged before its commit returned. Writers in other processes wait
//! for SQLite's lock (`busy_timeout`), so several processes can share the store.

use rusqlite::{Connection, params};
use tokio::sync::{mpsc, oneshot};

use super::super::{ForkCount, StoreError, VisitCount};
use super::forks;
use super::statements::{
    add_visits, claim, conflict_or_unavailable, insert, insert_user, purge, take,
};
use crate::domain::{EditOutcome, PasteEdit};

/// Most writes committed together.
const MAX_GROUP: usize = 512;

/// One write and the way back to whoever asked for it.
pub(crate) enum Write {
    /// Insert a new row; `Conflict` when the id exists.
    Insert {
        /// The row.
        row: NewRow,
        /// Answer.
        reply: oneshot::Sender<Result<(), StoreError>>,
    },
    /// Spend one view of an unexpired row (its last deletes it) and return
    /// the row as it was.
    Take {
        /// The id.
        id: String,
        /// Now, in unix milliseconds.
        now_ms: i64,
        /// Answer: the document, if it was there.
        reply: oneshot::Sender<Result<Option<Vec<u8>>, StoreError>>,
    },
    /// Delete a row.
    Delete {
        /// The id.
        id: String,
        /// Answer: whether it was there.
        reply: oneshot::Sender<Result<bool, StoreError>>,
    },
    /// Add visit counts, once per batch.
    Visits {
        /// The batch id.
        batch: String,
        /// Now, in unix milliseconds.
        now_ms: i64,
        /// The counts.
        visits: Vec<VisitCount>,
        /// Answer: whether the batch was new.
        reply: oneshot::Sender<Result<bool, StoreError>>,
    },
    /// Insert a new user; `Conflict` when the id or the name exists.
    InsertUser {
        /// `id`
        id: String,
        /// `username`
        username: String,
        /// `doc`
        doc: Vec<u8>,
        /// Answer.
        reply: oneshot::Sender<Result<(), StoreError>>,
    },
    /// Give a live anonymous paste an author.
    Claim {
        /// The paste id.
        id: String,
        /// The author's id.
        author_id: String,
        /// The author's name.
        username: String,
        /// Now, in unix milliseconds.
        now_ms: i64,
        /// Answer: whether the paste was claimed.
        reply: oneshot::Sender<Result<bool, StoreError>>,
    },
    /// Insert an API token; `Conflict` when the id exists.
    InsertToken {
        /// `id`
        id: String,
        /// `user_id`
        user_id: String,
        /// `doc`
        doc: Vec<u8>,
        /// Answer.
        reply: oneshot::Sender<Result<(), StoreError>>,
    },
    /// Delete one of a user's API tokens.
    DeleteToken {
        /// `id`
        id: String,
        /// `user_id`: another user's token is not deleted.
        user_id: String,
        /// Answer: whether it was there.
        reply: oneshot::Sender<Result<bool, StoreError>>,
    },
    /// Count an original's live forks into its `fork_count`.
    RecountForks {
        /// The original's id.
        id: String,
        /// Now, in unix milliseconds.
        now_ms: i64,
        /// Answer: the count, unless the original is gone.
        reply: oneshot::Sender<Result<Option<ForkCount>, StoreError>>,
    },
    /// Mark an original's forks as forked from a paste that is gone.
    OrphanForks {
        /// The original's id.
        id: String,
        /// Answer: the forks changed.
        reply: oneshot::Sender<Result<Vec<String>, StoreError>>,
    },
    /// Edit a live paste at its base revision (`statements::edit`).
    Edit {
        /// The edit.
        edit: Box<PasteEdit>,
        /// Now, in unix milliseconds.
        now_ms: i64,
        /// Answer.
        reply: oneshot::Sender<Result<EditOutcome, StoreError>>,
    },
    /// Delete expired rows.
    Purge {
        /// Now, in unix milliseconds.
        now_ms: i64,
        /// Answer: the ids purged.
        reply: oneshot::Sender<Result<Vec<String>, StoreError>>,
    },
}

/// The columns of a new row.
pub(crate) struct NewRow {
    /// `id`
    pub(crate) id: String,
    /// `author_id`
    pub(crate) author_id: Option<String>,
    /// `created_at`
    pub(crate) created_ms: i64,
    /// `expires_at`
    pub(crate) expires_ms: Option<i64>,
    /// `doc`
    pub(crate) doc: Vec<u8>,
    /// `forked_from`: the original's id, on a fork.
    pub(crate) forked_from: Option<String>,
    /// `listed_language`: the language shown, when the public archive
    /// lists it; NULL when it does not.
    pub(crate) listed_language: Option<String>,
    /// `client`: the creating client's address tag.
    pub(crate) client: Option<String>,
}

/// A write done inside the open transaction, its answer held until the commit.
enum Done {
    Unit(
        oneshot::Sender<Result<(), StoreError>>,
        Result<(), StoreError>,
    ),
    Doc(
        oneshot::Sender<Result<Option<Vec<u8>>, StoreError>>,
        Result<Option<Vec<u8>>, StoreError>,
    ),
    Flag(
        oneshot::Sender<Result<bool, StoreError>>,
        Result<bool, StoreError>,
    ),
    Ids(
        oneshot::Sender<Result<Vec<String>, StoreError>>,
        Result<Vec<String>, StoreError>,
    ),
    Count(
        oneshot::Sender<Result<Option<ForkCount>, StoreError>>,
        Result<Option<ForkCount>, StoreError>,
    ),
    Edit(
        oneshot::Sender<Result<EditOutcome, StoreError>>,
        Result<EditOutcome, StoreError>,
    ),
}

impl Done {
    /// Sends the answer (the asker may have hung up: nothing to do then).
    fn send(self) {
        match self {
            Done::Unit(tx, r) => drop(tx.send(r)),
            Done::Doc(tx, r) => drop(tx.send(r)),
            Done::Flag(tx, r) => drop(tx.send(r)),
            Done::Ids(tx, r) => drop(tx.send(r)),
            Done::Count(tx, r) => drop(tx.send(r)),
            Done::Edit(tx, r) => drop(tx.send(r)),
        }
    }

    /// The commit failed: nothing of this write happened.
    fn fail(self, why: &str) {
        let e = || StoreError::unavailable(why.to_owned());
        match self {
            Done::Unit(tx, _) => drop(tx.send(Err(e()))),
            Done::Doc(tx, _) => drop(tx.send(Err(e()))),
            Done::Flag(tx, _) => drop(tx.send(Err(e()))),
            Done::Ids(tx, _) => drop(tx.send(Err(e()))),
            Done::Count(tx, _) => drop(tx.send(Err(e()))),
            Done::Edit(tx, _) => drop(tx.send(Err(e()))),
        }
    }
}

/// Maps an SQLite error that means the store cannot work right now.
pub(crate) fn unavailable(e: rusqlite::Error) -> StoreError {
    StoreError::unavailable(e)
}

/// Runs until every sender is gone, then returns (the store is closing).
pub(crate) fn run(conn: Connection, mut rx: mpsc::Receiver<Write>) {
    let mut group = Vec::with_capacity(MAX_GROUP);
    while let Some(first) = rx.blocking_recv() {
        group.push(first);
        while group.len() < MAX_GROUP {
            match rx.try_recv() {
                Ok(write) => group.push(write),
                Err(_) => break,
            }
        }
        commit_group(&conn, &mut group);
    }
    tracing::debug!("embedded store writer stopped");
}

fn commit_group(conn: &Connection, group: &mut Vec<Write>) {
    if let Err(e) = conn.execute_batch("BEGIN IMMEDIATE") {
        let why = e.to_string();
        tracing::error!(error = %why, "embedded store: cannot begin a write");
        for write in group.drain(..) {
            apply_nothing(write).fail(&why);
        }
        return;
    }
    let mut done: Vec<Done> = Vec::with_capacity(group.len());
    let mut writes = std::mem::take(group).into_iter();
    while let Some(write) = writes.next() {
        done.push(apply(conn, write));
        // Some errors (disk full, I/O, out of memory) make SQLite roll the whole
        // transaction back by itself; what follows would then commit one by one
        // while this thread reports failure. Stop: nothing of the group happened.
        if conn.is_autocommit() {
            let why = "the store rolled back a write group (disk full or I/O error)";
            tracing::error!(why);
            done.into_iter().for_each(|d| d.fail(why));
            writes.map(apply_nothing).for_each(|d| d.fail(why));
            return;
        }
    }
    match conn.execute_batch("COMMIT") {
        Ok(()) => done.into_iter().for_each(Done::send),
        Err(e) => {
            let why = e.to_string();
            tracing::error!(error = %why, "embedded store: commit failed");
            let _ = conn.execute_batch("ROLLBACK");
            done.into_iter().for_each(|d| d.fail(&why));
        }
    }
}

/// The answer slot of a write that was never attempted.
fn apply_nothing(write: Write) -> Done {
    match write {
        Write::Insert { reply, .. } => Done::Unit(reply, Ok(())),
        Write::Visits { reply, .. } => Done::Flag(reply, Ok(false)),
        Write::Take { reply, .. } => Done::Doc(reply, Ok(None)),
        Write::Delete { reply, .. } => Done::Flag(reply, Ok(false)),
        Write::Purge { reply, .. } | Write::OrphanForks { reply, .. } => {
            Done::Ids(reply, Ok(Vec::new()))
        }
        Write::RecountForks { reply, .. } => Done::Count(reply, Ok(None)),
        Write::Edit { reply, .. } => Done::Edit(reply, Ok(EditOutcome::Missing)),
        Write::InsertUser { reply, .. } | Write::InsertToken { reply, .. } => {
            Done::Unit(reply, Ok(()))
        }
        Write::DeleteToken { reply, .. } | Write::Claim { reply, .. } => {
            Done::Flag(reply, Ok(false))
        }
    }
}

fn apply(conn: &Connection, write: Write) -> Done {
    match write {
        Write::Insert { row, reply } => Done::Unit(reply, insert(conn, &row)),
        Write::Take { id, now_ms, reply } => Done::Doc(reply, take(conn, &id, now_ms)),
        Write::Delete { id, reply } => Done::Flag(
            reply,
            conn.execute("DELETE FROM pastes WHERE id = ?1", [&id])
                .map(|n| n > 0)
                .map_err(unavailable),
        ),
        Write::Visits {
            batch,
            now_ms,
            visits,
            reply,
        } => Done::Flag(reply, add_visits(conn, &batch, now_ms, &visits)),
        Write::Purge { now_ms, reply } => Done::Ids(reply, purge(conn, now_ms)),
        Write::RecountForks { id, now_ms, reply } => {
            Done::Count(reply, forks::recount(conn, &id, now_ms))
        }
        Write::OrphanForks { id, reply } => Done::Ids(reply, forks::orphan(conn, &id)),
        Write::Edit {
            edit,
            now_ms,
            reply,
        } => Done::Edit(reply, super::revisions::edit(conn, &edit, now_ms)),
        Write::InsertUser {
            id,
            username,
            doc,
            reply,
        } => Done::Unit(reply, insert_user(conn, &id, &username, &doc)),
        Write::InsertToken {
            id,
            user_id,
            doc,
            reply,
        } => Done::Unit(
            reply,
            conflict_or_unavailable(conn.execute(
                "INSERT INTO api_tokens (id, user_id, doc) VALUES (?1, ?2, ?3)",
                params![id, user_id, doc],
            )),
        ),
        Write::Claim {
            id,
            author_id,
            username,
            now_ms,
            reply,
        } => Done::Flag(reply, claim(conn, &id, &author_id, &username, now_ms)),
        Write::DeleteToken { id, user_id, reply } => Done::Flag(
            reply,
            conn.execute(
                "DELETE FROM api_tokens WHERE id = ?1 AND user_id = ?2",
                [&id, &user_id],
            )
            .map(|n| n > 0)
            .map_err(unavailable),
        ),
    }
}
