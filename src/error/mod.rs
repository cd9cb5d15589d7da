//! `AppError`: everything a use case can refuse or fail with.
//!
//! This module says *what* went wrong and nothing else. How a failure is
//! answered (its status, its code, JSON or a page or a line of text) is decided
//! once, in `routes::plumbing::failure`, so no service knows about HTTP and no handler
//! picks an answer format by hand.

mod account;
mod request;

pub(crate) use account::AccountError;
pub(crate) use request::RequestError;

use crate::domain::ValidationError;
use crate::store::StoreError;

/// Everything that can go wrong while answering a request.
#[derive(Debug, thiserror::Error)]
pub(crate) enum AppError {
    /// A field or the content is not acceptable.
    #[error(transparent)]
    Validation(#[from] ValidationError),
    /// The request itself cannot be read (its body, its fields, its query).
    #[error(transparent)]
    Request(#[from] RequestError),
    /// An account request that cannot be granted.
    #[error(transparent)]
    Account(#[from] AccountError),
    /// No such paste, or it expired, burned or was deleted: they look the same.
    #[error("no paste here: it never existed, expired or was deleted")]
    NotFound,
    /// A paste an operator took down (`pastebin admin remove`): 410, with
    /// the category only (never the content, nor the operator's note).
    #[error("removed by the operator ({})", .0.label())]
    Removed(crate::domain::Category),
    /// No user of that name (or a name no user can have).
    #[error("no user of that name")]
    NoSuchUser,
    /// No route for this path.
    #[error("nothing here")]
    NoRoute,
    /// The path exists, but not with this method.
    #[error("this address takes only {allow}")]
    MethodNotAllowed {
        /// The methods it takes, as the `Allow` header lists them.
        allow: std::sync::Arc<str>,
    },
    /// A burn-after-read reveal that did not come from the paste's own page.
    #[error(
        "this button works only on the paste's own page: open the paste's link and click there"
    )]
    RevealNotConfirmed,
    /// A fork of a paste with a view limit (burn-after-read, `max_views`):
    /// copying it would read it, which spends a view.
    #[error(
        "a burn-after-read paste (or one with max_views) cannot be forked: reading it to copy it would spend a view"
    )]
    BurnNotForkable,
    /// A fork of a password-protected paste: the server holds it sealed.
    #[error("a password-protected paste cannot be forked: open it and paste the text anew")]
    LockedNotForkable,
    /// A fork of an end-to-end encrypted paste: the server cannot read it,
    /// and its sealed header names the original's expiry and burn flag.
    #[error(
        "an end-to-end encrypted paste cannot be forked: the server cannot read it; decrypt it and paste the text anew"
    )]
    EndToEndNotForkable,
    /// A password-protected paste read without its password.
    #[error(
        "this paste is password-protected: send its password (the X-Paste-Password header, or the form on its page)"
    )]
    PastePasswordRequired,
    /// A password-protected paste read with the wrong password.
    #[error("wrong password for this paste")]
    WrongPastePassword,
    /// A delete without a token.
    #[error("send the paste's delete token in the X-Delete-Token header")]
    MissingDeleteToken,
    /// A delete with the wrong token.
    #[error("the delete token does not match this paste")]
    WrongDeleteToken,
    /// An edit made against a revision that is no longer the latest.
    #[error(
        "this paste was edited meanwhile (it is at revision {current}): reload it and edit the latest revision"
    )]
    StaleRevision {
        /// Its revision now.
        current: u64,
    },
    /// A paste that is never edited: burn-after-read or `max_views` (it
    /// lives for its reads), password-protected or end-to-end encrypted
    /// (sealed: an edit would store the new text beside the old ciphertext).
    #[error(
        "this paste cannot be edited: burn-after-read, max_views, password-protected and end-to-end encrypted pastes never are"
    )]
    NotEditable,
    /// Edit and fork take pastes of one text: a multi-file paste's files
    /// are not revised one by one.
    #[error(
        "this is a multi-file paste: edit and fork take pastes of one text (download it with /dl/{{id}} and make a new paste)"
    )]
    MultiFile,
    /// A rate limit of this client is spent.
    #[error("{kind} from this address; try again in {retry_after_secs} s")]
    RateLimited {
        /// Which limit.
        kind: Limited,
        /// Requests allowed at once.
        limit: u32,
        /// Seconds until a request is allowed again.
        retry_after_secs: u64,
        /// Seconds until the limit is whole again.
        reset_secs: u64,
    },
    /// The `Idempotency-Key` was used for a different paste.
    #[error("this Idempotency-Key was already used for a different paste")]
    IdempotencyKeyReused,
    /// A creation with this `Idempotency-Key` is still under way.
    #[error("a creation with this Idempotency-Key is under way; retry shortly")]
    IdempotencyInProgress,
    /// Request bodies in flight hold all the memory allowed them; the client may retry.
    #[error("the server is receiving too many uploads at once; retry in a few seconds")]
    Busy,
    /// A backend is down; the client may retry.
    #[error("the service is temporarily unavailable; try again shortly")]
    Unavailable(String),
    /// A bug: logged with its cause, answered without details.
    #[error("an internal error occurred")]
    Internal(#[source] anyhow::Error),
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Unavailable(cause) => Self::Unavailable(format!("document store: {cause}")),
            // The store works; a unique index may be missing until it is fixed.
            StoreError::IndexConflict { .. } => Self::Unavailable(format!("document store: {e}")),
            StoreError::Conflict | StoreError::Corrupt(_) => Self::Internal(e.into()),
        }
    }
}

/// The rate limits a client can spend.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub(crate) enum Limited {
    /// `limits.create_per_minute`
    #[error("too many pastes created")]
    Creations,
    /// `limits.misses_per_minute`
    #[error("too many requests for pastes or users that do not exist")]
    Misses,
    /// `limits.edit_per_minute`
    #[error("too many edits")]
    Edits,
    /// `accounts.login_attempts_per_minute`
    #[error("too many log-in attempts for this account or from this address")]
    LogIns,
    /// `accounts.signups_per_minute`
    #[error("too many sign-ups from this address")]
    SignUps,
    /// `limits.paste_unlocks_per_minute`
    #[error("too many password guesses on this paste or from this address")]
    Unlocks,
    /// `limits.reports_per_hour`
    #[error("too many reports")]
    Reports,
}
