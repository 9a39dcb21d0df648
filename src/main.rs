//! The `conform` command line.

use std::process::ExitCode;

use clap::Parser;

mod cli;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match cli::run(args) {
        Ok(code) => code.into(),
        Err(err) => {
            eprintln!("error: {}", cli::error_text(&err));
            cli::exit::USAGE.into()
        }
    }
}
