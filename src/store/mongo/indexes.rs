//! Every index the MongoDB backend needs, created idempotently (at start and
//! by `pastebin migrate`). Creating an index that exists with the same keys
//! and options is a no-op on the server.

use std::time::Duration;

use mongodb::bson::doc;
use mongodb::options::IndexOptions;
use mongodb::{Database, IndexModel};

use super::{BATCHES, PASTES, TOKENS, USERS};

/// How long applied visit batches are remembered (a fold is retried for
/// minutes, not days).
const BATCH_MEMORY: Duration = Duration::from_secs(7 * 24 * 3600);

/// Creates the indexes.
pub(crate) async fn ensure(db: &Database) -> mongodb::error::Result<()> {
    let pastes = db.collection::<mongodb::bson::Document>(PASTES);
    pastes
        .create_indexes([
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
        ])
        .await?;
    // Lookups by id use the built-in unique `_id` index: a paste id is `_id`
    // (random, evenly spread: a good hashed shard key).
    db.collection::<mongodb::bson::Document>(USERS)
        .create_index(
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
        )
        .await?;
    db.collection::<mongodb::bson::Document>(TOKENS)
        .create_index(
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
        )
        .await?;
    db.collection::<mongodb::bson::Document>(BATCHES)
        .create_index(
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
        )
        .await?;
    Ok(())
}
