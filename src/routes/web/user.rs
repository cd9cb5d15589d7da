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
use crate::routes::plumbing::input::list_query;
use crate::state::AppState;

/// One line of the list, ready to show.
struct Line {
    id: String,
    title: String,
    has_title: bool,
    language: String,
    created: String,
    created_iso: String,
    size: String,
    visits: u64,
    visibility: &'static str,
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
}

impl Line {
    fn of(p: &PasteSummary) -> Self {
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

/// The language the paste's page shows, by name, as far as a line can tell
/// without the text: the one it was given, else its title's file name
/// (`deploy.sh` is Bash, as its page says), else plain text.
fn shown_language(p: &PasteSummary) -> String {
    let catalog = crate::render::catalog::catalog();
    let entry = match &p.language {
        Some(language) => catalog.find(language.as_str()),
        None => p
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
    let query = list_query::parse(req.query_string())?;
    let first_page = query.cursor.is_none();
    let page = state
        .services
        .users
        .author_page(&username, query, caller.user())
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
