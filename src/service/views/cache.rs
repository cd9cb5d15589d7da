//! Cache-aside for paste views, with the consistency rules of `views`.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;

use super::decoded::Decoded;
use super::model::{PasteView, ViewMeta};
use super::near::NearView;
use crate::cache::near::{Fence, NearTier};
use crate::cache::{Cache, keys};
use crate::clock::Clock;
use crate::domain::PasteId;
use crate::metrics::Metrics;

/// The marker of a deleted (or burned, or swept) paste's value: only another
/// delete replaces it. Each tombstone is the marker and a nonce of its own,
/// so a delete that gives up removes its own tombstone and never another's.
pub(super) const TOMBSTONE: &[u8] = b"GONE";
/// Bytes of a tombstone's nonce.
pub(super) const NONCE_BYTES: usize = 16;
/// Wait before a delete that gave up removes its tombstone: longer than any
/// tombstone may take to run (`cache::redis`), so none lands after it.
const UNDO_AFTER: Duration = Duration::from_secs(1);
/// Pause between attempts to remove it while the cache does not answer.
const UNDO_EVERY: Duration = Duration::from_millis(500);
/// The value of an id that was probed and found missing: the paste's own
/// assembly may replace it.
const MISSING: &[u8] = b"MISS";

/// What the cache knows of a paste id.
#[derive(Debug)]
pub(crate) enum Lookup {
    /// Its view, shared: the near tier's or the decoded tier's own (never
    /// changed in place: `PasteView::owned` for a copy to change).
    Hit(Arc<PasteView>),
    /// It is known to be gone (deleted, burned, expired or never made).
    Gone,
    /// An operator took it down (`removed`): 410, with the category.
    Removed(crate::domain::Category),
    /// Nothing known (or the cache is down): ask the store.
    Miss,
}

/// A tombstone written by `invalidate`: the delete either goes on and
/// waits for its fence, or gives up and `revoke`s it.
#[derive(Debug)]
#[must_use = "a tombstone is either waited for (its fence) or revoked"]
pub(crate) struct Tombstone {
    key: String,
    value: Bytes,
    /// How long it lives (a removed mark outlives a delete's tombstone):
    /// an undo keeps trying that long.
    life: Duration,
    fence: Fence,
}

impl Tombstone {
    /// Past it, no clone's near tier serves the paste.
    pub(crate) fn fence(self) -> Fence {
        self.fence
    }
}

/// Lifetimes of cached objects.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ViewTtls {
    /// Longest life of a view.
    pub(crate) view: Duration,
    /// Life of the "missing" mark of an id that does not exist.
    pub(crate) missing: Duration,
    /// Life of a tombstone written by a delete.
    pub(crate) tombstone: Duration,
}

/// Cache-aside for paste views.
pub(crate) struct ViewCache {
    pub(super) cache: Arc<dyn Cache>,
    metrics: Arc<Metrics>,
    clock: Clock,
    ttls: ViewTtls,
    pub(super) enabled: bool,
    near: Option<Arc<NearTier<NearView>>>,
    /// Without a near tier: views decoded from the cache's bytes, reused
    /// while the cache answers the same bytes (`decoded`).
    decoded: Decoded,
}

impl ViewCache {
    /// Views over `cache`; `enabled = false` makes every lookup a miss (for
    /// measuring what the cache buys).
    pub(crate) fn new(
        cache: Arc<dyn Cache>,
        metrics: Arc<Metrics>,
        clock: Clock,
        ttls: ViewTtls,
        enabled: bool,
    ) -> Self {
        Self {
            cache,
            metrics,
            clock,
            ttls,
            enabled,
            near: None,
            decoded: Decoded::new(),
        }
    }

    /// Puts `near` (this clone's near tier, kept coherent by Redis) in front
    /// of the cache: hot lookups are then answered from memory.
    pub(crate) fn with_near(mut self, near: Option<Arc<NearTier<NearView>>>) -> Self {
        self.near = near;
        self
    }

    /// Looks a paste up and, when `visit` names the pending-visits field and
    /// a live view is cached, counts the visit in the same cache step: a hot
    /// read that counts is one round trip. A `Hit` with `visit` was counted
    /// (with a near tier, visits are counted in the clone: give no `visit`).
    pub(crate) async fn get(&self, id: &PasteId, visit: Option<&str>) -> Lookup {
        if !self.enabled {
            return Lookup::Miss;
        }
        let key = keys::paste_view(id);
        if let Some(found) = self.near.as_ref().and_then(|near| near.get(&key)) {
            self.metrics.cache_request("paste", "hit");
            return found.lookup();
        }
        let ticket = self.near.as_ref().map(|near| near.ticket(&key));
        let found = match visit {
            Some(field) => {
                self.cache
                    .get_counting(&key, PasteView::MAGIC, keys::VISITS_PENDING, field)
                    .await
            }
            None => self.cache.get(&key).await,
        };
        let lookup = match found.ok().flatten() {
            Some(bytes) if let Some(category) = super::removed::category_of(&bytes) => {
                Lookup::Removed(category)
            }
            Some(bytes) if bytes.starts_with(TOMBSTONE) || bytes.as_ref() == MISSING => {
                Lookup::Gone
            }
            // With a near tier, the tier keeps the decoded view below.
            Some(bytes) if self.near.is_some() => {
                PasteView::decode(&bytes).map_or(Lookup::Miss, |v| Lookup::Hit(Arc::new(v)))
            }
            Some(bytes) => self
                .decoded
                .view(&key, bytes)
                .map_or(Lookup::Miss, Lookup::Hit),
            None => Lookup::Miss,
        };
        let result = if matches!(lookup, Lookup::Miss) {
            "miss"
        } else {
            "hit"
        };
        self.metrics.cache_request("paste", result);
        if let (Some(near), Some(ticket)) = (&self.near, ticket)
            && let Some(kept) = NearView::of(&lookup)
        {
            near.insert(&key, kept, ticket);
        }
        lookup
    }

    /// How long a view may live: its configured life, never past its expiry.
    fn ttl_for(&self, meta: &ViewMeta) -> Duration {
        meta.expires_at.map_or(self.ttls.view, |at| {
            let left = (at - self.clock.now()).whole_milliseconds();
            Duration::from_millis(u64::try_from(left).unwrap_or(0)).min(self.ttls.view)
        })
    }

    /// The key and lifetime of a view that may be cached at all.
    fn cacheable(&self, view: &PasteView) -> Option<(String, Duration)> {
        let ttl = self.ttl_for(&view.meta);
        // Private pastes never enter a shared cache, by any path (fill,
        // warm, refresh after a fold or a claim): the read-side check on the
        // author is then a second line, not the only one.
        let shared = view.meta.visibility != crate::domain::Visibility::Private;
        (self.enabled && shared && !view.meta.is_store_only() && !ttl.is_zero())
            .then(|| (keys::paste_view(&view.meta.id), ttl))
    }

    /// Caches a view assembled from the store on a miss, unless something (a
    /// tombstone, another clone's view) is already there.
    pub(crate) async fn fill(&self, view: &PasteView) {
        if let Some((key, ttl)) = self.cacheable(view) {
            let _ = self.cache.set_if_absent(&key, view.encode(), ttl).await;
        }
    }

    /// Caches the view of a paste assembled ahead of its first read. It
    /// replaces a "missing" mark (someone probed the id before it was taken)
    /// or an older view, never a tombstone: an assembly that read the paste
    /// just before a delete cannot bring it back. True when it was cached.
    pub(crate) async fn warm(&self, view: &PasteView) -> (bool, Fence) {
        match self.cacheable(view) {
            Some((key, ttl)) if !self.newer_cached(&key, &view.meta).await => {
                let stored = self
                    .cache
                    .set_unless(&key, view.encode(), ttl, TOMBSTONE)
                    .await;
                (matches!(stored, Ok(true)), self.replaced(&key))
            }
            _ => (false, Fence::none()),
        }
    }

    /// True when `key` holds the view of a later revision than `meta`'s: a
    /// job or a render that read the paste before an edit must not bring
    /// the old revision back over the edit's view. (A check, then a write:
    /// an edit landing between the two is missed, a window of one round
    /// trip instead of a whole render's.)
    async fn newer_cached(&self, key: &str, meta: &ViewMeta) -> bool {
        matches!(
            self.cache.get(key).await,
            Ok(Some(bytes)) if PasteView::decode(&bytes).is_some_and(|c| c.meta.revision > meta.revision)
        )
    }

    /// Removes the cached view of a paste that may no longer be cached (an
    /// edit made it private) on every clone; what the fence says is true
    /// past it. A fill that read the paste before the edit could put the
    /// old view back just after, so the removal is done again a moment
    /// later (fills are a store read and a cache write: milliseconds).
    pub(crate) async fn drop_view(&self, id: &PasteId) -> Fence {
        if !self.enabled {
            return Fence::none();
        }
        let key = keys::paste_view(id);
        let remove = |cache: Arc<dyn Cache>, key: String| async move {
            if let Ok(Some(bytes)) = cache.get(&key).await
                && bytes.starts_with(PasteView::MAGIC)
            {
                let _ = cache.remove_if(&key, &bytes).await;
            }
        };
        remove(self.cache.clone(), key.clone()).await;
        let (cache, again) = (self.cache.clone(), key.clone());
        let near = self.near.clone();
        tokio::spawn(async move {
            tokio::time::sleep(UNDO_AFTER).await;
            remove(cache, again.clone()).await;
            if let Some(near) = near {
                near.evict(&again);
            }
        });
        self.replaced(&key)
    }

    /// After this clone replaced `key` in Redis: its own near copy goes now
    /// (other clones are told by Redis), and the fence past which every
    /// other clone's has gone too.
    fn replaced(&self, key: &str) -> Fence {
        self.decoded.forget(key);
        self.near.as_ref().map_or_else(Fence::none, |near| {
            near.evict(key);
            near.fence()
        })
    }

    /// Remembers briefly that an id has no paste, so a flood of bad ids cannot
    /// reach the store.
    pub(crate) async fn remember_missing(&self, id: &PasteId) {
        if self.enabled {
            let key = keys::paste_view(id);
            let _ = self
                .cache
                .set_if_absent(&key, Bytes::from_static(MISSING), self.ttls.missing)
                .await;
        }
    }

    /// Replaces a cached view with one assembled after its stored document
    /// changed (its statistics) or rendered. Only a view (or mark) that is
    /// cached is replaced: a tombstone stays and a paste nobody reads is not
    /// brought in. A view without a render keeps the render of the view it
    /// replaces (the content never changes, so neither does its render).
    /// A change a caller acknowledges (a claim, an edit) is acknowledged
    /// after the returned fence: no clone's near tier shows the old view then.
    pub(crate) async fn refresh(&self, view: &PasteView) -> Fence {
        if let Some((key, ttl)) = self.cacheable(view) {
            let kept;
            let cached = match self.cache.get(&key).await {
                Ok(Some(bytes)) => PasteView::decode(&bytes),
                _ => None,
            };
            if cached
                .as_ref()
                .is_some_and(|c| c.meta.revision > view.meta.revision)
            {
                // Read before an edit: the edit's view stays.
                return Fence::none();
            }
            let view = if view.rendered.is_none()
                && let Some(cached) = cached
                && cached.meta.revision == view.meta.revision
                && cached.meta.content_sha256 == view.meta.content_sha256
                && cached.rendered.is_some()
            {
                kept = PasteView {
                    rendered: cached.rendered,
                    ..view.clone()
                };
                &kept
            } else {
                view
            };
            let bytes = view.encode();
            if self
                .cache
                .replace_unless(&key, bytes.clone(), ttl, TOMBSTONE)
                .await
                .is_err()
            {
                // The store has changed already: the old view must not come
                // back with the cache, so the replacement is tried again
                // until it lands (or the old view has expired by itself).
                self.replace_later(key.clone(), bytes, ttl);
            }
            self.replaced(&key)
        } else {
            Fence::none()
        }
    }

    /// Marks a paste gone on every clone. Callers do this before changing the
    /// store, and do not change it if this fails: a view left in a cache that
    /// is down would be served again when it returns. They acknowledge the
    /// change only after the tombstone's fence: by then every clone's near
    /// tier has dropped its copy.
    ///
    /// A failure leaves no trace: the tombstone is written only while this
    /// call still waits for its answer (`Cache::set_tombstone`), and one
    /// whose answer was lost is removed once the cache answers again.
    pub(crate) async fn invalidate(
        &self,
        id: &PasteId,
    ) -> Result<Tombstone, crate::cache::CacheError> {
        let mut value = TOMBSTONE.to_vec();
        value.extend_from_slice(&rand::random::<[u8; NONCE_BYTES]>());
        self.write_tombstone(id, Bytes::from(value), self.ttls.tombstone)
            .await
    }

    /// `invalidate` for a takedown: the tombstone is a removed mark
    /// (`removed`), which lives as long as a view may, so every clone
    /// answers 410 from the cache.
    pub(crate) async fn invalidate_removed(
        &self,
        id: &PasteId,
        category: crate::domain::Category,
    ) -> Result<Tombstone, crate::cache::CacheError> {
        self.write_tombstone(id, super::removed::mark(category), self.ttls.view)
            .await
    }

    /// Marks a removed paste again after its mark expired (a read found the
    /// store's removal record): nothing to wait for, readers were told 410.
    pub(crate) async fn remember_removed(&self, id: &PasteId, category: crate::domain::Category) {
        if self.enabled {
            let _ = self
                .cache
                .set_if_absent(
                    &keys::paste_view(id),
                    super::removed::mark(category),
                    self.ttls.view,
                )
                .await;
        }
    }

    async fn write_tombstone(
        &self,
        id: &PasteId,
        value: Bytes,
        life: Duration,
    ) -> Result<Tombstone, crate::cache::CacheError> {
        let key = keys::paste_view(id);
        if !self.enabled {
            return Ok(Tombstone {
                key,
                value,
                life,
                fence: Fence::none(),
            });
        }
        match self.cache.set_tombstone(&key, value.clone(), life).await {
            Ok(()) => Ok(Tombstone {
                fence: self.replaced(&key),
                key,
                value,
                life,
            }),
            // Known down: nothing was sent, nothing to undo.
            Err(e @ crate::cache::CacheError::NotTried) => Err(e),
            Err(e) => {
                self.undo(key, value, UNDO_AFTER, life);
                Err(e)
            }
        }
    }

    /// Removes a tombstone whose delete did not go on (the store refused
    /// it): the paste is readable again on every clone at once.
    pub(crate) fn revoke(&self, tombstone: Tombstone) {
        if self.enabled {
            self.undo(
                tombstone.key,
                tombstone.value,
                Duration::ZERO,
                tombstone.life,
            );
        }
    }

    /// Writes the view `value` over `key` (unless it holds a tombstone) once
    /// the cache answers again, trying every `UNDO_EVERY` for as long as an
    /// older view could live there (`ttl`).
    fn replace_later(&self, key: String, value: Bytes, ttl: Duration) {
        let cache = self.cache.clone();
        tokio::spawn(async move {
            let started = tokio::time::Instant::now();
            loop {
                tokio::time::sleep(UNDO_EVERY).await;
                if cache
                    .replace_unless(&key, value.clone(), ttl, TOMBSTONE)
                    .await
                    .is_ok()
                {
                    tracing::info!(key = %key, "a view replaced while the cache was away has landed");
                    return;
                }
                if started.elapsed() > ttl {
                    return;
                }
            }
        });
    }

    /// Removes the tombstone `value` of `key`, if it is there, after `after`,
    /// trying again while the cache does not answer. It gives up once the
    /// tombstone has expired by itself (and says so: the paste was answered
    /// missing until then).
    fn undo(&self, key: String, value: Bytes, after: Duration, life: Duration) {
        let cache = self.cache.clone();
        let near = self.near.clone();
        tokio::spawn(async move {
            let started = tokio::time::Instant::now();
            tokio::time::sleep(after).await;
            loop {
                match cache.remove_if(&key, &value).await {
                    Ok(removed) => {
                        if removed {
                            // Other clones are told by Redis.
                            if let Some(near) = &near {
                                near.evict(&key);
                            }
                            tracing::warn!(key = %key, "a refused delete's tombstone had landed; removed");
                        }
                        return;
                    }
                    Err(e) if started.elapsed() > life + after => {
                        tracing::warn!(key = %key, error = %e, "a refused delete's tombstone may have landed and could not be removed; it has expired since");
                        return;
                    }
                    Err(_) => tokio::time::sleep(UNDO_EVERY).await,
                }
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cache::memory::MemoryCache;
    use crate::domain::{Content, DeleteToken, NewPaste, Paste, Visibility};

    fn views() -> ViewCache {
        let ttls = ViewTtls {
            view: Duration::from_secs(60),
            missing: Duration::from_secs(60),
            tombstone: Duration::from_secs(60),
        };
        let cache = Arc::new(MemoryCache::new(1 << 20));
        ViewCache::new(cache, Arc::new(Metrics::new()), Clock::System, ttls, true)
    }

    fn view() -> PasteView {
        PasteView::assemble(&Paste::new(NewPaste {
            id: PasteId::random(8),
            content: Content::parse("text".into(), 100).expect("valid"),
            title: None,
            language: None,
            visibility: Visibility::Public,
            burn_after_read: false,
            max_views: None,
            lock: None,
            created_at: Clock::System.now_millis(),
            expires_at: None,
            author: None,
            delete_token_hash: DeleteToken::random().hash(),
            end_to_end: false,
            files: Vec::new(),
        }))
    }

    #[tokio::test]
    async fn an_assembly_after_a_delete_does_not_bring_the_paste_back() {
        let (views, view) = (views(), view());
        let _ = views
            .invalidate(&view.meta.id)
            .await
            .expect("invalidated")
            .fence();
        assert!(!views.warm(&view).await.0, "the tombstone stays");
        assert!(matches!(views.get(&view.meta.id, None).await, Lookup::Gone));
    }

    #[tokio::test]
    async fn a_revoked_tombstone_is_removed_and_never_another_delete_s() {
        let (views, view) = (views(), view());
        let id = view.meta.id.clone();
        assert!(views.warm(&view).await.0);
        let first = views.invalidate(&id).await.expect("invalidated");
        let second = views.invalidate(&id).await.expect("invalidated");
        views.revoke(first);
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(
            matches!(views.get(&id, None).await, Lookup::Gone),
            "the later delete's tombstone stays"
        );
        views.revoke(second);
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        while !matches!(views.get(&id, None).await, Lookup::Miss) {
            assert!(tokio::time::Instant::now() < deadline, "never removed");
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    #[tokio::test]
    async fn an_assembly_replaces_the_mark_of_an_id_probed_before_it_was_taken() {
        let (views, view) = (views(), view());
        views.remember_missing(&view.meta.id).await;
        assert!(matches!(views.get(&view.meta.id, None).await, Lookup::Gone));
        assert!(views.warm(&view).await.0);
        assert!(matches!(
            views.get(&view.meta.id, None).await,
            Lookup::Hit(_)
        ));
    }
}
