//! The JSON API (`/api/v1/...`) over a blocking HTTP client: ureq on rustls
//! (a real CLI speaks https; no OpenSSL, no async runtime on this path).

use std::io::Read;
use std::time::Duration;

use serde::Deserialize;
use serde::de::DeserializeOwned;
use ureq::http::header;

use super::error::ClientError;
use super::progress::Progress;
use super::target::Server;

/// The largest answer read (a paste's JSON is at most a few times
/// `limits.max_paste_bytes` once escaped); past it the read is refused.
const MAX_ANSWER_BYTES: u64 = 256 * 1024 * 1024;

/// One server, and the API token to send it (from `login`, for that server only).
pub(crate) struct Api {
    agent: ureq::Agent,
    server: Server,
    bearer: Option<String>,
}

/// `{"error": {"code", "message"}}`, every API failure's body.
#[derive(Deserialize)]
struct ErrorBody {
    error: ErrorDetail,
}

#[derive(Deserialize)]
struct ErrorDetail {
    code: String,
    message: String,
}

impl Api {
    /// A client of `server`.
    pub(crate) fn new(server: Server, bearer: Option<String>) -> Self {
        let agent = ureq::Agent::config_builder()
            // Error statuses are answers to read (their body says why), not I/O errors.
            .http_status_as_error(false)
            .timeout_connect(Some(Duration::from_secs(15)))
            // A stalled link fails instead of hanging; a large upload that moves has all the time it needs.
            .timeout_per_read(Some(Duration::from_secs(120)))
            .timeout_per_write(Some(Duration::from_secs(120)))
            .user_agent(concat!("pastebin-cli/", env!("CARGO_PKG_VERSION")))
            .build()
            .new_agent();
        Self {
            agent,
            server,
            bearer,
        }
    }

    /// Whether an API token goes with each request.
    pub(crate) fn has_bearer(&self) -> bool {
        self.bearer.is_some()
    }

    /// The server's base URL.
    pub(crate) fn server(&self) -> &Server {
        &self.server
    }

    /// `POST path` with a JSON body, shown with a progress line when it is large
    /// and stderr is a terminal; the answer parsed as `T`.
    pub(crate) fn post_json<T: DeserializeOwned>(
        &self,
        path: &str,
        body: &serde_json::Value,
        label: &str,
    ) -> Result<T, ClientError> {
        let bytes = serde_json::to_vec(body).map_err(|e| ClientError::Unexpected {
            url: self.server.as_str().to_owned(),
            reason: e.to_string(),
        })?;
        let length = bytes.len() as u64;
        let reader = Progress::new(std::io::Cursor::new(bytes), length, label);
        let mut request = self
            .agent
            .post(self.server.join(path))
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::ACCEPT, "application/json")
            .header(header::CONTENT_LENGTH, length);
        if let Some(token) = &self.bearer {
            request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        let answer = request.send(ureq::SendBody::from_owned_reader(reader));
        self.json_of(answer)
    }

    /// `GET path`, parsed as `T`.
    pub(crate) fn get_json<T: DeserializeOwned>(&self, path: &str) -> Result<T, ClientError> {
        let mut request = self
            .agent
            .get(self.server.join(path))
            .header(header::ACCEPT, "application/json");
        if let Some(token) = &self.bearer {
            request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        self.json_of(request.call())
    }

    /// `DELETE path` with the delete token if there is one (else the bearer token acts).
    pub(crate) fn delete(&self, path: &str, delete_token: Option<&str>) -> Result<(), ClientError> {
        let mut request = self
            .agent
            .delete(self.server.join(path))
            .header(header::ACCEPT, "application/json");
        if let Some(token) = delete_token {
            request = request.header("X-Delete-Token", token);
        }
        if let Some(token) = &self.bearer {
            request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        self.body_of(request.call()).map(drop)
    }

    fn json_of<T: DeserializeOwned>(
        &self,
        answer: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
    ) -> Result<T, ClientError> {
        let body = self.body_of(answer)?;
        serde_json::from_slice(&body).map_err(|e| ClientError::Unexpected {
            url: self.server.as_str().to_owned(),
            reason: e.to_string(),
        })
    }

    /// The body of a 2xx answer; any other status becomes the server's error.
    fn body_of(
        &self,
        answer: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
    ) -> Result<Vec<u8>, ClientError> {
        let mut response = answer.map_err(|e| self.unreachable(e))?;
        let status = response.status().as_u16();
        let mut body = Vec::new();
        response
            .body_mut()
            .with_config()
            .limit(MAX_ANSWER_BYTES)
            .reader()
            .read_to_end(&mut body)
            .map_err(|e| ClientError::Unreachable {
                url: self.server.as_str().to_owned(),
                reason: format!("the answer broke off: {e}"),
            })?;
        if (200..300).contains(&status) {
            return Ok(body);
        }
        Err(match serde_json::from_slice::<ErrorBody>(&body) {
            Ok(ErrorBody { error }) => ClientError::Server {
                status,
                code: error.code,
                message: error.message,
            },
            Err(_) => ClientError::Server {
                status,
                code: "http_error".to_owned(),
                message: format!(
                    "the server answered without an API error body: {}",
                    excerpt(&body)
                ),
            },
        })
    }

    fn unreachable(&self, e: ureq::Error) -> ClientError {
        let reason = match e {
            ureq::Error::Io(io) => match io.kind() {
                std::io::ErrorKind::ConnectionRefused => {
                    "connection refused (is the server running?)".to_owned()
                }
                _ => io.to_string(),
            },
            ureq::Error::HostNotFound => "host not found".to_owned(),
            ureq::Error::ConnectionFailed => "connection failed".to_owned(),
            other => other.to_string(),
        };
        ClientError::Unreachable {
            url: self.server.as_str().to_owned(),
            reason,
        }
    }
}

/// A short, escaped excerpt of a body that is not the API's.
fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let mut out: String = text.trim().chars().take(120).collect();
    if text.trim().chars().count() > 120 {
        out.push('…');
    }
    out.escape_debug().to_string()
}
