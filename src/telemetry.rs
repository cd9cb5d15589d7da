//! Logging: one `tracing` subscriber for the process, human or JSON lines.
//!
//! ERROR is for the service's own faults. The HTTP framework logs a client's
//! malformed request, oversized header or early hang-up at ERROR too, so any
//! client could fill the error log; those events are not printed but counted,
//! and `summarize_client_mistakes` logs the count at INFO once a minute.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tracing::field::{Field, Visit};
use tracing::{Event, Level, Metadata, Subscriber};
use tracing_subscriber::filter::{EnvFilter, FilterExt, filter_fn};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};
use tracing_subscriber::util::SubscriberInitExt;

use crate::configuration::{LogFormat, LogSettings};

/// Where the framework reports what a client got wrong on the connection.
const CLIENT_TARGETS: &[&str] = &["actix_http::h1"];

/// How often the count of client mistakes is logged, at most.
const SUMMARY_EVERY: Duration = Duration::from_secs(60);

/// Client mistakes since the last summary.
static MISTAKES: AtomicU64 = AtomicU64::new(0);
/// The latest one's message, as an example in the summary.
static LATEST: Mutex<String> = Mutex::new(String::new());

fn is_client_mistake(meta: &Metadata<'_>) -> bool {
    *meta.level() == Level::ERROR && CLIENT_TARGETS.iter().any(|t| meta.target().starts_with(t))
}

/// Counts client mistakes instead of printing them.
struct ClientMistakes;

/// Takes an event's message.
struct Message(String);

impl Visit for Message {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            self.0 = format!("{value:?}");
        }
    }
}

impl<S: Subscriber> Layer<S> for ClientMistakes {
    fn on_event(&self, event: &Event<'_>, _: Context<'_, S>) {
        MISTAKES.fetch_add(1, Ordering::Relaxed);
        let mut message = Message(String::new());
        event.record(&mut message);
        message.0.truncate(200);
        *LATEST.lock().unwrap_or_else(|p| p.into_inner()) = message.0;
    }
}

/// Installs the subscriber. `RUST_LOG` wins over `log.level`. Calling it twice
/// (tests start many apps in one process) keeps the first.
pub fn init(settings: &LogSettings) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| settings.level.filter());
    let printed = filter.and(filter_fn(|meta| !is_client_mistake(meta)));
    let counted = ClientMistakes.with_filter(filter_fn(is_client_mistake));
    // Colours only on a terminal: a log file or journald gets plain text.
    let fmt = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()));
    let registry = tracing_subscriber::registry().with(counted);
    let _ = match settings.format {
        LogFormat::Human => registry.with(fmt.with_filter(printed)).try_init(),
        LogFormat::Json => registry
            .with(
                fmt.json()
                    .flatten_event(true)
                    .with_current_span(true)
                    .with_filter(printed),
            )
            .try_init(),
    };
}

/// Logs, at most once a minute, how many client mistakes were counted (runs
/// until the process ends; `serve` starts it).
pub(crate) async fn summarize_client_mistakes() {
    let mut every = tokio::time::interval(SUMMARY_EVERY);
    every.tick().await;
    loop {
        every.tick().await;
        let count = MISTAKES.swap(0, Ordering::Relaxed);
        if count > 0 {
            let latest = LATEST.lock().unwrap_or_else(|p| p.into_inner()).clone();
            tracing::info!(
                count,
                latest = %latest,
                "connections ended by a client's mistake in the last minute (malformed or oversized requests, early hang-ups)"
            );
        }
    }
}
