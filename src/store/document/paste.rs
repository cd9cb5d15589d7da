//! The paste document.

use std::collections::BTreeMap;

use bson::DateTime;
use serde::{Deserialize, Serialize};

use super::{count, from_bson_date, to_bson_date};
use crate::domain::{
    AuthorSummary, Content, Language, Month, NewPaste, Paste, PasteId, PasteStats, Title,
    TokenHash, UserId, Username, Visibility,
};
use crate::store::StoreError;

/// A paste document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct PasteDocument {
    /// The paste id; a good hashed shard key (random, evenly spread).
    #[serde(rename = "_id")]
    pub(crate) id: String,
    /// The text.
    pub(crate) content: String,
    /// Optional title.
    pub(crate) title: Option<String>,
    /// Optional language hint.
    pub(crate) language: Option<String>,
    /// `public`, `unlisted` or `private`.
    pub(crate) visibility: String,
    /// Deleted by its first view.
    pub(crate) burn_after_read: bool,
    /// Creation time.
    pub(crate) created_at: DateTime,
    /// Expiry time; null keeps the paste (and keeps it out of a TTL index).
    pub(crate) expires_at: Option<DateTime>,
    /// Embedded author summary, null when anonymous.
    pub(crate) author: Option<AuthorDocument>,
    /// SHA-256 of the delete token, hex.
    pub(crate) delete_token_sha256: String,
    /// SHA-256 of the content, hex.
    pub(crate) content_sha256: String,
    /// Size of the content in bytes.
    pub(crate) size_bytes: i64,
    /// Embedded visit statistics.
    pub(crate) stats: StatsDocument,
    /// Its latest revision, once it was edited (absent before: revision 1,
    /// by its author at its creation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) revision: Option<super::revision::MarkDocument>,
}

/// `author` inside a paste document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct AuthorDocument {
    /// The user id.
    pub(crate) id: String,
    /// The user name.
    pub(crate) username: String,
}

/// `stats` inside a paste document.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct StatsDocument {
    /// All visits.
    pub(crate) total_views: i64,
    /// Visits per `YYYY-MM`.
    pub(crate) monthly: BTreeMap<String, i64>,
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
            revision: super::revision::mark_of(paste),
        }
    }
}

impl TryFrom<PasteDocument> for Paste {
    type Error = StoreError;

    fn try_from(doc: PasteDocument) -> Result<Self, StoreError> {
        let corrupt = |what: &str| StoreError::corrupt(format!("paste {:?}: {what}", doc.id));
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
        let revision = doc
            .revision
            .as_ref()
            .map(|m| m.to_mark(&doc.id))
            .transpose()?;
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
            revision,
        })
    }
}
