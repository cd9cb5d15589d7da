//! What the account use cases refuse: sign-up, log-in, sessions and their
//! CSRF tokens, and acting without being signed in.

/// An account request that cannot be granted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum AccountError {
    /// A name no user can have.
    #[error(
        "a username is 3 to 32 characters of a-z, 0-9, _, - or ., starting with a letter or digit"
    )]
    InvalidUsername,
    /// A new password under the minimum.
    #[error("a password needs at least {min} characters")]
    PasswordTooShort {
        /// `Password::MIN_CHARS`
        min: usize,
    },
    /// A password over the maximum.
    #[error("a password may have at most {max} bytes")]
    PasswordTooLong {
        /// `Password::MAX_BYTES`
        max: usize,
    },
    /// The name is taken (case does not matter).
    #[error("this username is taken")]
    UsernameTaken,
    /// `accounts.signup = "closed"`.
    #[error("sign-up is closed on this server")]
    SignupClosed,
    /// Unknown user or wrong password: the same answer for both, so names
    /// cannot be probed.
    #[error("wrong username or password")]
    BadCredentials,
    /// A state-changing request of a signed-in user without its session's
    /// `csrf_token`.
    #[error(
        "this form is out of date or did not come from this site (missing or wrong csrf_token): reload the page and try again"
    )]
    CsrfRefused,
    /// The action needs a signed-in user (or an API token).
    #[error("log in first: this needs an account")]
    LoginRequired,
    /// A paste that has an author already cannot be claimed.
    #[error("this paste belongs to an account already")]
    AlreadyClaimed,
    /// An `Authorization` header that is not a live API token.
    #[error("the bearer token is not valid (malformed, unknown or revoked)")]
    InvalidToken,
    /// A token name that is empty, too long or not a plain line.
    #[error("a token name is 1 to 64 characters on one line")]
    InvalidTokenName,
    /// An account an operator disabled (`pastebin admin user disable`).
    #[error("this account is disabled by the operator")]
    Disabled,
    /// The user holds as many tokens as allowed.
    #[error("at most {max} API tokens per user: revoke one first")]
    TooManyTokens {
        /// `tokens::MAX_PER_USER`
        max: usize,
    },
}
