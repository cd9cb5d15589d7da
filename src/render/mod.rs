//! Rendering a paste for its page: highlighted code, or Markdown as HTML, or
//! plain text when the paste is too large or too slow to highlight.
//!
//! Pure CPU work, no I/O, and run only in render processes (`process`): a
//! grammar's regex cannot be interrupted within a line, so the server runs
//! every render where it can be killed at its deadline. Services cache what
//! it makes inside the paste's view, so a hot page read renders nothing. Its
//! output carries `VERSION`: markup of an older renderer found in the cache
//! is rendered again, never served.
//!
//! Bounds: a paste larger than `render.max_bytes` is not highlighted; a render
//! past `render.max_millis` stops at the next line, and one stuck inside a
//! line is killed with its process; a single line longer than
//! `MAX_LINE_BYTES` is not highlighted. Each case falls back to plain text
//! (numbered lines, cached like any render), and the page says why.

pub(crate) mod catalog;
pub(crate) mod detect;
pub(crate) mod diff;
pub(crate) mod files;
pub(crate) mod lines;
pub(crate) mod markdown;
pub(crate) mod process;

use std::time::{Duration, Instant};

use bytes::Bytes;
use serde::{Deserialize, Serialize};

pub(crate) use catalog::catalog;
pub(crate) use detect::Detection;
use lines::{Layout, Stopped};

/// The version of the markup this renderer makes; bump it with any change
/// of the markup or of the classes the stylesheet relies on. v2: plain text
/// comes as numbered HTML too. v3: line links and task boxes are named,
/// Markdown has heading anchors, aligned columns and images as links.
pub(crate) const VERSION: u32 = 3;

/// The longest line the highlighter takes on (the grammar's regexes run over a
/// whole line at once, so this bounds the time no deadline check can cut).
pub(crate) const MAX_LINE_BYTES: usize = 16 * 1024;

/// What was made of a paste.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Kind {
    /// Highlighted code, as numbered lines.
    Highlighted,
    /// Markdown, as sanitized HTML.
    Markdown,
    /// The text escaped, as numbered lines.
    Plain,
}

impl Kind {
    /// The label of `pastebin_renders_total{kind}`.
    pub(crate) fn label(self) -> &'static str {
        match self {
            Self::Highlighted => "highlight",
            Self::Markdown => "markdown",
            Self::Plain => "plain",
        }
    }
}

/// Why a paste that has a language is shown as plain text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Fallback {
    /// Larger than `render.max_bytes`.
    TooLarge,
    /// Not done within `render.max_millis`.
    TooSlow,
    /// A line longer than `MAX_LINE_BYTES`.
    LongLine,
    /// The grammar failed on it, or its render process did.
    Failed,
    /// No render process was free in time (this read only: not cached).
    Busy,
}

impl Fallback {
    /// For the page: "shown as plain text: …".
    pub(crate) fn describe(self) -> &'static str {
        match self {
            Self::TooLarge => "it is too large to highlight",
            Self::TooSlow => "highlighting it took too long",
            Self::LongLine => "it has a line too long to highlight",
            Self::Failed => "the highlighter failed on it",
            Self::Busy => "the highlighter is busy; reload in a moment",
        }
    }
}

impl From<Stopped> for Fallback {
    fn from(stopped: Stopped) -> Self {
        match stopped {
            Stopped::Deadline => Self::TooSlow,
            Stopped::LongLine => Self::LongLine,
            Stopped::Grammar => Self::Failed,
        }
    }
}

/// What the page needs to know of a render besides its markup.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct RenderInfo {
    /// The renderer that made it (`VERSION`).
    pub(crate) version: u32,
    /// What was made.
    pub(crate) kind: Kind,
    /// The language shown, by name (`Rust`, `Plain Text`).
    pub(crate) language: String,
    /// How the language was found, when the paste named none.
    pub(crate) detected: Option<Detection>,
    /// Why a paste with a language is shown plain.
    pub(crate) fallback: Option<Fallback>,
}

impl RenderInfo {
    /// The label of `pastebin_renders_total{kind}`: the kind, or `timeout`
    /// for plain text shown because the render ran out of time (stopped
    /// between lines, or killed inside one), `busy` when none could run.
    pub(crate) fn label(&self) -> &'static str {
        match (self.kind, self.fallback) {
            (Kind::Plain, Some(Fallback::TooSlow)) => "timeout",
            (Kind::Plain, Some(Fallback::Busy)) => "busy",
            (kind, _) => kind.label(),
        }
    }
}

/// A render: its facts and its HTML fragment (numbered lines, or the
/// Markdown document).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Rendered {
    /// Facts for the page.
    pub(crate) info: RenderInfo,
    /// The HTML fragment, UTF-8.
    pub(crate) html: Bytes,
}

impl Rendered {
    /// True when this renderer made it.
    pub(crate) fn is_current(&self) -> bool {
        self.info.version == VERSION
    }

    /// The fragment as text.
    pub(crate) fn html(&self) -> &str {
        std::str::from_utf8(&self.html).unwrap_or_default()
    }

    /// `text` as plain numbered lines, for a render that did not come back
    /// (`fallback` says why), shown under the language the author named.
    /// Linear in the text: safe to make in the server.
    pub(crate) fn fallback(text: &str, language: Option<&str>, fallback: Fallback) -> Self {
        let name = language
            .and_then(|l| catalog().find(l))
            .map_or("Plain Text", |e| e.name.as_str());
        Self {
            info: RenderInfo {
                version: VERSION,
                kind: Kind::Plain,
                language: name.to_owned(),
                detected: None,
                fallback: Some(fallback),
            },
            html: Bytes::from(lines::plain(text)),
        }
    }
}

/// The bounds of one render (`[render]` in the settings).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    /// Largest paste highlighted or rendered as Markdown.
    pub(crate) max_bytes: usize,
    /// Longest a render may take before it falls back.
    pub(crate) max_time: Duration,
}

/// Renders pastes within its limits.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Renderer {
    limits: Limits,
}

impl Renderer {
    /// A renderer with these bounds.
    pub(crate) fn new(limits: Limits) -> Self {
        Self { limits }
    }

    /// Renders `text`, named `language` by its author (a catalog token) or
    /// else detected (with the help of `title`).
    pub(crate) fn render(
        &self,
        text: &str,
        language: Option<&str>,
        title: Option<&str>,
    ) -> Rendered {
        let catalog = catalog();
        let (entry, detected) = match language.and_then(|l| catalog.find(l)) {
            Some(entry) => (Some(entry), None),
            None => match detect::detect(catalog, text, title) {
                Some((entry, how)) => (Some(entry), Some(how)),
                None => (None, None),
            },
        };
        let name = entry.map_or("Plain Text", |e| e.name.as_str()).to_owned();
        let plain = |fallback: Option<Fallback>| Rendered {
            info: RenderInfo {
                version: VERSION,
                kind: Kind::Plain,
                language: name.clone(),
                detected,
                fallback,
            },
            html: Bytes::from(lines::plain(text)),
        };
        let Some(entry) = entry.filter(|e| e.token != "text") else {
            return plain(None);
        };
        if text.len() > self.limits.max_bytes {
            return plain(Some(Fallback::TooLarge));
        }
        let deadline = Instant::now() + self.limits.max_time;
        let (kind, made) = if entry.token == "markdown" {
            let html = markdown::render(catalog, text, deadline, MAX_LINE_BYTES);
            (Kind::Markdown, html)
        } else {
            let syntax = catalog.syntax(entry);
            let html = lines::highlight(
                text,
                syntax,
                catalog.set(),
                Layout::Numbered,
                deadline,
                MAX_LINE_BYTES,
            );
            (Kind::Highlighted, html)
        };
        match made {
            Ok(html) => Rendered {
                info: RenderInfo {
                    version: VERSION,
                    kind,
                    language: name.clone(),
                    detected,
                    fallback: None,
                },
                html: Bytes::from(html),
            },
            Err(stopped) => plain(Some(stopped.into())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn renderer(max_bytes: usize, max_millis: u64) -> Renderer {
        Renderer::new(Limits {
            max_bytes,
            max_time: Duration::from_millis(max_millis),
        })
    }

    #[test]
    fn a_named_language_is_highlighted_and_an_unknown_one_detected() {
        let r = renderer(1 << 20, 2000);
        let shown = r.render("fn main() {}\n", Some("rust"), None);
        assert_eq!(shown.info.kind, Kind::Highlighted);
        assert_eq!(shown.info.language, "Rust");
        assert_eq!(shown.info.detected, None);
        let guessed = r.render("#!/usr/bin/env python3\nprint(1)\n", None, None);
        assert_eq!(guessed.info.language, "Python");
        assert_eq!(guessed.info.detected, Some(Detection::FirstLine));
        let prose = r.render("just words\n", None, None);
        assert_eq!(
            (prose.info.kind, prose.info.language.as_str()),
            (Kind::Plain, "Plain Text")
        );
    }

    #[test]
    fn past_the_size_bound_a_paste_is_plain_and_says_why() {
        let r = renderer(10, 2000);
        let big = r.render("fn main() { let x = 1; }\n", Some("rust"), None);
        assert_eq!(big.info.kind, Kind::Plain);
        assert_eq!(big.info.fallback, Some(Fallback::TooLarge));
        assert!(big.html().contains("id=\"L1\""), "numbered: {}", big.html());
    }

    #[test]
    fn past_the_time_bound_a_paste_is_plain_and_says_why() {
        let r = renderer(64 << 20, 0);
        let text = "fn main() { let x = 1; }\n".repeat(1000);
        let slow = r.render(&text, Some("rust"), None);
        assert_eq!(slow.info.fallback, Some(Fallback::TooSlow));
    }

    #[test]
    fn a_line_too_long_is_not_highlighted() {
        let r = renderer(64 << 20, 5000);
        let text = format!("let x = \"{}\";\n", "a".repeat(MAX_LINE_BYTES));
        let long = r.render(&text, Some("rust"), None);
        assert_eq!(long.info.fallback, Some(Fallback::LongLine));
    }

    #[test]
    fn markdown_is_rendered_as_html() {
        let r = renderer(1 << 20, 2000);
        let md = r.render("# Hi\n", Some("markdown"), None);
        assert_eq!(md.info.kind, Kind::Markdown);
        assert!(md.html().contains("<h1 id=\"user-content-hi\">Hi <a"));
        let by_name = r.render("# Hi\n", None, Some("README.md"));
        assert_eq!(by_name.info.kind, Kind::Markdown);
        assert_eq!(by_name.info.detected, Some(Detection::FileName));
    }
}

#[cfg(test)]
mod probe {
    #[test]
    #[ignore = "prints the catalog and timings"]
    fn print_catalog_and_timings() {
        let c = super::catalog();
        let names: Vec<String> = c
            .entries()
            .iter()
            .map(|e| format!("{}={}", e.token, e.name))
            .collect();
        eprintln!("{} languages: {}", names.len(), names.join(" | "));
        eprintln!("spellings: {}", c.spellings().len());
        let r = super::Renderer::new(super::Limits {
            max_bytes: 64 << 20,
            max_time: std::time::Duration::from_secs(60),
        });
        let unit =
            "fn main() {\n    let mut total = 0; // a comment\n    println!(\"{}\", total);\n}\n";
        for size in [1024usize, 512 * 1024, 1024 * 1024] {
            let text: String = unit.repeat(size / unit.len() + 1)[..size].to_owned();
            let t = std::time::Instant::now();
            let out = r.render(&text, Some("rust"), None);
            eprintln!(
                "rust {size} B: {:?} -> {} B html, {:?}",
                t.elapsed(),
                out.html.len(),
                out.info.fallback
            );
        }
        for (name, lang, text) in [
            (
                "long line 16K rust",
                "rust",
                format!("let x = \"{}\";\n", "a\\\"".repeat(4000)),
            ),
            (
                "nested parens 16K js",
                "javascript",
                format!("{}\n", "(".repeat(16000)),
            ),
            (
                "long line 16K html",
                "html",
                format!("<a {}>\n", "b=\"c\" ".repeat(2600)),
            ),
            (
                "md 512K",
                "markdown",
                "# h\n\n* a *b* `c`\n\n```rust\nfn x() {}\n```\n".repeat(12000),
            ),
        ] {
            let t = std::time::Instant::now();
            let out = r.render(&text, Some(lang), None);
            eprintln!(
                "{name} ({} B): {:?} {:?}",
                text.len(),
                t.elapsed(),
                out.info.fallback
            );
        }
    }
}
