//! The command-line client: `paste`, `get`, `delete` and `login`, speaking the
//! JSON API (`/api/v1/...`) of any pastebin server over http or https. It is
//! blocking and runs before any async runtime starts (see `main`): a shell
//! command makes one request at a time.

mod api;
mod e2e;
mod error;
mod folders;
mod progress;
mod target;

use std::io::{BufRead, IsTerminal, Read, Write};
use std::path::PathBuf;

use clap::{Args, Subcommand};
use serde::Deserialize;

pub(crate) use error::ClientError;

use api::Api;
use folders::{Config, DeleteTokens};
use target::{PasteRef, Server};

/// The client's subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum ClientCommand {
    /// Paste FILEs (or stdin) and print each paste's URL.
    ///
    /// The delete token goes to stderr (and is kept for `pastebin delete`).
    /// One paste per FILE: the API takes one content per paste, so several
    /// FILEs make several pastes and print one URL each, in order.
    Paste(PasteArgs),
    /// Write a paste's text to stdout, byte for byte.
    Get(GetArgs),
    /// Delete a paste with the token kept by `paste`, `--token`, or as its author.
    Delete(DeleteArgs),
    /// Exchange a username and password for an API token, kept for later commands.
    Login(LoginArgs),
}

/// Where the server is.
#[derive(Debug, Args)]
pub(crate) struct ServerArgs {
    /// The server's base URL (else PASTEBIN_URL, else the one `login` saved).
    #[arg(long, value_name = "URL")]
    url: Option<String>,
}

/// `pastebin paste`.
#[derive(Debug, Args)]
pub(crate) struct PasteArgs {
    /// Files to paste, one paste each; stdin when none is given (or for `-`).
    #[arg(value_name = "FILE")]
    files: Vec<PathBuf>,
    /// A one-line title (default: the file's name).
    #[arg(long)]
    title: Option<String>,
    /// The language for highlighting (`rust`, `python`...; default: the page guesses it from the title, so from the file's name).
    #[arg(long)]
    language: Option<String>,
    /// When it expires: `never`, `10m`, `1h`, `1d`, `1w`, `30d`, `1y`, or any `N` of s/m/h/d/w/y.
    #[arg(long, value_name = "WHEN")]
    expires: Option<String>,
    /// Only you can read it (needs `pastebin login`).
    #[arg(long, conflicts_with = "unlisted")]
    private: bool,
    /// Not listed on your page: only the link finds it.
    #[arg(long)]
    unlisted: bool,
    /// Deleted by its first read.
    #[arg(long)]
    burn: bool,
    /// Print the server's whole JSON answer (one line per paste) instead of the URL.
    #[arg(long)]
    json: bool,
    /// Encrypt here, end to end (AES-256-GCM, docs/encryption.md): the server
    /// gets an envelope it cannot read; the key is only in the printed link,
    /// after `#`. Unlisted unless --private; no --title or --language.
    #[arg(long, conflicts_with_all = ["title", "language"])]
    encrypt: bool,
    /// With --encrypt: mix a password into the key (PBKDF2-SHA-256), asked
    /// for on the terminal, or read from PASTEBIN_E2E_PASSWORD.
    #[arg(long, requires = "encrypt")]
    password: bool,
    #[command(flatten)]
    server: ServerArgs,
}

/// `pastebin get`.
#[derive(Debug, Args)]
pub(crate) struct GetArgs {
    /// The paste's id or any of its URLs; an end-to-end encrypted paste's
    /// URL with its `#key`, which opens it here (its password, if it has
    /// one, is asked for, or read from PASTEBIN_E2E_PASSWORD).
    #[arg(value_name = "ID|URL")]
    paste: String,
    #[command(flatten)]
    server: ServerArgs,
}

/// `pastebin delete`.
#[derive(Debug, Args)]
pub(crate) struct DeleteArgs {
    /// The paste's id or any of its URLs.
    #[arg(value_name = "ID|URL")]
    paste: String,
    /// The delete token (default: the one kept when this machine pasted it).
    #[arg(long)]
    token: Option<String>,
    #[command(flatten)]
    server: ServerArgs,
}

/// `pastebin login`.
#[derive(Debug, Args)]
pub(crate) struct LoginArgs {
    /// The account's name (asked for when not given).
    #[arg(long)]
    username: Option<String>,
    /// Read the password from the first line of stdin instead of the terminal.
    #[arg(long)]
    password_stdin: bool,
    /// What to call the token on the server's token list.
    #[arg(long, default_value = "pastebin command line")]
    token_name: String,
    #[command(flatten)]
    server: ServerArgs,
}

/// Runs a client command; blocking.
pub(crate) fn run(command: ClientCommand) -> Result<(), ClientError> {
    match command {
        ClientCommand::Paste(args) => paste(args),
        ClientCommand::Get(args) => get(args),
        ClientCommand::Delete(args) => delete(args),
        ClientCommand::Login(args) => login(args),
    }
}

/// The server named by `--url`, then `PASTEBIN_URL`, then the saved config.
fn server_of(args: &ServerArgs, config: &Config) -> Result<Server, ClientError> {
    let env = std::env::var("PASTEBIN_URL").ok().filter(|v| !v.is_empty());
    let raw = args
        .url
        .clone()
        .or(env)
        .or_else(|| config.url.clone())
        .ok_or(ClientError::NoServer)?;
    Server::parse(&raw)
}

/// A client of `server`, with the saved API token only if it was issued by that server.
fn api_for(server: Server, config: &Config) -> Api {
    let bearer = match (&config.url, &config.token) {
        (Some(url), Some(token)) if Server::parse(url).ok().as_ref() == Some(&server) => {
            Some(token.clone())
        }
        _ => None,
    };
    Api::new(server, bearer)
}

/// The part of a creation's answer the client uses (the rest goes out with `--json`).
#[derive(Deserialize)]
struct Created {
    url: String,
    delete_token: String,
}

fn paste(args: PasteArgs) -> Result<(), ClientError> {
    let config = Config::load()?;
    let api = api_for(server_of(&args.server, &config)?, &config);
    let inputs: Vec<Option<PathBuf>> = if args.files.is_empty() {
        vec![None]
    } else {
        args.files
            .iter()
            .map(|f| (f.as_os_str() != "-").then(|| f.clone()))
            .collect()
    };
    let mut tokens = DeleteTokens::load()?;
    let password = if args.password {
        Some(e2e_password("Password for the paste: ")?)
    } else {
        None
    };
    let mut stdout = std::io::stdout().lock();
    for input in inputs {
        let (label, content) = read_input(input.as_deref())?;
        let title = args.title.clone().or_else(|| {
            input
                .as_ref()
                .and_then(|p| p.file_name())
                .map(|n| n.to_string_lossy().into_owned())
        });
        let title = title.filter(|_| !args.encrypt);
        let visibility = if args.private {
            Some("private")
        } else if args.unlisted {
            Some("unlisted")
        } else {
            None
        };
        let expires = args.expires.clone().unwrap_or_else(|| "never".to_owned());
        let sealed = args
            .encrypt
            .then(|| e2e::seal(&content, &expires, args.burn, password.as_deref()));
        let content = sealed.as_ref().map_or(content, |s| s.envelope.clone());
        let mut body = serde_json::json!({ "content": content });
        if sealed.is_some() {
            body["end_to_end"] = serde_json::Value::from(true);
        }
        let fields = [
            ("title", title.map(serde_json::Value::from)),
            (
                "language",
                args.language.clone().map(serde_json::Value::from),
            ),
            ("expires", args.expires.clone().map(serde_json::Value::from)),
            ("visibility", visibility.map(serde_json::Value::from)),
            (
                "burn_after_read",
                args.burn.then_some(serde_json::Value::from(true)),
            ),
        ];
        for (name, value) in fields {
            if let Some(value) = value {
                body[name] = value;
            }
        }
        let answer: serde_json::Value = api.post_json("/api/v1/pastes", &body, &label)?;
        let created: Created =
            serde_json::from_value(answer.clone()).map_err(|e| ClientError::Unexpected {
                url: api.server().as_str().to_owned(),
                reason: e.to_string(),
            })?;
        tokens.keep(&created.url, &created.delete_token)?;
        // The key goes in the fragment, which no browser sends to a server.
        let link = match &sealed {
            Some(sealed) => format!("{}#{}", created.url, sealed.key),
            None => created.url.clone(),
        };
        if args.json {
            writeln!(stdout, "{answer}")?;
        } else {
            writeln!(stdout, "{link}")?;
            writeln!(
                std::io::stderr(),
                "delete token: {} (kept for `pastebin delete {}`)",
                created.delete_token,
                created.url
            )?;
        }
        stdout.flush()?;
    }
    Ok(())
}

/// The text to paste and what to call it in messages.
fn read_input(path: Option<&std::path::Path>) -> Result<(String, String), ClientError> {
    let (label, bytes) = match path {
        None => {
            if std::io::stdin().is_terminal() {
                let _ = writeln!(
                    std::io::stderr(),
                    "reading the paste from the terminal; end it with Ctrl-D"
                );
            }
            let mut bytes = Vec::new();
            std::io::stdin()
                .lock()
                .read_to_end(&mut bytes)
                .map_err(|e| ClientError::Input {
                    path: "stdin".to_owned(),
                    reason: e.to_string(),
                })?;
            ("stdin".to_owned(), bytes)
        }
        Some(path) => {
            let label = path.display().to_string();
            let bytes = std::fs::read(path).map_err(|e| ClientError::Input {
                path: label.clone(),
                reason: e.to_string(),
            })?;
            (label, bytes)
        }
    };
    let text = String::from_utf8(bytes).map_err(|e| ClientError::Input {
        path: label.clone(),
        reason: format!(
            "not UTF-8 text (byte {} is not): a paste is text",
            e.utf8_error().valid_up_to()
        ),
    })?;
    Ok((label, text))
}

/// A paste reference and the client of its server (the URL's, else the configured one).
fn resolve(raw: &str, args: &ServerArgs) -> Result<(PasteRef, Api), ClientError> {
    let config = Config::load()?;
    let paste = PasteRef::parse(raw)?;
    let server = match &paste.server {
        Some(server) => server.clone(),
        None => server_of(args, &config)?,
    };
    Ok((paste, api_for(server, &config)))
}

/// The part of a read's answer `get` writes (and, for an end-to-end
/// encrypted paste, holds against its envelope).
#[derive(Deserialize)]
struct Fetched {
    content: String,
    #[serde(default)]
    end_to_end: bool,
    #[serde(default)]
    burn_after_read: bool,
    #[serde(with = "time::serde::rfc3339")]
    created_at: time::OffsetDateTime,
    #[serde(default, with = "time::serde::rfc3339::option")]
    expires_at: Option<time::OffsetDateTime>,
}

fn get(args: GetArgs) -> Result<(), ClientError> {
    // `URL#key` or `URL#key/L12`: the key never goes to the server.
    let (reference, key) = match args.paste.split_once('#') {
        Some((url, fragment)) => (url, fragment.split('/').next().filter(|k| !k.is_empty())),
        None => (args.paste.as_str(), None),
    };
    let (paste, api) = resolve(reference, &args.server)?;
    let read: Fetched = api.get_json(&format!("/api/v1/pastes/{}", paste.id))?;
    let text = match (read.end_to_end, key) {
        (false, _) => read.content,
        (true, None) => {
            return Err(ClientError::Decrypt(
                "this paste is end-to-end encrypted: give its whole link, with the key after #"
                    .to_owned(),
            ));
        }
        (true, Some(key)) => {
            let password = match e2e::header(&read.content)?.kdf {
                Some(_) => Some(e2e_password("Password of the paste: ")?),
                None => None,
            };
            let shown = e2e::Shown {
                burn_after_read: read.burn_after_read,
                created_at: read.created_at,
                expires_at: read.expires_at,
            };
            e2e::open(&read.content, key, password.as_deref(), &shown)?
        }
    };
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(text.as_bytes())?;
    stdout.flush()?;
    Ok(())
}

fn delete(args: DeleteArgs) -> Result<(), ClientError> {
    let (paste, api) = resolve(&args.paste, &args.server)?;
    let url = api.server().join(&format!("/{}", paste.id));
    let mut tokens = DeleteTokens::load()?;
    let token = args
        .token
        .clone()
        .or_else(|| tokens.find(&url, &paste.id).map(str::to_owned));
    if token.is_none() && !api.has_bearer() {
        return Err(ClientError::NoDeleteToken(url));
    }
    api.delete(&format!("/api/v1/pastes/{}", paste.id), token.as_deref())?;
    tokens.forget(&url, &paste.id)?;
    writeln!(std::io::stderr(), "deleted {url}")?;
    Ok(())
}

/// The answer to `POST /api/v1/tokens` the client keeps.
#[derive(Deserialize)]
struct Issued {
    token: String,
    username: String,
}

fn login(args: LoginArgs) -> Result<(), ClientError> {
    let config = Config::load()?;
    let server = server_of(&args.server, &config)?;
    let stdin = std::io::stdin();
    let username = match args.username {
        Some(name) => name,
        None => {
            if !stdin.is_terminal() && !args.password_stdin {
                return Err(ClientError::BadArgument(
                    "pass --username when stdin is not a terminal".to_owned(),
                ));
            }
            eprint_flush("Username: ")?;
            read_line(&mut stdin.lock(), "the username")?
        }
    };
    let password = if args.password_stdin {
        read_line(&mut stdin.lock(), "the password")?
    } else {
        rpassword::prompt_password("Password: ").map_err(|e| {
            ClientError::BadArgument(format!(
                "cannot read the password from the terminal ({e}); use --password-stdin"
            ))
        })?
    };
    // A fresh client without the old token: the exchange is by password.
    let api = Api::new(server.clone(), None);
    let body = serde_json::json!({
        "username": username,
        "password": password,
        "name": args.token_name,
    });
    let issued: Issued = api.post_json("/api/v1/tokens", &body, "login")?;
    let saved = Config {
        url: Some(server.as_str().to_owned()),
        token: Some(issued.token),
        username: Some(issued.username.clone()),
    };
    let path = saved.save()?;
    writeln!(
        std::io::stderr(),
        "logged in to {} as {}; token kept in {}",
        server.as_str(),
        issued.username,
        path.display()
    )?;
    Ok(())
}

/// An end-to-end password: PASTEBIN_E2E_PASSWORD, else asked for on the
/// terminal (never an argument, which `ps` would show).
fn e2e_password(prompt: &str) -> Result<String, ClientError> {
    if let Ok(password) = std::env::var("PASTEBIN_E2E_PASSWORD")
        && !password.is_empty()
    {
        return Ok(password);
    }
    let password = rpassword::prompt_password(prompt).map_err(|e| {
        ClientError::BadArgument(format!(
            "cannot read the password from the terminal ({e}); set PASTEBIN_E2E_PASSWORD"
        ))
    })?;
    if password.is_empty() {
        return Err(ClientError::BadArgument("the password is empty".to_owned()));
    }
    Ok(password)
}

fn eprint_flush(prompt: &str) -> Result<(), ClientError> {
    let mut err = std::io::stderr().lock();
    err.write_all(prompt.as_bytes())?;
    err.flush()?;
    Ok(())
}

/// One line of `input` without its line end; an empty line is refused.
fn read_line(input: &mut impl BufRead, what: &str) -> Result<String, ClientError> {
    let mut line = String::new();
    input
        .take(64 * 1024)
        .read_line(&mut line)
        .map_err(|e| ClientError::Input {
            path: "stdin".to_owned(),
            reason: e.to_string(),
        })?;
    let line = line.trim_end_matches(['\n', '\r']).to_owned();
    if line.is_empty() {
        return Err(ClientError::BadArgument(format!("{what} is empty")));
    }
    Ok(line)
}
