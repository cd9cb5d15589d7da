//! `[render]`: the bounds of highlighting and Markdown rendering.

use serde::Deserialize;

use super::durations::Millis;
use super::numbers::bounded;

bounded! {
    /// `render.max_bytes`: pastes larger than this are shown as plain text
    /// (0 never highlights). At most the largest paste there can be.
    RenderBytes(usize) in 0, 15 * 1024 * 1024; "a number of bytes", "0 turns highlighting off"
}

/// `[render]`
#[derive(Debug, Clone, Deserialize)]
pub struct RenderSettings {
    /// Largest paste highlighted or rendered as Markdown.
    pub max_bytes: RenderBytes,
    /// Longest one render may take before the page falls back to plain text.
    pub max_millis: Millis,
}
