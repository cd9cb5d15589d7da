//! The command line: one binary, `serve` by default; `paste`, `get`,
//! `delete` and `login` are the client (`crate::client`), which runs without
//! the server's configuration or async runtime.

mod admin;

use std::path::PathBuf;

use clap::{Parser, Subcommand};
use tokio::sync::watch;

use crate::client::ClientCommand;
use crate::configuration::Settings;
use crate::startup::{Application, migrate, worker_parts};
use crate::telemetry;

/// Where `serve` listens and keeps pastes, said once for `--help`.
const WHERE: &str = "\
Serving (`pastebin` or `pastebin serve`):
  listens on 127.0.0.1:8080; set PASTEBIN__SERVER__HOST and PASTEBIN__SERVER__PORT
  (or server.host and server.port in a --config file) to change it.
  Pastes live in the embedded store in ./data (PASTEBIN__STORE__PATH, store.path),
  or in MongoDB when mongodb.uri is set. Every key: config/default.toml.";

/// A pastebin that scales out the classic way.
#[derive(Debug, Parser)]
#[command(name = "pastebin", version, about, after_help = WHERE)]
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
    /// Serve HTTP (the default): the pages, raw text, curl and the JSON API.
    #[command(after_help = WHERE)]
    Serve,
    /// Run background jobs against the same store (and Redis) as `serve`.
    ///
    /// A worker takes the jobs the servers queue and runs the periodic ones:
    /// it assembles a new paste's view (highlighted or rendered) and caches it
    /// ahead of its first read, folds counted visits into each paste's
    /// statistics, and sweeps expired pastes and their cached views. With
    /// Redis (redis.url) the jobs are shared by every worker and survive a
    /// restart; without it `serve` runs them itself and no worker is needed.
    Worker,
    /// Create or update the store's schema and indexes, then exit.
    Migrate,
    /// The operator's tools: take a paste down, disable an account, list
    /// recent pastes and readers' reports, read the audit log. They act on
    /// the same store and Redis as `serve` (same configuration), so every
    /// clone follows.
    Admin(admin::AdminArgs),
    /// A render process: renders requests from stdin to stdout (started by
    /// `serve` and `worker`, which kill it when a render outlives its
    /// deadline; not for people).
    #[command(name = "render-process", hide = true)]
    RenderProcess,
    /// The client's commands, flattened in (`pastebin paste`...).
    #[command(flatten)]
    Client(ClientCommand),
}

impl Cli {
    /// Takes out a client command: it runs blocking, before any async runtime
    /// exists; the rest goes to `run`. `Err(self)` when it is a server command.
    pub fn into_client(self) -> Result<ClientRun, Box<Self>> {
        match self.command {
            Some(Command::Client(command)) => Ok(ClientRun(command)),
            _ => Err(Box::new(self)),
        }
    }
}

/// A client command, ready to run (see `Cli::into_client`).
#[derive(Debug)]
pub struct ClientRun(ClientCommand);

impl ClientRun {
    /// Runs it, blocking; the error is the whole message for the user.
    pub fn run(self) -> Result<(), String> {
        crate::client::run(self.0).map_err(|e| e.to_string())
    }
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
        Command::Admin(args) => admin::run(settings, args).await,
        Command::RenderProcess => Ok(()),
        Command::Client(command) => crate::client::run(command).map_err(anyhow::Error::from),
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

    #[test]
    fn client_commands_sit_beside_the_server_ones() {
        let cli = Cli::try_parse_from(["pastebin", "paste", "a.rs", "b.py", "--expires", "1d"])
            .expect("parses");
        assert!(matches!(cli.command, Some(Command::Client(_))));
        assert!(cli.into_client().is_ok());
        let serve = Cli::try_parse_from(["pastebin", "serve"]).expect("parses");
        assert!(serve.into_client().is_err());
        assert!(Cli::try_parse_from(["pastebin", "paste", "--private", "--unlisted"]).is_err());
        assert!(
            Cli::try_parse_from(["pastebin", "get"]).is_err(),
            "get needs ID|URL"
        );
    }
}
