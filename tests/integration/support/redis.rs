//! A real `redis-server` of the test's own, on a free port, without
//! persistence. Debian's `redis-server` package provides it (`tests/run` and
//! `.ci/run` install it); without it these tests fail loudly.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use super::process::free_port;

/// A running (or stopped, to simulate an outage) Redis.
pub struct RedisServer {
    child: Option<Child>,
    port: u16,
    dir: tempfile::TempDir,
}

impl RedisServer {
    /// Starts Redis on a free port.
    pub async fn start() -> Self {
        let mut server = Self {
            child: None,
            port: free_port(),
            dir: tempfile::tempdir().expect("a folder"),
        };
        server.resume().await;
        server
    }

    /// `redis://127.0.0.1:PORT`
    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Kills Redis: an outage (its data is gone with it).
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Freezes Redis (`SIGSTOP`): connections stay open and what clients
    /// send waits in their sockets, unanswered, until `thaw`.
    pub fn freeze(&self) {
        self.signal("-STOP");
    }

    /// Resumes a frozen Redis (`SIGCONT`): it runs what waited, in order.
    pub fn thaw(&self) {
        self.signal("-CONT");
    }

    fn signal(&self, which: &str) {
        let pid = self.child.as_ref().expect("Redis runs").id().to_string();
        let status = Command::new("kill")
            .args([which, &pid])
            .status()
            .expect("kill runs");
        assert!(status.success(), "kill {which} {pid}");
    }

    /// Starts Redis again on the same port, empty.
    pub async fn resume(&mut self) {
        let child = Command::new("redis-server")
            .args([
                "--port",
                &self.port.to_string(),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ])
            .arg("--dir")
            .arg(self.dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("redis-server starts: install Debian's redis-server package (tests/run does)");
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(10);
        while !self.pong().await {
            assert!(
                Instant::now() < deadline,
                "redis-server did not answer on port {}",
                self.port
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// `FLUSHALL`: Redis keeps running with nothing in it, as after a restart
    /// without persistence or a failover to an empty replica.
    pub async fn flush_all(&self) {
        let mut socket = TcpStream::connect(("127.0.0.1", self.port))
            .await
            .expect("Redis answers");
        socket.write_all(b"FLUSHALL\r\n").await.expect("sent");
        let mut answer = [0u8; 5];
        socket.read_exact(&mut answer).await.expect("an answer");
        assert_eq!(&answer, b"+OK\r\n", "FLUSHALL done");
    }

    /// How many times Redis ran `command` (from `INFO commandstats`).
    ///
    /// `INFO` lists only commands that ran, so absence is a real 0 — for a
    /// command Redis has: a misspelt or unknown name panics, as does a
    /// Redis that did not answer, rather than reading 0 for ever.
    pub fn calls(&self, command: &str) -> u64 {
        let cli = |args: &[&str]| {
            let out = std::process::Command::new("redis-cli")
                .args(["-p", &self.port.to_string()])
                .args(args)
                .output()
                .expect("redis-cli runs (Debian's redis-tools, beside redis-server)");
            assert!(out.status.success(), "redis-cli {args:?} failed");
            String::from_utf8_lossy(&out.stdout).into_owned()
        };
        let text = cli(&["INFO", "commandstats"]);
        assert!(
            text.contains("# Commandstats"),
            "Redis answered INFO commandstats with {text:?}"
        );
        let prefix = format!("cmdstat_{command}:calls=");
        match text.lines().find_map(|l| l.strip_prefix(&prefix)) {
            Some(rest) => rest
                .split(',')
                .next()
                .and_then(|n| n.parse().ok())
                .expect("a count"),
            None => {
                let known = cli(&["COMMAND", "INFO", command]);
                assert!(
                    !known.trim().is_empty(),
                    "Redis has no command {command:?}: its count cannot be read"
                );
                0
            }
        }
    }

    /// How many commands Redis ran in all, but those named in `except`
    /// (lower case, as `INFO commandstats` names them).
    pub fn calls_except(&self, except: &[&str]) -> u64 {
        let out = std::process::Command::new("redis-cli")
            .args(["-p", &self.port.to_string(), "INFO", "commandstats"])
            .output()
            .expect("redis-cli runs");
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter_map(|l| l.strip_prefix("cmdstat_"))
            .filter_map(|l| l.split_once(":calls="))
            .filter(|(name, _)| !except.iter().any(|e| name.split('|').next() == Some(*e)))
            .map(|(_, rest)| {
                rest.split(',')
                    .next()
                    .and_then(|n| n.parse::<u64>().ok())
                    .expect("a count")
            })
            .sum()
    }

    /// Every value under keys matching `pattern`, as Redis holds them.
    pub fn values(&self, pattern: &str) -> Vec<String> {
        let cli = |args: &[&str]| {
            let out = std::process::Command::new("redis-cli")
                .args(["-p", &self.port.to_string()])
                .args(args)
                .output()
                .expect("redis-cli runs");
            String::from_utf8_lossy(&out.stdout).into_owned()
        };
        cli(&["--scan", "--pattern", pattern])
            .lines()
            .map(|key| cli(&["GET", key]))
            .collect()
    }

    async fn pong(&self) -> bool {
        let Ok(mut socket) = TcpStream::connect(("127.0.0.1", self.port)).await else {
            return false;
        };
        let mut answer = [0u8; 7];
        socket.write_all(b"PING\r\n").await.is_ok()
            && socket.read(&mut answer).await.is_ok()
            && answer.starts_with(b"+PONG")
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.kill();
    }
}
