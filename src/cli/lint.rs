//! `conform lint`: every diagnostic of every document, compiler-style: the
//! reader's, the schema derivation's, and every example body that
//! contradicts the schema it illustrates.

use std::path::PathBuf;

use conform::schema::{self, SchemaOptions, Schemas};
use conform::spec::{self, Severity};

use super::exit::{Exit, FAILED, SUCCESS};

/// Arguments of `conform lint`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Documents, or directories of `.md` and `.txt` documents.
    #[arg(required_unless_present = "list_codes")]
    paths: Vec<PathBuf>,
    /// Print the table of diagnostic codes (markdown) and exit.
    #[arg(long)]
    list_codes: bool,
    /// `--deny warnings` makes warnings fail the lint too.
    #[arg(long, value_parser = ["warnings"])]
    deny: Option<String>,
    /// One line per diagnostic, without the source excerpt.
    #[arg(long)]
    short: bool,
    /// Report example members their definition does not declare (the
    /// generator's `property1`/`property2` samples excepted).
    #[arg(long)]
    strict: bool,
}

pub fn run(args: Args) -> anyhow::Result<Exit> {
    if args.list_codes {
        println!("| code | severity | meaning |\n|---|---|---|");
        let reader = spec::Code::ALL
            .iter()
            .map(|c| (c.name(), c.severity(), c.explain()));
        let schemas = schema::SchemaCode::ALL
            .iter()
            .map(|c| (c.name(), c.severity(), c.explain()));
        for (name, severity, explain) in reader.chain(schemas) {
            println!("| `{name}` | {severity} | {explain} |");
        }
        return Ok(SUCCESS);
    }
    let threshold = if args.deny.is_some() {
        Severity::Warning
    } else {
        Severity::Error
    };
    let options = SchemaOptions {
        strict: args.strict,
        formats: true,
    };
    let (mut errors, mut warnings, mut docs) = (0, 0, 0);
    for path in &args.paths {
        for file in spec::documents(path)? {
            // The text the reader saw (invalid bytes replaced, line endings
            // made LF), so lint shows what inspect shows, at the same lines.
            let spec::Document { contract, text } = spec::load_document(&file)?;
            let schemas = Schemas::derive(&contract, options);
            let mut diagnostics = contract.diagnostics.clone();
            diagnostics.extend_from_slice(schemas.diagnostics());
            diagnostics.extend(schema::check_examples(&contract, &schemas, &text));
            // Reader diagnostics come in document order; keep the whole
            // list so, with the reader's first among equal lines.
            diagnostics.sort_by_key(|d| d.line);
            docs += 1;
            // Split once: excerpts are then found by index, not by a walk.
            let lines: Vec<&str> = text.lines().collect();
            // One write per document, not one per diagnostic.
            let mut shown = String::new();
            for d in &diagnostics {
                match d.severity {
                    Severity::Error => errors += 1,
                    Severity::Warning => warnings += 1,
                    Severity::Info => {}
                }
                if args.short {
                    shown.push_str(&format!("{d}\n"));
                } else {
                    shown.push_str(&d.render_with(&lines));
                    shown.push('\n');
                }
            }
            super::emit(&shown)?;
        }
    }
    super::emit(&format!(
        "{errors} errors, {warnings} warnings in {docs} documents\n"
    ))?;
    let failing = match threshold {
        Severity::Error => errors > 0,
        _ => errors + warnings > 0,
    };
    Ok(if failing { FAILED } else { SUCCESS })
}
