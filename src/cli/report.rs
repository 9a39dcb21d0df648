//! `conform report merge`: the JSON reports of the shards of one run
//! (`run --partition K/N --json F`) merged into one report, written as
//! JUnit, markdown or JSON, with the summary line of an unsharded run.

use std::path::PathBuf;

use conform::report::{html, json, junit, markdown, merge, score, summary};

use super::exit::{Exit, FAILED, NO_CASE_RUN, SUCCESS};

/// `conform report ...`.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Merge the JSON reports of a run's shards into one report; exit as
    /// the unsharded run would (1 on a failure, 4 when no case ran).
    Merge(MergeArgs),
}

/// Arguments of `conform report merge`.
#[derive(Debug, clap::Args)]
pub struct MergeArgs {
    /// The shards' JSON reports (`conform run --partition ... --json F`).
    #[arg(required = true, value_name = "SHARD.json")]
    reports: Vec<PathBuf>,
    /// Write the merged report as JUnit XML here.
    #[arg(long, value_name = "FILE")]
    junit: Option<PathBuf>,
    /// Write the merged report as markdown here.
    #[arg(long, value_name = "FILE")]
    markdown: Option<PathBuf>,
    /// Write the merged report as JSON here.
    #[arg(long, value_name = "FILE")]
    json: Option<PathBuf>,
    /// Write the merged report as one self-contained HTML page here.
    #[arg(long, value_name = "FILE")]
    html: Option<PathBuf>,
}

/// Runs `conform report`.
pub fn run(command: Command) -> anyhow::Result<Exit> {
    let Command::Merge(args) = command;
    let mut reports = Vec::new();
    for path in &args.reports {
        reports.push((path.display().to_string(), merge::load(path)?));
    }
    let report = merge::merge(reports)?;
    let write = |path: &PathBuf, text: String| {
        std::fs::write(path, text)
            .map_err(|e| anyhow::anyhow!("failed to write {}: {e}", path.display()))
    };
    if let Some(path) = &args.junit {
        write(path, junit::render(&report)?)?;
    }
    if let Some(path) = &args.markdown {
        write(path, markdown::render(&report))?;
    }
    if let Some(path) = &args.json {
        write(path, json::render(&report)?)?;
    }
    if let Some(path) = &args.html {
        write(path, html::render(&report))?;
    }
    let t = &report.totals;
    super::emit(&format!(
        "{} merged: {}\n{}\n",
        args.reports.len(),
        super::style::summary(&summary::line(t, &report.left_out, report.millis)),
        score::score(&report.coverage).line(),
    ))?;
    Ok(if t.failed > 0 {
        FAILED
    } else if t.cases == 0 {
        NO_CASE_RUN
    } else {
        SUCCESS
    })
}
