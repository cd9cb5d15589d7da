//! The filters and updates of paste documents, built apart from the calls
//! that send them so that their shape (and the index each one runs on) is
//! tested without a server.

use mongodb::bson::{Bson, Document, doc};
use time::OffsetDateTime;

use super::super::VisitCount;
use super::super::document::to_bson_date;
use crate::domain::{PageRequest, PasteId, UserId, Visibility};

/// The condition of a paste that has not expired at `now`.
fn unexpired(now: OffsetDateTime) -> Document {
    doc! { "$or": [ { "expires_at": Bson::Null }, { "expires_at": { "$gt": to_bson_date(now) } } ] }
}

/// The filter of a paste that exists and has not expired at `now`.
pub(super) fn live(id: &PasteId, now: OffsetDateTime) -> Document {
    let mut filter = doc! { "_id": id.as_str() };
    filter.extend(unexpired(now));
    filter
}

/// The filter of a live paste with a `max_views` limit that this view does
/// not complete: raising its `views_spent` spends the view (an absent
/// `views_spent` is 0). A burn-after-read paste never matches: its one view
/// is its deletion.
pub(super) fn spend_view(id: &PasteId, now: OffsetDateTime) -> Document {
    let mut filter = live(id, now);
    filter.extend(doc! {
        "burn_after_read": false,
        "max_views": { "$type": "number" },
        "$expr": { "$lt": [ { "$add": [ { "$ifNull": [ "$views_spent", 0 ] }, 1 ] }, "$max_views" ] },
    });
    filter
}

/// The filter of one page of an author's pastes: live at `now`, visible to
/// the reader, strictly after the cursor in (created_at desc, _id desc) order.
/// Sorted that way it runs on the `author_newest_first` index: equality on
/// `author.id` (which implies the index's partial filter, `$exists`), then a
/// range on the key's order.
pub(super) fn author_page(author_id: &UserId, page: &PageRequest, now: OffsetDateTime) -> Document {
    let mut and = vec![unexpired(now)];
    let mut filter = doc! { "author.id": author_id.as_str() };
    if let Some(after) = &page.after {
        let at = to_bson_date(after.created_at);
        and.push(doc! {
            "$or": [
                { "created_at": { "$lt": at } },
                { "created_at": at, "_id": { "$lt": after.id.as_str() } },
            ],
        });
        // Implied by the `$or` above, but said at the top level so that the
        // planner bounds the index scan at the cursor instead of walking (and
        // fetching) every newer paste of the author.
        filter.insert("created_at", doc! { "$lte": at });
    }
    filter.insert("$and", and);
    if page.public_only {
        filter.insert("visibility", Visibility::Public.as_str());
    }
    filter
}

/// The update that adds one batch entry's visits.
pub(super) fn add_views(visit: &VisitCount) -> Document {
    let n = i64::try_from(visit.count).unwrap_or(i64::MAX);
    let mut inc = Document::new();
    inc.insert("stats.total_views", n);
    inc.insert(format!("stats.monthly.{}", visit.month), n);
    doc! { "$inc": inc }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_live_filter_accepts_no_expiry_or_a_later_one() {
        let id = PasteId::parse("abcdEFGH").expect("an id");
        let filter = live(&id, OffsetDateTime::UNIX_EPOCH);
        assert_eq!(filter.get_str("_id"), Ok("abcdEFGH"));
        let or = filter.get_array("$or").expect("$or");
        assert_eq!(or.len(), 2);
        assert_eq!(
            or[0].as_document().and_then(|d| d.get("expires_at")),
            Some(&Bson::Null)
        );
    }

    #[test]
    fn a_view_is_spent_by_a_raise_only_below_the_last_of_a_max_views_limit() {
        let id = PasteId::random(8);
        let filter = spend_view(&id, OffsetDateTime::UNIX_EPOCH);
        assert_eq!(filter.get_str("_id"), Ok(id.as_str()));
        assert!(filter.get_array("$or").is_ok(), "unexpired: {filter}");
        assert_eq!(filter.get_bool("burn_after_read"), Ok(false));
        let expr = filter.get_document("$expr").expect("a comparison");
        assert!(expr.get_array("$lt").is_ok(), "{expr}");
    }

    #[test]
    fn visits_are_added_with_inc_on_the_embedded_statistics() {
        let visit = VisitCount {
            id: PasteId::parse("abcdEFGH").expect("an id"),
            month: crate::domain::Month::parse("2026-11").expect("a month"),
            count: 3,
        };
        let update = add_views(&visit);
        let inc = update.get_document("$inc").expect("$inc");
        assert_eq!(inc.get_i64("stats.total_views"), Ok(3));
        assert_eq!(inc.get_i64("stats.monthly.2026-11"), Ok(3));
    }

    #[test]
    fn an_author_page_continues_strictly_after_its_cursor() {
        let at = OffsetDateTime::UNIX_EPOCH + time::Duration::milliseconds(1234);
        let page = PageRequest {
            after: Some(crate::domain::ListCursor {
                created_at: at,
                id: PasteId::parse("abcdEFGH").expect("an id"),
            }),
            limit: 10,
            public_only: true,
        };
        let filter = author_page(
            &UserId::parse("u1").expect("an id"),
            &page,
            OffsetDateTime::UNIX_EPOCH,
        );
        assert_eq!(filter.get_str("author.id"), Ok("u1"));
        assert_eq!(filter.get_str("visibility"), Ok("public"));
        let and = filter.get_array("$and").expect("$and");
        assert_eq!(and.len(), 2, "live, then after the cursor");
        let after = and[1]
            .as_document()
            .and_then(|d| d.get_array("$or").ok())
            .expect("$or");
        let tie = after[1].as_document().expect("a tie rule");
        assert_eq!(tie.get_datetime("created_at"), Ok(&to_bson_date(at)));
        assert_eq!(
            tie.get_document("_id").and_then(|d| d.get_str("$lt")),
            Ok("abcdEFGH")
        );
        assert_eq!(
            filter
                .get_document("created_at")
                .and_then(|d| d.get_datetime("$lte")),
            Ok(&to_bson_date(at)),
            "a top-level bound lets the planner start the index scan at the cursor"
        );
        let first = PageRequest {
            after: None,
            limit: 10,
            public_only: false,
        };
        let filter = author_page(
            &UserId::parse("u1").expect("an id"),
            &first,
            OffsetDateTime::UNIX_EPOCH,
        );
        assert!(filter.get("visibility").is_none(), "the owner sees all");
        assert!(
            filter.get("created_at").is_none(),
            "the first page is unbounded"
        );
        assert_eq!(filter.get_array("$and").map(Vec::len), Ok(1));
    }
}
