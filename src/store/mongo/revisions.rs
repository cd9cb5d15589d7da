//! Edits and revisions in MongoDB.
//!
//! An edit is one multi-document transaction: read the paste (compare its
//! revision), insert the revision it replaces, replace the paste document,
//! drop revisions past the limit, and (when the expiry changed) re-date the
//! kept revisions. A transaction rather than an ordered pair of writes
//! because the store already needs a replica set (visit batches use one),
//! and because it leaves nothing to repair after `kill -9`: with an ordered
//! pair, a revision could exist without its paste update (or the reverse)
//! until a retry came, and a retry may never come. A write conflict with a
//! concurrent edit or visit fold is transient: the whole edit is retried,
//! re-reads the paste and then finds it `Stale` (or its own work done).
//!
//! Revisions carry their paste's `expires_at`, so the TTL index removes
//! them with it; a delete or a sweep removes a paste's revisions before the
//! paste, so a crash between the two leaves a paste without its history,
//! never a history for an id a new paste could draw.

use futures_util::TryStreamExt;
use mongodb::bson::{Bson, Document, doc};
use time::OffsetDateTime;

use super::MongoStore;
use super::filters::live;
use crate::domain::{EditOutcome, PasteEdit, PasteId, Revision, RevisionLine};
use crate::store::StoreError;
use crate::store::document::{
    PasteDocument, RevisionDocument, RevisionLineDocument, count, revision_key, to_bson_date,
};

/// Where the reads of an edit's transaction lead.
enum Step {
    /// Nothing to write: this is the answer.
    Answer(EditOutcome),
    /// The stored paste does not decode.
    Corrupt(StoreError),
    /// Written: commit, and the paste is this.
    Wrote(Box<crate::domain::Paste>),
}

impl MongoStore {
    /// One attempt of the edit transaction.
    pub(super) async fn edit_once(
        &self,
        edit: &PasteEdit,
        now: OffsetDateTime,
    ) -> mongodb::error::Result<Result<EditOutcome, StoreError>> {
        let mut session = self.client.start_session().await?;
        session
            .start_transaction()
            .max_commit_time(self.operation_timeout)
            .await?;
        let steps = async {
            let found = self
                .pastes
                .find_one(live(&edit.id, now))
                .session(&mut session)
                .await?;
            let Some(found) = found else {
                return Ok(Step::Answer(EditOutcome::Missing));
            };
            let paste = match crate::domain::Paste::try_from(found) {
                Ok(paste) => paste,
                Err(e) => return Ok(Step::Corrupt(e)),
            };
            if edit.is_applied_in(&paste) {
                return Ok(Step::Answer(EditOutcome::Edited(Box::new(paste))));
            }
            if paste.revision_number() != edit.base {
                return Ok(Step::Answer(EditOutcome::Stale {
                    current: paste.revision_number(),
                }));
            }
            let earlier = RevisionDocument::new(&Revision::latest_of(&paste), edit.expires_at);
            let edited = paste.edited(edit);
            self.revisions
                .insert_one(&earlier)
                .session(&mut session)
                .await?;
            self.pastes
                .replace_one(
                    doc! { "_id": edit.id.as_str() },
                    PasteDocument::from(&edited),
                )
                .session(&mut session)
                .await?;
            let drop_through = count(edit.base.saturating_sub(edit.keep));
            self.revisions
                .delete_many(
                    doc! { "paste_id": edit.id.as_str(), "number": { "$lte": drop_through } },
                )
                .session(&mut session)
                .await?;
            if edit.expires_at != paste.fields.expires_at {
                let at = edit
                    .expires_at
                    .map_or(Bson::Null, |at| Bson::DateTime(to_bson_date(at)));
                self.revisions
                    .update_many(
                        doc! { "paste_id": edit.id.as_str() },
                        doc! { "$set": { "expires_at": at } },
                    )
                    .session(&mut session)
                    .await?;
            }
            Ok::<_, mongodb::error::Error>(Step::Wrote(Box::new(edited)))
        }
        .await;
        match steps {
            Ok(Step::Wrote(edited)) => {
                Self::commit(&mut session).await?;
                Ok(Ok(EditOutcome::Edited(edited)))
            }
            Ok(Step::Answer(outcome)) => {
                let _ = session.abort_transaction().await;
                Ok(Ok(outcome))
            }
            Ok(Step::Corrupt(e)) => {
                let _ = session.abort_transaction().await;
                Ok(Err(e))
            }
            Err(e) => {
                let _ = session.abort_transaction().await;
                Err(e)
            }
        }
    }

    /// The earlier revisions of a paste, oldest first, without their text.
    pub(super) async fn revision_lines(
        &self,
        id: &PasteId,
    ) -> Result<Vec<RevisionLine>, StoreError> {
        let docs: Vec<RevisionLineDocument> = self
            .bounded(async {
                self.revision_lines
                    .find(doc! { "paste_id": id.as_str() })
                    .projection(RevisionDocument::line_projection())
                    .sort(doc! { "paste_id": 1, "number": 1 })
                    .max_time(self.operation_timeout)
                    .await?
                    .try_collect()
                    .await
            })
            .await?;
        docs.into_iter().map(RevisionLine::try_from).collect()
    }

    /// One earlier revision.
    pub(super) async fn revision(
        &self,
        id: &PasteId,
        number: u64,
    ) -> Result<Option<Revision>, StoreError> {
        let found = self
            .bounded(
                self.revisions
                    .find_one(doc! { "_id": revision_key(id.as_str(), number) })
                    .max_time(self.operation_timeout),
            )
            .await?;
        found.map(Revision::try_from).transpose()
    }

    /// Removes the revisions of these pastes (before the pastes themselves).
    pub(super) async fn drop_revisions(&self, ids: &[&str]) -> Result<(), StoreError> {
        let filter: Document = doc! { "paste_id": { "$in": ids } };
        self.bounded(self.revisions.delete_many(filter))
            .await
            .map(drop)
    }
}
