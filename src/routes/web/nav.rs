//! The account part of every page's header: who is signed in, with the
//! log-out button (a form carrying the session's CSRF token), or the log-in
//! and sign-up links.

use crate::routes::plumbing::caller::Caller;

/// What the header shows; every page template has one (`nav.html`).
pub(crate) struct Nav {
    /// The signed-in user's name.
    pub(crate) user: Option<String>,
    /// The session's CSRF token, for the log-out form.
    pub(crate) csrf: String,
    /// False on pages made without the request (error pages): they show
    /// neither a name nor the log-in links rather than a wrong one.
    pub(crate) known: bool,
}

impl Nav {
    /// The header for this caller.
    pub(crate) fn of(caller: &Caller) -> Self {
        let session = caller.session();
        Self {
            user: session.map(|s| s.user.username.as_str().to_owned()),
            csrf: session.map(|s| s.csrf.clone()).unwrap_or_default(),
            known: true,
        }
    }

    /// The header of a page that does not know who is asking.
    pub(crate) fn unknown() -> Self {
        Self {
            user: None,
            csrf: String::new(),
            known: false,
        }
    }
}
