//! `conform export`: the contract in formats other tools read.

use std::path::PathBuf;

use anyhow::Context as _;
use conform::{export, spec};

use super::exit::{Exit, SUCCESS};

/// Arguments of `conform export`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    format: Format,
}

#[derive(Debug, clap::Subcommand)]
enum Format {
    /// An OpenAPI 3.1 document (JSON) of every document given.
    Openapi(OpenApiArgs),
}

/// Arguments of `conform export openapi`.
#[derive(Debug, clap::Args)]
struct OpenApiArgs {
    /// Documents, or directories of `.md` and `.txt` documents.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Write to this file instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<Exit> {
    let Format::Openapi(args) = args.format;
    let contracts = spec::load_all(&args.paths)?;
    let out = export::openapi(&contracts);
    for d in &out.diagnostics {
        eprintln!("{d}");
    }
    let text = serde_json::to_string_pretty(&out.document)? + "\n";
    match &args.output {
        Some(file) => std::fs::write(file, text)
            .with_context(|| format!("failed to write {}", file.display()))?,
        None => super::emit(&text)?,
    }
    Ok(SUCCESS)
}
