//! Rendering a view for its page, in a render process (`render::process`:
//! killed at its deadline, so neither wall time nor CPU outlives it), once
//! per paste at a time in the whole fleet, and counted in
//! `pastebin_renders_total{kind}`.
//!
//! One render per paste: a render first takes the paste's lease in the cache
//! (set-if-absent, for as long as a render can take). Whoever finds it taken
//! (the assemble job while a cold read renders, a read while the job does, a
//! job reclaimed from a slow worker) waits a bounded time for the render to
//! show up in the cached view, and otherwise shows plain text for this read
//! only. The lease is dropped once the rendered view is cached.

use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;

use super::PasteService;
use crate::cache::{Cache, keys};
use crate::domain::PasteId;
use crate::render::process::{KILL_GRACE, Outcome, RenderPool};
use crate::render::{Fallback, Rendered};
use crate::service::views::{Lookup, PasteView};

/// How long the assemble job waits for a render process, or for another's
/// render of its paste: a job has no reader waiting on it (and stays well
/// inside `jobs.reclaim_after_secs`).
const JOB_WAIT: Duration = Duration::from_secs(10);

/// How long a page read waits for a free render process. Short: the page's
/// whole answer must stay within `render.max_millis` plus a small margin,
/// so a read that finds every process busy shows plain text for this read
/// (the assemble job, which waits longer, renders and caches it).
const PAGE_LANE_WAIT: Duration = Duration::from_millis(100);

/// How much longer than another's render can take a wait for it lasts: the
/// time for its holder to cache the view.
const PATIENCE: Duration = Duration::from_millis(250);

/// How often a wait for another's render looks at the cache.
const POLL: Duration = Duration::from_millis(20);

/// Who asks for a render: a page read waits briefly for a render process
/// (`PAGE_LANE_WAIT`), the job longer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Purpose {
    /// A page read.
    Page,
    /// The assemble job.
    Job,
}

/// What `render_for` did to a view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Made {
    /// It held a current render already.
    Current,
    /// Rendered here, under the lease: the caller caches the view, then
    /// calls `rendered` (which drops the lease).
    Rendered,
    /// Another's render, found in the cache.
    Shared,
    /// Plain text for this read only (no render came back in time): the
    /// caller caches the view without it.
    Interim,
}

/// The render processes and the leases that keep renders one per paste.
pub(crate) struct Renders {
    pub(super) pool: Arc<RenderPool>,
    cache: Arc<dyn Cache>,
    /// The bound on render-ahead jobs (`render.max_queued`).
    pub(super) ahead: super::ahead::Ahead,
}

impl Renders {
    /// Renders in `pool`, leased in `cache`; render-ahead jobs are queued
    /// only below `max_queued` jobs waiting.
    pub(crate) fn new(pool: Arc<RenderPool>, cache: Arc<dyn Cache>, max_queued: u64) -> Self {
        Self {
            pool,
            cache,
            ahead: super::ahead::Ahead::new(max_queued),
        }
    }

    /// How long a lease lives: the longest one render can take, waits for a
    /// process included, and a margin; a holder that died frees it by then.
    fn lease_life(&self, wait: Duration) -> Duration {
        wait + self.pool.limits().max_time + KILL_GRACE + Duration::from_secs(1)
    }

    /// True when the lease was taken (or the cache cannot say: renders are
    /// bounded by the processes anyway).
    async fn lease(&self, id: &PasteId, wait: Duration) -> bool {
        let key = keys::render_lease(id);
        self.cache
            .set_if_absent(&key, Bytes::from_static(b"1"), self.lease_life(wait))
            .await
            .unwrap_or(true)
    }

    async fn leased(&self, id: &PasteId) -> bool {
        let key = keys::render_lease(id);
        matches!(self.cache.get(&key).await, Ok(Some(_)))
    }

    async fn release(&self, id: &PasteId) {
        let _ = self.cache.delete(&keys::render_lease(id)).await;
    }
}

impl PasteService {
    /// Renders `view` for a page that will not be cached by the caller (a
    /// burn-after-read paste's reveal) unless it holds a current render;
    /// true when it rendered.
    pub(crate) async fn ensure_rendered(&self, view: &mut PasteView) -> bool {
        let made = self.render_for(view, Purpose::Page).await;
        self.rendered(&view.meta.id, made).await;
        made == Made::Rendered
    }

    /// Renders `view` as it is now (another language than its paste's, for
    /// `/{id}.{ext}`) for this read only: no lease and no cached render is
    /// shared (those are the paste's own language), the same short wait for
    /// a render process as any page read, plain text when none is free.
    pub(crate) async fn render_once(&self, view: &mut PasteView) {
        if view.meta.end_to_end {
            return;
        }
        let wait = PAGE_LANE_WAIT.min(self.renders.pool.limits().max_time);
        let (rendered, _) = self.render(view, wait).await;
        view.rendered = Some(rendered);
    }

    /// Gives `view` a render: its own if current, else another's that shows
    /// up in the cache in time, else one made here, else plain text.
    pub(crate) async fn render_for(&self, view: &mut PasteView, purpose: Purpose) -> Made {
        // An end-to-end encrypted envelope is never rendered, highlighted
        // or read for its language: only the reader's browser can.
        if view.is_rendered() || view.meta.end_to_end {
            return Made::Current;
        }
        let max_time = self.renders.pool.limits().max_time;
        // A page read's whole answer stays within about `max_time` plus a
        // margin: a short wait for a process, or for another's render as long
        // as a render can run (to its kill), never both in full.
        let (wait, until) = match purpose {
            Purpose::Page => (
                PAGE_LANE_WAIT.min(max_time),
                Instant::now() + max_time + KILL_GRACE + PATIENCE,
            ),
            Purpose::Job => (
                JOB_WAIT,
                Instant::now() + JOB_WAIT + max_time + KILL_GRACE + PATIENCE,
            ),
        };
        let id = view.meta.id.clone();
        while !self.renders.lease(&id, wait).await {
            // Another render of this paste is under way: wait for its view.
            loop {
                // The lease is looked at before the view: a holder caches
                // the view before it drops the lease, so a lease seen gone
                // means its view (if any) is seen below.
                let leased = self.renders.leased(&id).await;
                if let Lookup::Hit(cached) = self.views.get(&id, None).await
                    && cached.meta.content_sha256 == view.meta.content_sha256
                    && cached.is_rendered()
                {
                    view.rendered = cached.rendered.clone();
                    return Made::Shared;
                }
                if !leased {
                    break; // its holder gave up, or cached nothing: render here
                }
                if Instant::now() + POLL >= until {
                    view.rendered = Some(self.fallback(view, Fallback::Busy).await);
                    self.metrics.rendered("busy");
                    return Made::Interim;
                }
                tokio::time::sleep(POLL).await;
            }
        }
        let left = until.saturating_duration_since(Instant::now()).min(wait);
        let (rendered, made) = self.render(view, left).await;
        view.rendered = Some(rendered);
        if made == Made::Interim {
            self.renders.release(&id).await;
        }
        made
    }

    /// After the caller cached a view `render_for` made: the lease goes.
    pub(crate) async fn rendered(&self, id: &PasteId, made: Made) {
        if made == Made::Rendered {
            self.renders.release(id).await;
        }
    }

    async fn render(&self, view: &PasteView, wait: Duration) -> (Rendered, Made) {
        if view.has_files() {
            return self.render_files(view, wait).await;
        }
        let text = Text {
            id: &view.meta.id,
            content: &view.content,
            language: view.meta.language.as_ref().map(|l| l.as_str()),
            title: view.meta.title.as_ref().map(|t| t.as_str()),
        };
        self.render_text(text, wait).await
    }

    /// Renders one revision's text (`/{id}/r/{n}`, a diff's sides) for a
    /// page read, in a render process like any render, with a page read's
    /// short wait for one. No lease: a revision is rendered by whoever reads
    /// it first and then cached for long (two first readers at once render
    /// it twice, each bounded by its process). False with plain text made
    /// for this read only (no process free in time): not to be cached.
    pub(crate) async fn render_revision(
        &self,
        id: &PasteId,
        content: &Bytes,
        language: Option<&str>,
        title: Option<&str>,
    ) -> (Rendered, bool) {
        let wait = PAGE_LANE_WAIT.min(self.renders.pool.limits().max_time);
        let text = Text {
            id,
            content,
            language,
            title,
        };
        let (rendered, made) = self.render_text(text, wait).await;
        (rendered, made != Made::Interim)
    }

    async fn render_text(&self, text: Text<'_>, wait: Duration) -> (Rendered, Made) {
        let Text {
            id,
            content,
            language,
            title,
        } = text;
        let outcome = self
            .renders
            .pool
            .render(content, language, title, wait)
            .await;
        let fallback = |why| fallback(content.clone(), language.map(str::to_owned), why);
        let (rendered, made) = match outcome {
            Outcome::Rendered(rendered) => (rendered, Made::Rendered),
            Outcome::Killed => {
                tracing::warn!(paste = %id, "a render outlived render.max_millis: its process was killed");
                (fallback(Fallback::TooSlow).await, Made::Rendered)
            }
            Outcome::Failed(why) => {
                tracing::error!(paste = %id, error = %why, "a render failed");
                (fallback(Fallback::Failed).await, Made::Rendered)
            }
            Outcome::Busy => (fallback(Fallback::Busy).await, Made::Interim),
            Outcome::Unavailable(why) => {
                tracing::error!(paste = %id, error = %why, "no render process");
                (fallback(Fallback::Busy).await, Made::Interim)
            }
        };
        self.metrics.rendered(rendered.info.label());
        if let Some(fallback) = rendered.info.fallback {
            tracing::info!(paste = %id, ?fallback, "shown as plain text");
        }
        (rendered, made)
    }

    /// `view`'s text as plain numbered lines.
    async fn fallback(&self, view: &PasteView, why: Fallback) -> Rendered {
        if view.has_files() {
            let view = view.clone();
            return tokio::task::spawn_blocking(move || Self::plain_files(&view, why))
                .await
                .unwrap_or_else(|_| Rendered::fallback("", None, why));
        }
        let language = view.meta.language.as_ref().map(|l| l.as_str().to_owned());
        fallback(view.content.clone(), language, why).await
    }
}

/// The text to render and whose it is.
struct Text<'a> {
    id: &'a PasteId,
    content: &'a Bytes,
    language: Option<&'a str>,
    title: Option<&'a str>,
}

/// The text as plain numbered lines, made on a blocking thread (linear, but
/// a large paste is megabytes).
async fn fallback(content: Bytes, language: Option<String>, why: Fallback) -> Rendered {
    tokio::task::spawn_blocking(move || {
        let text = std::str::from_utf8(&content).unwrap_or_default();
        Rendered::fallback(text, language.as_deref(), why)
    })
    .await
    .unwrap_or_else(|_| Rendered::fallback("", None, why))
}
