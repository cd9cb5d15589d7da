//! Views in the near tier (`cache::near`): decoded once when fetched from
//! Redis, so a hot read neither asks Redis nor decodes bytes. The tier and
//! its Redis tracking link are opened by `startup::open_backends`.

use std::sync::Arc;

use super::cache::Lookup;
use super::model::PasteView;
use crate::cache::near::Weigh;

/// What the near tier keeps of a view key.
#[derive(Debug, Clone)]
pub(crate) enum NearView {
    /// A live view.
    View(Arc<PasteView>),
    /// A tombstone or a "missing" mark: the paste is gone.
    Gone,
    /// A removed mark: taken down by an operator.
    Removed(crate::domain::Category),
}

/// Bytes of a view's header in memory, roughly (ids, dates, title, stats).
const VIEW_OVERHEAD: u32 = 512;

impl Weigh for NearView {
    fn weight(&self) -> u32 {
        match self {
            // The content and its render (several times the content's size
            // for highlighted code) are what a view holds.
            Self::View(view) => {
                // A hot view's page (`answers`) is about its render's size
                // again; it is made after the insert, so it is counted now.
                let html = view.rendered.as_ref().map_or(0, |r| r.html.len());
                u32::try_from(view.content.len().saturating_add(html.saturating_mul(2)))
                    .unwrap_or(u32::MAX)
                    .saturating_add(VIEW_OVERHEAD)
            }
            Self::Gone | Self::Removed(_) => 16,
        }
    }
}

impl NearView {
    /// What a lookup that found this answers.
    pub(crate) fn lookup(&self) -> Lookup {
        match self {
            Self::View(view) => Lookup::Hit(view.clone()),
            Self::Gone => Lookup::Gone,
            Self::Removed(category) => Lookup::Removed(*category),
        }
    }

    /// What to keep of what Redis answered (nothing for a miss).
    pub(crate) fn of(lookup: &Lookup) -> Option<Self> {
        match lookup {
            Lookup::Hit(view) => Some(Self::View(view.clone())),
            Lookup::Gone => Some(Self::Gone),
            Lookup::Removed(category) => Some(Self::Removed(*category)),
            Lookup::Miss => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use bytes::Bytes;

    use super::*;
    use crate::domain::paste::now_millis;
    use crate::domain::{Content, DeleteToken, NewPaste, Paste, PasteId, Visibility};
    use crate::render::{Kind, RenderInfo, Rendered};

    #[test]
    fn a_view_weighs_its_render_as_well_as_its_content() {
        let paste = Paste::new(NewPaste {
            id: PasteId::random(8),
            content: Content::parse("fn main() {}\n".repeat(100), 1 << 20).expect("valid"),
            title: None,
            language: None,
            visibility: Visibility::Public,
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
        let mut view = PasteView::assemble(&paste);
        let bare = NearView::View(Arc::new(view.clone())).weight();
        view.rendered = Some(Rendered {
            info: RenderInfo {
                version: crate::render::VERSION,
                kind: Kind::Highlighted,
                language: "Rust".into(),
                detected: None,
                fallback: None,
            },
            html: Bytes::from(vec![b'x'; 6_000]),
        });
        let rendered = NearView::View(Arc::new(view)).weight();
        assert_eq!(
            rendered - bare,
            12_000,
            "the render's bytes count, and those of the page made of it"
        );
    }
}
