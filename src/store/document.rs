//! The stored shape of a paste, shared by every backend.
//!
//! This is the MongoDB document: `_id`, the content, an embedded author summary
//! and embedded statistics (`stats.total_views`, `stats.monthly["YYYY-MM"]`).
//! Conversion to the domain is fallible: a corrupt document is an error, not a panic.

use std::collections::BTreeMap;

use bson::DateTime;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::StoreError;
use crate::domain::{
    AuthorSummary, Content, Language, Month, NewPaste, Paste, PasteId, PasteStats, PasteSummary,
    Title, TokenHash, User, UserId, UserStats, Username, Visibility,
};

/// A paste document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PasteDocument {
    /// The paste id; a good hashed shard key (random, evenly spread).
    #[serde(rename = "_id")]
    pub id: String,
    /// The text.
    pub content: String,
    /// Optional title.
    pub title: Option<String>,
    /// Optional language hint.
    pub language: Option<String>,
    /// `public`, `unlisted` or `private`.
    pub visibility: String,
    /// Deleted by its first view.
    pub burn_after_read: bool,
    /// Creation time.
    pub created_at: DateTime,
    /// Expiry time; null keeps the paste (and keeps it out of a TTL index).
    pub expires_at: Option<DateTime>,
    /// Embedded author summary, null when anonymous.
    pub author: Option<AuthorDocument>,
    /// SHA-256 of the delete token, hex.
    pub delete_token_sha256: String,
    /// SHA-256 of the content, hex.
    pub content_sha256: String,
    /// Size of the content in bytes.
    pub size_bytes: i64,
    /// Embedded visit statistics.
    pub stats: StatsDocument,
}

/// `author` inside a paste document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorDocument {
    /// The user id.
    pub id: String,
    /// The user name.
    pub username: String,
}

/// `stats` inside a paste document.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatsDocument {
    /// All visits.
    pub total_views: i64,
    /// Visits per `YYYY-MM`.
    pub monthly: BTreeMap<String, i64>,
}

/// A BSON date from a domain instant.
pub fn to_bson_date(at: OffsetDateTime) -> DateTime {
    let millis = at.unix_timestamp_nanos() / 1_000_000;
    DateTime::from_millis(i64::try_from(millis).unwrap_or(i64::MAX))
}

/// A domain instant from a BSON date.
pub fn from_bson_date(at: DateTime) -> Result<OffsetDateTime, StoreError> {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(at.timestamp_millis()) * 1_000_000)
        .map_err(|e| StoreError::Corrupt(format!("date out of range: {e}")))
}

fn count(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

impl From<&Paste> for PasteDocument {
    fn from(paste: &Paste) -> Self {
        let f = &paste.fields;
        Self {
            id: f.id.as_str().to_owned(),
            content: f.content.as_str().to_owned(),
            title: f.title.as_ref().map(|t| t.as_str().to_owned()),
            language: f.language.as_ref().map(|l| l.as_str().to_owned()),
            visibility: f.visibility.as_str().to_owned(),
            burn_after_read: f.burn_after_read,
            created_at: to_bson_date(f.created_at),
            expires_at: f.expires_at.map(to_bson_date),
            author: f.author.as_ref().map(|a| AuthorDocument {
                id: a.id.as_str().to_owned(),
                username: a.username.as_str().to_owned(),
            }),
            delete_token_sha256: f.delete_token_hash.to_hex(),
            content_sha256: paste.content_sha256.clone(),
            size_bytes: count(f.content.len() as u64),
            stats: StatsDocument {
                total_views: count(paste.stats.total_views),
                monthly: paste
                    .stats
                    .monthly
                    .iter()
                    .map(|(month, v)| (month.to_string(), count(*v)))
                    .collect(),
            },
        }
    }
}

impl TryFrom<PasteDocument> for Paste {
    type Error = StoreError;

    fn try_from(doc: PasteDocument) -> Result<Self, StoreError> {
        let corrupt = |what: &str| StoreError::Corrupt(format!("paste {:?}: {what}", doc.id));
        let id = PasteId::parse(&doc.id).ok_or_else(|| corrupt("bad id"))?;
        let visibility =
            Visibility::parse(&doc.visibility).map_err(|_| corrupt("bad visibility"))?;
        let delete_token_hash = TokenHash::from_hex(&doc.delete_token_sha256)
            .ok_or_else(|| corrupt("bad token hash"))?;
        let non_negative = |n: i64| u64::try_from(n).map_err(|_| corrupt("negative counter"));
        let stats = PasteStats {
            total_views: non_negative(doc.stats.total_views)?,
            monthly: doc
                .stats
                .monthly
                .iter()
                .map(|(k, v)| {
                    let month = Month::parse(k).ok_or_else(|| corrupt("bad month"))?;
                    Ok((month, non_negative(*v)?))
                })
                .collect::<Result<_, StoreError>>()?,
        };
        if doc.content.is_empty() {
            return Err(corrupt("empty content"));
        }
        Ok(Paste {
            fields: NewPaste {
                id,
                content: Content::trusted(doc.content),
                title: doc.title.map(Title::trusted),
                language: doc.language.map(Language::trusted),
                visibility,
                burn_after_read: doc.burn_after_read,
                created_at: from_bson_date(doc.created_at)?,
                expires_at: doc.expires_at.map(from_bson_date).transpose()?,
                author: doc
                    .author
                    .map(|a| {
                        Ok::<_, StoreError>(AuthorSummary {
                            id: UserId::parse(&a.id).ok_or_else(|| corrupt("bad author id"))?,
                            username: Username::parse(&a.username)
                                .ok_or_else(|| corrupt("bad author name"))?,
                        })
                    })
                    .transpose()?,
                delete_token_hash,
            },
            content_sha256: doc.content_sha256,
            stats,
        })
    }
}

/// The fields of a paste document that a list shows: decoding skips the
/// content, and MongoDB does not even send it (a projection of these fields).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SummaryDocument {
    /// The paste id.
    #[serde(rename = "_id")]
    pub id: String,
    /// Optional title.
    pub title: Option<String>,
    /// Optional language hint.
    pub language: Option<String>,
    /// `public`, `unlisted` or `private`.
    pub visibility: String,
    /// Creation time.
    pub created_at: DateTime,
    /// Expiry time.
    pub expires_at: Option<DateTime>,
    /// Size of the content in bytes.
    pub size_bytes: i64,
    /// Only the total of the statistics is read.
    pub stats: SummaryStats,
}

/// `stats` as a list reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SummaryStats {
    /// All visits.
    pub total_views: i64,
}

impl SummaryDocument {
    /// The MongoDB projection that fetches exactly these fields.
    pub fn projection() -> bson::Document {
        bson::doc! {
            "_id": 1, "title": 1, "language": 1, "visibility": 1, "created_at": 1,
            "expires_at": 1, "size_bytes": 1, "stats.total_views": 1,
        }
    }
}

impl TryFrom<SummaryDocument> for PasteSummary {
    type Error = StoreError;

    fn try_from(doc: SummaryDocument) -> Result<Self, StoreError> {
        let corrupt = |what: &str| StoreError::Corrupt(format!("paste {:?}: {what}", doc.id));
        let non_negative = |n: i64| u64::try_from(n).map_err(|_| corrupt("negative counter"));
        Ok(PasteSummary {
            id: PasteId::parse(&doc.id).ok_or_else(|| corrupt("bad id"))?,
            title: doc.title.clone().map(Title::trusted),
            language: doc.language.clone().map(Language::trusted),
            visibility: Visibility::parse(&doc.visibility)
                .map_err(|_| corrupt("bad visibility"))?,
            created_at: from_bson_date(doc.created_at)?,
            expires_at: doc.expires_at.map(from_bson_date).transpose()?,
            size_bytes: non_negative(doc.size_bytes)?,
            total_views: non_negative(doc.stats.total_views)?,
        })
    }
}

/// A user document: who the user is, with their own counters embedded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserDocument {
    /// The user id.
    #[serde(rename = "_id")]
    pub id: String,
    /// The lowercase name; unique (an index in MongoDB, a constraint in SQLite).
    pub username: String,
    /// When the account was made.
    pub created_at: DateTime,
    /// The user's counters.
    pub stats: UserStatsDocument,
}

/// `stats` inside a user document.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserStatsDocument {
    /// Pastes created, raised with `$inc` as each authored paste is stored.
    pub pastes_created: i64,
}

impl From<&User> for UserDocument {
    fn from(user: &User) -> Self {
        Self {
            id: user.id.as_str().to_owned(),
            username: user.username.as_str().to_owned(),
            created_at: to_bson_date(user.created_at),
            stats: UserStatsDocument {
                pastes_created: count(user.stats.pastes_created),
            },
        }
    }
}

impl TryFrom<UserDocument> for User {
    type Error = StoreError;

    fn try_from(doc: UserDocument) -> Result<Self, StoreError> {
        let corrupt = |what: &str| StoreError::Corrupt(format!("user {:?}: {what}", doc.id));
        Ok(User {
            username: Username::parse(&doc.username).ok_or_else(|| corrupt("bad username"))?,
            created_at: from_bson_date(doc.created_at)?,
            stats: UserStats {
                pastes_created: u64::try_from(doc.stats.pastes_created)
                    .map_err(|_| corrupt("negative counter"))?,
            },
            id: UserId::parse(&doc.id).ok_or_else(|| corrupt("bad id"))?,
        })
    }
}

/// Encodes any stored document as BSON bytes (the embedded store's column).
pub fn to_bytes(doc: &impl Serialize) -> Result<Vec<u8>, StoreError> {
    bson::to_vec(doc).map_err(|e| StoreError::Corrupt(format!("encoding: {e}")))
}

/// Decodes BSON bytes into a stored document (or the part of one a list reads).
pub fn from_bytes<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, StoreError> {
    bson::from_slice(bytes).map_err(|e| StoreError::Corrupt(format!("decoding: {e}")))
}

/// Encodes a paste as BSON bytes.
pub fn encode(paste: &Paste) -> Result<Vec<u8>, StoreError> {
    to_bytes(&PasteDocument::from(paste))
}

/// Decodes BSON bytes into a paste document.
pub fn decode_document(bytes: &[u8]) -> Result<PasteDocument, StoreError> {
    from_bytes(bytes)
}

/// Decodes BSON bytes into a paste.
pub fn decode(bytes: &[u8]) -> Result<Paste, StoreError> {
    Paste::try_from(decode_document(bytes)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{DeleteToken, paste::now_millis};

    fn sample() -> Paste {
        let mut paste = Paste::new(NewPaste {
            id: PasteId::random(8),
            content: Content::parse("héllo\u{1F600}\n".into(), 100).expect("valid"),
            title: Title::parse("t", 10).expect("valid"),
            language: None,
            visibility: Visibility::Unlisted,
            burn_after_read: true,
            created_at: now_millis(),
            expires_at: Some(now_millis() + time::Duration::hours(1)),
            author: Some(AuthorSummary {
                id: UserId::parse("u1").expect("an id"),
                username: Username::parse("ada").expect("a name"),
            }),
            delete_token_hash: DeleteToken::random().hash(),
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
        };
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
