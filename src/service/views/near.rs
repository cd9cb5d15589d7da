//! Views in the near tier (`cache::near`): decoded once when fetched from
//! Redis, so a hot read neither asks Redis nor decodes bytes.

use std::sync::Arc;

use super::cache::Lookup;
use super::model::PasteView;
use crate::cache::keys::PASTE_VIEW_PREFIX;
use crate::cache::near::{NearTier, Weigh};
use crate::cache::tracking::{self, LinkSettings};
use crate::configuration::Settings;
use crate::metrics::Metrics;

/// What the near tier keeps of a view key.
#[derive(Debug, Clone)]
pub(crate) enum NearView {
    /// A live view.
    View(Arc<PasteView>),
    /// A tombstone or a "missing" mark: the paste is gone.
    Gone,
}

/// Bytes of a view's header in memory, roughly (ids, dates, title, stats).
const VIEW_OVERHEAD: u32 = 512;

impl Weigh for NearView {
    fn weight(&self) -> u32 {
        match self {
            Self::View(view) => u32::try_from(view.content.len())
                .unwrap_or(u32::MAX)
                .saturating_add(VIEW_OVERHEAD),
            Self::Gone => 16,
        }
    }
}

impl NearView {
    /// What a lookup that found this answers.
    pub(crate) fn lookup(&self) -> Lookup {
        match self {
            Self::View(view) => Lookup::Hit(Box::new(PasteView::clone(view))),
            Self::Gone => Lookup::Gone,
        }
    }

    /// What to keep of what Redis answered (nothing for a miss).
    pub(crate) fn of(lookup: &Lookup) -> Option<Self> {
        match lookup {
            Lookup::Hit(view) => Some(Self::View(Arc::new(PasteView::clone(view)))),
            Lookup::Gone => Some(Self::Gone),
            Lookup::Miss => None,
        }
    }
}

/// The near tier of views of a clone with Redis and `near_cache.enabled`
/// (and cached views at all), with its invalidation link started; `None`
/// otherwise.
pub(crate) fn start(
    settings: &Settings,
    metrics: &Arc<Metrics>,
) -> Option<Arc<NearTier<NearView>>> {
    let url = settings.redis.url.as_ref()?;
    let near = &settings.near_cache;
    if !(near.enabled && settings.cache.enabled) {
        return None;
    }
    let tier = Arc::new(NearTier::new(
        near.max_bytes.get(),
        settings.cache.view_ttl_secs.duration(),
        near.max_lag_ms.duration(),
        metrics.clone(),
    ));
    tracking::spawn(
        Arc::downgrade(&tier),
        LinkSettings {
            url: url.as_str().to_owned(),
            prefix: PASTE_VIEW_PREFIX.to_owned(),
            timeout: settings.redis.connect_timeout_ms.duration(),
        },
    );
    Some(tier)
}
