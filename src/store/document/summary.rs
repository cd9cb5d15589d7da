//! The part of a paste document that a list reads.

use bson::DateTime;
use serde::{Deserialize, Serialize};

use super::from_bson_date;
use crate::domain::{Language, PasteId, PasteSummary, Title, Visibility};
use crate::store::StoreError;

/// The fields of a paste document that a list shows: decoding skips the
/// content, and MongoDB does not even send it (a projection of these fields).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct SummaryDocument {
    /// The paste id.
    #[serde(rename = "_id")]
    pub(crate) id: String,
    /// Optional title.
    pub(crate) title: Option<String>,
    /// Optional language hint.
    pub(crate) language: Option<String>,
    /// `public`, `unlisted` or `private`.
    pub(crate) visibility: String,
    /// Whether its first read deletes it (absent from no document; the
    /// default reads a projection of an older shape as no).
    #[serde(default)]
    pub(crate) burn_after_read: bool,
    /// Creation time.
    pub(crate) created_at: DateTime,
    /// Expiry time.
    pub(crate) expires_at: Option<DateTime>,
    /// Size of the content in bytes.
    pub(crate) size_bytes: i64,
    /// Only the total of the statistics is read.
    pub(crate) stats: SummaryStats,
    /// The language its page shows (absent on older documents).
    #[serde(default)]
    pub(crate) shown_language: Option<String>,
    /// The words its title is searched by (read by the embedded store's
    /// search; MongoDB's filter reads them on the server and never sends them).
    #[serde(default)]
    pub(crate) title_words: Vec<String>,
}

/// `stats` as a list reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct SummaryStats {
    /// All visits.
    pub(crate) total_views: i64,
}

impl SummaryDocument {
    /// The MongoDB projection that fetches exactly these fields.
    pub(crate) fn projection() -> bson::Document {
        bson::doc! {
            "_id": 1, "title": 1, "language": 1, "visibility": 1, "burn_after_read": 1, "created_at": 1,
            "expires_at": 1, "size_bytes": 1, "stats.total_views": 1, "shown_language": 1,
        }
    }
}

impl TryFrom<SummaryDocument> for PasteSummary {
    type Error = StoreError;

    fn try_from(doc: SummaryDocument) -> Result<Self, StoreError> {
        let corrupt = |what: &str| StoreError::corrupt(format!("paste {:?}: {what}", doc.id));
        let non_negative = |n: i64| u64::try_from(n).map_err(|_| corrupt("negative counter"));
        Ok(PasteSummary {
            id: PasteId::parse(&doc.id).ok_or_else(|| corrupt("bad id"))?,
            title: doc.title.clone().map(Title::trusted),
            language: doc.language.clone().map(Language::trusted),
            visibility: Visibility::parse(&doc.visibility)
                .map_err(|_| corrupt("bad visibility"))?,
            burn_after_read: doc.burn_after_read,
            created_at: from_bson_date(doc.created_at)?,
            expires_at: doc.expires_at.map(from_bson_date).transpose()?,
            size_bytes: non_negative(doc.size_bytes)?,
            total_views: non_negative(doc.stats.total_views)?,
            shown_language: doc.shown_language.clone().map(Language::trusted),
        })
    }
}
