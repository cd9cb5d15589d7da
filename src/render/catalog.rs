//! The languages the highlighter knows: one syntax set, loaded once and
//! shared, and the names, tokens and file extensions that find a syntax in it.
//!
//! This list is the only list of languages: the form offers it, and every
//! surface (form, curl, JSON) accepts a language by its token (`rust`), its
//! name (`Batch File`, any case) or a file extension (`rs`).

use std::collections::HashMap;
use std::sync::LazyLock;

use syntect::parsing::{SyntaxReference, SyntaxSet};

/// The syntax set: syntect's defaults and bat's curated additions (TOML,
/// TypeScript, Dockerfile...), compiled for lines that keep their newline.
static CATALOG: LazyLock<Catalog> = LazyLock::new(Catalog::load);

/// The catalog of this process, loaded on first use (`startup` forces it, so
/// the first request does not pay for it).
pub(crate) fn catalog() -> &'static Catalog {
    &CATALOG
}

/// A language of the catalog.
#[derive(Debug)]
pub(crate) struct Entry {
    /// What a paste keeps and the API answers: `rust`, `c++`, `batch-file`.
    pub(crate) token: String,
    /// What people read: `Rust`, `C++`, `Batch File`.
    pub(crate) name: String,
    /// Index of its syntax in the set.
    syntax: usize,
}

/// The syntax set and how names find a syntax in it.
pub(crate) struct Catalog {
    set: SyntaxSet,
    entries: Vec<Entry>,
    by_key: HashMap<String, usize>,
}

/// Tokens kept from before the highlighter chose them, and friendlier than
/// the slug of the syntax's name.
const PREFERRED: &[(&str, &str)] = &[
    ("Plain Text", "text"),
    ("Bourne Again Shell (bash)", "shell"),
];

/// Other names people type.
const ALIASES: &[(&str, &str)] = &[
    ("plain", "text"),
    ("plaintext", "text"),
    ("txt", "text"),
    ("sh", "shell"),
    ("bash", "shell"),
    ("zsh", "shell"),
    ("golang", "go"),
    ("cpp", "c++"),
    ("csharp", "c#"),
    ("js", "javascript"),
    ("ts", "typescript"),
    ("py", "python"),
    ("md", "markdown"),
    ("yml", "yaml"),
    ("vb", "batch-file"),
];

impl Catalog {
    fn load() -> Self {
        let set = two_face::syntax::extra_newlines();
        let mut entries = Vec::new();
        for (index, syntax) in set.syntaxes().iter().enumerate() {
            if syntax.hidden {
                continue;
            }
            let token = PREFERRED
                .iter()
                .find(|(name, _)| *name == syntax.name)
                .map_or_else(|| slug(&syntax.name), |(_, token)| (*token).to_owned());
            if token.is_empty() || entries.iter().any(|e: &Entry| e.token == token) {
                continue;
            }
            entries.push(Entry {
                token,
                name: syntax.name.clone(),
                syntax: index,
            });
        }
        entries.sort_by_key(|e| e.name.to_lowercase());
        let mut by_key = HashMap::new();
        // Tokens first, then names, aliases and extensions: an earlier key is
        // never taken over by a later one.
        for (at, entry) in entries.iter().enumerate() {
            by_key.insert(entry.token.clone(), at);
        }
        for (at, entry) in entries.iter().enumerate() {
            by_key.entry(entry.name.to_lowercase()).or_insert(at);
        }
        for (alias, token) in ALIASES {
            if let Some(&at) = by_key.get(*token) {
                by_key.entry((*alias).to_owned()).or_insert(at);
            }
        }
        for (at, entry) in entries.iter().enumerate() {
            for ext in &set.syntaxes()[entry.syntax].file_extensions {
                let ext = ext.to_lowercase();
                let ext = ext.trim_start_matches('.');
                if !ext.is_empty() {
                    by_key.entry(ext.to_owned()).or_insert(at);
                }
            }
        }
        Self {
            set,
            entries,
            by_key,
        }
    }

    /// Every language, by name.
    pub(crate) fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// Every spelling `find` takes as written (tokens, names, aliases and
    /// extensions in lower case, and names as they are written), sorted.
    #[cfg(test)]
    pub(crate) fn spellings(&self) -> Vec<&str> {
        let mut all: Vec<&str> = self.by_key.keys().map(String::as_str).collect();
        all.extend(self.entries.iter().map(|e| e.name.as_str()));
        all.retain(|s| {
            s.len() <= crate::domain::Language::MAX_SENT && s.trim() == *s && !s.is_empty()
        });
        all.sort_unstable();
        all.dedup();
        all
    }

    /// The language a token, a name (any case) or an extension names.
    pub(crate) fn find(&self, text: &str) -> Option<&Entry> {
        let key = text.to_lowercase();
        let key = key.strip_prefix('.').unwrap_or(&key);
        self.by_key.get(key).map(|&at| &self.entries[at])
    }

    /// The language of a file name: its extension (`main.rs`), or the whole
    /// name for files known by name (`Dockerfile`, `Makefile`).
    pub(crate) fn for_file_name(&self, name: &str) -> Option<&Entry> {
        let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
        let by_ext = base
            .rsplit_once('.')
            .filter(|(stem, ext)| !stem.is_empty() && !ext.is_empty())
            .and_then(|(_, ext)| self.find_extension(ext));
        by_ext.or_else(|| self.find_extension(base))
    }

    fn find_extension(&self, ext: &str) -> Option<&Entry> {
        let ext = ext.to_lowercase();
        self.entries.iter().find(|e| {
            self.syntax(e)
                .file_extensions
                .iter()
                .any(|x| x.eq_ignore_ascii_case(&ext))
        })
    }

    /// The language whose first-line pattern (a shebang, `<?php`, `<?xml`)
    /// matches `line`.
    pub(crate) fn for_first_line(&self, line: &str) -> Option<&Entry> {
        let syntax = self.set.find_syntax_by_first_line(line)?;
        self.entries
            .iter()
            .find(|e| self.set.syntaxes()[e.syntax].name == syntax.name)
    }

    /// The file extensions that name a language, lowercase, without a dot,
    /// as `find` takes them (an extension two languages claim names the one
    /// listed first).
    pub(crate) fn extensions(&self, entry: &Entry) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for ext in &self.syntax(entry).file_extensions {
            let ext = ext.to_lowercase();
            let ext = ext.trim_start_matches('.');
            let owned = self.by_key.get(ext).map(|&at| &self.entries[at].token);
            if owned == Some(&entry.token) && !out.iter().any(|e| e == ext) {
                out.push(ext.to_owned());
            }
        }
        out
    }

    /// The short names people type that `find` takes for a language (`py`).
    pub(crate) fn aliases(&self, entry: &Entry) -> Vec<&'static str> {
        ALIASES
            .iter()
            .filter(|(_, token)| *token == entry.token)
            .map(|(alias, _)| *alias)
            .collect()
    }

    /// The syntax of a language.
    pub(crate) fn syntax(&self, entry: &Entry) -> &SyntaxReference {
        &self.set.syntaxes()[entry.syntax]
    }

    /// The syntax set.
    pub(crate) fn set(&self) -> &SyntaxSet {
        &self.set
    }
}

/// `Batch File` → `batch-file`; `C++` → `c++`; `Bourne Again Shell (bash)`
/// → `bourne-again-shell-bash`.
fn slug(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() || "+#._".contains(c) {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out.truncate(crate::domain::Language::MAX_LEN);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_tokens_aliases_and_extensions_find_a_language() {
        let c = catalog();
        let token = |text: &str| c.find(text).map(|e| e.token.as_str());
        assert_eq!(token("Batch File"), Some("batch-file"));
        assert_eq!(token("rust"), Some("rust"));
        assert_eq!(token("RS"), Some("rust"));
        assert_eq!(token("C++"), Some("c++"));
        assert_eq!(token("toml"), Some("toml"));
        assert_eq!(token("TypeScript"), Some("typescript"));
        assert_eq!(token("bash"), Some("shell"));
        assert_eq!(token("plain"), Some("text"));
        assert_eq!(token("no such language"), None);
        assert!(c.entries().len() > 100, "bat's wider set is loaded");
    }

    #[test]
    fn file_names_find_a_language() {
        let c = catalog();
        let token = |name: &str| c.for_file_name(name).map(|e| e.token.as_str());
        assert_eq!(token("src/main.rs"), Some("rust"));
        assert_eq!(token("Dockerfile"), Some("dockerfile"));
        assert_eq!(token("build.sh"), Some("shell"));
        assert_eq!(token("notes"), None);
        assert_eq!(token("x.unknownext"), None);
    }
}
