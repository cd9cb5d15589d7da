//! `GET /{id}/forks`: a paste's forks, newest first, a page at a time
//! ("Older forks" follows the cursor). Listed are the public forks and the
//! reader's own (an unlisted fork's link is its secret).

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use super::nav::Nav;
use super::page::{human_time, iso_time};
use super::{page_builder, render};
use crate::domain::ForkSummary;
use crate::routes::plumbing::caller::Caller;
use crate::routes::plumbing::failure::{Html, PageError};
use crate::routes::plumbing::input::list_query;
use crate::routes::plumbing::paste_path::PastePath;
use crate::state::AppState;

/// One fork, ready to show.
struct Line {
    id: String,
    title: String,
    has_title: bool,
    author: Option<String>,
    created: String,
    created_iso: String,
    visibility: &'static str,
}

impl Line {
    fn of(f: &ForkSummary) -> Self {
        Self {
            id: f.id.as_str().to_owned(),
            title: f
                .title
                .as_ref()
                .map_or("Untitled paste", |t| t.as_str())
                .to_owned(),
            has_title: f.title.is_some(),
            author: f.author.as_ref().map(|a| a.as_str().to_owned()),
            created: human_time(f.created_at),
            created_iso: iso_time(f.created_at),
            visibility: f.visibility.as_str(),
        }
    }
}

#[derive(Template)]
#[template(path = "forks.html")]
struct ForksPage<'a> {
    nav: Nav,
    id: &'a str,
    heading: &'a str,
    fork_count: u64,
    lines: Vec<Line>,
    first_page: bool,
    older: Option<String>,
}

/// The page.
pub(crate) async fn list(
    req: HttpRequest,
    path: PastePath<Html>,
    caller: Caller,
    state: web::Data<AppState>,
) -> Result<HttpResponse, PageError> {
    let query = list_query::parse(req.query_string())?;
    let first_page = query.cursor.is_none();
    let page = state
        .services
        .pastes
        .forks(path.id(), caller.user(), query)
        .await?;
    let view = ForksPage {
        nav: Nav::of(&caller),
        id: path.id().as_str(),
        heading: page
            .original
            .title
            .as_ref()
            .map_or("Untitled paste", |t| t.as_str()),
        fork_count: page.original.fork_count,
        lines: page.forks.iter().map(Line::of).collect(),
        first_page,
        older: page.next.map(|c| c.encode()),
    };
    let body = render(&view)?;
    // A signed-in reader's own unlisted and private forks may be listed.
    let cache = if caller.user().is_some() {
        "private, no-cache"
    } else {
        "no-cache"
    };
    Ok(page_builder(StatusCode::OK)
        .insert_header(("Cache-Control", cache))
        .insert_header(crate::middleware::NOINDEX)
        .body(body))
}
