//! The one place where MongoDB driver errors become store errors, by code,
//! never by message text (servers word them differently).

use mongodb::error::{Error, ErrorKind, WriteFailure};

use crate::store::StoreError;

/// The server's code for a duplicate key on a unique index.
pub const DUPLICATE_KEY: i32 = 11000;

/// True when the error is a duplicate key, however the server reported it: a
/// write error of an insert, or a command error (inside a transaction, some
/// servers answer that way).
pub fn is_duplicate(e: &Error) -> bool {
    match &*e.kind {
        ErrorKind::Write(WriteFailure::WriteError(w)) => w.code == DUPLICATE_KEY,
        ErrorKind::Command(c) => c.code == DUPLICATE_KEY,
        ErrorKind::InsertMany(m) => m
            .write_errors
            .iter()
            .flatten()
            .any(|w| w.code == DUPLICATE_KEY),
        _ => false,
    }
}

/// Maps a driver error: duplicate key is a conflict, a document that does not
/// decode is corruption, everything else means the store cannot work now (503).
pub fn map(e: Error) -> StoreError {
    if is_duplicate(&e) {
        return StoreError::Conflict;
    }
    match &*e.kind {
        ErrorKind::BsonDeserialization(_) => StoreError::Corrupt(e.to_string()),
        _ => StoreError::Unavailable(e.to_string()),
    }
}
