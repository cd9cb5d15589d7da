//! Line diffs between two revisions of a paste, with `similar` (Myers'
//! algorithm with a deadline: a diff of two large, unrelated texts gives a
//! coarser answer in bounded time rather than an exact one late).

use std::time::Duration;

use similar::{ChangeTag, TextDiff};

/// Lines added and removed from `old` to `new`.
pub(crate) fn line_counts(old: &str, new: &str, within: Duration) -> (u64, u64) {
    let diff = TextDiff::configure().timeout(within).diff_lines(old, new);
    let (mut added, mut removed) = (0_u64, 0_u64);
    for change in diff.iter_all_changes() {
        match change.tag() {
            ChangeTag::Insert => added += 1,
            ChangeTag::Delete => removed += 1,
            ChangeTag::Equal => {}
        }
    }
    (added, removed)
}

/// One line of a unified diff as a page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DiffLine {
    /// `+`, `-` or ` `.
    pub(crate) sign: char,
    /// Its number in the old text (removed and kept lines).
    pub(crate) old: Option<usize>,
    /// Its number in the new text (added and kept lines).
    pub(crate) new: Option<usize>,
    /// The line, without its newline.
    pub(crate) text: String,
}

/// A hunk: a run of changes with `context` kept lines around them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Hunk {
    /// `@@ -a,b +c,d @@`
    pub(crate) header: String,
    /// Its lines.
    pub(crate) lines: Vec<DiffLine>,
}

/// The hunks of a unified diff from `old` to `new`, and its whole text
/// (`--- a` / `+++ b` headers, for `?format=diff`-style answers).
pub(crate) fn unified(
    old: &str,
    new: &str,
    names: (&str, &str),
    within: Duration,
) -> (Vec<Hunk>, String) {
    let diff = TextDiff::configure().timeout(within).diff_lines(old, new);
    let hunks = diff
        .unified_diff()
        .context_radius(3)
        .iter_hunks()
        .map(|hunk| Hunk {
            header: hunk.header().to_string().trim_end().to_owned(),
            lines: hunk
                .iter_changes()
                .map(|change| DiffLine {
                    sign: match change.tag() {
                        ChangeTag::Insert => '+',
                        ChangeTag::Delete => '-',
                        ChangeTag::Equal => ' ',
                    },
                    old: change.old_index().map(|i| i + 1),
                    new: change.new_index().map(|i| i + 1),
                    text: change
                        .as_str()
                        .unwrap_or_default()
                        .trim_end_matches(['\n', '\r'])
                        .to_owned(),
                })
                .collect(),
        })
        .collect();
    let text = diff
        .unified_diff()
        .context_radius(3)
        .header(names.0, names.1)
        .to_string();
    (hunks, text)
}

/// The inside of each line of a numbered render (`lines::highlight` and
/// `lines::plain`, `Layout::Numbered`), in order: the line's HTML, every
/// span it opens closed in it, so a diff can show the line as the
/// revision's page does.
pub(crate) fn line_cells(html: &str) -> Vec<&str> {
    const LINE: &str = "<span class=\"l\" id=\"L";
    const CELL: &str = "\"></a><span>";
    const END: &str = "</span></span>";
    html.split(LINE)
        .skip(1)
        .map(|line| {
            line.find(CELL)
                .and_then(|at| line.get(at + CELL.len()..))
                .and_then(|cell| cell.strip_suffix(END))
                .unwrap_or_default()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_hunks_mark_what_changed() {
        let within = Duration::from_secs(1);
        assert_eq!(line_counts("a\nb\nc\n", "a\nB\nc\nd\n", within), (2, 1));
        let (hunks, text) = unified("a\nb\nc\n", "a\nB\nc\n", ("r1", "r2"), within);
        assert_eq!(hunks.len(), 1);
        let signs: String = hunks[0].lines.iter().map(|l| l.sign).collect();
        assert_eq!(signs, " -+ ");
        assert_eq!(hunks[0].lines[1].text, "b");
        assert_eq!(hunks[0].lines[1].old, Some(2));
        assert_eq!(hunks[0].lines[2].new, Some(2));
        assert!(
            text.starts_with("--- r1\n+++ r2\n@@ -1,3 +1,3 @@"),
            "{text}"
        );
        assert_eq!(line_counts("same\n", "same\n", within), (0, 0));
    }

    #[test]
    fn the_cells_of_numbered_lines_are_each_line_s_html() {
        let plain = crate::render::lines::plain("a<b\n\nc");
        assert_eq!(line_cells(&plain), vec!["a&lt;b", "", "c"]);
        let rendered = crate::render::Renderer::new(crate::render::Limits {
            max_bytes: 1 << 20,
            max_time: Duration::from_secs(5),
        })
        .render("fn main() {\n    1\n}\n", Some("rust"), None);
        let cells = line_cells(rendered.html());
        assert_eq!(cells.len(), 3);
        assert!(
            cells[0].starts_with("<span class=\"k\">fn</span>"),
            "{cells:?}"
        );
    }
}
