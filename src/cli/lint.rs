//! `conform lint`: every diagnostic of every document, compiler-style.

use std::path::PathBuf;

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
}

pub fn run(args: Args) -> anyhow::Result<Exit> {
    if args.list_codes {
        println!("| code | severity | meaning |\n|---|---|---|");
        for code in spec::Code::ALL {
            println!(
                "| `{}` | {} | {} |",
                code.name(),
                code.severity(),
                code.explain()
            );
        }
        return Ok(SUCCESS);
    }
    let threshold = if args.deny.is_some() {
        Severity::Warning
    } else {
        Severity::Error
    };
    let (mut errors, mut warnings, mut docs) = (0, 0, 0);
    for path in &args.paths {
        for file in spec::documents(path)? {
            let text = String::from_utf8_lossy(&std::fs::read(&file)?).into_owned();
            let contract = spec::parse_bytes(&file.display().to_string(), text.as_bytes());
            docs += 1;
            for d in &contract.diagnostics {
                match d.severity {
                    Severity::Error => errors += 1,
                    Severity::Warning => warnings += 1,
                    Severity::Info => {}
                }
                let shown = if args.short {
                    format!("{d}\n")
                } else {
                    format!("{}\n", d.render(&text))
                };
                super::emit(&shown)?;
            }
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
