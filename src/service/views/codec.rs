//! The byte layout of a view in the cache:
//! `magic | header length (u32 LE) | header JSON | content | rendered HTML`.
//! The header holds the metadata and the render's facts (with the renderer's
//! version); the content's length is in the metadata, the HTML is the rest.
//!
//! The header decodes into typed values (a stored id or visibility that does
//! not parse makes the entry a miss, never a wrong answer). The content is
//! sliced out of the cached bytes without a copy.

use bytes::{BufMut, Bytes, BytesMut};
use serde::{Deserialize, Serialize};

use super::model::{PasteView, ViewMeta};
use crate::render::{RenderInfo, Rendered};

/// Magic prefix of an encoded view; a new layout takes a new one (and a new
/// key version in `cache::keys`). v3: typed header, stats as a `PasteStats`.
/// v4: the render after the content.
const VIEW_MAGIC: &[u8; 4] = b"PV4\0";

/// The header as written.
#[derive(Serialize)]
struct HeaderOut<'a> {
    meta: &'a ViewMeta,
    render: Option<&'a RenderInfo>,
}

/// The header as read.
#[derive(Deserialize)]
struct HeaderIn {
    meta: ViewMeta,
    render: Option<RenderInfo>,
}

impl PasteView {
    /// What every encoded view starts with (and no marker does).
    pub(crate) const MAGIC: &'static [u8] = VIEW_MAGIC;

    /// The cached bytes of this view.
    pub(crate) fn encode(&self) -> Bytes {
        let header = serde_json::to_vec(&HeaderOut {
            meta: &self.meta,
            render: self.rendered.as_ref().map(|r| &r.info),
        })
        .unwrap_or_default();
        let html = self.rendered.as_ref().map_or(&[][..], |r| &r.html[..]);
        let mut out = BytesMut::with_capacity(8 + header.len() + self.content.len() + html.len());
        out.put_slice(VIEW_MAGIC);
        out.put_u32_le(u32::try_from(header.len()).unwrap_or(u32::MAX));
        out.put_slice(&header);
        out.put_slice(&self.content);
        out.put_slice(html);
        out.freeze()
    }

    /// Reads `encode`'s layout; `None` for anything else (then it is a miss).
    pub(crate) fn decode(bytes: &Bytes) -> Option<Self> {
        let rest = bytes.strip_prefix(VIEW_MAGIC.as_slice())?;
        let len = usize::try_from(u32::from_le_bytes(rest.get(..4)?.try_into().ok()?)).ok()?;
        let header = rest.get(4..4 + len)?;
        let HeaderIn { meta, render } = serde_json::from_slice(header).ok()?;
        let start = VIEW_MAGIC.len() + 4 + len;
        let end = start.checked_add(usize::try_from(meta.size_bytes).ok()?)?;
        let content = bytes.get(start..end).map(|_| bytes.slice(start..end))?;
        let html = bytes.slice(end..);
        let rendered = match render {
            Some(info) => {
                std::str::from_utf8(&html).ok()?;
                Some(Rendered { info, html })
            }
            None if html.is_empty() => None,
            None => return None,
        };
        Some(Self {
            meta,
            content,
            rendered,
            answers: Default::default(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::paste::now_millis;
    use crate::domain::{Content, DeleteToken, NewPaste, Paste, PasteId, Visibility};

    fn view() -> PasteView {
        let mut paste = Paste::new(NewPaste {
            id: PasteId::random(8),
            content: Content::parse("héllo\nwörld\n".into(), 100).expect("valid"),
            title: None,
            language: None,
            visibility: Visibility::Unlisted,
            burn_after_read: false,
            max_views: None,
            lock: None,
            created_at: now_millis(),
            expires_at: None,
            author: None,
            delete_token_hash: DeleteToken::random().hash(),
            end_to_end: false,
            files: Vec::new(),
        });
        let month = crate::domain::Month::parse("2026-11").expect("a month");
        paste.stats.monthly.insert(month, 3);
        paste.stats.total_views = 3;
        PasteView::assemble(&paste)
    }

    #[test]
    fn a_view_round_trips_and_garbage_is_a_miss() {
        let v = view();
        assert_eq!(PasteView::decode(&v.encode()), Some(v.clone()));
        assert_eq!(v.meta.lines, 2);
        assert_eq!(
            PasteView::decode(&Bytes::from_static(b"PV4\0\xff\xff\xff\xff")),
            None
        );
        assert_eq!(PasteView::decode(&Bytes::from_static(b"GONE")), None);
        let mut truncated = v.encode().to_vec();
        truncated.truncate(10);
        assert_eq!(PasteView::decode(&Bytes::from(truncated)), None);
        let mut cut_content = v.encode().to_vec();
        cut_content.pop();
        assert_eq!(PasteView::decode(&Bytes::from(cut_content)), None);
    }

    #[test]
    fn a_rendered_view_round_trips_with_its_render() {
        let mut v = view();
        let renderer = crate::render::Renderer::new(crate::render::Limits {
            max_bytes: 1 << 20,
            max_time: std::time::Duration::from_secs(5),
        });
        v.rendered = Some(renderer.render("fn main() {}\n", Some("rust"), None));
        let back = PasteView::decode(&v.encode()).expect("decodes");
        assert_eq!(back, v);
        assert!(back.is_rendered());
        let mut old = v.clone();
        if let Some(r) = old.rendered.as_mut() {
            r.info.version = crate::render::VERSION - 1;
        }
        let old = PasteView::decode(&old.encode()).expect("decodes");
        assert!(
            !old.is_rendered(),
            "an older renderer's markup is not served: the page renders again"
        );
        let mut extra = v.encode().to_vec();
        extra.extend_from_slice(&[0xff, 0xfe]);
        assert_eq!(
            PasteView::decode(&Bytes::from(extra)),
            None,
            "HTML that is not UTF-8"
        );
    }

    #[test]
    fn a_header_with_a_value_no_paste_can_have_is_a_miss() {
        let mut encoded = view().encode().to_vec();
        let at = encoded
            .windows(10)
            .position(|w| w == b"\"unlisted\"")
            .expect("the visibility is in the header");
        encoded[at + 1..at + 9].copy_from_slice(b"secret!!");
        assert_eq!(PasteView::decode(&Bytes::from(encoded)), None);
    }
}
