//! `conform diff`: classified changes between two versions of the docs.

use std::path::PathBuf;

use conform::diff::{self, render, Class, DiffOptions, PathMap};
use conform::spec::{self, Severity};

use super::exit::{Exit, FAILED, SUCCESS};

/// Arguments of `conform diff`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The old document, or a directory of them.
    old: PathBuf,
    /// The new document, or a directory of them.
    new: PathBuf,
    /// `OLD_PREFIX=NEW_PREFIX`: rewrite old paths before pairing operations
    /// (repeatable; the first that applies wins).
    #[arg(long = "path-map", value_name = "OLD_PREFIX=NEW_PREFIX", value_parser = parse_map)]
    path_map: Vec<PathMap>,
    /// Print the changes as JSON.
    #[arg(long, conflicts_with = "markdown")]
    json: bool,
    /// Print a markdown report for a pull-request comment.
    #[arg(long)]
    markdown: bool,
    /// Exit 1 when a change of this class is found: `breaking` (either
    /// breaking class), `clients` or `implementations`.
    #[arg(long, value_name = "CLASS", value_parser = ["breaking", "clients", "implementations"])]
    fail_on: Option<String>,
}

pub(crate) fn parse_map(text: &str) -> Result<PathMap, String> {
    PathMap::parse(text).map_err(|e| e.to_string())
}

/// Whether `class` trips `--fail-on`.
fn trips(fail_on: &str, class: Class) -> bool {
    match fail_on {
        "breaking" => class.is_breaking(),
        "clients" => class == Class::BreakingForClients,
        "implementations" => class == Class::BreakingForImplementations,
        _ => false,
    }
}

/// Loads both sides, compares each pair of documents, prints the report
/// and turns `--fail-on` into the exit code.
pub fn run(args: Args) -> anyhow::Result<Exit> {
    let old = spec::load_all(std::slice::from_ref(&args.old))?;
    let new = spec::load_all(std::slice::from_ref(&args.new))?;
    for c in old.iter().chain(&new) {
        let errors = c
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count();
        if errors > 0 {
            eprintln!(
                "warning: {} has {errors} error diagnostics; the diff may miss what they hide (see `conform lint`)",
                c.source
            );
        }
    }
    let options = DiffOptions {
        path_map: args.path_map,
    };
    let diffs = diff::compare_all(&old, &new, &options);
    let text = if args.json {
        let mut s = serde_json::to_string_pretty(&render::json(&diffs))?;
        s.push('\n');
        s
    } else if args.markdown {
        render::markdown(&diffs)
    } else {
        render::human(&diffs)
    };
    super::emit(&text)?;
    let failed = args.fail_on.as_deref().is_some_and(|f| {
        diffs
            .iter()
            .flat_map(|d| &d.changes)
            .any(|c| trips(f, c.class))
    });
    Ok(if failed { FAILED } else { SUCCESS })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fail_on_classes() {
        assert!(trips("breaking", Class::BreakingForImplementations));
        assert!(trips("breaking", Class::BreakingForClients));
        assert!(!trips("breaking", Class::Compatible));
        assert!(!trips("clients", Class::BreakingForImplementations));
        assert!(trips("implementations", Class::BreakingForImplementations));
    }
}
