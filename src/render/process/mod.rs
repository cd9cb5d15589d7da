//! Renders in processes the server can stop.
//!
//! syntect's grammars run on a backtracking regex engine, and one regex over
//! one line can take minutes (a 6 KB line of Perl: 57 s); nothing inside the
//! thread can interrupt it, and a thread given up on keeps its core. So every
//! render runs in a render process (this binary, `render-process`), a few of
//! them long-lived, one request at a time each. A render that has not
//! answered by `render.max_millis` (plus a short grace for the answer to
//! arrive) is killed with its process, which gives back its CPU at once, and
//! a fresh process is started in its place.
//!
//! The processes are the lanes: at most `render.processes` renders run at
//! once, and a render waits a bounded time for one to be free.

pub(crate) mod child;
mod wire;

use std::collections::HashSet;
use std::path::PathBuf;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::Bytes;
use tokio::io::{AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::process::{Child, ChildStdin, ChildStdout, Command};
use tokio::sync::Semaphore;
use tokio::task::JoinHandle;

use super::{Limits, Rendered, VERSION};

/// The hidden subcommand a render process runs.
pub(crate) const SUBCOMMAND: &str = "render-process";

/// How long past `render.max_millis` an answer may take to arrive: the
/// process checks the deadline between lines and answers plain text itself;
/// only a render stuck inside one line is still running after this.
pub(crate) const KILL_GRACE: Duration = Duration::from_millis(50);

/// How long a new process may take to load its syntax set before it is
/// given up (a debug build on a loaded machine takes seconds).
const START_TIMEOUT: Duration = Duration::from_secs(60);

/// What came of one render.
#[derive(Debug)]
pub(crate) enum Outcome {
    /// The process answered.
    Rendered(Rendered),
    /// It did not answer within the deadline: it was killed.
    Killed,
    /// No render process was free within the wait.
    Busy,
    /// No render process could be started (a fault of the machine or the
    /// settings, not of the paste).
    Unavailable(String),
    /// The process died on this paste, or answered nonsense.
    Failed(String),
}

/// A running render process.
struct Process {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
    pid: u32,
    alive: Arc<Mutex<HashSet<u32>>>,
}

impl Drop for Process {
    /// Dropped is gone: killed and waited for by `stop`, or killed by
    /// `kill_on_drop` when a render's future is dropped mid-render.
    fn drop(&mut self) {
        self.alive
            .lock()
            .expect("the ids lock is never poisoned")
            .remove(&self.pid);
    }
}

/// One lane's process, as it stands between renders.
enum Slot {
    /// None yet (never started, or its start failed).
    Empty,
    /// Being started.
    Starting(JoinHandle<std::io::Result<Process>>),
    /// Ready for a request.
    Ready(Box<Process>),
}

/// The render processes of this server (or worker) process.
pub(crate) struct RenderPool {
    executable: PathBuf,
    limits: Limits,
    /// One permit per slot: a holder of a permit finds a slot to take.
    lanes: Arc<Semaphore>,
    slots: Mutex<Vec<Slot>>,
    /// Ids of the processes alive, for the operator's eye and for tests.
    alive: Arc<Mutex<HashSet<u32>>>,
}

impl RenderPool {
    /// `processes` render processes of `executable`, rendering within
    /// `limits`; none runs until `start` or the first render.
    pub(crate) fn new(executable: PathBuf, limits: Limits, processes: usize) -> Self {
        let processes = processes.max(1);
        Self {
            executable,
            limits,
            lanes: Arc::new(Semaphore::new(processes)),
            slots: Mutex::new((0..processes).map(|_| Slot::Empty).collect()),
            alive: Arc::default(),
        }
    }

    /// Starts every process now, so the first renders do not wait for one
    /// to load its syntax set. Needs a tokio runtime.
    pub(crate) fn start(&self) {
        let mut slots = self.slots.lock().expect("the slots lock is never poisoned");
        for slot in slots.iter_mut() {
            if matches!(slot, Slot::Empty) {
                *slot = Slot::Starting(self.spawn());
            }
        }
    }

    /// The bounds renders are made within.
    pub(crate) fn limits(&self) -> Limits {
        self.limits
    }

    /// Process ids of the render processes alive now.
    pub(crate) fn processes(&self) -> Vec<u32> {
        let alive = self.alive.lock().expect("the ids lock is never poisoned");
        alive.iter().copied().collect()
    }

    fn spawn(&self) -> JoinHandle<std::io::Result<Process>> {
        tokio::spawn(start(self.executable.clone(), self.alive.clone()))
    }

    /// Renders `text` in a render process, waiting at most `wait` for one to
    /// be free (or to finish starting); the render itself is cut at
    /// `render.max_millis` plus `KILL_GRACE`.
    pub(crate) async fn render(
        &self,
        text: &Bytes,
        language: Option<&str>,
        title: Option<&str>,
        wait: Duration,
    ) -> Outcome {
        let until = Instant::now() + wait;
        let Ok(Ok(_lane)) = tokio::time::timeout(wait, self.lanes.clone().acquire_owned()).await
        else {
            return Outcome::Busy;
        };
        let mut taken = Taken {
            pool: self,
            slot: Some(self.take_slot()),
            failed: None,
        };
        let mut process = match taken.slot.take() {
            Some(Slot::Ready(process)) => *process,
            Some(Slot::Starting(handle)) => {
                match self.finish_start(handle, until, &mut taken).await {
                    Some(process) => process,
                    None => return taken.outcome_of_start(),
                }
            }
            Some(Slot::Empty) | None => {
                match self.finish_start(self.spawn(), until, &mut taken).await {
                    Some(process) => process,
                    None => return taken.outcome_of_start(),
                }
            }
        };
        if let Ok(Some(status)) = process.child.try_wait() {
            // It died between renders (not on this paste): a fresh one.
            tracing::warn!(%status, "a render process had exited; starting another");
            drop(process);
            process = match self.finish_start(self.spawn(), until, &mut taken).await {
                Some(process) => process,
                None => return taken.outcome_of_start(),
            };
        }
        let request = wire::Request {
            language: language.map(str::to_owned),
            title: title.map(str::to_owned),
            max_bytes: self.limits.max_bytes,
            max_millis: u64::try_from(self.limits.max_time.as_millis()).unwrap_or(u64::MAX),
        };
        let frame = wire::encode(&request, text);
        let deadline = self.limits.max_time + KILL_GRACE;
        match tokio::time::timeout(deadline, exchange(&mut process, &frame)).await {
            Ok(Ok(rendered)) => {
                taken.slot = Some(Slot::Ready(Box::new(process)));
                Outcome::Rendered(rendered)
            }
            Ok(Err(e)) => {
                self.stop(process).await;
                taken.slot = Some(Slot::Starting(self.spawn()));
                Outcome::Failed(format!("the render process failed: {e}"))
            }
            Err(_) => {
                self.stop(process).await;
                taken.slot = Some(Slot::Starting(self.spawn()));
                Outcome::Killed
            }
        }
    }

    fn take_slot(&self) -> Slot {
        let mut slots = self.slots.lock().expect("the slots lock is never poisoned");
        // A permit is held, so a slot is there; were it not, one is made.
        let ready = slots.iter().position(|s| matches!(s, Slot::Ready(_)));
        match ready {
            Some(at) => slots.swap_remove(at),
            None => slots.pop().unwrap_or(Slot::Empty),
        }
    }

    /// Waits until `until` for a process being started; on timeout the start
    /// goes on in the slot (`taken`), on failure the slot is left empty.
    async fn finish_start(
        &self,
        mut handle: JoinHandle<std::io::Result<Process>>,
        until: Instant,
        taken: &mut Taken<'_>,
    ) -> Option<Process> {
        let left = until.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, &mut handle).await {
            Ok(Ok(Ok(process))) => Some(process),
            Ok(Ok(Err(e))) => {
                taken.failed = Some(format!(
                    "could not start a render process ({}): {e}",
                    self.executable.display()
                ));
                None
            }
            Ok(Err(e)) => {
                taken.failed = Some(format!("starting a render process stopped: {e}"));
                None
            }
            Err(_) => {
                taken.slot = Some(Slot::Starting(handle));
                None
            }
        }
    }

    /// Kills a process and waits for it (a killed process is gone at once).
    async fn stop(&self, mut process: Process) {
        let _ = process.child.start_kill();
        let _ = process.child.wait().await;
    }
}

/// A slot taken out of the pool for one render; it goes back when this is
/// dropped, whatever happened (a read whose client went away drops the
/// render future: its process, if it was rendering, is killed on drop).
struct Taken<'p> {
    pool: &'p RenderPool,
    slot: Option<Slot>,
    failed: Option<String>,
}

impl Taken<'_> {
    fn outcome_of_start(&mut self) -> Outcome {
        match self.failed.take() {
            Some(why) => Outcome::Unavailable(why),
            None => Outcome::Busy,
        }
    }
}

impl Drop for Taken<'_> {
    fn drop(&mut self) {
        let slot = self.slot.take().unwrap_or(Slot::Empty);
        self.pool
            .slots
            .lock()
            .expect("the slots lock is never poisoned")
            .push(slot);
    }
}

/// Starts a render process and waits until it says it is ready.
async fn start(executable: PathBuf, alive: Arc<Mutex<HashSet<u32>>>) -> std::io::Result<Process> {
    let mut child = Command::new(&executable)
        .arg(SUBCOMMAND)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .kill_on_drop(true)
        .spawn()?;
    let missing = || std::io::Error::other("the render process has no pipes");
    let stdin = child.stdin.take().ok_or_else(missing)?;
    let mut stdout = BufReader::new(child.stdout.take().ok_or_else(missing)?);
    let pid = child.id().unwrap_or_default();
    let mut ready = [0u8; 4];
    match tokio::time::timeout(START_TIMEOUT, stdout.read_exact(&mut ready)).await {
        Ok(Ok(_)) if &ready == wire::READY => {}
        Ok(Ok(_)) => {
            return Err(std::io::Error::other(
                "the render process did not say ready",
            ));
        }
        Ok(Err(e)) => return Err(e),
        Err(_) => {
            return Err(std::io::Error::other(
                "the render process did not start in time",
            ));
        }
    }
    alive
        .lock()
        .expect("the ids lock is never poisoned")
        .insert(pid);
    Ok(Process {
        child,
        stdin,
        stdout,
        pid,
        alive,
    })
}

/// Sends one request and reads its answer.
async fn exchange(process: &mut Process, frame: &[u8]) -> std::io::Result<Rendered> {
    process.stdin.write_all(frame).await?;
    process.stdin.flush().await?;
    let (header, body) = wire::read_async(&mut process.stdout).await?;
    let info: wire::Answer = wire::parse(&header)?;
    if info.version != VERSION {
        return Err(std::io::Error::other(format!(
            "the render process is of another release (renderer {}, not {VERSION})",
            info.version
        )));
    }
    String::from_utf8(body)
        .map(|html| Rendered {
            info,
            html: Bytes::from(html),
        })
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
}

#[cfg(test)]
mod tests;
