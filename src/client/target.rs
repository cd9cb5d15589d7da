//! What the user names on the command line: a server's base URL, and a paste
//! as an id or as any of its URLs (`/ID`, `/ID.rs`, `/raw/ID`, `/dl/ID`).

use super::error::ClientError;

/// A server's base URL: `http(s)://host[:port][/prefix]`, without a trailing slash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Server(String);

impl Server {
    /// Accepts `http://` and `https://` URLs; drops a query, a fragment and trailing slashes.
    pub(crate) fn parse(raw: &str) -> Result<Self, ClientError> {
        let raw = raw.trim();
        let rest = raw
            .strip_prefix("https://")
            .or_else(|| raw.strip_prefix("http://"))
            .ok_or_else(|| {
                ClientError::BadArgument(format!(
                    "`{}` is not a server URL: it must start with http:// or https://",
                    excerpt(raw)
                ))
            })?;
        let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
        if host.is_empty() || rest.contains(char::is_whitespace) {
            return Err(ClientError::BadArgument(format!(
                "`{}` is not a server URL: it has no host",
                excerpt(raw)
            )));
        }
        let without_query = raw.split(['?', '#']).next().unwrap_or(raw);
        Ok(Self(without_query.trim_end_matches('/').to_owned()))
    }

    /// The base, as text.
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }

    /// `base + path` (`path` starts with `/`).
    pub(crate) fn join(&self, path: &str) -> String {
        format!("{}{path}", self.0)
    }
}

/// A paste the user named: its id, and the server when a URL named one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PasteRef {
    /// The id (base62).
    pub(crate) id: String,
    /// The server the URL pointed at; `None` for a bare id.
    pub(crate) server: Option<Server>,
}

impl PasteRef {
    /// `aZ3kP9xQ`, `aZ3kP9xQ.rs`, or a paste URL in any of its forms.
    pub(crate) fn parse(raw: &str) -> Result<Self, ClientError> {
        let raw = raw.trim();
        if !raw.contains("://") {
            return Ok(Self {
                id: id_of(raw)?,
                server: None,
            });
        }
        let server = Server::parse(raw)?;
        let base = server.as_str();
        let after_scheme = base.find("://").map_or(0, |i| i + 3);
        let path_at = base[after_scheme..]
            .find('/')
            .map_or(base.len(), |i| after_scheme + i);
        let (origin, path) = base.split_at(path_at);
        let mut segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        let last = segments.pop().ok_or_else(|| {
            ClientError::BadArgument(format!("`{}` names a server, not a paste", excerpt(raw)))
        })?;
        let id = id_of(last)?;
        // `/raw/ID`, `/dl/ID` and `/api/v1/pastes/ID` are the same paste.
        if matches!(segments.last(), Some(&"raw") | Some(&"dl")) {
            segments.pop();
        } else if segments.ends_with(&["api", "v1", "pastes"]) {
            segments.truncate(segments.len() - 3);
        }
        let prefix: String = segments.iter().map(|s| format!("/{s}")).collect();
        Ok(Self {
            id,
            server: Some(Server(format!("{origin}{prefix}"))),
        })
    }
}

/// The id in `ID` or `ID.ext`.
fn id_of(raw: &str) -> Result<String, ClientError> {
    let id = raw.split_once('.').map_or(raw, |(id, _ext)| id);
    let ok = (4..=32).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric());
    if ok {
        Ok(id.to_owned())
    } else {
        Err(ClientError::BadArgument(format!(
            "`{}` is not a paste id or URL (an id is 4 to 32 letters and digits)",
            excerpt(raw)
        )))
    }
}

/// At most 60 characters of what the user typed, for an error message.
fn excerpt(raw: &str) -> String {
    let mut out: String = raw.chars().take(60).collect();
    if raw.chars().count() > 60 {
        out.push('…');
    }
    out.escape_debug().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(raw: &str) -> (String, Option<String>) {
        let r = PasteRef::parse(raw).expect("parses");
        (r.id, r.server.map(|s| s.0))
    }

    #[test]
    fn every_form_of_a_paste_url_names_the_same_paste() {
        let want = ("aZ3kP9xQ".to_owned(), Some("https://h.example".to_owned()));
        for raw in [
            "https://h.example/aZ3kP9xQ",
            "https://h.example/aZ3kP9xQ/",
            "https://h.example/aZ3kP9xQ.rs",
            "https://h.example/raw/aZ3kP9xQ",
            "https://h.example/dl/aZ3kP9xQ?x=1",
            "https://h.example/api/v1/pastes/aZ3kP9xQ",
        ] {
            assert_eq!(parsed(raw), want, "{raw}");
        }
        assert_eq!(
            parsed("http://127.0.0.1:8080/p/raw/abcd"),
            (
                "abcd".to_owned(),
                Some("http://127.0.0.1:8080/p".to_owned())
            )
        );
        assert_eq!(parsed("abcd.py"), ("abcd".to_owned(), None));
    }

    #[test]
    fn what_is_not_a_paste_is_refused() {
        for raw in [
            "",
            "ab",
            "a/b/c",
            "https://h.example/",
            "ftp://h/abcd",
            "../etc",
        ] {
            assert!(PasteRef::parse(raw).is_err(), "{raw}");
        }
        assert!(Server::parse("h.example").is_err());
        assert!(Server::parse("http://").is_err());
        assert_eq!(
            Server::parse("http://h:1/").expect("parses").as_str(),
            "http://h:1"
        );
    }
}
