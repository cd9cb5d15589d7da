//! A user's page: the user and a page of their pastes, joined here in Rust
//! from two indexed queries (the user by name, then their pastes by author),
//! never by the database (`$lookup` is not used anywhere). Strangers see the
//! public pastes; the user themself sees all of theirs ("my pastes"),
//! unlisted and private ones included.

use std::sync::Arc;

use crate::clock::Clock;
use crate::domain::{
    AuthorSummary, ListCursor, PageRequest, PasteSummary, Search, User, UserStats, Username,
};
use crate::error::AppError;
use crate::service::user_pages::{CachedPage, UserPages};
use crate::store::DocumentStore;

/// Lines on one page of a user's pastes unless the client asks otherwise.
pub(crate) const DEFAULT_PAGE: usize = 50;
/// Most lines a client may ask for on one page.
pub(crate) const MAX_PAGE: usize = 100;

/// Which page of a user's list a client asked for (`?cursor=&limit=`).
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct ListQuery {
    /// Start after this position; `None` for the newest.
    pub(crate) cursor: Option<ListCursor>,
    /// Lines on the page, 1 to `MAX_PAGE`.
    pub(crate) limit: usize,
}

/// One page of a user's pastes.
#[derive(Debug)]
pub(crate) struct AuthorPage {
    /// The user, with their counters.
    pub(crate) user: User,
    /// Their live pastes, newest first: public ones, or all of them when
    /// the reader is the user.
    pub(crate) pastes: Vec<PasteSummary>,
    /// True when the reader is the user (the list holds every visibility).
    pub(crate) own: bool,
    /// Where the next page starts; `None` on the last page.
    pub(crate) next: Option<ListCursor>,
}

/// The user pages use case.
pub(crate) struct UserService {
    store: Arc<dyn DocumentStore>,
    pages: Arc<UserPages>,
    clock: Clock,
}

impl UserService {
    /// Reads from `store`, the public first pages cached in `pages`.
    pub(crate) fn new(store: Arc<dyn DocumentStore>, pages: Arc<UserPages>, clock: Clock) -> Self {
        Self {
            store,
            pages,
            clock,
        }
    }

    /// The page of `username` the query names (its limit checked by the
    /// caller), of the pastes that match `search` (its owner's filter by
    /// language and title; empty for the whole list). A name that cannot
    /// exist is as unknown as one that does not.
    pub(crate) async fn author_page(
        &self,
        username: &str,
        query: ListQuery,
        search: &Search,
        reader: Option<&AuthorSummary>,
    ) -> Result<AuthorPage, AppError> {
        let ListQuery { cursor, limit } = query;
        let name = Username::parse(username).ok_or(AppError::NoSuchUser)?;
        // Names are unique and never change hands: the reader is the user
        // when the names match (the ids are compared again below).
        let maybe_own = reader.is_some_and(|r| r.username == name);
        let cacheable =
            !maybe_own && cursor.is_none() && limit == DEFAULT_PAGE && search.is_empty();
        if cacheable && let Some(page) = self.pages.get(&name).await {
            return Ok(from_cache(page, self.clock.now()));
        }
        let user = self
            .store
            .find_user(&name)
            .await?
            .ok_or(AppError::NoSuchUser)?;
        let own = reader.is_some_and(|r| r.id == user.id);
        // One line more than asked tells whether a next page exists, so the
        // last page never links to an empty one.
        let page = PageRequest {
            after: cursor,
            limit: limit + 1,
            public_only: !own,
        };
        let now = self.clock.now();
        let mut pastes = if search.is_empty() {
            self.store.author_pastes(&user.id, &page, now).await?
        } else {
            self.store
                .author_search(&user.id, search, &page, now)
                .await?
        };
        let next = if pastes.len() > limit {
            pastes.truncate(limit);
            pastes.last().map(PasteSummary::cursor)
        } else {
            None
        };
        if cacheable && !own {
            self.pages
                .fill(&CachedPage {
                    user_id: user.id.clone(),
                    username: user.username.clone(),
                    created_at: user.created_at,
                    pastes_created: user.stats.pastes_created,
                    lines: CachedPage::lines_of(&pastes),
                    more: next.is_some(),
                })
                .await;
        }
        Ok(AuthorPage {
            user,
            pastes,
            own,
            next,
        })
    }
}

/// A page served from the cache: lines that expired since it was cached are
/// dropped; the next page still starts after the last cached line.
fn from_cache(page: CachedPage, now: time::OffsetDateTime) -> AuthorPage {
    let next = if page.more {
        page.lines
            .last()
            .cloned()
            .map(|l| PasteSummary::from(l).cursor())
    } else {
        None
    };
    let pastes = page.live_lines(now);
    AuthorPage {
        user: User {
            id: page.user_id,
            username: page.username,
            created_at: page.created_at,
            stats: UserStats {
                pastes_created: page.pastes_created,
            },
            password_hash: None,
        },
        pastes,
        own: false,
        next,
    }
}
