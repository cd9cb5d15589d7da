//! `GET /u/{username}`: a user's public pastes, newest first, a page at a
//! time ("Older pastes" follows the cursor); to the user themself, all of
//! their pastes ("my pastes"), each marked with its visibility.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use super::nav::Nav;
use super::page::{human_time, iso_time};
use super::{human_size, page_builder, render};
use crate::domain::PasteSummary;
use crate::routes::plumbing::caller::Caller;
use crate::routes::plumbing::failure::PageError;
use crate::routes::plumbing::input::search_query;
use crate::state::AppState;

/// One line of a list of pastes (a user's, the archive's), ready to show.
pub(crate) struct Line {
    pub(super) id: String,
    pub(super) title: String,
    pub(super) has_title: bool,
    pub(super) language: String,
    pub(super) created: String,
    pub(super) created_iso: String,
    pub(super) size: String,
    pub(super) visits: u64,
    pub(super) visibility: &'static str,
}

#[derive(Template)]
#[template(path = "user.html")]
struct UserPage<'a> {
    nav: Nav,
    username: &'a str,
    since: String,
    pastes_created: u64,
    lines: Vec<Line>,
    first_page: bool,
    older: Option<String>,
    /// The reader is this user: the list is "my pastes", every visibility.
    own: bool,
    /// The search's title words and language, as sent.
    title: String,
    language: String,
    searching: bool,
    /// The query string of this search, for its page links.
    search_part: String,
    /// The highlighter's languages: (token, name).
    languages: Vec<(&'static str, &'static str)>,
}

impl Line {
    /// The line of `p`.
    pub(crate) fn of(p: &PasteSummary) -> Self {
        Self {
            id: p.id.as_str().to_owned(),
            title: p
                .title
                .as_ref()
                .map_or("Untitled paste", |t| t.as_str())
                .to_owned(),
            has_title: p.title.is_some(),
            language: shown_language(p),
            created: human_time(p.created_at),
            created_iso: iso_time(p.created_at),
            size: human_size(usize::try_from(p.size_bytes).unwrap_or(usize::MAX)),
            visits: p.total_views,
            visibility: p.visibility.as_str(),
        }
    }
}

/// The language the paste's page shows, by name: the one its document
/// keeps (given, or detected from its title and text when it was written);
/// for a document older than that, as far as a line can tell without the
/// text: the one it was given, else its title's file name (`deploy.sh` is
/// Bash, as its page says), else plain text.
fn shown_language(p: &PasteSummary) -> String {
    let catalog = crate::render::catalog::catalog();
    let entry = match (&p.shown_language, &p.language) {
        (Some(shown), _) => catalog.find(shown.as_str()),
        (None, Some(language)) => catalog.find(language.as_str()),
        (None, None) => p
            .title
            .as_ref()
            .and_then(|t| catalog.for_file_name(t.as_str())),
    };
    match (entry, &p.language) {
        (Some(entry), _) => entry.name.clone(),
        (None, Some(language)) => language.as_str().to_owned(),
        (None, None) => "Plain Text".to_owned(),
    }
}

/// The page.
pub(crate) async fn show(
    req: HttpRequest,
    username: web::Path<String>,
    caller: Caller,
    state: web::Data<AppState>,
) -> Result<HttpResponse, PageError> {
    let query = search_query::parse(req.query_string())?;
    let first_page = query.page.cursor.is_none();
    let searching = !query.search.is_empty();
    let page = state
        .services
        .users
        .author_page(&username, query.page, &query.search, caller.user())
        .await?;
    let view = UserPage {
        nav: Nav::of(&caller),
        own: page.own,
        username: page.user.username.as_str(),
        since: human_time(page.user.created_at),
        pastes_created: page.user.stats.pastes_created,
        lines: page.pastes.iter().map(Line::of).collect(),
        first_page,
        older: page.next.map(|c| c.encode()),
        search_part: super::recent::search_part(&query.title, &query.language),
        title: query.title,
        language: query.language,
        searching,
        languages: super::recent::languages(),
    };
    let body = render(&view)?;
    // "My pastes" lists unlisted and private ones: for this browser only.
    let cache = if caller.user().is_some() {
        "private, no-cache"
    } else {
        "no-cache"
    };
    Ok(page_builder(StatusCode::OK)
        .insert_header(("Cache-Control", cache))
        .body(body))
}
