//! Cached views of a paste's history: one revision (its page and raw bytes)
//! and the diff between two. Both are immutable (a revision's number names
//! its text for good), so they are cached for long
//! (`keys::HISTORY_VIEW_LIFE`) and never refreshed.
//!
//! Their consistency rule: they are only ever read after the paste's own
//! view, which is coherent fleet-wide (a delete or a sweep leaves a
//! tombstone before it is acknowledged, a trim is an edit, which replaces
//! the view before it is). The caller checks that view first (the paste is
//! there, readable by this reader, and the revision still kept) and only
//! then looks a revision up, so a cached revision of a paste that is gone
//! is never served, on any clone. Removing the entries (on a delete, a
//! trim) frees memory; it is not what makes them unreadable.
//!
//! Layout: `magic | header length (u32 LE) | header JSON | content | HTML`
//! for a revision (as a paste's view), `magic | JSON` for a diff.

use bytes::{BufMut, Bytes, BytesMut};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::ViewCache;
use crate::cache::keys;
use crate::domain::{AuthorSummary, Language, Revision, RevisionMark, Title};
use crate::render::{RenderInfo, Rendered};

const REVISION_MAGIC: &[u8; 4] = b"RV1\0";
const DIFF_MAGIC: &[u8; 4] = b"DV1\0";

/// One revision as its page and its raw route show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RevisionView {
    /// Its number, who made it, when, and what it changed.
    pub(crate) mark: RevisionMark,
    /// Its title.
    pub(crate) title: Option<Title>,
    /// Its language hint.
    pub(crate) language: Option<Language>,
    /// Its text, UTF-8.
    pub(crate) content: Bytes,
    /// Its render, once a page needed it.
    pub(crate) rendered: Option<Rendered>,
}

impl RevisionView {
    /// An earlier revision, as the store keeps it.
    pub(crate) fn of(revision: Revision) -> Self {
        Self {
            mark: revision.mark,
            title: revision.title,
            language: revision.language,
            content: Bytes::from(revision.content.as_str().to_owned()),
            rendered: None,
        }
    }

    /// The text (UTF-8 since its paste's creation; a corrupt entry shows
    /// as empty rather than as a wrong page).
    pub(crate) fn text(&self) -> &str {
        std::str::from_utf8(&self.content).unwrap_or_default()
    }

    /// True when it holds a render of this release's renderer.
    pub(crate) fn is_rendered(&self) -> bool {
        self.rendered.as_ref().is_some_and(Rendered::is_current)
    }

    fn encode(&self) -> Bytes {
        let m = &self.mark;
        let header = serde_json::to_vec(&Header {
            number: m.number,
            at: m.at,
            by: m.by.clone(),
            lines_added: m.lines_added,
            lines_removed: m.lines_removed,
            title: self.title.clone(),
            language: self.language.clone(),
            size: self.content.len() as u64,
            render: self.rendered.as_ref().map(|r| r.info.clone()),
        })
        .unwrap_or_default();
        let html = self.rendered.as_ref().map_or(&[][..], |r| &r.html[..]);
        let mut out = BytesMut::with_capacity(8 + header.len() + self.content.len() + html.len());
        out.put_slice(REVISION_MAGIC);
        out.put_u32_le(u32::try_from(header.len()).unwrap_or(u32::MAX));
        out.put_slice(&header);
        out.put_slice(&self.content);
        out.put_slice(html);
        out.freeze()
    }

    fn decode(bytes: &Bytes) -> Option<Self> {
        let rest = bytes.strip_prefix(REVISION_MAGIC.as_slice())?;
        let len = usize::try_from(u32::from_le_bytes(rest.get(..4)?.try_into().ok()?)).ok()?;
        let h: Header = serde_json::from_slice(rest.get(4..4 + len)?).ok()?;
        let start = REVISION_MAGIC.len() + 4 + len;
        let end = start.checked_add(usize::try_from(h.size).ok()?)?;
        let content = bytes.get(start..end).map(|_| bytes.slice(start..end))?;
        std::str::from_utf8(&content).ok()?;
        let html = bytes.slice(end..);
        let rendered = match h.render {
            Some(info) => {
                std::str::from_utf8(&html).ok()?;
                Some(Rendered { info, html })
            }
            None if html.is_empty() => None,
            None => return None,
        };
        Some(Self {
            mark: RevisionMark {
                number: h.number,
                at: h.at,
                by: h.by,
                lines_added: h.lines_added,
                lines_removed: h.lines_removed,
            },
            title: h.title,
            language: h.language,
            content,
            rendered,
        })
    }
}

/// A revision's header in the cache.
#[derive(Serialize, Deserialize)]
struct Header {
    number: u64,
    #[serde(with = "time::serde::rfc3339")]
    at: OffsetDateTime,
    by: Option<AuthorSummary>,
    lines_added: u64,
    lines_removed: u64,
    title: Option<Title>,
    language: Option<Language>,
    size: u64,
    render: Option<RenderInfo>,
}

/// One line of a diff as its page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct ShownLine {
    /// `+`, `-` or ` `.
    pub(crate) sign: char,
    /// Its line in the older revision (removed and kept lines).
    pub(crate) old: Option<usize>,
    /// Its line in the newer revision (added and kept lines).
    pub(crate) new: Option<usize>,
    /// The line as HTML: highlighted as its revision's page shows it, or
    /// escaped text.
    pub(crate) html: String,
}

/// A hunk of a diff as its page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct ShownHunk {
    /// `@@ -a,b +c,d @@`
    pub(crate) header: String,
    /// Its lines.
    pub(crate) lines: Vec<ShownLine>,
}

/// Two revisions compared: the page's hunks and the unified diff as text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct DiffView {
    /// The older side's number.
    pub(crate) from: u64,
    /// The newer side's number.
    pub(crate) to: u64,
    /// The hunks, for the page.
    pub(crate) hunks: Vec<ShownHunk>,
    /// The unified diff (`--- a` / `+++ b`), for programs.
    pub(crate) text: String,
    /// True when the lines carry their highlighting.
    pub(crate) highlighted: bool,
}

impl DiffView {
    fn encode(&self) -> Bytes {
        let mut out = DIFF_MAGIC.to_vec();
        if serde_json::to_writer(&mut out, self).is_err() {
            return Bytes::new();
        }
        Bytes::from(out)
    }

    fn decode(bytes: &Bytes) -> Option<Self> {
        serde_json::from_slice(bytes.strip_prefix(DIFF_MAGIC.as_slice())?).ok()
    }
}

impl ViewCache {
    /// The cached revision under `key`, if any (a cache that fails is a
    /// miss: the store answers).
    pub(crate) async fn revision_view(&self, key: &str) -> Option<RevisionView> {
        if !self.enabled {
            return None;
        }
        let bytes = self.cache.get(key).await.ok()??;
        RevisionView::decode(&bytes)
    }

    /// Caches a revision under `key`.
    pub(crate) async fn keep_revision_view(&self, key: &str, revision: &RevisionView) {
        if self.enabled {
            let ttl = keys::HISTORY_VIEW_LIFE;
            let _ = self.cache.set(key, revision.encode(), ttl).await;
        }
    }

    /// The cached diff under `key`, if any.
    pub(crate) async fn diff_view(&self, key: &str) -> Option<DiffView> {
        if !self.enabled {
            return None;
        }
        let bytes = self.cache.get(key).await.ok()??;
        DiffView::decode(&bytes)
    }

    /// Caches a diff under `key`.
    pub(crate) async fn keep_diff_view(&self, key: &str, diff: &DiffView) {
        if self.enabled {
            let _ = self
                .cache
                .set(key, diff.encode(), keys::HISTORY_VIEW_LIFE)
                .await;
        }
    }

    /// Removes history entries (they are unreadable already: this frees
    /// their memory), a few at a time.
    pub(crate) async fn forget(&self, keys: Vec<String>) {
        use futures_util::StreamExt;
        futures_util::stream::iter(keys)
            .for_each_concurrent(8, |key| async move {
                let _ = self.cache.delete(&key).await;
            })
            .await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::Renderer;

    #[test]
    fn a_revision_and_a_diff_read_back_from_their_bytes() {
        let rendered = Renderer::new(crate::render::Limits {
            max_bytes: 1 << 20,
            max_time: std::time::Duration::from_secs(5),
        })
        .render("fn main() {}\n", Some("rust"), None);
        let revision = RevisionView {
            mark: RevisionMark {
                number: 3,
                at: OffsetDateTime::UNIX_EPOCH,
                by: None,
                lines_added: 1,
                lines_removed: 2,
            },
            title: Title::parse("t", 100).expect("a title"),
            language: Language::parse("rust").expect("a language"),
            content: Bytes::from_static(b"fn main() {}\n"),
            rendered: Some(rendered),
        };
        let back = RevisionView::decode(&revision.encode()).expect("decodes");
        assert_eq!(back, revision);
        assert!(back.is_rendered());
        let bare = RevisionView {
            rendered: None,
            ..revision
        };
        assert_eq!(RevisionView::decode(&bare.encode()), Some(bare));
        let diff = DiffView {
            from: 1,
            to: 2,
            hunks: vec![ShownHunk {
                header: "@@ -1 +1 @@".into(),
                lines: vec![ShownLine {
                    sign: '+',
                    old: None,
                    new: Some(1),
                    html: "<span class=\"k\">fn</span>".into(),
                }],
            }],
            text: "--- a\n+++ b\n".into(),
            highlighted: true,
        };
        assert_eq!(DiffView::decode(&diff.encode()), Some(diff));
        assert_eq!(DiffView::decode(&Bytes::from_static(b"PV4\0{}")), None);
    }
}
