//! The `pastebin` binary: parse the command line, hand over to the library.

use clap::Parser;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = pastebin::cli::Cli::parse();
    match pastebin::cli::run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            // The subscriber may not be up (bad configuration): write to stderr directly.
            eprintln!("pastebin: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
