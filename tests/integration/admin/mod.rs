//! `pastebin admin`, the real binary, against running apps that share its
//! store (and Redis): takedowns seen on two clones (near tiers included),
//! disabled accounts, reports from the web form, recent pastes, and the
//! audit log of it all.

mod accounts;
mod reports;
mod takedown;

use std::path::Path;
use std::process::Command;

/// What an admin command printed, and whether it succeeded.
pub struct Ran {
    pub ok: bool,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `pastebin admin ARGS` on the store in `store` (and the Redis at
/// `redis`), as the operator `alice`, configured as the apps are.
pub fn admin(store: &Path, redis: Option<&str>, args: &[&str]) -> Ran {
    let mut command = Command::new(env!("CARGO_BIN_EXE_pastebin"));
    command
        .arg("admin")
        .arg("--operator")
        .arg("alice")
        .args(args)
        .env("PASTEBIN__STORE__PATH", store)
        .env("PASTEBIN__LOG__LEVEL", "error");
    if let Some(url) = redis {
        command.env("PASTEBIN__REDIS__URL", url);
    }
    let out = command.output().expect("the binary runs");
    Ran {
        ok: out.status.success(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// `admin`, which must succeed; its stdout.
pub fn admin_ok(store: &Path, redis: Option<&str>, args: &[&str]) -> String {
    let ran = admin(store, redis, args);
    assert!(ran.ok, "admin {args:?} failed: {}", ran.stderr);
    ran.stdout
}
