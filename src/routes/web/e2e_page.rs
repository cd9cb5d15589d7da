//! The page of an end-to-end encrypted paste: the envelope and the facts
//! its authenticated header claims, for `static/e2e.js` to decrypt with the
//! key in the link's fragment (which never reaches the server). The server
//! renders nothing of the text: it cannot read it. Without JavaScript the
//! page says that it needs it.

use askama::Template;

use super::nav::Nav;
use super::paste_page::{human_time, iso_time};
use super::render;
use crate::error::AppError;
use crate::routes::plumbing::caller::Caller;
use crate::service::PasteView;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "e2e.html")]
struct EndToEndPage<'a> {
    nav: Nav,
    id: &'a str,
    /// The author's session CSRF token: the author may delete it here.
    owner_csrf: Option<&'a str>,
    author: Option<&'a str>,
    created: String,
    created_iso: String,
    expires: Option<(String, String)>,
    visits: u64,
    visibility: &'a str,
    page_url: String,
    burned: bool,
    burn_after_read: bool,
    delete_token: Option<String>,
    /// `e2e-v1.…`: base64url and dots only (checked at creation), so it
    /// needs no escaping, though askama escapes it anyway.
    envelope: &'a str,
}

/// The page of `view`, an end-to-end encrypted paste.
pub(crate) fn e2e_page(
    view: &PasteView,
    state: &AppState,
    caller: &Caller,
    visits: u64,
    burned: bool,
    delete_token: Option<String>,
) -> Result<String, AppError> {
    let meta = &view.meta;
    let owner_csrf = caller
        .session()
        .filter(|s| meta.author.as_ref() == Some(&s.user.username))
        .filter(|_| !burned && delete_token.is_none())
        .map(|s| s.csrf.as_str());
    let page = EndToEndPage {
        nav: Nav::of(caller),
        id: meta.id.as_str(),
        owner_csrf,
        author: meta.author.as_ref().map(|a| a.as_str()),
        created: human_time(meta.created_at),
        created_iso: iso_time(meta.created_at),
        expires: meta.expires_at.map(|at| (human_time(at), iso_time(at))),
        visits,
        visibility: meta.visibility.as_str(),
        page_url: state.http.links.page(&meta.id),
        burned,
        burn_after_read: meta.burn_after_read,
        delete_token,
        envelope: view.text()?,
    };
    render(&page)
}
