//! The language a paste is written in, as a hint for highlighting.

use super::ValidationError;

/// A lowercase language name (`rust`, `c++`, `c#`, `shell`). Unknown names are
/// kept: highlighting falls back to plain text, the hint is not lost.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Language(String);

/// File extensions that name a language, for uploads and `curl -T file`.
const EXTENSIONS: &[(&str, &str)] = &[
    ("rs", "rust"),
    ("py", "python"),
    ("js", "javascript"),
    ("mjs", "javascript"),
    ("ts", "typescript"),
    ("go", "go"),
    ("c", "c"),
    ("h", "c"),
    ("cc", "c++"),
    ("cpp", "c++"),
    ("hpp", "c++"),
    ("cs", "c#"),
    ("java", "java"),
    ("kt", "kotlin"),
    ("rb", "ruby"),
    ("php", "php"),
    ("sh", "shell"),
    ("bash", "shell"),
    ("zsh", "shell"),
    ("sql", "sql"),
    ("html", "html"),
    ("css", "css"),
    ("json", "json"),
    ("toml", "toml"),
    ("yaml", "yaml"),
    ("yml", "yaml"),
    ("xml", "xml"),
    ("md", "markdown"),
    ("txt", "text"),
    ("log", "text"),
    ("diff", "diff"),
    ("patch", "diff"),
    ("lua", "lua"),
    ("hs", "haskell"),
    ("ex", "elixir"),
    ("erl", "erlang"),
    ("swift", "swift"),
    ("zig", "zig"),
    ("nix", "nix"),
    ("dockerfile", "dockerfile"),
];

impl Language {
    /// The longest name.
    pub(crate) const MAX_LEN: usize = 32;

    /// `Ok(None)` for an empty hint; otherwise a short plain name, in any ASCII
    /// case (`C++` is `c++`) but with nothing around it, as the OpenAPI
    /// document's pattern for `language` says.
    pub fn parse(text: &str) -> Result<Option<Self>, ValidationError> {
        if text.is_empty() {
            return Ok(None);
        }
        let name = text.to_ascii_lowercase();
        let plain = name.len() <= Self::MAX_LEN
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"+#._-".contains(&b));
        if !plain {
            return Err(ValidationError::InvalidLanguage(text.to_owned()));
        }
        Ok(Some(Self(name)))
    }

    /// The language a file name suggests, if its extension is known.
    pub(crate) fn from_file_name(name: &str) -> Option<Self> {
        let ext = name.rsplit('.').next()?.to_ascii_lowercase();
        let ext = if name.eq_ignore_ascii_case("dockerfile") {
            "dockerfile".into()
        } else {
            ext
        };
        EXTENSIONS
            .iter()
            .find(|(e, _)| *e == ext)
            .map(|(_, lang)| Self((*lang).to_owned()))
    }

    /// Stored names were checked when written.
    pub(crate) fn trusted(text: String) -> Self {
        Self(text)
    }

    /// The name.
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

super::text_serde!(
    Language,
    |text: &str| Language::parse(text).ok().flatten(),
    "a language name"
);

impl std::fmt::Display for Language {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_lowercased_and_checked() {
        assert_eq!(
            Language::parse("Rust")
                .expect("valid")
                .expect("some")
                .as_str(),
            "rust"
        );
        assert_eq!(
            Language::parse("C++")
                .expect("valid")
                .expect("some")
                .as_str(),
            "c++"
        );
        assert_eq!(Language::parse(""), Ok(None));
        assert!(Language::parse("<script>").is_err());
        assert!(Language::parse(" rust").is_err());
        assert!(Language::parse(" ").is_err());
        assert!(Language::parse(&"a".repeat(33)).is_err());
    }

    #[test]
    fn file_extensions_suggest_a_language() {
        assert_eq!(
            Language::from_file_name("notes.rs")
                .expect("known")
                .as_str(),
            "rust"
        );
        assert_eq!(
            Language::from_file_name("Dockerfile")
                .expect("known")
                .as_str(),
            "dockerfile"
        );
        assert_eq!(Language::from_file_name("x.unknownext"), None);
    }
}
