//! The `pastebin` binary: parse the command line, hand over to the library.
//! Client commands run blocking; server commands get a Tokio runtime.

use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = match pastebin::cli::Cli::parse().into_client() {
        Ok(client) => {
            return match client.run() {
                Ok(()) => std::process::ExitCode::SUCCESS,
                Err(message) => {
                    eprintln!("pastebin: {message}");
                    std::process::ExitCode::FAILURE
                }
            };
        }
        Err(cli) => cli,
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("pastebin: cannot start the async runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(pastebin::cli::run(*cli)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            // The subscriber may not be up (bad configuration): write to stderr directly.
            eprintln!("pastebin: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
