//! The language of a paste that names none: its file name, then its first
//! line (a shebang, `<?php`, `<?xml`), then a few plain clues in its text.
//! A guess, and the page says it is one.

use serde::{Deserialize, Serialize};

use super::catalog::{Catalog, Entry};

/// How a language was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Detection {
    /// From the title, read as a file name (`build.sh`).
    FileName,
    /// From the first line (`#!/usr/bin/env python3`).
    FirstLine,
    /// From clues in the text.
    Content,
}

impl Detection {
    /// For the page: "detected from …".
    pub(crate) fn describe(self) -> &'static str {
        match self {
            Self::FileName => "the file name",
            Self::FirstLine => "the first line",
            Self::Content => "the content",
        }
    }
}

/// Bytes of the text the clues are looked for in: a guess needs no more.
const SAMPLE_BYTES: usize = 16 * 1024;

/// Clues: a language token and the texts that suggest it. Two clues of one
/// language (or one of the strong ones, first in each list) make a guess.
const CLUES: &[(&str, &[&str])] = &[
    (
        "rust",
        &[
            "fn main()",
            "let mut ",
            "pub fn ",
            "impl ",
            "use std::",
            "-> Result<",
            "#[derive(",
        ],
    ),
    (
        "python",
        &[
            "def __init__(",
            "import numpy",
            "def ",
            "self.",
            "elif ",
            "print(",
            "import ",
        ],
    ),
    (
        "go",
        &[
            "package main",
            "func main()",
            ":= ",
            "fmt.Println",
            "func (",
        ],
    ),
    (
        "javascript",
        &[
            "console.log(",
            "function ",
            "=> {",
            "const ",
            "require(",
            "document.",
        ],
    ),
    (
        "java",
        &[
            "public static void main",
            "public class ",
            "System.out.println",
            "private final ",
        ],
    ),
    (
        "c++",
        &[
            "std::cout",
            "#include <iostream>",
            "template <",
            "std::vector",
            "namespace ",
        ],
    ),
    (
        "c",
        &[
            "int main(",
            "#include <stdio.h>",
            "printf(",
            "malloc(",
            "#include ",
        ],
    ),
    ("php", &["<?php", "$this->", "echo $"]),
    (
        "sql",
        &["CREATE TABLE", "SELECT ", " FROM ", "INSERT INTO", "WHERE "],
    ),
    ("diff", &["diff --git", "\n+++ ", "\n--- ", "\n@@ "]),
    (
        "html",
        &["<!DOCTYPE html", "<html", "<div", "</p>", "<body"],
    ),
    ("markdown", &["\n```", "\n## ", "# ", "](http", "\n- [ ] "]),
    ("yaml", &["apiVersion:", "\n  - ", ": |\n", "---\n"]),
    ("toml", &["[package]", "[dependencies]", "\n[", " = \""]),
    (
        "shell",
        &["#!/bin/sh", "echo \"$", "fi\n", "then\n", "export "],
    ),
];

/// The language `text` (with `title`) seems to be in, and how that was found.
pub(crate) fn detect<'c>(
    catalog: &'c Catalog,
    text: &str,
    title: Option<&str>,
) -> Option<(&'c Entry, Detection)> {
    if let Some(entry) = title.and_then(|t| catalog.for_file_name(t)) {
        return Some((entry, Detection::FileName));
    }
    let first = text.lines().next().unwrap_or("");
    if let Some(entry) = catalog.for_first_line(first) {
        return Some((entry, Detection::FirstLine));
    }
    by_clues(text).and_then(|token| catalog.find(token).map(|e| (e, Detection::Content)))
}

fn by_clues(text: &str) -> Option<&'static str> {
    let mut end = text.len().min(SAMPLE_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let sample = &text[..end];
    let trimmed = sample.trim_start();
    if (trimmed.starts_with('{') || trimmed.starts_with('['))
        && serde_json::from_str::<serde::de::IgnoredAny>(text.trim()).is_ok()
    {
        return Some("json");
    }
    let mut best: Option<(&str, usize)> = None;
    for (token, clues) in CLUES {
        let strong = clues.first().is_some_and(|c| sample.contains(c));
        let hits = clues.iter().filter(|c| sample.contains(*c)).count();
        let score = hits + usize::from(strong);
        if score >= 2 && best.is_none_or(|(_, s)| score > s) {
            best = Some((token, score));
        }
    }
    best.map(|(token, _)| token)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::catalog::catalog;

    fn guess(text: &str, title: Option<&str>) -> Option<(String, Detection)> {
        detect(catalog(), text, title).map(|(e, how)| (e.token.clone(), how))
    }

    #[test]
    fn a_file_name_in_the_title_wins() {
        assert_eq!(
            guess("print('x')", Some("build.sh")),
            Some(("shell".into(), Detection::FileName))
        );
        assert_eq!(
            guess("x", Some("Dockerfile")),
            Some(("dockerfile".into(), Detection::FileName))
        );
    }

    #[test]
    fn a_shebang_or_first_line_names_the_language() {
        assert_eq!(
            guess("#!/usr/bin/env python3\nx = 1\n", None),
            Some(("python".into(), Detection::FirstLine))
        );
        assert_eq!(
            guess("#!/bin/bash\necho hi\n", Some("a note")),
            Some(("shell".into(), Detection::FirstLine))
        );
    }

    #[test]
    fn clues_in_the_text_make_a_guess() {
        let rust = "use std::io;\n\nfn main() {\n    let mut x = 1;\n}\n";
        assert_eq!(guess(rust, None), Some(("rust".into(), Detection::Content)));
        let go = "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfmt.Println(\"hi\")\n}\n";
        assert_eq!(guess(go, None), Some(("go".into(), Detection::Content)));
        assert_eq!(
            guess("{\"a\": [1, 2]}", None),
            Some(("json".into(), Detection::Content))
        );
        let py = "def add(a, b):\n    return a + b\n\nprint(add(1, 2))\n";
        assert_eq!(guess(py, None), Some(("python".into(), Detection::Content)));
    }

    #[test]
    fn plain_prose_is_not_guessed() {
        assert_eq!(guess("Remember to buy milk and eggs.\n", None), None);
        assert_eq!(guess("", None), None);
    }
}
