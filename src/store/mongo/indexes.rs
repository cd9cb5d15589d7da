//! Every index the MongoDB backend needs, created idempotently (at start and
//! by `pastebin migrate`). Creating an index that exists with the same keys
//! and options is a no-op on the server.

use std::time::Duration;

use mongodb::bson::{Document, doc};
use mongodb::options::IndexOptions;
use mongodb::{Database, IndexModel};

use super::error::index_conflict;
use super::{BATCHES, PASTES, REVISIONS, TOKENS, USERS};
use crate::store::StoreError;

/// How long applied visit batches are remembered (a fold is retried for
/// minutes, not days).
const BATCH_MEMORY: Duration = Duration::from_secs(7 * 24 * 3600);

/// A partial index of the public archive: listed pastes only.
fn archive_index(name: &str, keys: Document) -> IndexModel {
    IndexModel::builder()
        .keys(keys)
        .options(
            IndexOptions::builder()
                .name(name.to_owned())
                .partial_filter_expression(doc! { "listed": true })
                .build(),
        )
        .build()
}

/// Creates the indexes, one at a time so that one that clashes with an
/// index already there is named (`StoreError::IndexConflict`, with the fix).
pub(crate) async fn ensure(db: &Database) -> Result<(), StoreError> {
    for (collection, model) in [
        (
            PASTES,
            // TTL: MongoDB deletes a paste once `expires_at` has passed (its
            // monitor runs about once a minute; reads filter on expiry anyway,
            // so an expired paste is 404 at once). Documents whose `expires_at`
            // is null are never expired by it. The sweep's query uses it too.
            IndexModel::builder()
                .keys(doc! { "expires_at": 1 })
                .options(
                    IndexOptions::builder()
                        .name("expires_at_ttl".to_owned())
                        .expire_after(Duration::ZERO)
                        .build(),
                )
                .build(),
        ),
        (
            PASTES,
            // A user's pastes, newest first, for user pages with a cursor
            // (created_at, _id): only documents with an author are indexed.
            IndexModel::builder()
                .keys(doc! { "author.id": 1, "created_at": -1, "_id": -1 })
                .options(
                    IndexOptions::builder()
                        .name("author_newest_first".to_owned())
                        .partial_filter_expression(doc! { "author.id": { "$exists": true } })
                        .build(),
                )
                .build(),
        ),
        (
            PASTES,
            // A paste's forks, newest first, for `/{id}/forks` with a cursor,
            // and their count (the `count_forks` job): forks only.
            IndexModel::builder()
                .keys(doc! { "forked_from.id": 1, "created_at": -1, "_id": -1 })
                .options(
                    IndexOptions::builder()
                        .name("forks_newest_first".to_owned())
                        .partial_filter_expression(doc! { "forked_from.id": { "$exists": true } })
                        .build(),
                )
                .build(),
        ),
        (
            PASTES,
            // The public archive (`/recent`), newest first: listed pastes
            // only (the field is absent on every other). See `archive.rs`
            // for the query shape each of the three serves.
            archive_index("archive_newest_first", doc! { "created_at": -1, "_id": -1 }),
        ),
        (
            PASTES,
            // The archive searched by the language shown.
            archive_index(
                "archive_by_language",
                doc! { "shown_language": 1, "created_at": -1, "_id": -1 },
            ),
        ),
        (
            PASTES,
            // The archive searched by a word of the title (multikey on
            // `title_words`; the list's order follows, so no in-memory sort).
            archive_index(
                "archive_by_title_word",
                doc! { "title_words": 1, "created_at": -1, "_id": -1 },
            ),
        ),
        // Lookups by id use the built-in unique `_id` index: a paste id is `_id`
        // (random, evenly spread: a good hashed shard key).
        (
            USERS,
            // Usernames are unique across the fleet: two clones signing up the
            // same name at once get one user and one duplicate-key error
            // (names are stored lowercase, so the index sees one spelling).
            // Also the lookup of a user page, `/u/{username}`.
            IndexModel::builder()
                .keys(doc! { "username": 1 })
                .options(
                    IndexOptions::builder()
                        .name("username_unique".to_owned())
                        .unique(true)
                        .build(),
                )
                .build(),
        ),
        (
            TOKENS,
            // A user's API tokens, listed on their settings page; a token is
            // found from its secret by `_id`.
            IndexModel::builder()
                .keys(doc! { "user_id": 1 })
                .options(
                    IndexOptions::builder()
                        .name("tokens_by_user".to_owned())
                        .build(),
                )
                .build(),
        ),
        (
            BATCHES,
            // Applied visit batches (the batch id is `_id`) expire after a week.
            IndexModel::builder()
                .keys(doc! { "applied_at": 1 })
                .options(
                    IndexOptions::builder()
                        .name("applied_at_ttl".to_owned())
                        .expire_after(BATCH_MEMORY)
                        .build(),
                )
                .build(),
        ),
        (
            REVISIONS,
            // A paste's history in order, and a revision by number (its
            // `_id`, `<paste>.<number>`, makes each revision unique too).
            IndexModel::builder()
                .keys(doc! { "paste_id": 1, "number": 1 })
                .options(
                    IndexOptions::builder()
                        .name("revisions_by_paste".to_owned())
                        .unique(true)
                        .build(),
                )
                .build(),
        ),
        (
            REVISIONS,
            // Revisions carry their paste's expiry and go with it.
            IndexModel::builder()
                .keys(doc! { "expires_at": 1 })
                .options(
                    IndexOptions::builder()
                        .name("revisions_expires_at_ttl".to_owned())
                        .expire_after(Duration::ZERO)
                        .build(),
                )
                .build(),
        ),
        (
            PASTES,
            // `admin recent --by-address`: one client's pastes, newest first.
            IndexModel::builder()
                .keys(doc! { "client": 1, "created_at": -1 })
                .options(
                    IndexOptions::builder()
                        .name("client_newest_first".to_owned())
                        .partial_filter_expression(doc! { "client": { "$exists": true } })
                        .build(),
                )
                .build(),
        ),
        (
            PASTES,
            // `admin recent`: every paste, newest first.
            IndexModel::builder()
                .keys(doc! { "created_at": -1 })
                .options(
                    IndexOptions::builder()
                        .name("newest_first".to_owned())
                        .build(),
                )
                .build(),
        ),
        (
            super::REPORTS,
            // `admin reports`: the open ones, newest first.
            IndexModel::builder()
                .keys(doc! { "resolved": 1, "at": -1 })
                .options(
                    IndexOptions::builder()
                        .name("reports_by_state".to_owned())
                        .build(),
                )
                .build(),
        ),
        (
            super::AUDIT,
            // `admin audit`: newest first.
            IndexModel::builder()
                .keys(doc! { "at": -1 })
                .options(
                    IndexOptions::builder()
                        .name("audit_newest_first".to_owned())
                        .build(),
                )
                .build(),
        ),
    ] {
        make(db, collection, model).await?;
    }
    Ok(())
}

/// One index of `collection` (a no-op when it exists alike).
async fn make(
    db: &Database,
    collection: &'static str,
    model: IndexModel,
) -> Result<(), StoreError> {
    let index = model
        .options
        .as_ref()
        .and_then(|o| o.name.clone())
        .unwrap_or_default();
    db.collection::<Document>(collection)
        .create_index(model)
        .await
        .map(drop)
        .map_err(|e| refused(collection, index, e))
}

/// The store error of a refused index: a clash is named with its fix,
/// anything else is what any driver error is.
fn refused(collection: &'static str, index: String, e: mongodb::error::Error) -> StoreError {
    match index_conflict(&e) {
        Some((why, said)) => StoreError::IndexConflict {
            collection,
            index,
            why,
            said,
        },
        None => StoreError::from(e),
    }
}

#[cfg(test)]
mod tests {
    use mongodb::bson::doc;
    use mongodb::error::{CommandError, Error, ErrorKind};

    use super::refused;
    use crate::store::StoreError;

    fn server_said(code: i32, name: &str, message: &str) -> Error {
        let command: CommandError = mongodb::bson::from_document(
            doc! { "code": code, "codeName": name, "errmsg": message },
        )
        .expect("a command error");
        Error::from(ErrorKind::Command(command))
    }

    #[test]
    fn a_clashing_index_is_named_with_its_fix_not_called_unavailable() {
        for (code, name, said) in [
            (
                85,
                "IndexOptionsConflict",
                "Index already exists with a different name: author_1_created_at_-1",
            ),
            (
                86,
                "IndexKeySpecsConflict",
                "An existing index has the same name as the requested index",
            ),
        ] {
            let e = refused(
                "pastes",
                "author_newest_first".to_owned(),
                server_said(code, name, said),
            );
            assert!(matches!(e, StoreError::IndexConflict { .. }), "{code}");
            let text = e.to_string();
            for part in [
                "\"author_newest_first\"",
                "\"pastes\"",
                name,
                &format!("code {code}"),
                said,
                "db.pastes.dropIndex(",
                "pastebin migrate",
            ] {
                assert!(text.contains(part), "{part:?} missing from: {text}");
            }
            assert!(!text.contains("unavailable"), "{text}");
            let answered = crate::error::AppError::from(e);
            assert!(matches!(answered, crate::error::AppError::Unavailable(_)));
        }
    }

    #[test]
    fn any_other_refusal_stays_what_a_driver_error_is() {
        let e = refused(
            "users",
            "username_unique".to_owned(),
            server_said(13, "Unauthorized", "not authorized"),
        );
        assert!(matches!(e, StoreError::Unavailable(_)), "{e}");
    }
}
