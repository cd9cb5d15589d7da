//! The paste document.

use std::collections::BTreeMap;

use bson::DateTime;
use serde::{Deserialize, Serialize};

use super::{count, from_bson_date, to_bson_date};
use crate::domain::{
    AuthorSummary, Content, ForkOrigin, Language, Month, NewPaste, Paste, PasteId, PasteLock,
    PasteStats, Title, TokenHash, UserId, Username, Visibility,
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
    /// The paste this one was forked from (absent on any other paste, so
    /// the fork indexes hold forks only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) forked_from: Option<ForkedFromDocument>,
    /// Forks counted by the `count_forks` job (absent: none yet).
    #[serde(default)]
    pub(crate) fork_count: i64,
    /// The content is an end-to-end encrypted envelope. Written only when
    /// true, so the documents of other pastes are as they were.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub(crate) end_to_end: bool,
    /// Deleted by its N-th view; absent for no limit (burn-after-read is
    /// its own flag, a limit of one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) max_views: Option<i64>,
    /// Views of the limit spent so far, raised by the store's atomic take
    /// (absent is 0).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub(crate) views_spent: i64,
    /// A password-protected paste's sealed title and content; absent for
    /// any other.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) lock: Option<LockDocument>,
    /// Its latest revision, once it was edited (absent before: revision 1,
    /// by its author at its creation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) revision: Option<super::revision::MarkDocument>,
    /// Listed in the public archive (`Paste::is_listed`); written only when
    /// true, so the archive's partial indexes hold listed pastes only.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub(crate) listed: bool,
    /// The language its page shows (`Paste::shown_language`), for lists and
    /// the archive's search; absent on sealed pastes and on documents
    /// written before it existed (lists then guess from hint and title).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) shown_language: Option<String>,
    /// The words a search finds a listed paste's title by (`title_words`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) title_words: Vec<String>,
    /// The creating client's address tag (a keyed hash, see
    /// `service::admin::address`); absent on older pastes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) client: Option<String>,
    /// A multi-file paste's files (absent for a paste of one text).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) files: Vec<super::files::FileDocument>,
}

/// `forked_from` inside a paste document: the original's id, and its title
/// and author's name at fork time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct ForkedFromDocument {
    /// The original's id.
    pub(crate) id: String,
    /// Its title then.
    pub(crate) title: Option<String>,
    /// Its author's name then.
    pub(crate) author: Option<String>,
    /// True once the original is gone.
    #[serde(default)]
    pub(crate) gone: bool,
}

fn is_zero(n: &i64) -> bool {
    *n == 0
}

/// `lock` inside a password-protected paste's document: only ciphertext,
/// salt and parameters (the document's `content` is `LOCKED_CONTENT`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct LockDocument {
    /// Always `argon2id` (a later kind gets a new name).
    pub(crate) kdf: String,
    /// argon2id memory cost, KiB.
    pub(crate) memory_kib: i64,
    /// argon2id passes.
    pub(crate) iterations: i64,
    /// 16 random bytes.
    pub(crate) salt: bson::Binary,
    /// Always `xchacha20poly1305`.
    pub(crate) cipher: String,
    /// 24 random bytes.
    pub(crate) nonce: bson::Binary,
    /// Ciphertext and tag of `{"title", "content"}` as JSON.
    pub(crate) sealed: bson::Binary,
}

fn binary(bytes: &[u8]) -> bson::Binary {
    bson::Binary {
        subtype: bson::spec::BinarySubtype::Generic,
        bytes: bytes.to_vec(),
    }
}

impl From<&PasteLock> for LockDocument {
    fn from(lock: &PasteLock) -> Self {
        Self {
            kdf: "argon2id".into(),
            memory_kib: i64::from(lock.memory_kib),
            iterations: i64::from(lock.iterations),
            salt: binary(&lock.salt),
            cipher: "xchacha20poly1305".into(),
            nonce: binary(&lock.nonce),
            sealed: binary(&lock.sealed),
        }
    }
}

impl LockDocument {
    fn parse(self) -> Option<PasteLock> {
        (self.kdf == "argon2id" && self.cipher == "xchacha20poly1305").then_some(())?;
        Some(PasteLock {
            memory_kib: u32::try_from(self.memory_kib).ok()?,
            iterations: u32::try_from(self.iterations).ok()?,
            salt: self.salt.bytes.try_into().ok()?,
            nonce: self.nonce.bytes.try_into().ok()?,
            sealed: self.sealed.bytes,
        })
    }
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
            end_to_end: f.end_to_end,
            content_sha256: paste.content_sha256.clone(),
            size_bytes: count(
                f.files
                    .iter()
                    .map(|f| f.content.len())
                    .sum::<usize>()
                    .max(f.content.len()) as u64,
            ),
            stats: StatsDocument {
                total_views: count(paste.stats.total_views),
                monthly: paste
                    .stats
                    .monthly
                    .iter()
                    .map(|(month, v)| (month.to_string(), count(*v)))
                    .collect(),
            },
            forked_from: paste.forked_from.as_ref().map(|o| ForkedFromDocument {
                id: o.id.as_str().to_owned(),
                title: o.title.as_ref().map(|t| t.as_str().to_owned()),
                author: o.author.as_ref().map(|a| a.as_str().to_owned()),
                gone: o.gone,
            }),
            fork_count: count(paste.fork_count),
            max_views: f.max_views.map(i64::from),
            views_spent: i64::from(paste.views_spent),
            lock: f.lock.as_ref().map(LockDocument::from),
            revision: super::revision::mark_of(paste),
            listed: paste.is_listed(),
            shown_language: paste.shown_language(),
            title_words: paste.title_words(),
            client: paste.client.clone(),
            files: super::files::to_documents(&f.files),
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
        let forked_from = doc
            .forked_from
            .as_ref()
            .map(|o| {
                Ok::<_, StoreError>(ForkOrigin {
                    id: PasteId::parse(&o.id).ok_or_else(|| corrupt("bad forked_from id"))?,
                    title: o.title.clone().map(Title::trusted),
                    author: o
                        .author
                        .as_deref()
                        .map(|a| {
                            Username::parse(a).ok_or_else(|| corrupt("bad forked_from author"))
                        })
                        .transpose()?,
                    gone: o.gone,
                })
            })
            .transpose()?;
        let fork_count = non_negative(doc.fork_count)?;
        let max_views = doc
            .max_views
            .map(|n| u32::try_from(n).ok().filter(|n| *n > 0))
            .map(|n| n.ok_or_else(|| corrupt("bad max_views")))
            .transpose()?;
        let views_spent = u32::try_from(doc.views_spent).map_err(|_| corrupt("bad views_spent"))?;
        let lock = doc
            .lock
            .map(|l| l.parse().ok_or_else(|| corrupt("bad lock")))
            .transpose()?;
        if doc.content.is_empty() {
            return Err(corrupt("empty content"));
        }
        let revision = doc
            .revision
            .as_ref()
            .map(|m| m.to_mark(&doc.id))
            .transpose()?;
        let files = super::files::from_documents(doc.files, &doc.content, corrupt)?;
        Ok(Paste {
            fields: NewPaste {
                id,
                content: Content::trusted(doc.content),
                title: doc.title.map(Title::trusted),
                language: doc.language.map(Language::trusted),
                visibility,
                burn_after_read: doc.burn_after_read,
                max_views,
                lock,
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
                end_to_end: doc.end_to_end,
                files,
            },
            content_sha256: doc.content_sha256,
            stats,
            forked_from,
            fork_count,
            views_spent,
            revision,
            client: doc.client,
        })
    }
}
