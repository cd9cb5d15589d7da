//! Code as numbered lines of HTML: one element per line, each with its own
//! anchor (`#L12`), so a line can be linked, marked or wrapped alone.
//!
//! Highlighting is class-based, flattened: each run of text gets one short
//! class for its kind (`<span class="k">` for a keyword), chosen from the
//! innermost scope of syntect's scope stack that has a kind, the way a theme
//! chooses a colour. syntect's own classed HTML (`ClassStyle`) nests a span
//! per scope with every atom as a class, and reopens them on every line: about
//! 40 bytes of markup per byte of code, which a cached view cannot carry. This
//! is about 4.

use std::fmt::Write;
use std::sync::LazyLock;
use std::time::Instant;

use syntect::parsing::{
    BasicScopeStackOp, ParseState, Scope, ScopeStack, SyntaxReference, SyntaxSet,
};
use syntect::util::LinesWithEndings;

/// Scope prefixes and the class of their kind; the first that matches the
/// innermost scope with a kind wins, so longer prefixes come first.
const KINDS: &[(&str, &str)] = &[
    ("comment", "c"),
    ("string", "s"),
    ("constant.character.escape", "x"),
    ("constant", "n"),
    ("keyword.operator", "o"),
    ("keyword", "k"),
    ("storage", "k"),
    ("entity.name.function", "f"),
    ("support.function", "f"),
    ("variable.function", "f"),
    ("entity.name.tag", "g"),
    ("entity.other.attribute-name", "a"),
    ("entity.name", "t"),
    ("support.type", "t"),
    ("support.class", "t"),
    ("variable.parameter", "p"),
    ("variable.language", "k"),
    ("markup.heading", "h"),
    ("markup.bold", "b"),
    ("markup.italic", "e"),
    ("markup.inserted", "i"),
    ("markup.deleted", "d"),
    ("markup.raw", "s"),
    ("markup.underline.link", "u"),
    ("invalid", "v"),
];

static KIND_SCOPES: LazyLock<Vec<(Scope, &'static str)>> = LazyLock::new(|| {
    KINDS
        .iter()
        .filter_map(|(prefix, class)| Scope::new(prefix).ok().map(|s| (s, *class)))
        .collect()
});

/// True for a class this module writes (the Markdown sanitizer keeps these
/// and no other).
pub(crate) fn is_kind_class(class: &str) -> bool {
    KINDS.iter().any(|(_, c)| *c == class)
}

/// The class of the innermost scope of `stack` that has a kind.
fn class_of(stack: &ScopeStack) -> Option<&'static str> {
    let kinds = &*KIND_SCOPES;
    stack.as_slice().iter().rev().find_map(|scope| {
        kinds
            .iter()
            .find(|(prefix, _)| prefix.is_prefix_of(*scope))
            .map(|(_, class)| *class)
    })
}

/// Why highlighting stopped before the end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stopped {
    /// The deadline passed.
    Deadline,
    /// A line was longer than the highlighter is allowed to take on at once.
    LongLine,
    /// The grammar failed on this text (a bug of the grammar, not the paste's).
    Grammar,
}

/// Whether lines are wrapped in numbered, linkable elements (the paste page)
/// or just joined by newlines (a code block inside Markdown).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Layout {
    /// `<span class="l" id="L1">` per line.
    Numbered,
    /// Lines joined with `\n`, for a `<pre>`.
    Joined,
}

/// Writes runs of text, each in the span of its class, merging neighbours of
/// one class.
struct Runs<'o> {
    out: &'o mut String,
    open: Option<&'static str>,
}

impl Runs<'_> {
    fn push(&mut self, text: &str, class: Option<&'static str>) {
        let text = text.trim_end_matches(['\n', '\r']);
        if text.is_empty() {
            return;
        }
        if class != self.open {
            self.close();
            if let Some(class) = class {
                self.out.push_str("<span class=\"");
                self.out.push_str(class);
                self.out.push_str("\">");
            }
            self.open = class;
        }
        escape_into(self.out, text);
    }

    fn close(&mut self) {
        if self.open.take().is_some() {
            self.out.push_str("</span>");
        }
    }
}

/// Highlights `text` with `syntax`, line by line, giving up at `deadline` or
/// at a line longer than `max_line_bytes` (a single line is the unit that
/// cannot be interrupted).
pub(crate) fn highlight(
    text: &str,
    syntax: &SyntaxReference,
    set: &SyntaxSet,
    layout: Layout,
    deadline: Instant,
    max_line_bytes: usize,
) -> Result<String, Stopped> {
    let mut out = String::with_capacity(text.len() * 4);
    let mut state = ParseState::new(syntax);
    let mut stack = ScopeStack::new();
    for (index, line) in LinesWithEndings::from(text).enumerate() {
        if line.len() > max_line_bytes {
            return Err(Stopped::LongLine);
        }
        if Instant::now() >= deadline {
            return Err(Stopped::Deadline);
        }
        let ops = state.parse_line(line, set).map_err(|_| Stopped::Grammar)?;
        start_line(&mut out, index + 1, layout);
        let mut runs = Runs {
            out: &mut out,
            open: None,
        };
        let mut at = 0;
        for (i, op) in &ops {
            let i = (*i).min(line.len());
            if i > at {
                let piece = line.get(at..i).ok_or(Stopped::Grammar)?;
                runs.push(piece, class_of(&stack));
                at = i;
            }
            stack
                .apply_with_hook(op, |_: BasicScopeStackOp, _: &[Scope]| {})
                .map_err(|_| Stopped::Grammar)?;
        }
        let rest = line.get(at..).ok_or(Stopped::Grammar)?;
        runs.push(rest, class_of(&stack));
        runs.close();
        end_line(&mut out, layout);
    }
    Ok(out)
}

/// `text` as numbered lines of escaped text, without highlighting.
pub(crate) fn plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8 + 64);
    for (index, line) in text.lines().enumerate() {
        start_line(&mut out, index + 1, Layout::Numbered);
        escape_into(&mut out, line);
        end_line(&mut out, Layout::Numbered);
    }
    out
}

fn start_line(out: &mut String, n: usize, layout: Layout) {
    match layout {
        Layout::Numbered => {
            // The number is drawn by a CSS counter: it costs no markup and is
            // never copied with the text; the label names the link for a
            // screen reader (an empty link has no name).
            let _ = write!(
                out,
                r##"<span class="l" id="L{n}"><a href="#L{n}" aria-label="Line {n}"></a><span>"##
            );
        }
        Layout::Joined if n > 1 => out.push('\n'),
        Layout::Joined => {}
    }
}

fn end_line(out: &mut String, layout: Layout) {
    if layout == Layout::Numbered {
        out.push_str("</span></span>");
    }
}

/// Escapes text for HTML content and attribute values.
pub(crate) fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\r' => {}
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::catalog::catalog;
    use std::time::Duration;

    fn rust(text: &str) -> Result<String, Stopped> {
        let c = catalog();
        let entry = c.find("rust").expect("rust is known");
        let deadline = Instant::now() + Duration::from_secs(5);
        highlight(
            text,
            c.syntax(entry),
            c.set(),
            Layout::Numbered,
            deadline,
            1 << 20,
        )
    }

    #[test]
    fn every_line_is_numbered_and_closes_its_spans() {
        let html = rust("/* a\nb */ fn main() {\n    let s = \"<x>\";\n}\n").expect("highlighted");
        assert_eq!(html.matches("class=\"l\"").count(), 4);
        assert!(html.contains("id=\"L2\""));
        assert!(html.contains("<span class=\"c\">/* a</span>"), "{html}");
        assert!(html.contains("<span class=\"k\">fn</span>"), "{html}");
        assert!(html.contains("&lt;x&gt;"), "text is escaped");
        for line in html.split("<span class=\"l\"").skip(1) {
            assert_eq!(
                line.matches("<span").count() + 1,
                line.matches("</span>").count(),
                "balanced: {line}"
            );
        }
        let second = html.split("id=\"L2\"").nth(1).expect("line 2");
        assert!(
            second.contains("<span class=\"c\">b */</span>"),
            "the comment goes on on line 2: {second}"
        );
    }

    #[test]
    fn a_passed_deadline_or_a_long_line_stops_highlighting() {
        let c = catalog();
        let entry = c.find("rust").expect("rust is known");
        let past = Instant::now() - Duration::from_millis(1);
        let run = |text: &str, deadline, max| {
            highlight(
                text,
                c.syntax(entry),
                c.set(),
                Layout::Numbered,
                deadline,
                max,
            )
        };
        assert_eq!(run("fn a() {}\n", past, 100), Err(Stopped::Deadline));
        let later = Instant::now() + Duration::from_secs(5);
        assert_eq!(run(&"x".repeat(101), later, 100), Err(Stopped::LongLine));
    }

    #[test]
    fn plain_lines_are_escaped_and_numbered() {
        let html = plain("a<b\n\nc");
        assert_eq!(html.matches("class=\"l\"").count(), 3);
        assert!(html.contains("a&lt;b"));
    }
}
