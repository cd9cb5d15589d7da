//! The public archive in MongoDB. Listed pastes carry `listed: true` (the
//! field is absent on every other), `shown_language` and `title_words`;
//! three partial indexes (`listed: true` only, so they hold the archive and
//! nothing else; see `indexes.rs`) serve its three query shapes, each an
//! index scan in the list's order (no collection scan, no in-memory sort):
//!
//! | search            | filter                                              | index                    |
//! |-------------------|-----------------------------------------------------|--------------------------|
//! | none              | `{listed: true}`                                    | `archive_newest_first`   |
//! | language          | `{listed: true, shown_language: L}`                 | `archive_by_language`    |
//! | title (and lang.) | `{listed: true, title_words: {$all: [w1, ...]}}`    | `archive_by_title_word`  |
//!
//! each with the expiry condition and, after a cursor, `created_at <= at`
//! at the top level (bounding the scan) and the exact `(created_at, _id)`
//! condition; sorted `{created_at: -1, _id: -1}`. A title search's other
//! words, and its language, are checked on the documents the first word's
//! index range fetches.

use futures_util::TryStreamExt;
use mongodb::action::Action;
use mongodb::bson::{Bson, Document, doc};
use time::OffsetDateTime;

use super::super::StoreError;
use super::super::document::{SummaryDocument, to_bson_date};
use super::MongoStore;
use crate::domain::{PageRequest, PasteSummary, Search};

/// Adds `search`'s conditions to `filter`.
pub(super) fn narrow(filter: &mut Document, search: &Search) {
    if let Some(language) = &search.language {
        filter.insert("shown_language", language.as_str());
    }
    if !search.title_words.is_empty() {
        let words: Vec<Bson> = search
            .title_words
            .iter()
            .map(|w| Bson::String(w.clone()))
            .collect();
        filter.insert("title_words", doc! { "$all": words });
    }
}

/// The filter of one page of the archive that matches `search`.
pub(super) fn archive_page(search: &Search, page: &PageRequest, now: OffsetDateTime) -> Document {
    let mut filter = doc! { "listed": true };
    narrow(&mut filter, search);
    let mut and = vec![doc! {
        "$or": [ { "expires_at": Bson::Null }, { "expires_at": { "$gt": to_bson_date(now) } } ]
    }];
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

/// The index a search's filter runs on (named in `indexes.rs`), as the
/// planner can pick it: the hint the query sends, so a planner that
/// wavers between two candidates never falls back to a collection scan.
pub(super) fn archive_index(search: &Search) -> &'static str {
    if !search.title_words.is_empty() {
        "archive_by_title_word"
    } else if search.language.is_some() {
        "archive_by_language"
    } else {
        "archive_newest_first"
    }
}

impl MongoStore {
    /// A page of summaries that match `filter`, newest first, on the index
    /// `hint` names (none: the planner's choice; the author's index serves
    /// an owner's list and search: an equality on `author.id`, a search's
    /// conditions checked on the documents of that range).
    pub(super) async fn summary_page(
        &self,
        filter: Document,
        page: &PageRequest,
        hint: Option<&'static str>,
    ) -> Result<Vec<PasteSummary>, StoreError> {
        let limit = page.capped_limit();
        if limit == 0 {
            return Ok(Vec::new());
        }
        let docs: Vec<SummaryDocument> = self
            .bounded(async {
                self.summaries
                    .find(filter)
                    .sort(doc! { "created_at": -1, "_id": -1 })
                    .optional(hint, |find, name| {
                        find.hint(mongodb::options::Hint::Name(name.to_owned()))
                    })
                    .projection(SummaryDocument::projection())
                    .limit(i64::try_from(limit).unwrap_or(i64::MAX))
                    .max_time(self.operation_timeout)
                    .await?
                    .try_collect()
                    .await
            })
            .await?;
        docs.into_iter().map(PasteSummary::try_from).collect()
    }

    /// `DocumentStore::public_pastes`.
    pub(super) async fn archive(
        &self,
        search: &Search,
        page: &PageRequest,
        now: OffsetDateTime,
    ) -> Result<Vec<PasteSummary>, StoreError> {
        self.summary_page(
            archive_page(search, page, now),
            page,
            Some(archive_index(search)),
        )
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_search_names_its_partial_index_and_states_its_filter() {
        let now = OffsetDateTime::UNIX_EPOCH;
        let page = PageRequest {
            after: None,
            limit: 20,
            public_only: true,
        };
        let all = Search::parse("", "").expect("a search");
        let filter = archive_page(&all, &page, now);
        assert_eq!(filter.get_bool("listed"), Ok(true));
        assert_eq!(archive_index(&all), "archive_newest_first");
        let rust = Search::parse("", "rust").expect("a search");
        let filter = archive_page(&rust, &page, now);
        assert_eq!(filter.get_str("shown_language"), Ok("rust"));
        assert_eq!(archive_index(&rust), "archive_by_language");
        let both = Search::parse("Deploy prod", "rust").expect("a search");
        let filter = archive_page(&both, &page, now);
        let all_words = filter
            .get_document("title_words")
            .and_then(|d| d.get_array("$all"))
            .expect("$all");
        assert_eq!(all_words.len(), 2);
        assert_eq!(archive_index(&both), "archive_by_title_word");
    }
}
