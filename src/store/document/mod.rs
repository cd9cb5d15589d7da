//! The stored shape of a paste, shared by every backend.
//!
//! This is the MongoDB document: `_id`, the content, an embedded author summary
//! and embedded statistics (`stats.total_views`, `stats.monthly["YYYY-MM"]`).
//! Conversion to the domain is fallible: a corrupt document is an error, not a panic.
//!
//! `paste` is the paste document, `summary` the part of it a list reads,
//! `user` the user document, `token` an API token's; this file has the BSON
//! helpers they share.

mod files;
mod fork;
mod operator;
mod paste;
mod revision;
mod summary;
mod token;
mod user;

pub(crate) use fork::ForkLineDocument;
pub(crate) use operator::{
    AuditDocument, DisabledDocument, RecentDocument, RemovalDocument, ReportDocument,
    ResolutionDocument,
};
pub(crate) use paste::{AuthorDocument, PasteDocument};
pub(crate) use revision::{RevisionDocument, RevisionLineDocument, revision_key};
pub(crate) use summary::SummaryDocument;
pub(crate) use token::TokenDocument;
pub(crate) use user::UserDocument;

use bson::DateTime;
use serde::Serialize;
use time::OffsetDateTime;

use super::{StoreError, While};
use crate::domain::Paste;

/// A BSON date from a domain instant.
pub(crate) fn to_bson_date(at: OffsetDateTime) -> DateTime {
    let millis = at.unix_timestamp_nanos() / 1_000_000;
    DateTime::from_millis(i64::try_from(millis).unwrap_or(i64::MAX))
}

/// A domain instant from a BSON date.
pub(crate) fn from_bson_date(at: DateTime) -> Result<OffsetDateTime, StoreError> {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(at.timestamp_millis()) * 1_000_000)
        .map_err(|e| StoreError::corrupt(While::doing("reading a date", e)))
}

/// A counter as BSON stores it (signed).
pub(crate) fn count(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// Encodes any stored document as BSON bytes (the embedded store's column).
pub(crate) fn to_bytes(doc: &impl Serialize) -> Result<Vec<u8>, StoreError> {
    bson::to_vec(doc).map_err(|e| StoreError::corrupt(While::doing("encoding", e)))
}

/// Decodes BSON bytes into a stored document (or the part of one a list reads).
pub(crate) fn from_bytes<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, StoreError> {
    bson::from_slice(bytes).map_err(|e| StoreError::corrupt(While::doing("decoding", e)))
}

/// Encodes a paste as BSON bytes.
pub(crate) fn encode(paste: &Paste) -> Result<Vec<u8>, StoreError> {
    to_bytes(&PasteDocument::from(paste))
}

/// Decodes BSON bytes into a paste document.
pub(crate) fn decode_document(bytes: &[u8]) -> Result<PasteDocument, StoreError> {
    from_bytes(bytes)
}

/// Decodes BSON bytes into a paste.
pub(crate) fn decode(bytes: &[u8]) -> Result<Paste, StoreError> {
    Paste::try_from(decode_document(bytes)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{
        AuthorSummary, Content, DeleteToken, Month, NewPaste, PasteId, PasteSummary, Title, User,
        UserId, UserStats, Username, Visibility, paste::now_millis,
    };

    fn sample() -> Paste {
        let mut paste = Paste::new(NewPaste {
            id: PasteId::random(8),
            content: Content::parse("héllo\u{1F600}\n".into(), 100).expect("valid"),
            title: Title::parse("t", 10).expect("valid"),
            language: None,
            visibility: Visibility::Unlisted,
            burn_after_read: true,
            max_views: None,
            lock: None,
            created_at: now_millis(),
            expires_at: Some(now_millis() + time::Duration::hours(1)),
            author: Some(AuthorSummary {
                id: UserId::parse("u1").expect("an id"),
                username: Username::parse("ada").expect("a name"),
            }),
            delete_token_hash: DeleteToken::random().hash(),
            end_to_end: false,
            files: Vec::new(),
        });
        paste.stats.total_views = 3;
        paste
            .stats
            .monthly
            .insert(Month::parse("2026-11").expect("a month"), 3);
        paste
    }

    #[test]
    fn a_paste_survives_the_trip_through_bson() {
        let paste = sample();
        assert_eq!(
            decode(&encode(&paste).expect("encodes")).expect("decodes"),
            paste
        );
    }

    #[test]
    fn the_document_has_the_mongodb_shape() {
        let doc = bson::to_document(&PasteDocument::from(&sample())).expect("a document");
        assert!(doc.get_str("_id").is_ok());
        assert!(doc.get_datetime("created_at").is_ok());
        assert_eq!(
            doc.get_document("author")
                .expect("embedded")
                .get_str("username"),
            Ok("ada")
        );
        let stats = doc.get_document("stats").expect("embedded stats");
        assert_eq!(stats.get_i64("total_views"), Ok(3));
        assert_eq!(
            stats
                .get_document("monthly")
                .expect("monthly")
                .get_i64("2026-11"),
            Ok(3)
        );
        assert_eq!(doc.get("language"), Some(&bson::Bson::Null));
    }

    #[test]
    fn a_summary_is_read_from_a_whole_paste_document_without_its_content() {
        let paste = sample();
        let summary: SummaryDocument =
            bson::from_slice(&encode(&paste).expect("encodes")).expect("a summary decodes");
        let summary = PasteSummary::try_from(summary).expect("valid");
        assert_eq!(&summary.id, paste.id());
        assert_eq!(summary.title, paste.fields.title);
        assert_eq!(summary.visibility, Visibility::Unlisted);
        assert_eq!(summary.size_bytes, paste.fields.content.len() as u64);
        assert_eq!(summary.total_views, 3);
        let projection = SummaryDocument::projection();
        assert!(
            projection.get("content").is_none(),
            "content is never fetched for a list"
        );
        assert_eq!(projection.get_i32("stats.total_views"), Ok(1));
    }

    #[test]
    fn a_user_survives_the_trip_through_bson_with_its_counters() {
        let user = User {
            id: UserId::parse("0b7e3c9e5d0a4f1e9a1b2c3d4e5f6a7b").expect("an id"),
            username: Username::parse("ada").expect("valid"),
            created_at: now_millis(),
            stats: UserStats { pastes_created: 42 },
            password_hash: crate::domain::PasswordHash::parse(
                "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
            ),
        };
        assert!(user.password_hash.is_some(), "a valid PHC string");
        let doc = bson::to_document(&UserDocument::from(&user)).expect("a document");
        assert_eq!(doc.get_str("_id"), Ok(user.id.as_str()));
        assert_eq!(
            doc.get_document("stats")
                .and_then(|s| s.get_i64("pastes_created")),
            Ok(42)
        );
        let back: UserDocument = bson::from_document(doc).expect("decodes");
        assert_eq!(User::try_from(back).expect("valid"), user);
        let mut bad = UserDocument::from(&user);
        bad.username = "Not A Name".into();
        assert!(matches!(User::try_from(bad), Err(StoreError::Corrupt(_))));
        let mut bad = UserDocument::from(&user);
        bad.password_hash = Some("hunter2".into());
        assert!(matches!(User::try_from(bad), Err(StoreError::Corrupt(_))));
        let mut tool_made = user.clone();
        tool_made.password_hash = None;
        let doc = bson::to_document(&UserDocument::from(&tool_made)).expect("a document");
        assert!(!doc.contains_key("password_hash"), "absent, not null");
    }

    #[test]
    fn a_corrupt_document_is_an_error_not_a_panic() {
        let mut doc = PasteDocument::from(&sample());
        doc.visibility = "secret".into();
        assert!(matches!(
            Paste::try_from(doc.clone()),
            Err(StoreError::Corrupt(_))
        ));
        doc.visibility = "public".into();
        doc.stats.total_views = -1;
        assert!(matches!(Paste::try_from(doc), Err(StoreError::Corrupt(_))));
        assert!(matches!(
            decode(b"\x05\x00\x00"),
            Err(StoreError::Corrupt(_))
        ));
    }
}
