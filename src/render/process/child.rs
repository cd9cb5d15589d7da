//! The render process (`pastebin render-process`, hidden): takes requests on
//! stdin and answers on stdout, one at a time, until its input ends. The
//! server kills it when a render outlives its deadline, which is the only
//! way to stop a grammar's regex inside one line; as a second line, a
//! watchdog thread ends the process itself a little later, so a render can
//! never outlive a server that was killed before it could kill it.
//!
//! It reads no settings and writes no logs (stdout is the channel): the
//! limits come with each request.

use std::io::Write;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::wire;
use crate::render::{Limits, Renderer, catalog};

/// How long past a request's own deadline the watchdog lets a render run
/// (the server kills it well before; this is for a server that is gone).
const WATCHDOG_GRACE: Duration = Duration::from_secs(2);

/// Serves requests until stdin ends; an error ends the process.
pub fn run() -> std::io::Result<()> {
    catalog();
    let mut input = std::io::stdin().lock();
    let mut output = std::io::BufWriter::new(std::io::stdout().lock());
    output.write_all(wire::READY)?;
    output.flush()?;
    let watchdog = watchdog();
    while let Some((header, body)) = wire::read_blocking(&mut input)? {
        let request: wire::Request = wire::parse(&header)?;
        let limit = Duration::from_millis(request.max_millis);
        let _ = watchdog.send(Some(Instant::now() + limit + WATCHDOG_GRACE));
        let renderer = Renderer::new(Limits {
            max_bytes: request.max_bytes,
            max_time: limit,
        });
        let text = std::str::from_utf8(&body).unwrap_or_default();
        let rendered = renderer.render(text, request.language.as_deref(), request.title.as_deref());
        let _ = watchdog.send(None);
        output.write_all(&wire::encode(&rendered.info, &rendered.html))?;
        output.flush()?;
    }
    Ok(())
}

/// A thread that exits the process when a render it was told of is still
/// running at its time (`Some(at)` arms it, `None` disarms it).
fn watchdog() -> mpsc::Sender<Option<Instant>> {
    let (tx, rx) = mpsc::channel::<Option<Instant>>();
    std::thread::spawn(move || {
        let mut armed: Option<Instant> = None;
        loop {
            let next = match armed {
                Some(at) => rx.recv_timeout(at.saturating_duration_since(Instant::now())),
                None => rx.recv().map_err(|_| mpsc::RecvTimeoutError::Disconnected),
            };
            match next {
                Ok(at) => armed = at,
                Err(mpsc::RecvTimeoutError::Timeout) => std::process::exit(3),
                Err(mpsc::RecvTimeoutError::Disconnected) => return,
            }
        }
    });
    tx
}
