//! The part of a fork's document that a list of forks reads.

use bson::DateTime;
use serde::{Deserialize, Serialize};

use super::{AuthorDocument, from_bson_date};
use crate::domain::{ForkSummary, PasteId, Title, UserId, Username, Visibility};
use crate::store::StoreError;

/// The fields of a fork's document that `/{id}/forks` shows: MongoDB sends
/// only these (a projection), the embedded store skips the rest decoding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct ForkLineDocument {
    /// The fork's id.
    #[serde(rename = "_id")]
    pub(crate) id: String,
    /// Optional title.
    pub(crate) title: Option<String>,
    /// `public`, `unlisted` or `private`.
    pub(crate) visibility: String,
    /// Creation time.
    pub(crate) created_at: DateTime,
    /// Its author, null when anonymous.
    pub(crate) author: Option<AuthorDocument>,
}

impl ForkLineDocument {
    /// The MongoDB projection that fetches exactly these fields.
    pub(crate) fn projection() -> bson::Document {
        bson::doc! { "_id": 1, "title": 1, "visibility": 1, "created_at": 1, "author": 1 }
    }

    /// True when `viewer` may see this fork listed: a public fork, or one
    /// of the viewer's own (an unlisted fork's link is its secret, a private
    /// one is its author's).
    pub(crate) fn listed_for(&self, viewer: Option<&UserId>) -> bool {
        self.visibility == Visibility::Public.as_str()
            || matches!((&self.author, viewer), (Some(a), Some(v)) if a.id == v.as_str())
    }
}

impl TryFrom<ForkLineDocument> for ForkSummary {
    type Error = StoreError;

    fn try_from(doc: ForkLineDocument) -> Result<Self, StoreError> {
        let corrupt = |what: &str| StoreError::corrupt(format!("fork {:?}: {what}", doc.id));
        Ok(ForkSummary {
            id: PasteId::parse(&doc.id).ok_or_else(|| corrupt("bad id"))?,
            title: doc.title.clone().map(Title::trusted),
            author: doc
                .author
                .as_ref()
                .map(|a| Username::parse(&a.username).ok_or_else(|| corrupt("bad author")))
                .transpose()?,
            visibility: Visibility::parse(&doc.visibility)
                .map_err(|_| corrupt("bad visibility"))?,
            created_at: from_bson_date(doc.created_at)?,
        })
    }
}
