//! A multi-file paste's page fragment: each file rendered alone (its own
//! language, its own bounds), joined as one fragment that is cached with the
//! view like any render, so a hot read of the page renders nothing.
//!
//! Each file is a `<section id="{name}">` with its heading, facts and raw
//! link; its numbered lines are `{name}-L{n}` (`#a.rs-L12`), so every line of
//! every file has its own link.

use std::fmt::Write;

use bytes::Bytes;

use super::lines::escape_into;
use super::{Kind, RenderInfo, Rendered, VERSION};

/// One file, rendered.
pub(crate) struct Section<'a> {
    /// Its name.
    pub(crate) name: &'a str,
    /// Its render (highlighted, Markdown or plain).
    pub(crate) rendered: &'a Rendered,
    /// Its lines.
    pub(crate) lines: usize,
    /// Its size in bytes.
    pub(crate) size_bytes: u64,
}

/// The fragment of every section, in order, under paste `id`. Its facts say
/// `N files`, and the first fallback any file had (the page notes it).
pub(crate) fn join(id: &str, sections: &[Section<'_>]) -> Rendered {
    let mut html = String::new();
    for section in sections {
        write_section(&mut html, id, section);
    }
    Rendered {
        info: RenderInfo {
            version: VERSION,
            kind: Kind::Highlighted,
            language: format!("{} files", sections.len()),
            detected: None,
            fallback: sections.iter().find_map(|s| s.rendered.info.fallback),
        },
        html: Bytes::from(html),
    }
}

fn write_section(out: &mut String, id: &str, section: &Section<'_>) {
    let mut name = String::new();
    escape_into(&mut name, section.name);
    let link = crate::state::segment(section.name);
    let info = &section.rendered.info;
    let lines = section.lines;
    let _ = write!(
        out,
        r##"<section class="file" id="{name}" aria-labelledby="{name}-name"><header class="file-head"><h2 id="{name}-name"><a href="#{link}">{name}</a></h2><span class="file-facts"><span class="lang">{language}</span> · {lines} line{s} · {size}</span> <a class="button raw-file" href="/raw/{id}/{link}">Raw</a></header>"##,
        language = info.language,
        s = if lines == 1 { "" } else { "s" },
        size = size(section.size_bytes),
    );
    let body = section.rendered.html();
    if info.kind == Kind::Markdown {
        out.push_str(r#"<div class="markdown">"#);
        out.push_str(body);
        out.push_str("</div>");
    } else {
        out.push_str(r#"<div class="code"><div class="lines">"#);
        // The lines' own anchors (`L12`), prefixed with the file's name.
        let prefixed = body
            .replace(r#"id="L"#, &format!(r#"id="{name}-L"#))
            .replace(r##"href="#L"##, &format!(r##"href="#{link}-L"##));
        out.push_str(&prefixed);
        out.push_str("</div></div>");
    }
    out.push_str("</section>");
}

fn size(bytes: u64) -> String {
    match bytes {
        b if b < 1024 => format!("{b} B"),
        b if b < 1024 * 1024 => format!("{:.1} KiB", b as f64 / 1024.0),
        b => format!("{:.1} MiB", b as f64 / (1024.0 * 1024.0)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_file_is_a_section_whose_lines_carry_its_name() {
        let a = Rendered::fallback("x\ny\n", None, super::super::Fallback::TooLarge);
        let b = Rendered::fallback("<b>\n", None, super::super::Fallback::Failed);
        let joined = join(
            "abc",
            &[
                Section {
                    name: "a.rs",
                    rendered: &a,
                    lines: 2,
                    size_bytes: 4,
                },
                Section {
                    name: "b c\".txt",
                    rendered: &b,
                    lines: 1,
                    size_bytes: 4,
                },
            ],
        );
        let html = joined.html();
        assert!(
            html.contains(r#"<section class="file" id="a.rs""#),
            "{html}"
        );
        assert!(html.contains(r#"id="a.rs-L2""#) && html.contains(r##"href="#a.rs-L2""##));
        assert!(html.contains(r#"href="/raw/abc/a.rs""#));
        assert!(html.contains(r#"id="b c&quot;.txt-L1""#), "{html}");
        assert!(html.contains(r#"href="/raw/abc/b%20c%22.txt""#), "{html}");
        assert!(html.contains("&lt;b&gt;") && !html.contains("<b>"));
        assert!(!html.contains(r#"id="L1""#));
        assert_eq!(joined.info.language, "2 files");
        assert_eq!(joined.info.fallback, Some(super::super::Fallback::TooLarge));
    }
}
