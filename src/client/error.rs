//! The client's one error type: what went wrong, worded for the person at the shell.

/// Why a client command failed. Every variant's message is the whole line the
/// user sees after `pastebin: `.
#[derive(Debug, thiserror::Error)]
pub(crate) enum ClientError {
    /// The server answered with `{"error": {"code", "message"}}` (or something else on failure).
    #[error("{message} ({code}, HTTP {status})")]
    Server {
        /// The HTTP status.
        status: u16,
        /// The machine-readable code, or `http_error` when the body had none.
        code: String,
        /// The server's message (or a short excerpt of a body that was not ours).
        message: String,
    },
    /// The server could not be reached at all.
    #[error("cannot reach the server at {url}: {reason}")]
    Unreachable {
        /// The base URL tried.
        url: String,
        /// What the HTTP library said (connection refused, name not found...).
        reason: String,
    },
    /// A 2xx answer that is not the JSON the API documents.
    #[error("the server at {url} answered something that is not the pastebin API: {reason}")]
    Unexpected {
        /// The base URL.
        url: String,
        /// What did not parse.
        reason: String,
    },
    /// An end-to-end encrypted paste that does not open.
    #[error("failed to decrypt: {0}")]
    Decrypt(String),
    /// No server named on the command line, in the environment or in the config.
    #[error("no server given: pass --url, set PASTEBIN_URL, or run `pastebin login --url URL`")]
    NoServer,
    /// A server URL or paste reference that does not parse.
    #[error("{0}")]
    BadArgument(String),
    /// A file to paste could not be read, or is not text.
    #[error("{path}: {reason}")]
    Input {
        /// The file (or `stdin`).
        path: String,
        /// Why.
        reason: String,
    },
    /// No delete token is known for this paste.
    #[error(
        "no delete token kept for {0}: pass --token (pastes made elsewhere), or log in as its author"
    )]
    NoDeleteToken(String),
    /// The config or data folder could not be read or written.
    #[error("{path}: {reason}")]
    Local {
        /// The file or folder.
        path: String,
        /// Why.
        reason: String,
    },
    /// Writing to stdout or stderr failed (a closed pipe).
    #[error("writing the output: {0}")]
    Output(#[from] std::io::Error),
}
