//! A user as the store keeps it, and a page of an author's pastes.
//!
//! The store holds users so that a paste can embed its author's summary,
//! usernames are unique fleet-wide, and a user page can be assembled from two
//! indexed queries (the user, then their pastes) without a server-side join.
//! A user made by sign-up has a password hash; sessions live in the cache.

use time::OffsetDateTime;

use super::{Language, PasswordHash, PasteId, Title, Visibility};

/// A username: 3 to 32 characters of `a-z`, `0-9`, `_`, `-` or `.`, kept in
/// lowercase so that `Ada` and `ada` are the same name (the store's unique
/// index sees one spelling).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Username(String);

impl Username {
    /// Shortest name.
    pub(crate) const MIN: usize = 3;
    /// Longest name (it appears in URLs: `/u/{username}`).
    pub(crate) const MAX: usize = 32;

    /// The canonical name, or `None` when `raw` is not a valid name.
    pub fn parse(raw: &str) -> Option<Self> {
        let name = raw.trim().to_ascii_lowercase();
        let allowed = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || "_-.".contains(c);
        let ok = (Self::MIN..=Self::MAX).contains(&name.len())
            && name.chars().all(allowed)
            && name.starts_with(|c: char| c.is_ascii_alphanumeric());
        ok.then_some(Self(name))
    }

    /// The name.
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

super::text_serde!(Username, Username::parse, "a username");

impl std::fmt::Display for Username {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A user's stable id (a random UUID for new users): 1 to 64 characters of
/// `A-Z a-z 0-9 - _`. Pastes embed it, so a rename never orphans them.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct UserId(String);

impl UserId {
    /// A fresh random id.
    pub fn random() -> Self {
        Self(
            uuid::Builder::from_random_bytes(rand::random())
                .into_uuid()
                .hyphenated()
                .to_string(),
        )
    }

    /// Reads an id; `None` for anything an id cannot be.
    pub fn parse(text: &str) -> Option<Self> {
        let ok = (1..=64).contains(&text.len())
            && text
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        ok.then(|| Self(text.to_owned()))
    }

    /// The id as text.
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for UserId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

super::text_serde!(UserId, UserId::parse, "a user id");

/// A user's own counters, embedded in the user document so a user page shows
/// them without counting anything.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UserStats {
    /// Pastes this user has created (expired and deleted ones included: the
    /// number only grows, so MongoDB's TTL purge cannot make it wrong).
    pub pastes_created: u64,
}

/// A stored user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// A stable id, embedded in the user's pastes; the name may change.
    pub id: UserId,
    /// The unique name.
    pub username: Username,
    /// When the account was made (millisecond precision, as stored).
    pub created_at: OffsetDateTime,
    /// Counters, maintained by the store.
    pub stats: UserStats,
    /// The argon2id hash of the password; `None` for a user who cannot log
    /// in (made by a tool, not by sign-up).
    pub password_hash: Option<PasswordHash>,
}

/// One line of an author's list of pastes: what a user page shows, without the
/// content (which may be megabytes and is not needed to list a paste).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasteSummary {
    /// The paste.
    pub id: PasteId,
    /// Its title.
    pub(crate) title: Option<Title>,
    /// Its language hint.
    pub(crate) language: Option<Language>,
    /// Its visibility.
    pub visibility: Visibility,
    /// Whether its first read deletes it.
    pub(crate) burn_after_read: bool,
    /// When it was made.
    pub created_at: OffsetDateTime,
    /// When it expires.
    pub(crate) expires_at: Option<OffsetDateTime>,
    /// Size of the content.
    pub size_bytes: u64,
    /// Visits folded so far.
    pub(crate) total_views: u64,
    /// The language its page shows, by token (`Paste::shown_language`);
    /// `None` when its document predates it, or it is sealed.
    pub(crate) shown_language: Option<Language>,
}

impl PasteSummary {
    /// The cursor that asks for what comes after this line.
    pub fn cursor(&self) -> ListCursor {
        ListCursor {
            created_at: self.created_at,
            id: self.id.clone(),
        }
    }
}

/// A position in an author's list, newest first: the creation time and id of
/// the last paste seen. Pages continue strictly after it, so pastes created
/// while a reader pages through never shift what the next page holds (no
/// duplicates, no gaps, unlike an offset).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListCursor {
    /// Creation time of the last paste seen.
    pub(crate) created_at: OffsetDateTime,
    /// Its id: breaks ties between pastes made in the same millisecond.
    pub(crate) id: PasteId,
}

impl ListCursor {
    /// The opaque text form handed to clients: `{unix millis}.{id}`.
    pub(crate) fn encode(&self) -> String {
        format!(
            "{}.{}",
            self.created_at.unix_timestamp_nanos() / 1_000_000,
            self.id.as_str()
        )
    }

    /// Most digits of the time: 13 reach the year 2286, and every 13-digit
    /// number is a time `OffsetDateTime` holds, so the OpenAPI document's
    /// pattern for a cursor admits nothing this refuses.
    pub(crate) const MAX_MILLIS_DIGITS: usize = 13;

    /// Reads what `encode` made; `None` for anything else (a sign, more digits
    /// than `MAX_MILLIS_DIGITS`, an id that is not one).
    pub(crate) fn parse(text: &str) -> Option<Self> {
        let (millis, id) = text.split_once('.')?;
        let digits = (1..=Self::MAX_MILLIS_DIGITS).contains(&millis.len())
            && millis.bytes().all(|b| b.is_ascii_digit());
        if !digits {
            return None;
        }
        let millis: i64 = millis.parse().ok()?;
        let nanos = i128::from(millis).checked_mul(1_000_000)?;
        let created_at = OffsetDateTime::from_unix_timestamp_nanos(nanos).ok()?;
        Some(Self {
            created_at,
            id: PasteId::parse(id)?,
        })
    }
}

/// Which page of an author's pastes to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRequest {
    /// Start after this position; `None` for the newest.
    pub after: Option<ListCursor>,
    /// Most lines to return (backends cap it at `PageRequest::MAX_LIMIT`).
    pub limit: usize,
    /// Only public pastes (what strangers see); `false` adds unlisted and
    /// private ones (what the owner sees).
    pub public_only: bool,
}

impl PageRequest {
    /// The longest page any backend returns: a bound on one query's work.
    pub(crate) const MAX_LIMIT: usize = 1000;

    /// The limit a backend applies.
    pub(crate) fn capped_limit(&self) -> usize {
        self.limit.min(Self::MAX_LIMIT)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_are_lowercase_and_plain() {
        assert_eq!(Username::parse(" Ada ").map(|u| u.0), Some("ada".into()));
        assert!(Username::parse("a.b-c_d9").is_some());
        for bad in [
            "ab",
            "",
            "-ada",
            "ada lovelace",
            "ädä",
            "a/b",
            &"x".repeat(33),
        ] {
            assert!(Username::parse(bad).is_none(), "{bad:?} accepted");
        }
    }

    #[test]
    fn a_cursor_survives_its_text_form_and_junk_is_refused() {
        let cursor = ListCursor {
            created_at: OffsetDateTime::from_unix_timestamp(1_700_000_000).expect("a time")
                + time::Duration::milliseconds(123),
            id: PasteId::parse("abcdEFGH").expect("an id"),
        };
        assert_eq!(ListCursor::parse(&cursor.encode()), Some(cursor));
        let huge = format!("{}.abcdEFGH", "9".repeat(40));
        let past_the_calendar = format!("{}.abcdEFGH", i64::MAX);
        for junk in [
            "",
            "12",
            "x.abcdEFGH",
            "12.a/b",
            "12.abcd.EFGH",
            "+12.abcdEFGH",
            "-12.abcdEFGH",
            "12345678901234.abcdEFGH",
            &huge,
            &past_the_calendar,
        ] {
            assert_eq!(ListCursor::parse(junk), None, "{junk:?}");
        }
    }
}
