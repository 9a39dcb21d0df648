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
    /// `info.title` (default: the document's title, or "Conform export").
    #[arg(long)]
    title: Option<String>,
    /// `info.version` (default: the document's version, or "unversioned").
    #[arg(long = "version", value_name = "VERSION")]
    version: Option<String>,
    /// A server URL (repeatable); default `https://{host}`.
    #[arg(long = "server", value_name = "URL", value_parser = server_url)]
    servers: Vec<String>,
    /// An SPDX licence identifier for `info.license` (`Apache-2.0`).
    #[arg(long, value_name = "SPDX")]
    license: Option<String>,
}

pub fn run(args: Args) -> anyhow::Result<Exit> {
    let Format::Openapi(args) = args.format;
    let contracts = spec::load_all(&args.paths)?;
    let options = export::ExportOptions {
        title: args.title,
        version: args.version,
        servers: args.servers,
        license: args.license,
    };
    let out = export::openapi_with(&contracts, &options);
    for d in &out.diagnostics {
        eprintln!("{d}");
    }
    // What was changed quietly is still said once, so nobody mistakes the
    // export's examples for the docs' text.
    let r = &out.repairs;
    if r.values + r.names + r.opened > 0 || !out.unused.is_empty() {
        eprintln!(
            "note: examples: {} placeholder values and {} enumeration names replaced, {} objects marked open; {} unused components left out",
            r.values,
            r.names,
            r.opened,
            out.unused.len()
        );
    }
    let text = serde_json::to_string_pretty(&out.document)? + "\n";
    match &args.output {
        Some(file) => std::fs::write(file, text)
            .with_context(|| format!("failed to write {}", file.display()))?,
        None => super::emit(&text)?,
    }
    Ok(SUCCESS)
}

/// A server URL the export may list: absolute, or relative to the
/// document (`/api`), as OpenAPI allows; templated hosts (`https://{host}`)
/// are kept as written.
fn server_url(text: &str) -> Result<String, String> {
    if text.starts_with('/') || text.contains('{') {
        return Ok(text.to_string());
    }
    match reqwest::Url::parse(text) {
        Ok(u) if !u.cannot_be_a_base() => Ok(text.to_string()),
        Ok(_) => Err("not a URL with a host or a path".into()),
        Err(e) => Err(format!("not a URL ({e})")),
    }
}
