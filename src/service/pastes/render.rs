//! Rendering a view for its page: on a blocking thread (highlighting is CPU
//! work that must not stall the async workers), counted in
//! `pastebin_renders_total{kind}`.

use super::PasteService;
use crate::render::{Fallback, Kind, RenderInfo, Rendered, VERSION};
use crate::service::views::PasteView;

impl PasteService {
    /// Renders `view` for its page unless it holds a current render already;
    /// true when it rendered.
    pub(crate) async fn ensure_rendered(&self, view: &mut PasteView) -> bool {
        if view.is_rendered() {
            return false;
        }
        view.rendered = Some(self.render(view).await);
        true
    }

    async fn render(&self, view: &PasteView) -> Rendered {
        let renderer = self.renderer;
        let content = view.content.clone();
        let language = view.meta.language.as_ref().map(|l| l.as_str().to_owned());
        let title = view.meta.title.as_ref().map(|t| t.as_str().to_owned());
        let span = tracing::Span::current();
        let made = tokio::task::spawn_blocking(move || {
            let _entered = span.enter();
            let text = std::str::from_utf8(&content).unwrap_or_default();
            renderer.render(text, language.as_deref(), title.as_deref())
        })
        .await;
        let rendered = made.unwrap_or_else(|e| {
            tracing::error!(paste = %view.meta.id, error = %e, "a render failed");
            Rendered {
                info: RenderInfo {
                    version: VERSION,
                    kind: Kind::Plain,
                    language: "Plain Text".to_owned(),
                    detected: None,
                    fallback: Some(Fallback::Failed),
                },
                html: bytes::Bytes::new(),
            }
        });
        self.metrics.rendered(rendered.info.kind.label());
        if let Some(fallback) = rendered.info.fallback {
            tracing::info!(paste = %view.meta.id, ?fallback, "shown as plain text");
        }
        rendered
    }
}
