//! A progress line for large uploads, on stderr and only when stderr is a
//! terminal (a pipe or a log gets nothing but the result).

use std::io::{IsTerminal, Read, Write};
use std::time::{Duration, Instant};

/// Uploads smaller than this finish before a line would be worth reading.
const SHOWN_FROM_BYTES: u64 = 256 * 1024;
/// How often the line is redrawn.
const EVERY: Duration = Duration::from_millis(100);

/// A reader that redraws `label: 42% (1.2 of 2.8 MiB)` as it is read.
pub(crate) struct Progress<R> {
    inner: R,
    total: u64,
    sent: u64,
    label: String,
    shown: bool,
    last_drawn: Option<Instant>,
}

impl<R: Read> Progress<R> {
    /// Shows progress only for `total` past the threshold and a terminal on stderr.
    pub(crate) fn new(inner: R, total: u64, label: &str) -> Self {
        Self {
            inner,
            total,
            sent: 0,
            label: label.to_owned(),
            shown: total >= SHOWN_FROM_BYTES && std::io::stderr().is_terminal(),
            last_drawn: None,
        }
    }

    fn draw(&mut self, done: bool) {
        let now = Instant::now();
        if !done
            && self
                .last_drawn
                .is_some_and(|t| now.duration_since(t) < EVERY)
        {
            return;
        }
        self.last_drawn = Some(now);
        let mib = |b: u64| b as f64 / (1024.0 * 1024.0);
        let percent = self.sent.saturating_mul(100) / self.total.max(1);
        let mut err = std::io::stderr().lock();
        let _ = write!(
            err,
            "\r{}: {percent:>3}% ({:.1} of {:.1} MiB)",
            self.label,
            mib(self.sent),
            mib(self.total)
        );
        if done {
            let _ = writeln!(err);
        }
        let _ = err.flush();
    }
}

impl<R: Read> Read for Progress<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if self.shown {
            self.sent += n as u64;
            self.draw(n == 0 || self.sent >= self.total);
            if self.sent >= self.total {
                self.shown = false;
            }
        }
        Ok(n)
    }
}
