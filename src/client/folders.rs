//! What the client keeps between runs, in the user's own folders and readable
//! by that user only (files 0600, folders 0700): the API token from `login`
//! (a secret that acts as the account) in the config folder, and the delete
//! token of every paste made here in the data folder, so `delete URL` needs no
//! copy-and-paste.

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::error::ClientError;

/// `$XDG_CONFIG_HOME/pastebin` or `~/.config/pastebin`.
fn config_dir() -> Result<PathBuf, ClientError> {
    xdg_dir("XDG_CONFIG_HOME", ".config")
}

/// `$XDG_DATA_HOME/pastebin` or `~/.local/share/pastebin`.
fn data_dir() -> Result<PathBuf, ClientError> {
    xdg_dir("XDG_DATA_HOME", ".local/share")
}

fn xdg_dir(variable: &str, under_home: &str) -> Result<PathBuf, ClientError> {
    // The XDG spec: a relative path in the variable is to be ignored.
    if let Some(dir) = std::env::var_os(variable).map(PathBuf::from)
        && dir.is_absolute()
    {
        return Ok(dir.join("pastebin"));
    }
    let home = std::env::var_os("HOME")
        .map(PathBuf::from)
        .filter(|h| h.is_absolute())
        .ok_or_else(|| ClientError::Local {
            path: format!("${variable}"),
            reason: "neither it nor $HOME is set to a folder".to_owned(),
        })?;
    Ok(home.join(under_home).join("pastebin"))
}

/// `config.json` in the config folder: the server `login` used and its token.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub(crate) struct Config {
    /// The server's base URL.
    pub(crate) url: Option<String>,
    /// The API token for that server (sent only to it).
    pub(crate) token: Option<String>,
    /// The account the token acts as, for messages.
    pub(crate) username: Option<String>,
}

impl Config {
    fn path() -> Result<PathBuf, ClientError> {
        Ok(config_dir()?.join("config.json"))
    }

    /// The saved config, or an empty one when there is none yet.
    pub(crate) fn load() -> Result<Self, ClientError> {
        read_json(&Self::path()?)
    }

    /// Replaces the saved config.
    pub(crate) fn save(&self) -> Result<PathBuf, ClientError> {
        let path = Self::path()?;
        write_private_json(&path, self)?;
        Ok(path)
    }
}

/// `delete-tokens.json` in the data folder: paste URL to delete token.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct DeleteTokens(BTreeMap<String, String>);

impl DeleteTokens {
    fn path() -> Result<PathBuf, ClientError> {
        Ok(data_dir()?.join("delete-tokens.json"))
    }

    /// The kept tokens (none when the file does not exist).
    pub(crate) fn load() -> Result<Self, ClientError> {
        read_json(&Self::path()?)
    }

    /// The token kept for `url`; else for the one kept URL that ends in `/{id}`
    /// (the server's public URL may differ from the one the user typed).
    pub(crate) fn find(&self, url: &str, id: &str) -> Option<&str> {
        self.key_of(url, id)
            .and_then(|key| self.0.get(key))
            .map(String::as_str)
    }

    fn key_of<'a>(&'a self, url: &'a str, id: &str) -> Option<&'a str> {
        if self.0.contains_key(url) {
            return Some(url);
        }
        let suffix = format!("/{id}");
        let mut matching = self.0.keys().filter(|k| k.ends_with(&suffix));
        match (matching.next(), matching.next()) {
            (Some(only), None) => Some(only),
            _ => None,
        }
    }

    /// Keeps `token` for `url`, and saves at once (a later failure loses nothing).
    pub(crate) fn keep(&mut self, url: &str, token: &str) -> Result<(), ClientError> {
        self.0.insert(url.to_owned(), token.to_owned());
        write_private_json(&Self::path()?, self)
    }

    /// Forgets the token of a deleted paste.
    pub(crate) fn forget(&mut self, url: &str, id: &str) -> Result<(), ClientError> {
        let key = self.key_of(url, id).map(str::to_owned);
        if key.is_some_and(|key| self.0.remove(&key).is_some()) {
            write_private_json(&Self::path()?, self)?;
        }
        Ok(())
    }
}

fn read_json<T: Default + for<'de> Deserialize<'de>>(path: &Path) -> Result<T, ClientError> {
    match fs::read(path) {
        Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| local(path, e)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(T::default()),
        Err(e) => Err(local(path, e)),
    }
}

/// Writes through a temporary file created 0600 and renamed over the old one,
/// so the secret is never readable by others, not even for a moment, and a
/// crash mid-write leaves the previous file whole.
fn write_private_json<T: Serialize>(path: &Path, value: &T) -> Result<(), ClientError> {
    let dir = path
        .parent()
        .ok_or_else(|| local(path, "no parent folder"))?;
    create_private_dir(dir)?;
    let bytes = serde_json::to_vec_pretty(value).map_err(|e| local(path, e))?;
    let tmp = dir.join(format!(
        ".{}.{}.tmp",
        path.file_name().and_then(|n| n.to_str()).unwrap_or("file"),
        std::process::id()
    ));
    let mut options = fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let written = options.open(&tmp).and_then(|mut file| {
        file.write_all(&bytes)?;
        file.write_all(b"\n")?;
        file.sync_all()
    });
    if let Err(e) = written.and_then(|()| fs::rename(&tmp, path)) {
        let _ = fs::remove_file(&tmp);
        return Err(local(path, e));
    }
    Ok(())
}

fn create_private_dir(dir: &Path) -> Result<(), ClientError> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir).map_err(|e| local(dir, e))
}

fn local(path: &Path, reason: impl std::fmt::Display) -> ClientError {
    ClientError::Local {
        path: path.display().to_string(),
        reason: reason.to_string(),
    }
}
