//! Markdown to safe HTML: `pulldown-cmark` renders it, its code fences are
//! highlighted like pastes are, and `ammonia` keeps only safe markup (the
//! paste's own HTML included), with no class but the highlighter's.

use std::borrow::Cow;
use std::time::Instant;

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};

use super::catalog::Catalog;
use super::lines::{self, Layout, Stopped};

/// `text` as sanitized HTML, or why it stopped (a code fence past the
/// deadline or with a line too long).
pub(crate) fn render(
    catalog: &Catalog,
    text: &str,
    deadline: Instant,
    max_line_bytes: usize,
) -> Result<String, Stopped> {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES;
    let mut events = Vec::new();
    let mut fence: Option<(String, String)> = None;
    for event in Parser::new_ext(text, options) {
        match (event, &mut fence) {
            (Event::Start(Tag::CodeBlock(kind)), _) => {
                let info = match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split_whitespace().next().unwrap_or("").to_owned()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                fence = Some((info, String::new()));
            }
            (Event::Text(t), Some((_, code))) => code.push_str(&t),
            (Event::End(TagEnd::CodeBlock), Some(_)) => {
                let (info, code) = fence.take().unwrap_or_default();
                let html = code_block(catalog, &info, &code, deadline, max_line_bytes)?;
                events.push(Event::Html(html.into()));
            }
            // A task's box is named for a screen reader (a bare checkbox
            // has no label); it stays read-only, as on GitHub.
            (Event::TaskListMarker(done), _) => {
                let (checked, name) = if done {
                    (" checked", "done")
                } else {
                    ("", "to do")
                };
                events.push(Event::Html(
                    format!(r#"<input type="checkbox" disabled{checked} aria-label="{name}"> "#)
                        .into(),
                ));
            }
            (event, _) => {
                if Instant::now() >= deadline {
                    return Err(Stopped::Deadline);
                }
                events.push(event);
            }
        }
    }
    let mut html = String::with_capacity(text.len() * 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    Ok(sanitize(&html))
}

fn code_block(
    catalog: &Catalog,
    info: &str,
    code: &str,
    deadline: Instant,
    max_line_bytes: usize,
) -> Result<String, Stopped> {
    let body = match catalog.find(info).filter(|_| !info.is_empty()) {
        Some(entry) => lines::highlight(
            code,
            catalog.syntax(entry),
            catalog.set(),
            Layout::Joined,
            deadline,
            max_line_bytes,
        )?,
        None => {
            let mut out = String::with_capacity(code.len());
            lines::escape_into(&mut out, code.trim_end_matches('\n'));
            out
        }
    };
    Ok(format!("<pre><code>{body}</code></pre>\n"))
}

/// Keeps safe markup only; links get `rel="noopener noreferrer nofollow"`.
fn sanitize(html: &str) -> String {
    ammonia::Builder::default()
        .add_generic_attributes(["class"])
        .attribute_filter(|_, attribute, value| {
            if attribute != "class" {
                return Some(Cow::Borrowed(value));
            }
            let kept: Vec<&str> = value
                .split(' ')
                .filter(|c| lines::is_kind_class(c))
                .collect();
            (!kept.is_empty()).then(|| Cow::Owned(kept.join(" ")))
        })
        .link_rel(Some("noopener noreferrer nofollow"))
        .add_tags(["input"])
        .add_tag_attributes("input", ["type", "checked", "disabled", "aria-label"])
        .clean(html)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::catalog::catalog;
    use std::time::Duration;

    fn md(text: &str) -> String {
        render(
            catalog(),
            text,
            Instant::now() + Duration::from_secs(5),
            1 << 20,
        )
        .expect("rendered")
    }

    #[test]
    fn markdown_is_rendered_and_fences_highlighted() {
        let html = md("# Title\n\nSome *text*.\n\n```rust\nfn main() {}\n```\n");
        assert!(html.contains("<h1>Title</h1>"), "{html}");
        assert!(html.contains("<em>text</em>"));
        assert!(html.contains("<span class=\"k\">fn</span>"), "{html}");
    }

    #[test]
    fn unsafe_markup_is_removed() {
        let html = md(
            "<script>alert(1)</script>\n\n<a href=\"javascript:alert(1)\" onclick=\"x()\" class=\"evil\">x</a>\n\n[ok](https://example.org)",
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(!html.contains("onclick"), "{html}");
        assert!(!html.contains("evil"), "{html}");
        assert!(
            html.contains("rel=\"noopener noreferrer nofollow\""),
            "{html}"
        );
    }
}
