//! Forks in MongoDB: listed and counted on the `forks_newest_first` index
//! (`forked_from.id`, then the list's order; partial: forks only).
//!
//! A recount is a count and a `$set`, not one atomic step: two recounts of
//! one original can interleave (one counts, another counts more and sets,
//! the first sets its older number). So each recount counts again after its
//! `$set` and sets again until the two agree. The last writer then always
//! verifies after its own write, and the counter ends right; every fork
//! created or deleted later enqueues its own recount.

use futures_util::TryStreamExt;
use mongodb::bson::{Bson, Document, doc};
use time::OffsetDateTime;

use super::super::document::{ForkLineDocument, to_bson_date};
use super::super::{ForkCount, StoreError};
use super::MongoStore;
use crate::domain::{ForkSummary, PageRequest, PasteId, UserId, Visibility};

/// Rounds of count-then-set before a recount gives up (the job is retried).
const RECOUNT_ROUNDS: usize = 5;

/// The filter of a page of `original`'s forks that `viewer` may see: live at
/// `now`, strictly after the cursor in (created_at desc, _id desc) order.
pub(super) fn forks_page(
    original: &PasteId,
    viewer: Option<&UserId>,
    page: &PageRequest,
    now: OffsetDateTime,
) -> Document {
    let mut filter = doc! { "forked_from.id": original.as_str() };
    let mut and = vec![live_forks(now)];
    let mut seen = vec![doc! { "visibility": Visibility::Public.as_str() }];
    if let Some(viewer) = viewer {
        seen.push(doc! { "author.id": viewer.as_str() });
    }
    and.push(doc! { "$or": seen });
    if let Some(after) = &page.after {
        let at = to_bson_date(after.created_at);
        and.push(doc! {
            "$or": [
                { "created_at": { "$lt": at } },
                { "created_at": at, "_id": { "$lt": after.id.as_str() } },
            ],
        });
        filter.insert("created_at", doc! { "$lte": at });
    }
    filter.insert("$and", and);
    filter
}

fn live_forks(now: OffsetDateTime) -> Document {
    doc! { "$or": [ { "expires_at": Bson::Null }, { "expires_at": { "$gt": to_bson_date(now) } } ] }
}

impl MongoStore {
    /// `DocumentStore::paste_forks`.
    pub(super) async fn forks_of(
        &self,
        original: &PasteId,
        viewer: Option<&UserId>,
        page: &PageRequest,
        now: OffsetDateTime,
    ) -> Result<Vec<ForkSummary>, StoreError> {
        let limit = page.capped_limit();
        if limit == 0 {
            return Ok(Vec::new());
        }
        let lines = self.db.collection::<ForkLineDocument>(super::PASTES);
        let docs: Vec<ForkLineDocument> = self
            .bounded(async {
                lines
                    .find(forks_page(original, viewer, page, now))
                    .sort(doc! { "created_at": -1, "_id": -1 })
                    .projection(ForkLineDocument::projection())
                    .limit(i64::try_from(limit).unwrap_or(i64::MAX))
                    .max_time(self.operation_timeout)
                    .await?
                    .try_collect()
                    .await
            })
            .await?;
        docs.into_iter().map(ForkSummary::try_from).collect()
    }

    /// `DocumentStore::recount_forks`: count, set, and count again until
    /// the number set is the number there.
    pub(super) async fn recount(
        &self,
        original: &PasteId,
        now: OffsetDateTime,
    ) -> Result<Option<ForkCount>, StoreError> {
        let mut filter = doc! { "forked_from.id": original.as_str() };
        filter.extend(live_forks(now));
        let mut changed = false;
        for _ in 0..RECOUNT_ROUNDS {
            let count = self
                .bounded(
                    self.pastes
                        .count_documents(filter.clone())
                        .max_time(self.operation_timeout),
                )
                .await?;
            let n = i64::try_from(count).unwrap_or(i64::MAX);
            let set = self
                .bounded(self.pastes.update_one(
                    doc! { "_id": original.as_str() },
                    doc! { "$set": { "fork_count": n } },
                ))
                .await?;
            if set.matched_count == 0 {
                return Ok(None);
            }
            changed |= set.modified_count > 0;
            let again = self
                .bounded(
                    self.pastes
                        .count_documents(filter.clone())
                        .max_time(self.operation_timeout),
                )
                .await?;
            if again == count {
                return Ok(Some(ForkCount { count, changed }));
            }
        }
        Err(StoreError::unavailable(format!(
            "the forks of {original} kept changing while they were counted"
        )))
    }

    /// `DocumentStore::orphan_forks`: the forks not yet marked, then one
    /// `updateMany` of those (a retry finds none left to change).
    pub(super) async fn orphan(&self, original: &PasteId) -> Result<Vec<PasteId>, StoreError> {
        let filter =
            doc! { "forked_from.id": original.as_str(), "forked_from.gone": { "$ne": true } };
        let ids = self.db.collection::<Document>(super::PASTES);
        let found: Vec<Document> = self
            .bounded(async {
                ids.find(filter.clone())
                    .projection(doc! { "_id": 1 })
                    .max_time(self.operation_timeout)
                    .await?
                    .try_collect()
                    .await
            })
            .await?;
        let forks: Vec<String> = found
            .iter()
            .filter_map(|d| d.get_str("_id").ok().map(str::to_owned))
            .collect();
        if forks.is_empty() {
            return Ok(Vec::new());
        }
        self.bounded(self.pastes.update_many(
            doc! { "_id": { "$in": &forks } },
            doc! { "$set": { "forked_from.gone": true } },
        ))
        .await?;
        Ok(forks.iter().filter_map(|id| PasteId::parse(id)).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_forks_page_runs_on_the_fork_index_and_hides_others_unlisted_forks() {
        let original = PasteId::parse("abcdEFGH").expect("an id");
        let page = PageRequest {
            after: None,
            limit: 10,
            public_only: false,
        };
        let viewer = UserId::parse("u1").expect("an id");
        let filter = forks_page(&original, Some(&viewer), &page, OffsetDateTime::UNIX_EPOCH);
        assert_eq!(filter.get_str("forked_from.id"), Ok("abcdEFGH"));
        let and = filter.get_array("$and").expect("$and");
        let seen = and[1]
            .as_document()
            .and_then(|d| d.get_array("$or").ok())
            .expect("who sees what");
        assert_eq!(seen.len(), 2, "public ones, and the viewer's own");
        let anonymous = forks_page(&original, None, &page, OffsetDateTime::UNIX_EPOCH);
        let seen = anonymous.get_array("$and").expect("$and")[1]
            .as_document()
            .and_then(|d| d.get_array("$or").ok())
            .map(Vec::len);
        assert_eq!(seen, Some(1), "public ones only");
    }
}
