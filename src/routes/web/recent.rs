//! `GET /recent`: the public archive, newest first, a page at a time
//! ("Older pastes" follows the cursor), with a search by title and by
//! language (a plain GET form: it works without JavaScript).

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use super::form::FieldError;
use super::nav::Nav;
use super::user::Line;
use super::{page_builder, render};
use crate::routes::plumbing::caller::Caller;
use crate::routes::plumbing::failure::PageError;
use crate::routes::plumbing::input::search_query;
use crate::service::users::DEFAULT_PAGE;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "recent.html")]
struct RecentPage {
    nav: Nav,
    lines: Vec<Line>,
    first_page: bool,
    /// The query string of the next page (the search and its cursor).
    older: Option<String>,
    /// The query string of the first page of this search.
    newest: String,
    title: String,
    language: String,
    searching: bool,
    /// A refused search, shown beside its field (the list is then empty).
    error: Option<FieldError>,
    /// The highlighter's languages: (token, name).
    languages: Vec<(&'static str, &'static str)>,
}

/// The page.
pub(crate) async fn show(
    req: HttpRequest,
    caller: Caller,
    state: web::Data<AppState>,
) -> Result<HttpResponse, PageError> {
    let query = search_query::read(req.query_string())?;
    let search = match query.search() {
        Ok(search) => search,
        // A hand-made URL (the form's select sends only known languages):
        // the form again with the error in place, not the generic 422 page.
        Err(e) => return refused(&caller, query, &FieldError::of(&e)),
    };
    let first_page = query.page.cursor.is_none();
    let searching = !search.is_empty();
    let limit = query.page.limit;
    let page = state.services.archive.page(&search, query.page).await?;
    let mut search_part = search_part(&query.title, &query.language);
    // A page length other than the default is kept by the page's links.
    if limit != DEFAULT_PAGE {
        let limit = format!("limit={limit}");
        search_part = if search_part.is_empty() {
            limit
        } else {
            format!("{search_part}&{limit}")
        };
    }
    let view = RecentPage {
        nav: Nav::of(&caller),
        lines: page.pastes.iter().map(Line::of).collect(),
        first_page,
        older: page.next.map(|c| {
            let cursor = format!("cursor={}", c.encode());
            if search_part.is_empty() {
                cursor
            } else {
                format!("{search_part}&{cursor}")
            }
        }),
        newest: search_part,
        title: query.title,
        language: query.language,
        searching,
        error: None,
        languages: languages(),
    };
    let body = render(&view)?;
    Ok(page_builder(StatusCode::OK)
        .insert_header(("Cache-Control", "no-cache"))
        .body(body))
}

/// The page for a refused search: 422, its texts back in the form, the
/// error beside its field, no list.
fn refused(
    caller: &Caller,
    query: search_query::RawQuery,
    error: &FieldError,
) -> Result<HttpResponse, PageError> {
    let view = RecentPage {
        nav: Nav::of(caller),
        lines: Vec::new(),
        first_page: true,
        older: None,
        newest: String::new(),
        title: query.title,
        language: query.language,
        searching: true,
        error: Some(error.clone()),
        languages: languages(),
    };
    let body = render(&view)?;
    Ok(page_builder(StatusCode::UNPROCESSABLE_ENTITY)
        .insert_header(("Cache-Control", "no-cache"))
        .body(body))
}

/// The highlighter's languages, (token, name), for a search's select.
pub(crate) fn languages() -> Vec<(&'static str, &'static str)> {
    crate::render::catalog()
        .entries()
        .iter()
        .map(|e| (e.token.as_str(), e.name.as_str()))
        .collect()
}

/// `title=…&language=…` of a search (empty parts left out), for its links.
pub(crate) fn search_part(title: &str, language: &str) -> String {
    let mut parts = Vec::new();
    if !title.trim().is_empty() {
        parts.push(format!("title={}", urlencoding_component(title.trim())));
    }
    if !language.trim().is_empty() {
        parts.push(format!(
            "language={}",
            urlencoding_component(language.trim())
        ));
    }
    parts.join("&")
}

/// `text` percent-encoded for a query string (everything but unreserved).
fn urlencoding_component(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::search_part;

    #[test]
    fn a_search_is_kept_in_its_links() {
        assert_eq!(search_part("", ""), "");
        assert_eq!(
            search_part(" deploy sh ", "c++"),
            "title=deploy%20sh&language=c%2B%2B"
        );
    }
}
