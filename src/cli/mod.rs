//! Subcommands: one file each, one `Command` enum naming them all.

mod checks;
mod completions;
mod diff;
pub mod exit;
mod export;
mod inspect;
mod lint;
mod mock;
mod report;
mod run;
mod schema;
pub mod style;

use clap::{Parser, Subcommand};

use exit::Exit;

/// Contract tests and conformance runs for services documented in markdown
/// API references.
#[derive(Debug, Parser)]
#[command(name = "conform", version, about)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Colour the output: `auto` on a terminal unless NO_COLOR is set.
    #[arg(long, global = true, value_enum, default_value_t = style::Color::Auto)]
    color: style::Color,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Print what the documents say: operations with statuses, definitions.
    Inspect(inspect::Args),
    /// Print the documents' diagnostics; exit 1 when there are errors.
    Lint(lint::Args),
    /// Serve the documents with the embedded reference server until Ctrl-C.
    Mock(mock::Args),
    /// Print the JSON Schemas derived from the documents' definitions.
    Schema(schema::Args),
    /// Write the contract in another format (`export openapi`).
    Export(export::Args),
    /// Classify the changes between two versions of the docs.
    Diff(diff::Args),
    /// Generate the conformance suite and run it against a server.
    Run(Box<run::Args>),
    /// Work on reports: `report merge` joins the JSON reports of shards.
    #[command(subcommand)]
    Report(report::Command),
    /// List the checks a run applies, with what each one claims.
    Checks(checks::Args),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions(completions::CompletionArgs),
    /// Print the manual page (roff): `conform man | man -l -`.
    Man,
}

/// Runs the parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<Exit> {
    cli.color.apply();
    match cli.command {
        Command::Inspect(args) => inspect::run(args),
        Command::Lint(args) => lint::run(args),
        Command::Mock(args) => mock::run(args),
        Command::Schema(args) => schema::run(args),
        Command::Export(args) => export::run(args),
        Command::Diff(args) => diff::run(args),
        Command::Run(args) => run::run(*args),
        Command::Checks(args) => checks::run(args),
        Command::Report(command) => report::run(command),
        Command::Completions(args) => completions::completions(args),
        Command::Man => completions::man(),
    }
}

/// An error and its causes as one line, `failed to read F: cause`, each
/// cause once: an error whose message already ends in its source's (a
/// `thiserror` message with `{source}` in it) is not followed by that
/// source again, as anyhow's `{:#}` would.
pub fn error_text(err: &anyhow::Error) -> String {
    let mut text = String::new();
    let mut previous = String::new();
    for cause in err.chain() {
        let message = cause.to_string();
        if text.is_empty() {
            text.push_str(&message);
        } else if !previous.ends_with(&message) {
            text.push_str(": ");
            text.push_str(&message);
        }
        previous = message;
    }
    text
}

/// Writes command output to stdout. A closed pipe (`conform ... | head`) is
/// the reader's choice, not a failure worth a message.
pub fn emit(text: &str) -> anyhow::Result<()> {
    use std::io::Write as _;
    // Strips the colours of `style` where they are not wanted (a pipe,
    // NO_COLOR, `--color never`).
    let mut stdout = anstream::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error)]
    #[error("failed to read f: {source}")]
    struct Inner {
        source: std::io::Error,
    }

    /// `--baseline /nonexistent.toml` printed `No such file or directory
    /// (os error 2)` twice: once in the message, once as its source.
    #[test]
    fn regression_an_io_cause_was_printed_twice() {
        let io = || std::io::Error::new(std::io::ErrorKind::NotFound, "gone");
        let err = anyhow::Error::new(Inner { source: io() });
        assert_eq!(error_text(&err), "failed to read f: gone");
        // A source the message leaves out is still shown, once.
        let err = anyhow::Error::new(io()).context("failed to write g");
        assert_eq!(error_text(&err), "failed to write g: gone");
        let err = anyhow::Error::new(Inner { source: io() }).context("failed to merge");
        assert_eq!(error_text(&err), "failed to merge: failed to read f: gone");
    }
}
