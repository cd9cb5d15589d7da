//! The one place where MongoDB driver errors become store errors, by code,
//! never by message text (servers word them differently).

use mongodb::error::{Error, ErrorKind, WriteFailure};

use crate::store::StoreError;

/// The server's code for a duplicate key on a unique index.
pub(crate) const DUPLICATE_KEY: i32 = 11000;

/// The server's codes for an index that clashes with an existing one:
/// `IndexOptionsConflict` (same keys under another name, or same name with
/// other options) and `IndexKeySpecsConflict` (same name, other keys).
const INDEX_OPTIONS_CONFLICT: i32 = 85;
const INDEX_KEY_SPECS_CONFLICT: i32 = 86;

/// What clashed and the server's message, when `e` refused an index because
/// one already there conflicts with it.
pub(crate) fn index_conflict(e: &Error) -> Option<(&'static str, String)> {
    let ErrorKind::Command(c) = &*e.kind else {
        return None;
    };
    let why = match c.code {
        INDEX_OPTIONS_CONFLICT => "IndexOptionsConflict, code 85: same keys or name, other options",
        INDEX_KEY_SPECS_CONFLICT => "IndexKeySpecsConflict, code 86: same name, other keys",
        _ => return None,
    };
    Some((why, c.message.clone()))
}

/// True when the error is a duplicate key, however the server reported it: a
/// write error of an insert, or a command error (inside a transaction, some
/// servers answer that way).
pub(crate) fn is_duplicate(e: &Error) -> bool {
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

/// A driver error as a store error: duplicate key is a conflict, a document
/// that does not decode is corruption, everything else means the store cannot
/// work now (503). Lets `?` and `bounded` take driver results as they are.
impl From<Error> for StoreError {
    fn from(e: Error) -> Self {
        if is_duplicate(&e) {
            return StoreError::Conflict;
        }
        match &*e.kind {
            ErrorKind::BsonDeserialization(_) => StoreError::corrupt(e),
            _ => StoreError::unavailable(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use mongodb::bson::doc;
    use mongodb::error::{CommandError, WriteError};

    use super::*;

    fn server_said(code: i32, message: &str) -> mongodb::bson::Document {
        doc! { "code": code, "codeName": "Whatever", "errmsg": message }
    }

    #[test]
    fn a_duplicate_key_is_a_conflict_however_it_is_reported_or_worded() {
        let write: WriteError =
            mongodb::bson::from_document(server_said(DUPLICATE_KEY, "E11000 dup"))
                .expect("a write error");
        let as_write = Error::from(ErrorKind::Write(WriteFailure::WriteError(write)));
        assert!(matches!(StoreError::from(as_write), StoreError::Conflict));
        let command: CommandError =
            mongodb::bson::from_document(server_said(DUPLICATE_KEY, "worded otherwise"))
                .expect("a command error");
        assert!(matches!(
            StoreError::from(Error::from(ErrorKind::Command(command))),
            StoreError::Conflict
        ));
    }

    #[test]
    fn other_server_errors_are_unavailable_and_bad_documents_corrupt() {
        let command: CommandError = mongodb::bson::from_document(server_said(91, "shutting down"))
            .expect("a command error");
        assert!(matches!(
            StoreError::from(Error::from(ErrorKind::Command(command))),
            StoreError::Unavailable(_)
        ));
        let bad = mongodb::bson::from_document::<crate::store::document::PasteDocument>(doc! {})
            .expect_err("an empty document is not a paste");
        assert!(matches!(
            StoreError::from(Error::from(bad)),
            StoreError::Corrupt(_)
        ));
    }

    #[test]
    fn a_store_error_carries_the_driver_error_as_its_source() {
        let command: CommandError = mongodb::bson::from_document(server_said(91, "shutting down"))
            .expect("a command error");
        let e = StoreError::from(Error::from(ErrorKind::Command(command)));
        let source = std::error::Error::source(&e).expect("a source");
        let driver = source
            .downcast_ref::<Error>()
            .expect("the driver's own error");
        assert!(matches!(&*driver.kind, ErrorKind::Command(c) if c.code == 91));
    }
}
