//! Multi-document transactions: a paste with its author's counter, a visit
//! batch with its record. Both are retried while the server calls the failure
//! transient, and a commit whose outcome is unknown is committed again.

use std::future::Future;
use std::time::Duration;

use mongodb::bson::doc;
use time::OffsetDateTime;

use super::super::document::{PasteDocument, to_bson_date};
use super::super::{StoreError, VisitCount};
use super::MongoStore;
use super::error::is_duplicate;
use super::filters::add_views;
use crate::domain::{AuthorSummary, UserId};

/// Attempts of a transaction that conflicts with a concurrent one (the
/// operation timeout usually ends the retries first).
const TRANSACTION_ATTEMPTS: u32 = 30;
/// Attempts of a commit whose outcome is unknown (a commit is idempotent).
const COMMIT_ATTEMPTS: u32 = 5;

/// The wait before retry number `tries` of a conflicting transaction:
/// exponential from 2 ms up to 256 ms, with full jitter so that transactions
/// that collided do not collide again in lockstep (on MongoDB a write conflict
/// fails at once rather than waiting for the lock).
fn backoff(tries: u32) -> Duration {
    let ceiling_ms = 2_u64 << tries.min(7);
    Duration::from_millis(rand::random_range(1..=ceiling_ms))
}

impl MongoStore {
    /// Runs a transaction, again while the server calls its failure transient
    /// (a write conflict with a concurrent transaction, an election).
    pub(super) async fn transaction<T, F, Fut>(&self, mut attempt: F) -> Result<T, StoreError>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = mongodb::error::Result<T>>,
    {
        let mut tries = 0;
        loop {
            tries += 1;
            match attempt().await {
                Err(e)
                    if e.contains_label(mongodb::error::TRANSIENT_TRANSACTION_ERROR)
                        && tries < TRANSACTION_ATTEMPTS =>
                {
                    tokio::time::sleep(backoff(tries)).await;
                }
                done => return done.map_err(StoreError::from),
            }
        }
    }

    /// Commits, again while the outcome is unknown (the commit is idempotent).
    pub(super) async fn commit(session: &mut mongodb::ClientSession) -> mongodb::error::Result<()> {
        let mut tries = 0;
        loop {
            tries += 1;
            match session.commit_transaction().await {
                Err(e)
                    if e.contains_label(mongodb::error::UNKNOWN_TRANSACTION_COMMIT_RESULT)
                        && tries < COMMIT_ATTEMPTS => {}
                done => return done,
            }
        }
    }

    /// One attempt at storing an authored paste and raising its author's
    /// counter together.
    pub(super) async fn insert_authored(
        &self,
        paste: &PasteDocument,
        author_id: &UserId,
    ) -> mongodb::error::Result<()> {
        let mut session = self.client.start_session().await?;
        session
            .start_transaction()
            .max_commit_time(self.operation_timeout)
            .await?;
        let steps = async {
            self.pastes.insert_one(paste).session(&mut session).await?;
            self.users
                .update_one(
                    doc! { "_id": author_id.as_str() },
                    doc! { "$inc": { "stats.pastes_created": 1_i64 } },
                )
                .session(&mut session)
                .await?;
            Ok(())
        }
        .await;
        if let Err(e) = steps {
            let _ = session.abort_transaction().await;
            return Err(e);
        }
        Self::commit(&mut session).await
    }

    /// One attempt at giving the anonymous paste `filter` names an author
    /// and raising the author's counter together; `Ok(false)` when no such
    /// paste is there (gone, expired, or claimed already).
    pub(super) async fn claim_authored(
        &self,
        filter: &mongodb::bson::Document,
        author: &AuthorSummary,
    ) -> mongodb::error::Result<bool> {
        let mut session = self.client.start_session().await?;
        session
            .start_transaction()
            .max_commit_time(self.operation_timeout)
            .await?;
        let author_doc = doc! { "id": author.id.as_str(), "username": author.username.as_str() };
        let steps = async {
            let set = self
                .pastes
                .update_one(filter.clone(), doc! { "$set": { "author": author_doc } })
                .session(&mut session)
                .await?;
            if set.modified_count == 0 {
                return Ok(false);
            }
            self.users
                .update_one(
                    doc! { "_id": author.id.as_str() },
                    doc! { "$inc": { "stats.pastes_created": 1_i64 } },
                )
                .session(&mut session)
                .await?;
            Ok(true)
        }
        .await;
        match steps {
            Ok(true) => Self::commit(&mut session).await.map(|()| true),
            Ok(false) => {
                let _ = session.abort_transaction().await;
                Ok(false)
            }
            Err(e) => {
                let _ = session.abort_transaction().await;
                Err(e)
            }
        }
    }

    /// One attempt of the visit transaction; `Ok(false)` when the batch was applied before.
    pub(super) async fn apply_batch(
        &self,
        batch: &str,
        visits: &[VisitCount],
    ) -> mongodb::error::Result<bool> {
        let mut session = self.client.start_session().await?;
        session
            .start_transaction()
            .max_commit_time(self.operation_timeout)
            .await?;
        let marker = doc! { "_id": batch, "applied_at": to_bson_date(OffsetDateTime::now_utc()) };
        if let Err(e) = self.batches.insert_one(marker).session(&mut session).await {
            let _ = session.abort_transaction().await;
            return if is_duplicate(&e) { Ok(false) } else { Err(e) };
        }
        for visit in visits {
            let updated = self
                .pastes
                .update_one(doc! { "_id": visit.id.as_str() }, add_views(visit))
                .session(&mut session)
                .await;
            if let Err(e) = updated {
                let _ = session.abort_transaction().await;
                return Err(e);
            }
        }
        Self::commit(&mut session).await.map(|()| true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_exponentially_with_jitter_and_a_ceiling() {
        for tries in 1..40 {
            let wait = backoff(tries);
            assert!(wait >= Duration::from_millis(1));
            assert!(wait <= Duration::from_millis(2 << tries.min(7)));
            assert!(wait <= Duration::from_millis(256));
        }
        let waits: std::collections::HashSet<Duration> = (0..50).map(|_| backoff(7)).collect();
        assert!(waits.len() > 1, "jittered, not in lockstep");
    }
}
