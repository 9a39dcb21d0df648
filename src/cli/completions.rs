//! `conform completions SHELL` and `conform man`: shell completion scripts
//! and the manual page, generated from the same command definition the
//! parser uses, so they cannot drift from the flags.

use clap::CommandFactory;
use clap_complete::Shell;

use super::exit::{Exit, SUCCESS};
use super::Cli;

/// Arguments of `conform completions`.
#[derive(Debug, clap::Args)]
pub struct CompletionArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    shell: Shell,
}

/// Prints the completion script for the shell.
pub fn completions(args: CompletionArgs) -> anyhow::Result<Exit> {
    let mut command = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut command, "conform", &mut out);
    super::emit(&String::from_utf8_lossy(&out))?;
    Ok(SUCCESS)
}

/// Prints the manual page (roff) of `conform`.
pub fn man() -> anyhow::Result<Exit> {
    let mut out = Vec::new();
    clap_mangen::Man::new(Cli::command()).render(&mut out)?;
    super::emit(&String::from_utf8_lossy(&out))?;
    Ok(SUCCESS)
}
