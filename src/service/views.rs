//! Cached paste views: everything the page, raw and API answers need, assembled
//! once and cached whole, so a hot read touches neither the store nor any
//! renderer.
//!
//! Consistency across clones rests on three rules:
//! - fills only add (`set_if_absent`), never replace;
//! - a delete first overwrites the key with a tombstone that outlives any read
//!   in flight, so a slow reader cannot put a deleted paste back;
//! - a view never outlives its paste (TTL capped by the expiry, and checked on
//!   every hit).
//!
//! Burn-after-read pastes are never cached: each of their reads goes to the
//! store's atomic take.

use std::sync::Arc;
use std::time::Duration;

use bytes::{BufMut, Bytes, BytesMut};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::cache::{Cache, keys};
use crate::domain::{Paste, PasteId};
use crate::metrics::Metrics;

/// Magic prefix of an encoded view; a new layout takes a new one (and key version).
const VIEW_MAGIC: &[u8; 4] = b"PV2\0";
/// The value of a deleted or missing paste.
const TOMBSTONE: &[u8] = b"GONE";

/// What the view keeps besides the content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ViewMeta {
    /// Id.
    pub id: String,
    /// Title.
    pub title: Option<String>,
    /// Language hint.
    pub language: Option<String>,
    /// `public`, `unlisted`, `private`.
    pub visibility: String,
    /// Deleted by its first read (such views are never cached).
    pub burn_after_read: bool,
    /// Size of the content in bytes.
    pub size_bytes: u64,
    /// Creation time.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// Expiry time.
    #[serde(with = "time::serde::rfc3339::option")]
    pub expires_at: Option<OffsetDateTime>,
    /// Author's name, if any.
    pub author: Option<String>,
    /// Hex SHA-256 of the content (the ETag).
    pub content_sha256: String,
    /// Views stored when the view was assembled.
    pub stored_views: u64,
    /// Of those, per month (`YYYY-MM`).
    pub monthly: std::collections::BTreeMap<String, u64>,
    /// Lines of the content, for the page.
    pub lines: usize,
}

/// A paste as readers see it: metadata and the exact content bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasteView {
    /// Everything but the content.
    pub meta: ViewMeta,
    /// The content, UTF-8 (checked at creation); shared, never copied per read.
    pub content: Bytes,
}

impl PasteView {
    /// Assembles the view of a stored paste.
    pub fn assemble(paste: &Paste) -> Self {
        Self {
            meta: Self::meta_of(paste),
            content: Bytes::copy_from_slice(paste.fields.content.as_str().as_bytes()),
        }
    }

    /// The metadata of a paste's view.
    pub fn meta_of(paste: &Paste) -> ViewMeta {
        let f = &paste.fields;
        ViewMeta {
            id: f.id.to_string(),
            title: f.title.as_ref().map(|t| t.as_str().to_owned()),
            language: f.language.as_ref().map(|l| l.as_str().to_owned()),
            visibility: f.visibility.as_str().to_owned(),
            burn_after_read: f.burn_after_read,
            size_bytes: f.content.len() as u64,
            created_at: f.created_at,
            expires_at: f.expires_at,
            author: f.author.as_ref().map(|a| a.username.clone()),
            content_sha256: paste.content_sha256.clone(),
            stored_views: paste.stats.total_views,
            monthly: paste.stats.monthly.clone(),
            lines: f.content.line_count(),
        }
    }

    /// The content as text.
    pub fn text(&self) -> &str {
        std::str::from_utf8(&self.content).unwrap_or_default()
    }

    /// True once the paste has expired.
    pub fn is_expired(&self, now: OffsetDateTime) -> bool {
        self.meta.expires_at.is_some_and(|at| at <= now)
    }

    /// `magic | header length (u32 LE) | header JSON | content`.
    pub fn encode(&self) -> Bytes {
        let header = serde_json::to_vec(&self.meta).unwrap_or_default();
        let mut out = BytesMut::with_capacity(8 + header.len() + self.content.len());
        out.put_slice(VIEW_MAGIC);
        out.put_u32_le(u32::try_from(header.len()).unwrap_or(u32::MAX));
        out.put_slice(&header);
        out.put_slice(&self.content);
        out.freeze()
    }

    /// Reads `encode`'s layout; `None` for anything else (then it is a miss).
    pub fn decode(bytes: &Bytes) -> Option<Self> {
        let rest = bytes.strip_prefix(VIEW_MAGIC.as_slice())?;
        let len = usize::try_from(u32::from_le_bytes(rest.get(..4)?.try_into().ok()?)).ok()?;
        let header = rest.get(4..4 + len)?;
        let meta: ViewMeta = serde_json::from_slice(header).ok()?;
        let start = VIEW_MAGIC.len() + 4 + len;
        let content = bytes.slice(start..);
        std::str::from_utf8(&content).ok()?;
        Some(Self { meta, content })
    }
}

/// What the cache knows of a paste id.
#[derive(Debug)]
pub enum Lookup {
    /// Its view.
    Hit(Box<PasteView>),
    /// It is known to be gone (deleted, burned, expired or never made).
    Gone,
    /// Nothing known (or the cache is down): ask the store.
    Miss,
}

/// Lifetimes of cached objects.
#[derive(Debug, Clone, Copy)]
pub struct ViewTtls {
    /// Longest life of a view.
    pub view: Duration,
    /// Life of the "missing" mark of an id that does not exist.
    pub missing: Duration,
    /// Life of a tombstone written by a delete.
    pub tombstone: Duration,
}

/// Cache-aside for paste views.
pub struct ViewCache {
    cache: Arc<dyn Cache>,
    metrics: Arc<Metrics>,
    ttls: ViewTtls,
    enabled: bool,
}

impl ViewCache {
    /// Views over `cache`; `enabled = false` makes every lookup a miss (for
    /// measuring what the cache buys).
    pub fn new(
        cache: Arc<dyn Cache>,
        metrics: Arc<Metrics>,
        ttls: ViewTtls,
        enabled: bool,
    ) -> Self {
        Self {
            cache,
            metrics,
            ttls,
            enabled,
        }
    }

    /// Looks a paste up; cache failures are misses.
    pub async fn get(&self, id: &PasteId) -> Lookup {
        self.lookup(id, None).await
    }

    /// Looks a paste up and, when its live view is cached, counts a visit
    /// (`field` of the pending visits) in the same step. A `Hit` was counted.
    pub async fn get_counting(&self, id: &PasteId, field: &str) -> Lookup {
        self.lookup(id, Some(field)).await
    }

    async fn lookup(&self, id: &PasteId, visit: Option<&str>) -> Lookup {
        if !self.enabled {
            return Lookup::Miss;
        }
        let key = keys::paste_view(id);
        let found = match visit {
            Some(field) => {
                self.cache
                    .get_counting(&key, TOMBSTONE, keys::VISITS_PENDING, field)
                    .await
            }
            None => self.cache.get(&key).await,
        };
        let lookup = match found.ok().flatten() {
            Some(bytes) if bytes.as_ref() == TOMBSTONE => Lookup::Gone,
            Some(bytes) => {
                PasteView::decode(&bytes).map_or(Lookup::Miss, |v| Lookup::Hit(Box::new(v)))
            }
            None => Lookup::Miss,
        };
        let result = if matches!(lookup, Lookup::Miss) {
            "miss"
        } else {
            "hit"
        };
        self.metrics.cache_request("paste", result);
        lookup
    }

    /// How long a view may live: its configured life, never past its expiry.
    fn ttl_for(&self, meta: &ViewMeta) -> Duration {
        meta.expires_at.map_or(self.ttls.view, |at| {
            let left = (at - OffsetDateTime::now_utc()).whole_milliseconds();
            Duration::from_millis(u64::try_from(left).unwrap_or(0)).min(self.ttls.view)
        })
    }

    /// Caches a view assembled from the store, unless something (a tombstone,
    /// another clone's view) is already there.
    pub async fn fill(&self, view: &PasteView) {
        self.put(view, false).await;
    }

    /// Caches the view of a paste just created, so even its first read is a
    /// hit. It replaces whatever is there: the id is new, so that can only be
    /// the "missing" mark of someone who probed it.
    pub async fn store_new(&self, view: &PasteView) {
        self.put(view, true).await;
    }

    async fn put(&self, view: &PasteView, replace: bool) {
        let ttl = self.ttl_for(&view.meta);
        let Some(id) = PasteId::parse(&view.meta.id) else {
            return;
        };
        if !self.enabled || view.meta.burn_after_read || ttl.is_zero() {
            return;
        }
        let key = keys::paste_view(&id);
        let _ = if replace {
            self.cache.set(&key, view.encode(), ttl).await
        } else {
            self.cache
                .set_if_absent(&key, view.encode(), ttl)
                .await
                .map(drop)
        };
    }

    /// Remembers briefly that an id has no paste, so a flood of bad ids cannot
    /// reach the store.
    pub async fn remember_missing(&self, id: &PasteId) {
        if self.enabled {
            let key = keys::paste_view(id);
            let _ = self
                .cache
                .set_if_absent(&key, Bytes::from_static(TOMBSTONE), self.ttls.missing)
                .await;
        }
    }

    /// Replaces a cached view with one assembled after its stored document
    /// changed (its statistics). Only a view that is cached is replaced: a
    /// tombstone stays (a deleted paste is never revived) and a paste nobody
    /// reads is not brought into the cache.
    pub async fn refresh(&self, view: &PasteView) {
        let ttl = self.ttl_for(&view.meta);
        let Some(id) = PasteId::parse(&view.meta.id) else {
            return;
        };
        if self.enabled && !view.meta.burn_after_read && !ttl.is_zero() {
            let key = keys::paste_view(&id);
            let _ = self
                .cache
                .replace_unless(&key, view.encode(), ttl, TOMBSTONE)
                .await;
        }
    }

    /// Marks a paste gone on every clone. Callers do this before changing the
    /// store, and do not change it if this fails: a view left in a cache that
    /// is down would be served again when it returns.
    pub async fn invalidate(&self, id: &PasteId) -> Result<(), crate::cache::CacheError> {
        if !self.enabled {
            return Ok(());
        }
        let key = keys::paste_view(id);
        self.cache
            .set(&key, Bytes::from_static(TOMBSTONE), self.ttls.tombstone)
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::paste::now_millis;
    use crate::domain::{Content, DeleteToken, NewPaste, Visibility};

    fn view() -> PasteView {
        let paste = Paste::new(NewPaste {
            id: PasteId::random(8),
            content: Content::parse("héllo\nwörld\n".into(), 100).expect("valid"),
            title: None,
            language: None,
            visibility: Visibility::Public,
            burn_after_read: false,
            created_at: now_millis(),
            expires_at: None,
            author: None,
            delete_token_hash: DeleteToken::random().hash(),
        });
        PasteView::assemble(&paste)
    }

    #[test]
    fn a_view_round_trips_and_garbage_is_a_miss() {
        let v = view();
        assert_eq!(PasteView::decode(&v.encode()), Some(v.clone()));
        assert_eq!(v.meta.lines, 2);
        assert_eq!(
            PasteView::decode(&Bytes::from_static(b"PV1\0\xff\xff\xff\xff")),
            None
        );
        assert_eq!(PasteView::decode(&Bytes::from_static(TOMBSTONE)), None);
        let mut truncated = v.encode().to_vec();
        truncated.truncate(10);
        assert_eq!(PasteView::decode(&Bytes::from(truncated)), None);
    }
}
