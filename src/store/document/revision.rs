//! The revision document (`revisions`: one per earlier revision of a paste)
//! and the `revision` block of a paste document (absent until its first edit,
//! so a paste never edited keeps the shape it always had).

use bson::DateTime;
use serde::{Deserialize, Serialize};

use super::{AuthorDocument, count, from_bson_date, to_bson_date};
use crate::domain::{
    AuthorSummary, Content, Language, Paste, PasteId, Revision, RevisionLine, RevisionMark, Title,
    UserId, Username,
};
use crate::store::StoreError;

/// `revision` inside a paste document: its latest revision's facts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct MarkDocument {
    /// 2 after the first edit, one more per edit.
    pub(crate) number: i64,
    /// When the revision was made.
    pub(crate) at: DateTime,
    /// Who made it, null when anonymous.
    pub(crate) by: Option<AuthorDocument>,
    /// Lines added against the previous revision.
    pub(crate) lines_added: i64,
    /// Lines removed against the previous revision.
    pub(crate) lines_removed: i64,
}

impl From<&RevisionMark> for MarkDocument {
    fn from(mark: &RevisionMark) -> Self {
        Self {
            number: count(mark.number),
            at: to_bson_date(mark.at),
            by: mark.by.as_ref().map(|a| AuthorDocument {
                id: a.id.as_str().to_owned(),
                username: a.username.as_str().to_owned(),
            }),
            lines_added: count(mark.lines_added),
            lines_removed: count(mark.lines_removed),
        }
    }
}

impl MarkDocument {
    /// The domain mark; `whose` names the paste in errors.
    pub(crate) fn to_mark(&self, whose: &str) -> Result<RevisionMark, StoreError> {
        let corrupt = |what: &str| StoreError::corrupt(format!("revision of {whose:?}: {what}"));
        let positive = |n: i64| u64::try_from(n).map_err(|_| corrupt("negative number"));
        let number = positive(self.number)?;
        if number == 0 {
            return Err(corrupt("revision 0"));
        }
        Ok(RevisionMark {
            number,
            at: from_bson_date(self.at)?,
            by: self
                .by
                .as_ref()
                .map(|a| {
                    Ok::<_, StoreError>(AuthorSummary {
                        id: UserId::parse(&a.id).ok_or_else(|| corrupt("bad editor id"))?,
                        username: Username::parse(&a.username)
                            .ok_or_else(|| corrupt("bad editor name"))?,
                    })
                })
                .transpose()?,
            lines_added: positive(self.lines_added)?,
            lines_removed: positive(self.lines_removed)?,
        })
    }
}

/// An earlier revision of a paste, in `revisions`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct RevisionDocument {
    /// `<paste id>.<number>`: a second write of the same revision (a retry)
    /// is a duplicate key, never a second document.
    #[serde(rename = "_id")]
    pub(crate) id: String,
    /// The paste (indexed with `number`).
    pub(crate) paste_id: String,
    /// Its number, from 1.
    pub(crate) number: i64,
    /// Who, when, what changed.
    pub(crate) mark: MarkDocument,
    /// Size of the content in bytes (a list reads this, not the content).
    pub(crate) size_bytes: i64,
    /// The paste's expiry, copied: MongoDB's TTL index removes a revision
    /// with its paste.
    pub(crate) expires_at: Option<DateTime>,
    /// Title.
    pub(crate) title: Option<String>,
    /// Language hint.
    pub(crate) language: Option<String>,
    /// The text, whole.
    pub(crate) content: String,
}

/// The part of a revision document a history list reads (no content).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct RevisionLineDocument {
    /// `<paste id>.<number>`.
    #[serde(rename = "_id")]
    pub(crate) id: String,
    /// Who, when, what changed.
    pub(crate) mark: MarkDocument,
    /// Size of the content in bytes.
    pub(crate) size_bytes: i64,
}

/// The `_id` of a revision document.
pub(crate) fn revision_key(paste: &str, number: u64) -> String {
    format!("{paste}.{number}")
}

impl RevisionDocument {
    /// The document of `revision`, which belongs to a paste expiring at `expires_at`.
    pub(crate) fn new(revision: &Revision, expires_at: Option<time::OffsetDateTime>) -> Self {
        Self {
            id: revision_key(revision.paste_id.as_str(), revision.mark.number),
            paste_id: revision.paste_id.as_str().to_owned(),
            number: count(revision.mark.number),
            mark: MarkDocument::from(&revision.mark),
            size_bytes: count(revision.size_bytes()),
            expires_at: expires_at.map(to_bson_date),
            title: revision.title.as_ref().map(|t| t.as_str().to_owned()),
            language: revision.language.as_ref().map(|l| l.as_str().to_owned()),
            content: revision.content.as_str().to_owned(),
        }
    }

    /// The MongoDB projection of a history list.
    pub(crate) fn line_projection() -> bson::Document {
        bson::doc! { "_id": 1, "mark": 1, "size_bytes": 1 }
    }
}

impl TryFrom<RevisionDocument> for Revision {
    type Error = StoreError;

    fn try_from(doc: RevisionDocument) -> Result<Self, StoreError> {
        let paste_id = PasteId::parse(&doc.paste_id)
            .ok_or_else(|| StoreError::corrupt(format!("revision {:?}: bad paste id", doc.id)))?;
        if doc.content.is_empty() {
            return Err(StoreError::corrupt(format!(
                "revision {:?}: empty content",
                doc.id
            )));
        }
        Ok(Revision {
            mark: doc.mark.to_mark(&doc.id)?,
            paste_id,
            content: Content::trusted(doc.content),
            title: doc.title.map(Title::trusted),
            language: doc.language.map(Language::trusted),
        })
    }
}

impl TryFrom<RevisionLineDocument> for RevisionLine {
    type Error = StoreError;

    fn try_from(doc: RevisionLineDocument) -> Result<Self, StoreError> {
        Ok(RevisionLine {
            mark: doc.mark.to_mark(&doc.id)?,
            size_bytes: u64::try_from(doc.size_bytes)
                .map_err(|_| StoreError::corrupt(format!("revision {:?}: bad size", doc.id)))?,
        })
    }
}

/// The `revision` block a paste document holds: none until its first edit.
pub(crate) fn mark_of(paste: &Paste) -> Option<MarkDocument> {
    paste.revision.as_ref().map(MarkDocument::from)
}
