//! The command-line client (`pastebin paste|get|delete|login`): the real
//! binary against a real server, each run with its own empty HOME and
//! XDG folders, so what it keeps is looked at and nothing leaks between tests.

mod client;
mod help;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use tempfile::TempDir;

/// One user's machine: a HOME of its own, with the XDG folders inside it.
pub struct Shell {
    home: TempDir,
}

/// What a run printed and how it ended.
pub struct Run {
    pub status: std::process::ExitStatus,
    pub stdout: Vec<u8>,
    pub stderr: String,
}

impl Run {
    /// The stdout as text.
    pub fn out(&self) -> String {
        String::from_utf8(self.stdout.clone()).expect("stdout is UTF-8")
    }

    /// Asserts success and returns stdout's text.
    pub fn ok(&self) -> String {
        assert!(
            self.status.success(),
            "expected success, got {:?}; stderr: {}",
            self.status,
            self.stderr
        );
        self.out()
    }
}

impl Shell {
    pub fn new() -> Self {
        Self {
            home: tempfile::tempdir().expect("a temporary HOME"),
        }
    }

    pub fn home(&self) -> &Path {
        self.home.path()
    }

    pub fn config_dir(&self) -> PathBuf {
        self.home().join("config/pastebin")
    }

    pub fn data_dir(&self) -> PathBuf {
        self.home().join("data/pastebin")
    }

    /// A file in HOME.
    pub fn file(&self, name: &str, content: &[u8]) -> PathBuf {
        let path = self.home().join(name);
        std::fs::write(&path, content).expect("the file is written");
        path
    }

    /// `pastebin ARGS` with `stdin`, off the async runtime (the server under
    /// test answers on it meanwhile).
    pub async fn run(&self, args: &[&str], stdin: &[u8]) -> Run {
        self.run_with_env(args, stdin, &[]).await
    }

    /// `run`, with these environment variables set as well.
    pub async fn run_with_env(&self, args: &[&str], stdin: &[u8], env: &[(&str, &str)]) -> Run {
        let mut command = Command::new(env!("CARGO_BIN_EXE_pastebin"));
        command
            .args(args)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.home())
            .env("XDG_CONFIG_HOME", self.home().join("config"))
            .env("XDG_DATA_HOME", self.home().join("data"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        command.envs(env.iter().copied());
        let stdin = stdin.to_vec();
        let output: Output = tokio::task::spawn_blocking(move || {
            let mut child = command.spawn().expect("the binary starts");
            let mut pipe = child.stdin.take().expect("a stdin pipe");
            // Written from another thread: a large stdin must not deadlock with stdout.
            let writer = std::thread::spawn(move || {
                let _ = pipe.write_all(&stdin);
            });
            let output = child.wait_with_output().expect("the binary ends");
            writer.join().expect("stdin was written");
            output
        })
        .await
        .expect("the run finished");
        Run {
            status: output.status,
            stdout: output.stdout,
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }
}
