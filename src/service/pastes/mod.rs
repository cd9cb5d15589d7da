//! Creating, reading, burning and deleting pastes, and the jobs that keep
//! their cached views right (warm, sweep).
//!
//! Reads go cache first: a hot read is one cache lookup, no store operation.
//! Counted pastes (burn-after-read, `max_views`) are never cached, so each of
//! their reads reaches the store's atomic take and exactly as many readers as
//! they have views, on any clone, get them.

mod ahead;
mod claim;
mod create;
mod edit;
mod fork;
mod history;
mod lock;
mod read;
mod remove;
mod render;
mod render_files;
mod takedown;

use std::sync::Arc;

use serde::{Deserialize, Serialize};

pub(crate) use edit::{EditDraft, Editor};
pub(crate) use history::Want;
pub(crate) use lock::{Locks, MAX_PASSWORD_BYTES, Opened};
pub(crate) use read::{Key, PageRead};
pub(crate) use render::Renders;

use super::archive::ArchiveCache;
use super::draft::Rules;
use super::idempotency::Idempotency;
use super::rate_limit::RateLimiter;
use super::user_pages::UserPages;
use super::views::{ViewCache, ViewMeta};
use super::visits::VisitService;
use crate::clock::Clock;
use crate::metrics::Metrics;
use crate::queue::JobQueue;
use crate::store::DocumentStore;

/// A paste just created, with the only copy of its delete token. Serializable,
/// so an idempotent retry can be answered exactly as the first attempt was.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Created {
    /// The paste's metadata.
    pub(crate) meta: ViewMeta,
    /// The secret that deletes it; never stored in the document.
    pub(crate) delete_token: String,
    /// True when this answers a retry with the same `Idempotency-Key`.
    #[serde(skip)]
    pub(crate) replayed: bool,
}

/// The paste use cases.
pub(crate) struct PasteService {
    store: Arc<dyn DocumentStore>,
    limiter: Arc<RateLimiter>,
    user_pages: Arc<UserPages>,
    archive: Arc<ArchiveCache>,
    views: Arc<ViewCache>,
    idempotency: Idempotency,
    visits: Arc<VisitService>,
    queue: Arc<dyn JobQueue>,
    metrics: Arc<Metrics>,
    clock: Clock,
    rules: Rules,
    id_length: usize,
    renders: Renders,
    locks: Locks,
    operator: Arc<dyn crate::store::OperatorStore>,
    addresses: crate::service::admin::AddressTags,
}

/// What the paste use cases are built from.
pub(crate) struct PasteParts {
    /// Rate limits: a creation spends its token here, once it is valid.
    pub(crate) limiter: Arc<RateLimiter>,
    /// The document store.
    pub(crate) store: Arc<dyn DocumentStore>,
    /// Users' cached first pages, forgotten when their pastes change.
    pub(crate) user_pages: Arc<UserPages>,
    /// The public archive's cached first page, forgotten when a listed
    /// paste changes.
    pub(crate) archive: Arc<ArchiveCache>,
    /// Cached views.
    pub(crate) views: Arc<ViewCache>,
    /// Idempotency records.
    pub(crate) idempotency: Idempotency,
    /// Visit counting.
    pub(crate) visits: Arc<VisitService>,
    /// The job queue.
    pub(crate) queue: Arc<dyn JobQueue>,
    /// Metrics.
    pub(crate) metrics: Arc<Metrics>,
    /// The clock.
    pub(crate) clock: Clock,
    /// The limits drafts are checked against.
    pub(crate) rules: Rules,
    /// Characters in a new paste id.
    pub(crate) id_length: usize,
    /// Renders pages, one render per paste at a time.
    pub(crate) renders: Renders,
    /// Seals and opens password-protected pastes.
    pub(crate) locks: Locks,
    /// The operator's records: a read that finds no paste asks whether it
    /// was taken down (410, not 404).
    pub(crate) operator: Arc<dyn crate::store::OperatorStore>,
    /// How a creating client's address is recorded (a keyed hash).
    pub(crate) addresses: crate::service::admin::AddressTags,
}

impl PasteService {
    /// The service over its parts.
    pub(crate) fn new(parts: PasteParts) -> Self {
        Self {
            store: parts.store,
            limiter: parts.limiter,
            user_pages: parts.user_pages,
            archive: parts.archive,
            views: parts.views,
            idempotency: parts.idempotency,
            visits: parts.visits,
            queue: parts.queue,
            metrics: parts.metrics,
            clock: parts.clock,
            rules: parts.rules,
            id_length: parts.id_length,
            renders: parts.renders,
            locks: parts.locks,
            operator: parts.operator,
            addresses: parts.addresses,
        }
    }

    /// The limits drafts are checked against.
    pub(crate) fn rules(&self) -> &Rules {
        &self.rules
    }
}

impl PasteService {
    /// Forgets the cached first page of `paste`'s author, if it has one: a
    /// paste of theirs came or went; and the archive's, when it is listed.
    async fn author_changed(&self, paste: &crate::domain::Paste) {
        if let Some(author) = &paste.fields.author {
            self.user_pages.invalidate(&author.username).await;
        }
        if paste.is_listed() {
            self.archive.invalidate().await;
        }
    }

    /// Forgets the archive's cached first page: an edit may have taken a
    /// listed paste out of it (made it unlisted), which its new state
    /// alone does not tell.
    async fn archive_changed(&self) {
        self.archive.invalidate().await;
    }
}
