//! A Redis Sentinel deployment of the test's own, on free loopback ports:
//! a primary with two replicas and three sentinels (Debian's `redis-server`
//! and `redis-sentinel`), without persistence. Timeouts are small (the
//! primary counts as down after `DOWN_AFTER`) so a failover takes seconds.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use pastebin::clock::Clock;
use pastebin::configuration::{RedisUrl, Settings};
use pastebin::redis_link::RedisTarget;

use super::app::{TestApp, spawn_fleet};
use super::process::free_port;

/// The name the sentinels monitor the primary under.
pub const SERVICE: &str = "pastebin";
/// Silence after which a sentinel deems the primary down.
pub const DOWN_AFTER: Duration = Duration::from_millis(1000);
/// Generous bound of a whole failover on a loaded machine: the primary is
/// deemed down, a leader elected, a replica promoted, the clients follow.
pub const FAILOVER_WITHIN: Duration = Duration::from_secs(30);

/// One process, killed with `SIGKILL` when dropped.
struct Daemon {
    child: Option<Child>,
    port: u16,
}

impl Daemon {
    fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        self.kill();
    }
}

/// The primary, its replicas and the sentinels.
pub struct SentinelSet {
    nodes: Vec<Daemon>,
    sentinels: Vec<Daemon>,
    _dir: tempfile::TempDir,
}

impl SentinelSet {
    /// Starts every process and waits until both replicas copy the primary
    /// and every sentinel names it. Sentinels may not know each other yet:
    /// enough to find the primary, not to fail over (`ready_for_failover`).
    pub async fn start() -> Self {
        let dir = tempfile::tempdir().expect("a folder");
        let primary_port = free_port();
        let mut nodes = vec![redis_node(&dir, primary_port, None)];
        wait_until("the primary answers", || {
            cli(primary_port, &["PING"]) == "PONG"
        })
        .await;
        for _ in 0..2 {
            nodes.push(redis_node(&dir, free_port(), Some(primary_port)));
        }
        let replicas: Vec<u16> = nodes[1..].iter().map(|n| n.port).collect();
        let sentinels = (0..3)
            .map(|n| sentinel(&dir, n, free_port(), primary_port, &replicas))
            .collect();
        let set = Self {
            nodes,
            sentinels,
            _dir: dir,
        };
        wait_until("both replicas are in sync", || {
            let info = cli(primary_port, &["INFO", "replication"]);
            info.lines()
                .filter(|l| l.starts_with("slave") && l.contains("state=online"))
                .count()
                == 2
        })
        .await;
        for s in &set.sentinels {
            wait_until("every sentinel names the primary", || {
                cli(s.port, &["SENTINEL", "get-master-addr-by-name", SERVICE])
                    .ends_with(&primary_port.to_string())
            })
            .await;
        }
        set
    }

    /// Waits until every sentinel knows the two others and both replicas,
    /// so a failover can be agreed.
    pub async fn ready_for_failover(&self) {
        for s in &self.sentinels {
            wait_until("the sentinels know each other and the replicas", || {
                let master = cli(s.port, &["SENTINEL", "master", SERVICE]);
                field(&master, "num-other-sentinels") == Some(2)
                    && field(&master, "num-slaves") == Some(2)
            })
            .await;
        }
    }

    /// `redis://127.0.0.1:PORT` of each sentinel.
    pub fn sentinel_urls(&self) -> Vec<String> {
        self.sentinels
            .iter()
            .map(|s| format!("redis://127.0.0.1:{}", s.port))
            .collect()
    }

    /// What the app is configured with to reach this deployment.
    pub fn target(&self) -> RedisTarget {
        RedisTarget::Sentinel {
            sentinels: self.sentinel_urls(),
            service: SERVICE.to_owned(),
        }
    }

    /// Points `settings` at this deployment through its sentinels.
    pub fn configure(&self, settings: &mut Settings) {
        settings.redis.url = None;
        settings.redis.sentinels = self
            .sentinel_urls()
            .iter()
            .map(|url| RedisUrl::parse(url).expect("a sentinel URL"))
            .collect();
        settings.redis.service_name = Some(SERVICE.to_owned());
    }

    /// Two clones of one fleet on this deployment.
    pub async fn spawn_clones(&self, adjust: impl Fn(&mut Settings)) -> (TestApp, TestApp) {
        spawn_fleet(Clock::System, |s| {
            self.configure(s);
            adjust(s);
        })
        .await
    }

    /// The port of the node the first live sentinel names primary.
    pub fn primary_port(&self) -> u16 {
        let answer = self
            .sentinels
            .iter()
            .filter(|s| s.child.is_some())
            .map(|s| cli(s.port, &["SENTINEL", "get-master-addr-by-name", SERVICE]))
            .find(|a| !a.is_empty())
            .expect("a sentinel answers");
        answer
            .lines()
            .last()
            .and_then(|l| l.trim().parse().ok())
            .expect("a port")
    }

    /// `kill -9` of the primary (its writes not yet replicated are lost);
    /// returns its port.
    pub fn kill_primary(&mut self) -> u16 {
        let port = self.primary_port();
        self.nodes
            .iter_mut()
            .find(|n| n.port == port)
            .expect("the primary is one of the nodes")
            .kill();
        port
    }

    /// Asks a sentinel for a failover now (no waiting for the primary to be
    /// deemed down); the old primary becomes a replica.
    pub fn failover(&self) {
        let answer = cli(self.sentinels[0].port, &["SENTINEL", "failover", SERVICE]);
        assert_eq!(answer, "OK", "SENTINEL FAILOVER answered {answer:?}");
    }

    /// Waits until every live sentinel names a primary other than `old`,
    /// and that node says it is the primary; returns its port.
    pub async fn wait_for_new_primary(&self, old: u16) -> u16 {
        let deadline = Instant::now() + FAILOVER_WITHIN;
        loop {
            let named: Vec<u16> = self
                .sentinels
                .iter()
                .filter_map(|s| {
                    cli(s.port, &["SENTINEL", "get-master-addr-by-name", SERVICE])
                        .lines()
                        .last()
                        .and_then(|l| l.trim().parse().ok())
                })
                .collect();
            if let Some(&new) = named.first()
                && new != old
                && named.len() == self.sentinels.len()
                && named.iter().all(|&p| p == new)
                && cli(new, &["ROLE"]).starts_with("master")
            {
                return new;
            }
            assert!(
                Instant::now() < deadline,
                "no new primary within {FAILOVER_WITHIN:?}: sentinels name {named:?}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// `redis-cli` on the node at `port`, answer trimmed.
    pub fn cli(&self, port: u16, args: &[&str]) -> String {
        cli(port, args)
    }
}

/// A number field of a `SENTINEL master` answer (name and value alternate).
fn field(answer: &str, name: &str) -> Option<u64> {
    let mut lines = answer.lines();
    while let Some(line) = lines.next() {
        if line.trim() == name {
            return lines.next().and_then(|v| v.trim().parse().ok());
        }
    }
    None
}

fn redis_node(dir: &tempfile::TempDir, port: u16, replica_of: Option<u16>) -> Daemon {
    let folder = dir.path().join(format!("node-{port}"));
    std::fs::create_dir_all(&folder).expect("a node folder");
    let mut command = Command::new("redis-server");
    command
        .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
        .args(["--save", "", "--appendonly", "no"])
        .arg("--dir")
        .arg(&folder);
    if let Some(primary) = replica_of {
        command.args(["--replicaof", "127.0.0.1", &primary.to_string()]);
    }
    let child = command
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("redis-server starts: install Debian's redis-server package");
    Daemon {
        child: Some(child),
        port,
    }
}

/// A sentinel told of the replicas up front (it would find them within its
/// ten-second `INFO` period otherwise).
fn sentinel(
    dir: &tempfile::TempDir,
    n: usize,
    port: u16,
    primary: u16,
    replicas: &[u16],
) -> Daemon {
    let folder = dir.path().join(format!("sentinel-{n}"));
    std::fs::create_dir_all(&folder).expect("a sentinel folder");
    let conf = folder.join("sentinel.conf");
    let down = DOWN_AFTER.as_millis();
    let mut text = format!(
        "port {port}\nbind 127.0.0.1\ndir {dir}\n\
         sentinel monitor {SERVICE} 127.0.0.1 {primary} 2\n\
         sentinel down-after-milliseconds {SERVICE} {down}\n\
         sentinel failover-timeout {SERVICE} 4000\n\
         sentinel parallel-syncs {SERVICE} 2\n",
        dir = folder.display()
    );
    for replica in replicas {
        text.push_str(&format!(
            "sentinel known-replica {SERVICE} 127.0.0.1 {replica}\n"
        ));
    }
    std::fs::write(&conf, text).expect("the sentinel's configuration is written");
    let child = Command::new("redis-sentinel")
        .arg(&conf)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("redis-sentinel starts: install Debian's redis-sentinel package");
    Daemon {
        child: Some(child),
        port,
    }
}

/// `redis-cli -p PORT ARGS...`, its output trimmed (empty when it fails).
fn cli(port: u16, args: &[&str]) -> String {
    Command::new("redis-cli")
        .args(["-p", &port.to_string()])
        .args(args)
        .output()
        .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_owned())
        .unwrap_or_default()
}

async fn wait_until(what: &str, done: impl Fn() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !done() {
        assert!(Instant::now() < deadline, "never: {what}");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}
