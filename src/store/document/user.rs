//! The user document.

use bson::DateTime;
use serde::{Deserialize, Serialize};

use super::{count, from_bson_date, to_bson_date};
use crate::domain::{PasswordHash, User, UserId, UserStats, Username};
use crate::store::StoreError;

/// A user document: who the user is, with their own counters embedded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct UserDocument {
    /// The user id.
    #[serde(rename = "_id")]
    pub(crate) id: String,
    /// The lowercase name; unique (an index in MongoDB, a constraint in SQLite).
    pub(crate) username: String,
    /// When the account was made.
    pub(crate) created_at: DateTime,
    /// The user's counters.
    pub(crate) stats: UserStatsDocument,
    /// The argon2id PHC string; absent for users who cannot log in (and in
    /// documents written before accounts).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) password_hash: Option<String>,
}

/// `stats` inside a user document.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct UserStatsDocument {
    /// Pastes created, raised with `$inc` as each authored paste is stored.
    pub(crate) pastes_created: i64,
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
            password_hash: user.password_hash.as_ref().map(|h| h.as_str().to_owned()),
        }
    }
}

impl TryFrom<UserDocument> for User {
    type Error = StoreError;

    fn try_from(doc: UserDocument) -> Result<Self, StoreError> {
        let corrupt = |what: &str| StoreError::corrupt(format!("user {:?}: {what}", doc.id));
        Ok(User {
            username: Username::parse(&doc.username).ok_or_else(|| corrupt("bad username"))?,
            created_at: from_bson_date(doc.created_at)?,
            stats: UserStats {
                pastes_created: u64::try_from(doc.stats.pastes_created)
                    .map_err(|_| corrupt("negative counter"))?,
            },
            password_hash: doc
                .password_hash
                .as_deref()
                .map(|h| PasswordHash::parse(h).ok_or_else(|| corrupt("bad password hash")))
                .transpose()?,
            id: UserId::parse(&doc.id).ok_or_else(|| corrupt("bad id"))?,
        })
    }
}
