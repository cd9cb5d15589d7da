//! The documents of the operator's tools: removals (takedowns), disabled
//! accounts, reports and the audit log. The same BSON in every backend.

use bson::DateTime;
use serde::{Deserialize, Serialize};

use super::{from_bson_date, to_bson_date};
use crate::domain::{
    AuditEntry, Category, DisabledAccount, Note, PasteId, Removal, Report, Resolution, UserId,
    Username,
};
use crate::store::StoreError;

fn corrupt(kind: &str, id: &str, what: &str) -> StoreError {
    StoreError::corrupt(format!("{kind} {id:?}: {what}"))
}

fn category(kind: &str, id: &str, code: &str) -> Result<Category, StoreError> {
    Category::parse(code).ok_or_else(|| corrupt(kind, id, "unknown category"))
}

fn note(kind: &str, id: &str, text: Option<String>) -> Result<Option<Note>, StoreError> {
    text.map(|t| Note::parse(&t).ok_or_else(|| corrupt(kind, id, "bad note")))
        .transpose()
}

/// A removal: `_id` is the paste's id, so a second takedown of the same
/// paste replaces the first and the id stays taken.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct RemovalDocument {
    /// The paste id.
    #[serde(rename = "_id")]
    pub(crate) id: String,
    /// A `Category` code.
    pub(crate) category: String,
    /// The operator's note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) note: Option<String>,
    /// Who.
    pub(crate) operator: String,
    /// When.
    pub(crate) at: DateTime,
}

impl From<&Removal> for RemovalDocument {
    fn from(r: &Removal) -> Self {
        Self {
            id: r.id.as_str().to_owned(),
            category: r.category.code().to_owned(),
            note: r.note.as_ref().map(|n| n.as_str().to_owned()),
            operator: r.operator.clone(),
            at: to_bson_date(r.at),
        }
    }
}

impl TryFrom<RemovalDocument> for Removal {
    type Error = StoreError;

    fn try_from(d: RemovalDocument) -> Result<Self, StoreError> {
        Ok(Removal {
            id: PasteId::parse(&d.id).ok_or_else(|| corrupt("removal", &d.id, "bad id"))?,
            category: category("removal", &d.id, &d.category)?,
            note: note("removal", &d.id, d.note)?,
            operator: d.operator,
            at: from_bson_date(d.at)?,
        })
    }
}

/// A disabled account: `_id` is the user's id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct DisabledDocument {
    /// The user id.
    #[serde(rename = "_id")]
    pub(crate) user: String,
    /// Their name then.
    pub(crate) username: String,
    /// Who.
    pub(crate) operator: String,
    /// When.
    pub(crate) at: DateTime,
}

impl From<&DisabledAccount> for DisabledDocument {
    fn from(d: &DisabledAccount) -> Self {
        Self {
            user: d.user.as_str().to_owned(),
            username: d.username.as_str().to_owned(),
            operator: d.operator.clone(),
            at: to_bson_date(d.at),
        }
    }
}

impl TryFrom<DisabledDocument> for DisabledAccount {
    type Error = StoreError;

    fn try_from(d: DisabledDocument) -> Result<Self, StoreError> {
        Ok(DisabledAccount {
            user: UserId::parse(&d.user).ok_or_else(|| corrupt("account", &d.user, "bad id"))?,
            username: Username::parse(&d.username)
                .ok_or_else(|| corrupt("account", &d.user, "bad name"))?,
            operator: d.operator,
            at: from_bson_date(d.at)?,
        })
    }
}

/// A report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct ReportDocument {
    /// The report id.
    #[serde(rename = "_id")]
    pub(crate) id: String,
    /// The paste reported.
    pub(crate) paste: String,
    /// A `Category` code.
    pub(crate) category: String,
    /// The reader's words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) details: Option<String>,
    /// The client's address tag.
    pub(crate) client: String,
    /// When.
    pub(crate) at: DateTime,
    /// Whether an operator closed it (indexed with `at`: open ones first).
    pub(crate) resolved: bool,
    /// How, once closed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) resolution: Option<ResolutionDocument>,
}

/// `resolution` inside a report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct ResolutionDocument {
    /// Who.
    pub(crate) operator: String,
    /// When.
    pub(crate) at: DateTime,
    /// Their note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) note: Option<String>,
}

impl From<&Resolution> for ResolutionDocument {
    fn from(r: &Resolution) -> Self {
        Self {
            operator: r.operator.clone(),
            at: to_bson_date(r.at),
            note: r.note.as_ref().map(|n| n.as_str().to_owned()),
        }
    }
}

impl From<&Report> for ReportDocument {
    fn from(r: &Report) -> Self {
        Self {
            id: r.id.as_str().to_owned(),
            paste: r.paste.as_str().to_owned(),
            category: r.category.code().to_owned(),
            details: r.details.as_ref().map(|n| n.as_str().to_owned()),
            client: r.client.clone(),
            at: to_bson_date(r.at),
            resolved: r.resolution.is_some(),
            resolution: r.resolution.as_ref().map(ResolutionDocument::from),
        }
    }
}

impl TryFrom<ReportDocument> for Report {
    type Error = StoreError;

    fn try_from(d: ReportDocument) -> Result<Self, StoreError> {
        let resolution = match d.resolution {
            Some(r) => Some(Resolution {
                operator: r.operator,
                at: from_bson_date(r.at)?,
                note: note("report", &d.id, r.note)?,
            }),
            None => None,
        };
        Ok(Report {
            id: PasteId::parse(&d.id).ok_or_else(|| corrupt("report", &d.id, "bad id"))?,
            paste: PasteId::parse(&d.paste).ok_or_else(|| corrupt("report", &d.id, "bad paste"))?,
            category: category("report", &d.id, &d.category)?,
            details: note("report", &d.id, d.details)?,
            client: d.client,
            at: from_bson_date(d.at)?,
            resolution,
        })
    }
}

/// One entry of the audit log (`_id` is a random id, entries are read by `at`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct AuditDocument {
    /// A random id.
    #[serde(rename = "_id")]
    pub(crate) id: String,
    /// When.
    pub(crate) at: DateTime,
    /// Who.
    pub(crate) operator: String,
    /// What.
    pub(crate) action: String,
    /// On what.
    pub(crate) target: String,
    /// Why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) reason: Option<String>,
}

impl AuditDocument {
    /// The document of `entry`, under a fresh id.
    pub(crate) fn new(entry: &AuditEntry) -> Self {
        Self {
            id: uuid::Uuid::new_v4().simple().to_string(),
            at: to_bson_date(entry.at),
            operator: entry.operator.clone(),
            action: entry.action.clone(),
            target: entry.target.clone(),
            reason: entry.reason.clone(),
        }
    }
}

impl TryFrom<AuditDocument> for AuditEntry {
    type Error = StoreError;

    fn try_from(d: AuditDocument) -> Result<Self, StoreError> {
        Ok(AuditEntry {
            at: from_bson_date(d.at)?,
            operator: d.operator,
            action: d.action,
            target: d.target,
            reason: d.reason,
        })
    }
}

/// The part of a paste document `admin recent` reads (no content).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct RecentDocument {
    /// The paste id.
    #[serde(rename = "_id")]
    pub(crate) id: String,
    /// Optional title.
    pub(crate) title: Option<String>,
    /// `public`, `unlisted` or `private`.
    pub(crate) visibility: String,
    /// Creation time.
    pub(crate) created_at: DateTime,
    /// Embedded author summary.
    #[serde(default)]
    pub(crate) author: Option<super::AuthorDocument>,
    /// The creating client's address tag.
    #[serde(default)]
    pub(crate) client: Option<String>,
}

impl RecentDocument {
    /// The MongoDB projection that fetches exactly these fields.
    pub(crate) fn projection() -> bson::Document {
        bson::doc! { "_id": 1, "title": 1, "visibility": 1, "created_at": 1, "author": 1, "client": 1 }
    }
}

impl TryFrom<RecentDocument> for crate::domain::RecentPaste {
    type Error = StoreError;

    fn try_from(d: RecentDocument) -> Result<Self, StoreError> {
        Ok(crate::domain::RecentPaste {
            id: PasteId::parse(&d.id).ok_or_else(|| corrupt("paste", &d.id, "bad id"))?,
            created_at: from_bson_date(d.created_at)?,
            author: d
                .author
                .map(|a| {
                    Username::parse(&a.username)
                        .ok_or_else(|| corrupt("paste", &d.id, "bad author"))
                })
                .transpose()?,
            title: d.title,
            visibility: crate::domain::Visibility::parse(&d.visibility)
                .map_err(|_| corrupt("paste", &d.id, "bad visibility"))?,
            client: d.client,
        })
    }
}
