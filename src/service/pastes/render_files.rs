//! Rendering a multi-file paste: each file in the render pool with its own
//! language and the same bounds as a paste of one text, joined by
//! `render::files` into the one fragment the view caches.
//!
//! Files render one after another on one lane, so a paste of N files can
//! take up to N times `render.max_millis` once, when its view is first
//! assembled (the assemble job does that ahead of the first read); a file
//! that gets no process in time is plain text for this read only.

use std::time::Duration;

use super::PasteService;
use super::render::Made;
use crate::render::files::{Section, join};
use crate::render::process::Outcome;
use crate::render::{Fallback, Rendered};
use crate::service::views::PasteView;

impl PasteService {
    /// Every file of `view` rendered and joined; `Made::Interim` when one
    /// of them is plain text for want of a process (not to be cached).
    pub(super) async fn render_files(&self, view: &PasteView, wait: Duration) -> (Rendered, Made) {
        let mut made = Made::Rendered;
        let mut renders = Vec::with_capacity(view.meta.files.len());
        for (i, file) in view.meta.files.iter().enumerate() {
            let bytes = view.file_bytes(i).unwrap_or_default();
            let language = file.language.as_ref().map(|l| l.as_str());
            let outcome = self
                .renders
                .pool
                .render(&bytes, language, Some(file.name.as_str()), wait)
                .await;
            let plain = |fallback| {
                let text = std::str::from_utf8(&bytes).unwrap_or_default();
                Rendered::fallback(text, language, fallback)
            };
            let rendered = match outcome {
                Outcome::Rendered(rendered) => rendered,
                Outcome::Killed => plain(Fallback::TooSlow),
                Outcome::Failed(why) => {
                    tracing::error!(paste = %view.meta.id, file = %file.name, error = %why, "a render failed");
                    plain(Fallback::Failed)
                }
                Outcome::Busy | Outcome::Unavailable(_) => {
                    made = Made::Interim;
                    plain(Fallback::Busy)
                }
            };
            self.metrics.rendered(rendered.info.label());
            renders.push(rendered);
        }
        (joined(view, &renders), made)
    }

    /// Every file of `view` as plain numbered lines (no render came back).
    pub(super) fn plain_files(view: &PasteView, fallback: Fallback) -> Rendered {
        let renders: Vec<Rendered> = view
            .meta
            .files
            .iter()
            .enumerate()
            .map(|(i, file)| {
                let bytes = view.file_bytes(i).unwrap_or_default();
                let text = std::str::from_utf8(&bytes).unwrap_or_default();
                Rendered::fallback(text, file.language.as_ref().map(|l| l.as_str()), fallback)
            })
            .collect();
        joined(view, &renders)
    }
}

fn joined(view: &PasteView, renders: &[Rendered]) -> Rendered {
    let sections: Vec<Section<'_>> = view
        .meta
        .files
        .iter()
        .zip(renders)
        .map(|(file, rendered)| Section {
            name: file.name.as_str(),
            rendered,
            lines: file.lines,
            size_bytes: file.size_bytes,
        })
        .collect();
    join(view.meta.id.as_str(), &sections)
}
