//! The public archive (`/recent`): the newest listed pastes
//! (`Paste::is_listed`), a page at a time by cursor, and their search by
//! title and language.
//!
//! The first page with no search, at the default length, is cached as one
//! assembled object (the hot read of `/recent` is one cache lookup); later
//! pages and searches are read from the store's archive indexes.
//! Consistency, as for a user's first page (`user_pages`): every change to
//! a listed paste (create, edit, delete, claim) replaces the entry with a
//! short tombstone, fleet-wide with Redis, before it is acknowledged; a
//! fill never overwrites a tombstone. Burns and sweeps need nothing: a
//! counted paste is never listed, and a cached line past its `expires_at`
//! is dropped at read time.

use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::cache::{Cache, keys};
use crate::clock::Clock;
use crate::domain::{ListCursor, PageRequest, PasteSummary, Search};
use crate::error::AppError;
use crate::metrics::Metrics;
use crate::service::cached_page::PageSlot;
use crate::service::user_pages::CachedLine;
use crate::service::users::{DEFAULT_PAGE, ListQuery};
use crate::store::DocumentStore;

/// The cached first page.
#[derive(Debug, Serialize, Deserialize)]
struct CachedArchive {
    lines: Vec<CachedLine>,
    more: bool,
}

/// The cache of the archive's first page.
pub(crate) struct ArchiveCache {
    page: PageSlot,
}

impl ArchiveCache {
    /// The page kept in `cache` (not at all when `enabled` is false); a
    /// change stops fills for `tombstone_life`.
    pub(crate) fn new(
        cache: Arc<dyn Cache>,
        metrics: Arc<Metrics>,
        enabled: bool,
        tombstone_life: Duration,
    ) -> Self {
        Self {
            page: PageSlot::new(cache, metrics, enabled, tombstone_life, "archive"),
        }
    }

    async fn get(&self) -> Option<CachedArchive> {
        self.page.get(keys::ARCHIVE_PAGE).await
    }

    async fn fill(&self, page: &CachedArchive) {
        self.page.fill(keys::ARCHIVE_PAGE, page).await;
    }

    /// Forgets the first page on every clone: a listed paste came, changed
    /// or went.
    pub(crate) async fn invalidate(&self) {
        if let Err(e) = self.page.invalidate(keys::ARCHIVE_PAGE).await {
            tracing::warn!(error = %e, "the cached archive page may stay stale until it expires");
        }
    }
}

/// One page of the archive.
#[derive(Debug)]
pub(crate) struct ArchivePage {
    /// Listed live pastes, newest first.
    pub(crate) pastes: Vec<PasteSummary>,
    /// Where the next page starts; `None` on the last page.
    pub(crate) next: Option<ListCursor>,
}

/// The archive use case.
pub(crate) struct Archive {
    store: Arc<dyn DocumentStore>,
    cache: Arc<ArchiveCache>,
    clock: Clock,
}

impl Archive {
    /// Reads from `store`, the first page cached in `cache`.
    pub(crate) fn new(
        store: Arc<dyn DocumentStore>,
        cache: Arc<ArchiveCache>,
        clock: Clock,
    ) -> Self {
        Self {
            store,
            cache,
            clock,
        }
    }

    /// The page the query names, of the pastes that match `search`.
    pub(crate) async fn page(
        &self,
        search: &Search,
        query: ListQuery,
    ) -> Result<ArchivePage, AppError> {
        let ListQuery { cursor, limit } = query;
        let cacheable = search.is_empty() && cursor.is_none() && limit == DEFAULT_PAGE;
        let now = self.clock.now();
        if cacheable && let Some(page) = self.cache.get().await {
            let pastes: Vec<PasteSummary> = page
                .lines
                .into_iter()
                .map(PasteSummary::from)
                .filter(|p| p.expires_at.is_none_or(|at| at > now))
                .collect();
            let next = if page.more {
                pastes.last().map(PasteSummary::cursor)
            } else {
                None
            };
            return Ok(ArchivePage { pastes, next });
        }
        // One line more than asked tells whether a next page exists.
        let request = PageRequest {
            after: cursor,
            limit: limit + 1,
            public_only: true,
        };
        let mut pastes = self.store.public_pastes(search, &request, now).await?;
        let more = pastes.len() > limit;
        pastes.truncate(limit);
        let next = if more {
            pastes.last().map(PasteSummary::cursor)
        } else {
            None
        };
        if cacheable {
            self.cache
                .fill(&CachedArchive {
                    lines: pastes.iter().map(CachedLine::from).collect(),
                    more,
                })
                .await;
        }
        Ok(ArchivePage { pastes, next })
    }
}
