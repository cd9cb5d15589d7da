//! `?title=&language=&cursor=&limit=` of a searchable list (`/recent`,
//! `/api/v1/recent`): the search as a `Search`, the page as a `ListQuery`.

use super::urlencoded::pairs;
use crate::domain::{ListCursor, Search, ValidationError};
use crate::error::{AppError, RequestError};
use crate::service::users::{DEFAULT_PAGE, ListQuery, MAX_PAGE};

/// What a searchable list was asked for, with the search's texts as sent
/// (a page shows them back in its form).
#[derive(Debug)]
pub(crate) struct SearchQuery {
    /// The search.
    pub(crate) search: Search,
    /// The page.
    pub(crate) page: ListQuery,
    /// The title words as sent.
    pub(crate) title: String,
    /// The language as sent.
    pub(crate) language: String,
}

/// A query string read but its search not yet checked: a page shows a
/// refused search back in its form, the error beside its field.
#[derive(Debug)]
pub(crate) struct RawQuery {
    /// The page.
    pub(crate) page: ListQuery,
    /// The title words as sent.
    pub(crate) title: String,
    /// The language as sent.
    pub(crate) language: String,
}

impl RawQuery {
    /// The search, checked: a search text too long or a language the
    /// catalog does not know are refused.
    pub(crate) fn search(&self) -> Result<Search, ValidationError> {
        Search::parse(&self.title, &self.language)
    }
}

/// Reads the query string. Unknown or repeated parameters, a cursor that
/// was not handed out, a limit outside 1 to `MAX_PAGE`, a search text too
/// long or a language the catalog does not know are refused.
pub(crate) fn parse(query: &str) -> Result<SearchQuery, AppError> {
    let raw = read(query)?;
    let search = raw.search()?;
    Ok(SearchQuery {
        search,
        page: raw.page,
        title: raw.title,
        language: raw.language,
    })
}

/// Reads the query string as `parse` does, all but the search's check.
pub(crate) fn read(query: &str) -> Result<RawQuery, AppError> {
    let (mut cursor, mut limit, mut title, mut language) = (None, None, None, None);
    for (name, value) in pairs(query.as_bytes()) {
        let value = value.unwrap_or_default();
        match name.as_deref() {
            Some("cursor") if cursor.is_none() => {
                cursor = Some(ListCursor::parse(&value).ok_or(RequestError::InvalidCursor)?);
            }
            Some("limit") if limit.is_none() => {
                limit = Some(
                    value
                        .parse::<usize>()
                        .ok()
                        .filter(|n| (1..=MAX_PAGE).contains(n))
                        .ok_or(RequestError::InvalidLimit(MAX_PAGE))?,
                );
            }
            Some("title") if title.is_none() => title = Some(value),
            Some("language") if language.is_none() => language = Some(value),
            Some(name @ ("cursor" | "limit" | "title" | "language")) => {
                return Err(RequestError::DuplicateField(name.to_owned()).into());
            }
            other => {
                return Err(RequestError::UnknownField {
                    name: other.unwrap_or("?").to_owned(),
                    known: "title, language, cursor and limit",
                }
                .into());
            }
        }
    }
    Ok(RawQuery {
        page: ListQuery {
            cursor,
            limit: limit.unwrap_or(DEFAULT_PAGE),
        },
        title: title.unwrap_or_default(),
        language: language.unwrap_or_default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_search_query_takes_its_four_parameters_and_nothing_else() {
        let read = parse("title=Deploy+script&language=rs&limit=5").expect("valid");
        assert_eq!(read.search.title_words, ["deploy", "script"]);
        assert_eq!(read.search.language.as_deref(), Some("rust"));
        assert_eq!(read.page.limit, 5);
        assert!(parse("title=&language=").expect("empty").search.is_empty());
        for (query, code) in [
            ("language=klingon", "invalid_language"),
            ("limit=0", "invalid_limit"),
            ("cursor=nonsense", "invalid_cursor"),
            ("title=a&title=b", "duplicate_field"),
            ("q=x", "unknown_field"),
        ] {
            assert_eq!(
                parse(query).map(|_| ()).map_err(|e| e.code()),
                Err(code),
                "{query}"
            );
        }
    }
}
