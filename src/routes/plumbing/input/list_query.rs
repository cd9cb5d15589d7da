//! `?cursor=&limit=` of a list.

use super::urlencoded::pairs;
use crate::domain::ListCursor;
use crate::error::RequestError;
use crate::service::users::{DEFAULT_PAGE, ListQuery, MAX_PAGE};

/// Reads the query string of a list. Unknown or repeated parameters, a cursor
/// that was not handed out, or a limit outside 1 to `MAX_PAGE` are refused.
pub(crate) fn parse(query: &str) -> Result<ListQuery, RequestError> {
    let mut cursor = None;
    let mut limit = None;
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
            Some(name @ ("cursor" | "limit")) => {
                return Err(RequestError::DuplicateField(name.to_owned()));
            }
            other => {
                return Err(RequestError::UnknownField {
                    name: other.unwrap_or("?").to_owned(),
                    known: "cursor and limit",
                });
            }
        }
    }
    Ok(ListQuery {
        cursor,
        limit: limit.unwrap_or(DEFAULT_PAGE),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::AppError;

    #[test]
    fn a_list_query_takes_a_cursor_and_a_limit_and_nothing_else() {
        assert_eq!(
            parse("").ok(),
            Some(ListQuery {
                cursor: None,
                limit: DEFAULT_PAGE
            })
        );
        let read = parse("limit=5&cursor=1700000000123.abcdEFGH").expect("valid");
        assert_eq!(read.limit, 5);
        assert_eq!(
            read.cursor.map(|c| c.encode()).as_deref(),
            Some("1700000000123.abcdEFGH")
        );
        for (query, code) in [
            ("limit=0", "invalid_limit"),
            ("limit=101", "invalid_limit"),
            ("limit=ten", "invalid_limit"),
            ("cursor=nonsense", "invalid_cursor"),
            ("cursor=", "invalid_cursor"),
            ("limit=1&limit=2", "duplicate_field"),
            ("page=2", "unknown_field"),
        ] {
            assert_eq!(
                parse(query).map_err(|e| AppError::from(e).code()),
                Err(code),
                "{query}"
            );
        }
    }
}
