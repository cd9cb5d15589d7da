//! The API token document: who it belongs to, its name, the SHA-256 of its
//! secret (never the secret), and when it was made.

use bson::DateTime;
use serde::{Deserialize, Serialize};

use super::{from_bson_date, to_bson_date};
use crate::domain::{ApiToken, AuthorSummary, TokenHash, TokenId, TokenName, UserId, Username};
use crate::store::StoreError;

/// A token document (`api_tokens` in MongoDB, one row each in SQLite).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct TokenDocument {
    /// The token's public id.
    #[serde(rename = "_id")]
    pub(crate) id: String,
    /// The owner's id: lists and revocations filter on it (indexed).
    pub(crate) user_id: String,
    /// The owner's name, embedded so a request with the token needs no user read.
    pub(crate) username: String,
    /// What the owner calls it.
    pub(crate) name: String,
    /// Lowercase hex SHA-256 of the secret.
    pub(crate) hash: String,
    /// When it was made.
    pub(crate) created_at: DateTime,
}

impl From<&ApiToken> for TokenDocument {
    fn from(token: &ApiToken) -> Self {
        Self {
            id: token.id.as_str().to_owned(),
            user_id: token.user.id.as_str().to_owned(),
            username: token.user.username.as_str().to_owned(),
            name: token.name.as_str().to_owned(),
            hash: token.hash.to_hex(),
            created_at: to_bson_date(token.created_at),
        }
    }
}

impl TryFrom<TokenDocument> for ApiToken {
    type Error = StoreError;

    fn try_from(doc: TokenDocument) -> Result<Self, StoreError> {
        let corrupt = |what: &str| StoreError::corrupt(format!("token {:?}: {what}", doc.id));
        Ok(ApiToken {
            id: TokenId::parse(&doc.id).ok_or_else(|| corrupt("bad id"))?,
            user: AuthorSummary {
                id: UserId::parse(&doc.user_id).ok_or_else(|| corrupt("bad user id"))?,
                username: Username::parse(&doc.username).ok_or_else(|| corrupt("bad username"))?,
            },
            name: TokenName::parse(&doc.name).ok_or_else(|| corrupt("bad name"))?,
            hash: TokenHash::from_hex(&doc.hash).ok_or_else(|| corrupt("bad hash"))?,
            created_at: from_bson_date(doc.created_at)?,
        })
    }
}
