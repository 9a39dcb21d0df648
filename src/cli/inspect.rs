//! `conform inspect`: a readable summary, or the full model as JSON.

use std::fmt::Write as _;
use std::path::PathBuf;

use conform::spec::{self, Contract, DefinitionKind};

use super::exit::{Exit, SUCCESS};

/// Arguments of `conform inspect`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Documents, or directories of `.md` and `.txt` documents.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Print the full contract model as JSON: `{"contracts": [...]}`.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> anyhow::Result<Exit> {
    // One document at a time: a large tree of documents is never held in
    // memory whole, and output starts before the last one is read.
    let mut files = Vec::new();
    for path in &args.paths {
        files.extend(spec::documents(path)?);
    }
    if !args.json {
        for file in &files {
            super::emit(&summary(&spec::load(file)?))?;
        }
        return Ok(SUCCESS);
    }
    if files.is_empty() {
        super::emit("{\n  \"contracts\": []\n}\n")?;
        return Ok(SUCCESS);
    }
    super::emit("{\n  \"contracts\": [\n")?;
    for (i, file) in files.iter().enumerate() {
        let contract = spec::load(file)?;
        let mut out = indented(&serde_json::to_string_pretty(&contract)?);
        out.push_str(if i + 1 == files.len() { "\n" } else { ",\n" });
        super::emit(&out)?;
    }
    super::emit("  ]\n}\n")?;
    Ok(SUCCESS)
}

/// Pretty JSON of one contract, indented to sit inside `"contracts": [`.
/// JSON strings never hold a raw line break, so indenting lines is safe.
fn indented(json: &str) -> String {
    let mut out = String::with_capacity(json.len() + json.len() / 8);
    for (i, line) in json.lines().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str("    ");
        out.push_str(line);
    }
    out
}

/// The human summary of one contract.
pub fn summary(c: &Contract) -> String {
    let mut out = String::new();
    let dialect = serde_json::to_value(c.dialect).ok();
    let _ = writeln!(
        out,
        "{} ({}) {}{}",
        c.source,
        dialect.as_ref().and_then(|d| d.as_str()).unwrap_or("?"),
        c.title.as_deref().unwrap_or("(untitled)"),
        c.version
            .as_deref()
            .map(|v| format!(" {v}"))
            .unwrap_or_default()
    );
    let _ = writeln!(
        out,
        "  {} operations, {} definitions, {} diagnostics",
        c.operations.len(),
        c.definitions.len(),
        c.diagnostics.len()
    );
    for op in &c.operations {
        let _ = writeln!(
            out,
            "  {:<7}{}  ({})",
            op.method.as_str(),
            op.path,
            op.summary
        );
        let statuses: Vec<String> = op
            .responses
            .iter()
            .map(|r| match &r.body {
                Some(b) => format!("{} {b}", r.status),
                None => r.status.to_string(),
            })
            .collect();
        let _ = writeln!(out, "         {}", statuses.join(" · "));
        let query: Vec<&str> = op.query_params.iter().map(|p| p.name.as_str()).collect();
        if !query.is_empty() {
            let _ = writeln!(out, "         query: {}", query.join(", "));
        }
        if let Some(body) = &op.request_body {
            let _ = writeln!(
                out,
                "         body: {}",
                body.definition.as_deref().unwrap_or("(example only)")
            );
        }
        if !op.roles.is_empty() {
            let _ = writeln!(out, "         roles: {}", op.roles.join(", "));
        }
    }
    if !c.definitions.is_empty() {
        let _ = writeln!(out, "  definitions:");
    }
    for d in &c.definitions {
        match &d.kind {
            DefinitionKind::Object { properties } => {
                let names: Vec<&str> = properties.iter().map(|p| p.name.as_str()).collect();
                let _ = writeln!(out, "    {} {{{}}}", d.name, names.join(", "));
            }
            DefinitionKind::Enum { values } => {
                let names: Vec<String> = values.iter().map(|v| v.value.to_string()).collect();
                let _ = writeln!(out, "    {} = {}", d.name, names.join(" | "));
            }
        }
    }
    out
}
