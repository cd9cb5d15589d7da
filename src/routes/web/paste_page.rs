//! The paste page's template: the view's cached render (highlighted lines or
//! Markdown) in the page's frame, with the facts and actions around it.

use askama::Template;
use bytes::Bytes;
use time::OffsetDateTime;
use time::macros::format_description;

use super::nav::Nav;
use super::{human_size, render};
use crate::error::AppError;
use crate::render::Kind;
use crate::render::lines;
use crate::routes::plumbing::caller::Caller;
use crate::service::PasteView;
use crate::service::views::Shell;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "paste.html")]
struct PastePage<'a> {
    nav: Nav,
    /// The session's CSRF token when the reader is the author: the page
    /// then has a delete button that needs no delete token.
    owner_csrf: Option<&'a str>,
    /// The session's CSRF token when the reader is signed in and the paste
    /// is anonymous: the page offers to claim it with its delete token.
    claim_csrf: Option<&'a str>,
    id: &'a str,
    heading: &'a str,
    has_title: bool,
    author: Option<&'a str>,
    created: String,
    created_iso: String,
    expires: Option<(String, String)>,
    /// "3 views" (`views_label`), or where a shell puts it (`VIEWS_MARK`):
    /// written as it is, so never a user's text.
    views: &'a str,
    size: String,
    lines: usize,
    visibility: &'a str,
    page_url: String,
    burned: bool,
    /// Views left after this one, for a `max_views` paste not yet gone.
    views_left: Option<u32>,
    delete_token: Option<String>,
    language: &'a str,
    detected: Option<&'static str>,
    fallback: Option<&'static str>,
    /// Sanitized Markdown HTML, when the page shows the rendered document.
    document: Option<&'a str>,
    /// Numbered lines (highlighted or escaped), when the page shows code.
    code: Option<String>,
    /// A multi-file paste's sections (`render::files`), each file with its
    /// own heading, raw link and line anchors.
    files: Option<&'a str>,
    /// How many files, for a multi-file paste (0 for one text).
    file_count: usize,
    /// A Markdown paste that can be shown as its source (`?source`) or not.
    markdown: bool,
    /// Times it was edited (its history is linked when it was).
    edits: u64,
    /// Forks counted by the `count_forks` job.
    fork_count: u64,
    /// The paste this one was forked from.
    forked_from: Option<Origin<'a>>,
}

/// "Forked from ...", from the fork's own document.
struct Origin<'a> {
    id: &'a str,
    heading: &'a str,
    author: Option<&'a str>,
    gone: bool,
}

/// What the reader asked to see.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Shown {
    /// `?source`: a Markdown paste as its text.
    pub(crate) source: bool,
}

/// The page of `view`, which the caller rendered (`ensure_rendered`).
pub(crate) fn paste_page(
    view: &PasteView,
    state: &AppState,
    caller: &Caller,
    visits: u64,
    burned: bool,
    delete_token: Option<String>,
    shown: Shown,
) -> Result<String, AppError> {
    if view.meta.end_to_end {
        return super::e2e_page::e2e_page(view, state, caller, visits, burned, delete_token);
    }
    let views = views_label(visits);
    page_text(view, state, caller, &views, burned, delete_token, shown)
}

/// Where a shell's visit count goes: a comment no escaped text can hold.
const VIEWS_MARK: &str = "<!--pb:views-->";

/// What the page shows before the shell's cut: its own template's text.
const BEFORE_VIEWS: &[u8] = b"<span class=\"views\">";

/// "1 view", "3 views": the text a shell takes per read.
pub(crate) fn views_label(visits: u64) -> String {
    match visits {
        1 => "1 view".to_owned(),
        n => format!("{n} views"),
    }
}

/// The page of `view` for every reader without a session or a delete
/// token, cut where its visit count goes: the same for all of them but for
/// that count, so it is made once per shared view (`Answers::page`).
/// `None` for an end-to-end encrypted paste (its own page) or when the
/// template has no place for the count.
pub(crate) fn shell(view: &PasteView, state: &AppState, shown: Shown) -> Option<Shell> {
    if view.meta.end_to_end {
        return None;
    }
    let anonymous = Caller::Anonymous;
    let page = page_text(view, state, &anonymous, VIEWS_MARK, false, None, shown).ok()?;
    let at = page.find(VIEWS_MARK)?;
    let page = Bytes::from(page);
    let head = page.slice(..at);
    if !head.ends_with(BEFORE_VIEWS) {
        return None;
    }
    Some(Shell {
        head,
        tail: page.slice(at + VIEWS_MARK.len()..),
    })
}

fn page_text(
    view: &PasteView,
    state: &AppState,
    caller: &Caller,
    views: &str,
    burned: bool,
    delete_token: Option<String>,
    shown: Shown,
) -> Result<String, AppError> {
    let meta = &view.meta;
    let rendered = view.rendered.as_ref();
    let info = rendered.map(|r| &r.info);
    let kind = info.map_or(Kind::Plain, |i| i.kind);
    let markdown = kind == Kind::Markdown;
    let files = match (view.has_files(), rendered) {
        (true, Some(r)) => Some(r.html()),
        _ => None,
    };
    let (document, code) = match (kind, rendered) {
        _ if view.has_files() => (None, None),
        (Kind::Markdown, Some(r)) if !shown.source => (Some(r.html()), None),
        // Highlighted or plain, the numbered lines are cached with the view;
        // only a Markdown paste's source (`?source`) is numbered per read.
        (Kind::Highlighted | Kind::Plain, Some(r)) if !r.html.is_empty() => {
            (None, Some(r.html().to_owned()))
        }
        _ => (None, Some(lines::plain(view.text()?))),
    };
    let session = caller.session();
    // The creator's notice has its own delete button (with the token).
    let owner_csrf = session
        .filter(|s| meta.author.as_ref() == Some(&s.user.username))
        .filter(|_| !burned && delete_token.is_none())
        .map(|s| s.csrf.as_str());
    let claim_csrf = session
        .filter(|_| meta.author.is_none() && !burned)
        .map(|s| s.csrf.as_str());
    let page = PastePage {
        nav: Nav::of(caller),
        owner_csrf,
        claim_csrf,
        id: meta.id.as_str(),
        heading: meta.title.as_ref().map_or("Untitled paste", |t| t.as_str()),
        has_title: meta.title.is_some(),
        author: meta.author.as_ref().map(|a| a.as_str()),
        created: human_time(meta.created_at),
        created_iso: iso_time(meta.created_at),
        expires: meta.expires_at.map(|at| (human_time(at), iso_time(at))),
        views,
        size: human_size(usize::try_from(meta.size_bytes).unwrap_or(usize::MAX)),
        lines: meta.lines,
        visibility: meta.visibility.as_str(),
        page_url: state.http.links.page(&meta.id),
        burned,
        views_left: meta.views_left.filter(|n| *n > 0 && !burned),
        delete_token,
        language: info.map_or("Plain Text", |i| i.language.as_str()),
        detected: info.and_then(|i| i.detected).map(|d| d.describe()),
        fallback: info.and_then(|i| i.fallback).map(|f| f.describe()),
        document,
        code,
        files,
        file_count: meta.files.len(),
        markdown,
        fork_count: meta.fork_count,
        forked_from: meta.forked_from.as_ref().map(|o| Origin {
            id: o.id.as_str(),
            heading: o.title.as_ref().map_or("an untitled paste", |t| t.as_str()),
            author: o.author.as_ref().map(|a| a.as_str()),
            gone: o.gone,
        }),
        edits: meta.revision.saturating_sub(1),
    };
    render(&page)
}

/// `2026-11-25 12:00 UTC`
pub(super) fn human_time(at: OffsetDateTime) -> String {
    at.format(format_description!(
        "[year]-[month]-[day] [hour]:[minute] UTC"
    ))
    .unwrap_or_default()
}

/// RFC 3339, for `<time datetime>`.
pub(super) fn iso_time(at: OffsetDateTime) -> String {
    at.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}
