//! The real binary as a child process, for crashes and several processes.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A `pastebin serve` process.
pub struct ServerProcess {
    /// The child.
    pub child: Child,
    /// `http://127.0.0.1:PORT`
    pub address: String,
    /// What it logged (warnings and worse).
    pub log: tempfile::NamedTempFile,
}

/// A port nobody listens on right now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

impl ServerProcess {
    /// Starts the binary on `store` and waits until it answers `/healthz`.
    pub async fn start(store: &Path, extra_env: &[(&str, &str)]) -> Self {
        let port = free_port();
        let log = tempfile::NamedTempFile::new().expect("a log file");
        let mut command = Command::new(env!("CARGO_BIN_EXE_pastebin"));
        command
            .env("PASTEBIN__SERVER__PORT", port.to_string())
            .env("PASTEBIN__STORE__PATH", store)
            .env("PASTEBIN__SERVER__WORKERS", "1")
            .env("PASTEBIN__LOG__LEVEL", "warn")
            .env("PASTEBIN__LOG__FORMAT", "json")
            .env("PASTEBIN__LIMITS__CREATE_PER_MINUTE", "1000000")
            .env("PASTEBIN__LIMITS__MISSES_PER_MINUTE", "1000000")
            .stdout(Stdio::null())
            .stderr(log.reopen().expect("the log file"));
        for (key, value) in extra_env {
            command.env(key, value);
        }
        let child = command.spawn().expect("the binary starts");
        let address = format!("http://127.0.0.1:{port}");
        let client = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let answer = client.get(format!("{address}/healthz")).send().await;
            if answer.is_ok_and(|r| r.status() == 200) {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "the server did not come up on {address}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Self {
            child,
            address,
            log,
        }
    }

    /// Everything it logged so far.
    pub fn logged(&self) -> String {
        std::fs::read_to_string(self.log.path()).unwrap_or_default()
    }

    /// SIGKILL: no chance to flush or clean up.
    pub fn kill_9(mut self) {
        self.child.kill().expect("kill -9");
        self.child.wait().expect("reaped");
    }

    /// Sends SIGTERM and returns at once (the drain and the grace period follow).
    pub fn terminate(&self) {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill").args(["-TERM", &pid]).status();
        assert!(sent.is_ok_and(|s| s.success()), "kill -TERM {pid}");
    }

    /// Waits for the exit; `None` if it is still running after `within`.
    pub async fn exited(&mut self, within: Duration) -> Option<std::process::ExitStatus> {
        let deadline = Instant::now() + within;
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status);
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        None
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A `pastebin worker` process.
pub struct WorkerProcess {
    /// The child.
    pub child: Child,
}

impl WorkerProcess {
    /// Starts a worker on `store` with these extra settings (`redis.url`...).
    pub fn start(store: &Path, extra_env: &[(&str, &str)]) -> Self {
        let mut command = Command::new(env!("CARGO_BIN_EXE_pastebin"));
        command
            .arg("worker")
            .env("PASTEBIN__STORE__PATH", store)
            .env("PASTEBIN__LOG__LEVEL", "error")
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        for (key, value) in extra_env {
            command.env(key, value);
        }
        Self {
            child: command.spawn().expect("the worker starts"),
        }
    }

    /// SIGKILL: the job in hand is abandoned mid-way.
    pub fn kill_9(mut self) {
        self.child.kill().expect("kill -9");
        self.child.wait().expect("reaped");
    }

    /// SIGTERM, then waits for the exit; true when it exited cleanly in time.
    pub fn terminate(mut self, within: Duration) -> bool {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill").args(["-TERM", &pid]).status();
        assert!(sent.is_ok_and(|s| s.success()), "kill -TERM {pid}");
        let deadline = Instant::now() + within;
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status.success();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        false
    }
}

impl Drop for WorkerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
