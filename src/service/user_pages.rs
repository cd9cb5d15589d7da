//! The public first page of a user, cached as one assembled object: the
//! user's summary and their newest public pastes, so the hot read of
//! `/u/{username}` (and of its JSON twin) is one cache lookup.
//!
//! Only what strangers see is cached, and only the first page at the default
//! length (later pages and other lengths are read from the store: they are
//! cold, and a cursor needs nothing cached to stay right). The owner's own
//! view ("my pastes") is never cached.
//!
//! Consistency: every change to a user's pastes (create, delete, burn)
//! replaces the entry with a short tombstone, fleet-wide with Redis, before
//! it is acknowledged; a fill never overwrites a tombstone, so an assembly
//! that read the store just before the change cannot bring the old list
//! back. Expiry needs no invalidation: a cached line past its `expires_at`
//! is dropped at read time, so an expired paste leaves the list the moment
//! it expires, whether or not the sweep has purged it yet.

use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::cache::{Cache, keys};
use crate::domain::{Language, PasteId, PasteSummary, Title, UserId, Username, Visibility};
use crate::metrics::Metrics;
use crate::service::cached_page::PageSlot;

/// How long a tombstone stops fills with the embedded store, whose reads
/// are local.
const LOCAL_TOMBSTONE_LIFE: Duration = Duration::from_secs(2);

/// The cached first page: the user's public summary and their newest
/// public pastes. No password hash, nothing private: it is shown to anyone.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct CachedPage {
    /// The user's id.
    pub(crate) user_id: UserId,
    /// The user's name.
    pub(crate) username: Username,
    /// When the account was made.
    #[serde(with = "time::serde::rfc3339")]
    pub(crate) created_at: OffsetDateTime,
    /// Pastes created (the user's counter).
    pub(crate) pastes_created: u64,
    /// The lines, newest first.
    pub(crate) lines: Vec<CachedLine>,
    /// Where the next page starts (the last line's position), if there is one.
    pub(crate) more: bool,
}

/// One line of a cached page (of a user's, or of the archive's).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct CachedLine {
    id: PasteId,
    title: Option<Title>,
    language: Option<Language>,
    visibility: Visibility,
    burn_after_read: bool,
    #[serde(with = "time::serde::rfc3339")]
    created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    expires_at: Option<OffsetDateTime>,
    size_bytes: u64,
    total_views: u64,
    #[serde(default)]
    shown_language: Option<Language>,
}

impl From<&PasteSummary> for CachedLine {
    fn from(p: &PasteSummary) -> Self {
        Self {
            id: p.id.clone(),
            title: p.title.clone(),
            language: p.language.clone(),
            visibility: p.visibility,
            burn_after_read: p.burn_after_read,
            created_at: p.created_at,
            expires_at: p.expires_at,
            size_bytes: p.size_bytes,
            total_views: p.total_views,
            shown_language: p.shown_language.clone(),
        }
    }
}

impl From<CachedLine> for PasteSummary {
    fn from(l: CachedLine) -> Self {
        Self {
            id: l.id,
            title: l.title,
            language: l.language,
            visibility: l.visibility,
            burn_after_read: l.burn_after_read,
            created_at: l.created_at,
            expires_at: l.expires_at,
            size_bytes: l.size_bytes,
            total_views: l.total_views,
            shown_language: l.shown_language,
        }
    }
}

impl CachedPage {
    /// The lines still live at `now`, as summaries.
    pub(crate) fn live_lines(&self, now: OffsetDateTime) -> Vec<PasteSummary> {
        self.lines
            .iter()
            .filter(|l| l.expires_at.is_none_or(|at| at > now))
            .cloned()
            .map(PasteSummary::from)
            .collect()
    }

    /// The lines of `pastes`, as cached.
    pub(crate) fn lines_of(pastes: &[PasteSummary]) -> Vec<CachedLine> {
        pastes.iter().map(CachedLine::from).collect()
    }
}

/// The cache of users' public first pages.
pub(crate) struct UserPages {
    pages: PageSlot,
}

/// How long a change's tombstone must stop fills: longer than the slowest
/// assembly the store allows (MongoDB's server selection, connection and
/// operation limits together, plus a second), two seconds with the local
/// embedded store.
pub(crate) fn tombstone_life(store_operation_bound: Option<Duration>) -> Duration {
    store_operation_bound.map_or(LOCAL_TOMBSTONE_LIFE, |bound| {
        (bound + Duration::from_secs(1)).max(LOCAL_TOMBSTONE_LIFE)
    })
}

impl UserPages {
    /// Pages kept in `cache` (not at all when `enabled` is false); a change
    /// stops fills for `tombstone_life`.
    pub(crate) fn new(
        cache: Arc<dyn Cache>,
        metrics: Arc<Metrics>,
        enabled: bool,
        tombstone_life: Duration,
    ) -> Self {
        Self {
            pages: PageSlot::new(cache, metrics, enabled, tombstone_life, "user"),
        }
    }

    /// The cached page of `username`, if there is a live one.
    pub(crate) async fn get(&self, username: &Username) -> Option<CachedPage> {
        self.pages.get(&keys::user_page(username)).await
    }

    /// Caches a page assembled from the store, unless a change left its
    /// tombstone there meanwhile.
    pub(crate) async fn fill(&self, page: &CachedPage) {
        self.pages
            .fill(&keys::user_page(&page.username), page)
            .await;
    }

    /// Forgets the page of `username` on every clone: its pastes changed.
    pub(crate) async fn invalidate(&self, username: &Username) {
        if let Err(e) = self.pages.invalidate(&keys::user_page(username)).await {
            tracing::warn!(user = %username, error = %e, "a cached user page may stay stale until it expires");
        }
    }
}

#[cfg(test)]
mod tombstone_tests {
    use std::time::Duration;

    use super::tombstone_life;

    #[test]
    fn a_tombstone_outlives_the_slowest_assembly_the_store_allows() {
        assert_eq!(tombstone_life(None), Duration::from_secs(2));
        assert_eq!(
            tombstone_life(Some(Duration::from_secs(5))),
            Duration::from_secs(6)
        );
        assert_eq!(
            tombstone_life(Some(Duration::from_millis(10))),
            Duration::from_secs(2)
        );
    }
}
