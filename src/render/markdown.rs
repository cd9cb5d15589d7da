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
    let mut heading_at: Option<usize> = None;
    let mut image: Option<(String, String)> = None;
    let mut slugs = Slugs::default();
    for event in Parser::new_ext(text, options) {
        // An image: its alt text is gathered, and it is shown as a link.
        if let Some((_, alt)) = &mut image {
            match event {
                Event::End(TagEnd::Image) => {
                    let (url, alt) = image.take().unwrap_or_default();
                    events.push(Event::Html(blocked_image(&url, &alt).into()));
                }
                Event::Text(t) | Event::Code(t) => alt.push_str(&t),
                _ => {}
            }
            continue;
        }
        match (event, &mut fence) {
            (Event::Start(Tag::Image { dest_url, .. }), None) => {
                image = Some((dest_url.to_string(), String::new()));
            }
            (
                Event::Start(Tag::Heading {
                    level,
                    id,
                    classes,
                    attrs,
                }),
                None,
            ) => {
                heading_at = Some(events.len());
                events.push(Event::Start(Tag::Heading {
                    level,
                    id,
                    classes,
                    attrs,
                }));
            }
            (Event::End(TagEnd::Heading(level)), None) => {
                if let Some(at) = heading_at.take() {
                    name_heading(&mut events, at, &mut slugs);
                }
                events.push(Event::End(TagEnd::Heading(level)));
            }
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
    // Column alignment: pulldown-cmark writes it as a style, which the page's
    // CSP would refuse; a class (code.css) says the same.
    let html = html
        .replace(r#" style="text-align: left""#, r#" class="al""#)
        .replace(r#" style="text-align: center""#, r#" class="ac""#)
        .replace(r#" style="text-align: right""#, r#" class="ar""#);
    Ok(sanitize(&html))
}

/// Anchors already given on this page, so two headings "Notes" are
/// `notes` and `notes-1`, as GitHub names them.
#[derive(Default)]
struct Slugs(std::collections::HashMap<String, usize>);

impl Slugs {
    fn next(&mut self, text: &str) -> String {
        let base: String = text
            .trim()
            .to_lowercase()
            .chars()
            .filter_map(|c| match c {
                ' ' => Some('-'),
                c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
                _ => None,
            })
            .collect();
        let seen = self.0.entry(base.clone()).or_insert(0);
        let slug = if *seen == 0 {
            base
        } else {
            format!("{base}-{seen}")
        };
        *seen += 1;
        slug
    }
}

/// Gives the heading that starts at `events[at]` the anchor of its text
/// (unless the text named one: `# Title {#id}`), and a link to itself
/// after its text (the caller ends the heading next).
fn name_heading(events: &mut Vec<Event<'_>>, at: usize, slugs: &mut Slugs) {
    let text: String = events[at + 1..]
        .iter()
        .filter_map(|e| match e {
            Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
            _ => None,
        })
        .collect();
    let slug = match &mut events[at] {
        Event::Start(Tag::Heading { id, .. }) => match id {
            Some(named) => named.to_string(),
            None => {
                let slug = slugs.next(&text);
                *id = Some(slug.clone().into());
                slug
            }
        },
        _ => return,
    };
    if !slug.is_empty() {
        events.push(Event::Html(
            format!(r##" <a href="#{slug}" aria-label="Link to this section">#</a>"##).into(),
        ));
    }
}

/// An image the page does not load (its CSP blocks other hosts: loading it
/// would tell them who read the paste): its alt text, and a link to it.
fn blocked_image(url: &str, alt: &str) -> String {
    let mut out = String::from("<a href=\"");
    lines::escape_into(&mut out, url);
    out.push_str("\">[image: ");
    lines::escape_into(&mut out, if alt.is_empty() { url } else { alt });
    out.push_str("]</a>");
    out
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

/// What every id of a paste's markup starts with, as on GitHub.
const ID_PREFIX: &str = "user-content-";

/// Keeps safe markup only; links get `rel="noopener noreferrer nofollow"`.
fn sanitize(html: &str) -> String {
    ammonia::Builder::default()
        .add_generic_attributes(["class"])
        .add_tag_attributes("div", ["id"])
        .add_tag_attributes("a", ["aria-label"])
        .add_tag_attributes("h1", ["id"])
        .add_tag_attributes("h2", ["id"])
        .add_tag_attributes("h3", ["id"])
        .add_tag_attributes("h4", ["id"])
        .add_tag_attributes("h5", ["id"])
        .add_tag_attributes("h6", ["id"])
        // A paste's ids cannot clobber the page's own (`paste-content`):
        // each is prefixed, and so is each link to one (anchors, footnotes).
        .id_prefix(Some(ID_PREFIX))
        .attribute_filter(|element, attribute, value| {
            if attribute == "href" {
                return Some(match value.strip_prefix('#') {
                    Some(anchor) if !anchor.starts_with(ID_PREFIX) => {
                        Cow::Owned(format!("#{ID_PREFIX}{anchor}"))
                    }
                    _ => Cow::Borrowed(value),
                });
            }
            if attribute != "class" {
                return Some(Cow::Borrowed(value));
            }
            let cell = matches!(element, "th" | "td");
            let kept: Vec<&str> = value
                .split(' ')
                .filter(|c| lines::is_kind_class(c) || (cell && matches!(*c, "al" | "ac" | "ar")))
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
        assert!(
            html.contains("<h1 id=\"user-content-title\">Title <a"),
            "{html}"
        );
        assert!(html.contains("<em>text</em>"));
        assert!(html.contains("<span class=\"k\">fn</span>"), "{html}");
    }

    #[test]
    fn it_renders_as_github_does_images_as_links_alignment_anchors_footnotes() {
        let html = md(
            "# Notes\n\n## Notes\n\n![a cat](https://example.com/cat.png)\n\n| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |\n\nSee[^n].\n\n[^n]: The note.\n",
        );
        assert!(!html.contains("<img"), "{html}");
        assert!(
            html.contains(r#"<a href="https://example.com/cat.png" rel="noopener noreferrer nofollow">[image: a cat]</a>"#),
            "{html}"
        );
        assert!(html.contains(r#"<th class="al">a</th>"#), "{html}");
        assert!(html.contains(r#"<td class="ac">2</td>"#), "{html}");
        assert!(html.contains(r#"<td class="ar">3</td>"#), "{html}");
        assert!(html.contains(r#"<h1 id="user-content-notes">"#), "{html}");
        assert!(html.contains(r#"<h2 id="user-content-notes-1">"#), "{html}");
        assert!(html.contains(r##"href="#user-content-notes""##), "{html}");
        assert!(html.contains(r#"id="user-content-n""#), "{html}");
        assert!(html.contains(r##"href="#user-content-n""##), "{html}");
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
