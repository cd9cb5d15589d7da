//! The public archive's rules, in one place: which pastes it lists, the
//! language a list shows for a paste, and how a search by title and by
//! language matches. The store writes what this decides into each paste's
//! document (`listed`, `shown_language`, `title_words`), so both backends
//! answer a search from the same fields and no list ever reads a text.

use super::{Language, NewPaste, Paste, ValidationError, Visibility};

/// Longest search text accepted (a title is at most `Title::MAX_CHARS`).
pub(crate) const MAX_SEARCH_CHARS: usize = 100;

/// Words of a title kept for search at most (a long title's later words
/// are not searched: they are kept out of the index).
const MAX_TITLE_WORDS: usize = 16;

impl Paste {
    /// Listed in the public archive (`/recent`) and found by its search:
    /// public, and read by anyone without spending or unlocking anything.
    /// Unlisted and private pastes never are; nor are burn-after-read and
    /// `max_views` pastes (a listing would invite the reads that delete
    /// them), password-protected ones (their title is sealed) or end-to-end
    /// encrypted ones (the server cannot read them).
    pub fn is_listed(&self) -> bool {
        let f = &self.fields;
        f.visibility == Visibility::Public
            && !f.burn_after_read
            && f.max_views.is_none()
            && f.lock.is_none()
            && !f.end_to_end
    }

    /// The language its page shows, by catalog token: the one it was given,
    /// else the one detected from its title and text (`text` when none is).
    /// `None` for a sealed paste (password or end-to-end): its stored text
    /// says nothing.
    pub(crate) fn shown_language(&self) -> Option<String> {
        shown_language(&self.fields)
    }

    /// The words of its title a search finds it by (the archive's, for a
    /// listed paste; its owner's, on their page, for any).
    pub(crate) fn title_words(&self) -> Vec<String> {
        self.fields
            .title
            .as_ref()
            .map(|t| title_words(t.as_str()))
            .unwrap_or_default()
    }
}

fn shown_language(f: &NewPaste) -> Option<String> {
    if f.lock.is_some() || f.end_to_end {
        return None;
    }
    let catalog = crate::render::catalog();
    if let Some(entry) = f.language.as_ref().and_then(|l| catalog.find(l.as_str())) {
        return Some(entry.token.clone());
    }
    let title = f.title.as_ref().map(|t| t.as_str());
    let detected = crate::render::detect::detect(catalog, f.content.as_str(), title);
    Some(detected.map_or_else(|| "text".to_owned(), |(entry, _)| entry.token.clone()))
}

/// The words a title is found by: its lowercase words (letters and digits),
/// and the whole title lowercase (`deploy.sh` is found by `deploy`, `sh`
/// and `deploy.sh`), each once.
pub(crate) fn title_words(title: &str) -> Vec<String> {
    let lower = title.trim().to_lowercase();
    let mut words: Vec<String> = Vec::new();
    let mut push = |w: &str| {
        if !w.is_empty() && !words.iter().any(|x| x == w) && words.len() < MAX_TITLE_WORDS {
            words.push(w.to_owned());
        }
    };
    push(&lower);
    for w in lower.split(|c: char| !c.is_alphanumeric()) {
        push(w);
    }
    words
}

/// A search of the public archive: each part optional, both must match.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Search {
    /// Words the title must all have (lowercase), as `title_words` splits them.
    pub(crate) title_words: Vec<String>,
    /// The language shown, by catalog token.
    pub(crate) language: Option<String>,
}

impl Search {
    /// The search for `title` (words, any case) and `language` (any name
    /// the catalog knows); empty texts search nothing. A title past
    /// `MAX_SEARCH_CHARS` or an unknown language is refused (a search that
    /// cannot match is an error, not an empty answer).
    pub(crate) fn parse(title: &str, language: &str) -> Result<Self, ValidationError> {
        let title = title.trim();
        if title.chars().count() > MAX_SEARCH_CHARS {
            return Err(ValidationError::TitleTooLong {
                max: MAX_SEARCH_CHARS,
            });
        }
        let language = Language::parse(language.trim())?.map(|l| l.as_str().to_owned());
        let lower = title.to_lowercase();
        let mut title_words: Vec<String> = Vec::new();
        for w in lower.split(|c: char| !c.is_alphanumeric()) {
            if !w.is_empty() && !title_words.iter().any(|x| x == w) {
                title_words.push(w.to_owned());
            }
        }
        // `deploy.sh` typed whole is one word of the title's list too; its
        // parts (`deploy`, `sh`) are, so searching by the parts finds it.
        title_words.truncate(MAX_TITLE_WORDS);
        Ok(Self {
            title_words,
            language,
        })
    }

    /// `parse`, for callers outside the crate (tests): `None` when refused.
    pub fn of(title: &str, language: &str) -> Option<Self> {
        Self::parse(title, language).ok()
    }

    /// No condition: the whole archive.
    pub(crate) fn is_empty(&self) -> bool {
        self.title_words.is_empty() && self.language.is_none()
    }

    /// True when a listed paste with these stored fields matches: the rule
    /// the embedded store applies, and the one MongoDB's filter states.
    pub(crate) fn matches(&self, title_words: &[String], shown_language: Option<&str>) -> bool {
        self.language
            .as_deref()
            .is_none_or(|l| shown_language == Some(l))
            && self
                .title_words
                .iter()
                .all(|w| title_words.iter().any(|t| t == w))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_title_is_found_by_each_word_and_whole() {
        assert_eq!(title_words("deploy.sh"), ["deploy.sh", "deploy", "sh"]);
        assert_eq!(title_words("Notes"), ["notes"]);
        assert_eq!(title_words("  "), Vec::<String>::new());
    }

    #[test]
    fn a_search_matches_every_word_and_the_language() {
        let words = title_words("Deploy script for prod.sh");
        let search = Search::parse("PROD deploy", "").expect("a search");
        assert!(search.matches(&words, Some("shell")));
        let search = Search::parse("deploy", "rust").expect("a search");
        assert!(!search.matches(&words, Some("shell")));
        let search = Search::parse("deploy", "rs").expect("rs names rust");
        assert!(search.matches(&words, Some("rust")));
        assert!(
            !Search::parse("deployment", "")
                .expect("a search")
                .matches(&words, None)
        );
        assert!(Search::parse("", "").expect("empty").is_empty());
        assert!(Search::parse("x", "no such language").is_err());
        assert!(Search::parse(&"x".repeat(101), "").is_err());
    }
}
