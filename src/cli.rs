//! The command line: one binary, `serve` by default.

use std::path::PathBuf;

use clap::{Parser, Subcommand};
use tokio::sync::watch;

use crate::configuration::Settings;
use crate::startup::{Application, migrate, worker_parts};
use crate::telemetry;

/// A pastebin that scales out the classic way.
#[derive(Debug, Parser)]
#[command(name = "pastebin", version, about)]
pub struct Cli {
    /// A configuration file layered over the defaults (also PASTEBIN_CONFIG).
    #[arg(long, global = true, value_name = "FILE")]
    pub(crate) config: Option<PathBuf>,
    /// What to run; `serve` when omitted.
    #[command(subcommand)]
    pub(crate) command: Option<Command>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Serve HTTP (the default).
    Serve,
    /// Run background jobs (the sweep of expired pastes) against the store.
    Worker,
    /// Create or update the store's schema and indexes, then exit.
    Migrate,
    /// A render process: renders requests from stdin to stdout (started by
    /// `serve` and `worker`, which kill it when a render outlives its
    /// deadline; not for people).
    #[command(name = "render-process", hide = true)]
    RenderProcess,
}

/// Runs the command line.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    if let Some(Command::RenderProcess) = cli.command {
        // No settings, no logs: stdout is the channel, the limits come with
        // each request.
        return tokio::task::spawn_blocking(crate::render::process::child::run)
            .await?
            .map_err(|e| anyhow::anyhow!("render process: {e}"));
    }
    let settings = Settings::load(cli.config.as_deref())?;
    telemetry::init(&settings.log);
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => {
            tokio::spawn(telemetry::summarize_client_mistakes());
            Application::build(settings)
                .await?
                .run_until_stopped()
                .await
        }
        Command::Worker => worker(settings).await,
        Command::RenderProcess => Ok(()),
        Command::Migrate => {
            let backend = migrate(&settings).await?;
            tracing::info!(backend, "schema and indexes are in place");
            Ok(())
        }
    }
}

async fn worker(settings: Settings) -> anyhow::Result<()> {
    let (worker, scheduler) = worker_parts(&settings).await?;
    let (stop_tx, stop_rx) = watch::channel(false);
    tokio::spawn(async move {
        shutdown_signal().await;
        tracing::info!("stopping after the job in hand");
        let _ = stop_tx.send(true);
    });
    tracing::info!("worker running; SIGINT or SIGTERM stops it");
    worker.run(Some(scheduler), stop_rx).await;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(term) => term,
                Err(_) => {
                    let _ = ctrl_c.await;
                    return;
                }
            };
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn serve_is_the_default() {
        let cli = Cli::try_parse_from(["pastebin"]).expect("parses");
        assert!(cli.command.is_none());
        let cli =
            Cli::try_parse_from(["pastebin", "--config", "x.toml", "migrate"]).expect("parses");
        assert!(matches!(cli.command, Some(Command::Migrate)));
        let cli =
            Cli::try_parse_from(["pastebin", crate::render::process::SUBCOMMAND]).expect("parses");
        assert!(matches!(cli.command, Some(Command::RenderProcess)));
    }
}
