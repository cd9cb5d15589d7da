//! The one place where MongoDB driver errors become store errors, by code,
//! never by message text (servers word them differently).

use mongodb::error::{Error, ErrorKind, WriteFailure};

use crate::store::StoreError;

/// The server's code for a duplicate key on a unique index.
pub const DUPLICATE_KEY: i32 = 11000;

/// True when the error is a duplicate key.
pub fn is_duplicate(e: &Error) -> bool {
    matches!(&*e.kind, ErrorKind::Write(WriteFailure::WriteError(w)) if w.code == DUPLICATE_KEY)
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
