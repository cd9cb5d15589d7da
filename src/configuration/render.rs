//! `[render]`: the bounds of highlighting and Markdown rendering.

use std::path::PathBuf;

use serde::{Deserialize, Deserializer};

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
    /// Longest one render may take before the page falls back to plain text
    /// (its render process is killed if it has not answered by then).
    pub max_millis: Millis,
    /// Render processes, which are also the renders that may run at once; 0
    /// means half the cores, at least one.
    #[serde(deserialize_with = "processes")]
    pub processes: usize,
    /// The `pastebin` binary the render processes run; unset, this process's
    /// own executable (which must then be `pastebin`).
    #[serde(default, deserialize_with = "executable")]
    pub executable: Option<PathBuf>,
    /// A new paste's render-ahead job is queued only while fewer jobs than
    /// this wait; past it the job is shed (counted) and the first page read
    /// renders instead. 0 never renders ahead.
    #[serde(deserialize_with = "max_queued")]
    pub max_queued: u64,
}

impl RenderSettings {
    /// How many render processes to run.
    pub(crate) fn process_count(&self) -> usize {
        match self.processes {
            0 => (std::thread::available_parallelism().map_or(2, usize::from) / 2).max(1),
            n => n,
        }
    }

    /// The binary render processes run: `executable`, or this process's own
    /// when it is `pastebin` (a test binary is not: tests name the binary).
    pub(crate) fn executable(&self) -> anyhow::Result<PathBuf> {
        if let Some(path) = &self.executable {
            return Ok(path.clone());
        }
        let own = std::env::current_exe()
            .map_err(|e| anyhow::anyhow!("finding this process's executable: {e}"))?;
        let named_pastebin = own
            .file_stem()
            .is_some_and(|stem| stem.to_string_lossy() == "pastebin");
        anyhow::ensure!(
            named_pastebin,
            "render.executable is unset and this process ({}) is not the pastebin binary; \
             set render.executable to the pastebin binary, which runs the render processes",
            own.display()
        );
        Ok(own)
    }
}

/// `render.processes`: 0 means half the cores.
fn processes<'de, D: Deserializer<'de>>(deserializer: D) -> Result<usize, D::Error> {
    super::numbers::whole(
        deserializer,
        "a number of processes, 0 or more (0 is half the CPU cores, at least one)",
    )
}

/// `render.max_queued`: a number of jobs.
fn max_queued<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u64, D::Error> {
    super::numbers::whole(
        deserializer,
        "a number of jobs, 0 or more (0 never renders ahead)",
    )
}

/// `render.executable`: a path, not empty.
fn executable<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<PathBuf>, D::Error> {
    super::scalar::read(deserializer, "the path of the pastebin binary", |value| {
        value
            .text()
            .filter(|text| !text.is_empty())
            .map(PathBuf::from)
    })
    .map(Some)
}
