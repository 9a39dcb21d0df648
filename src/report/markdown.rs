//! A summary fit for a pull-request comment: totals, the failures, what
//! errors in the documents left out, the coverage matrix and the
//! per-operation check table.

use std::fmt::Write as _;

use super::baseline::Baseline;
use super::coverage::{self, Cell};
use super::summary;
use super::{left_out, RunReport};

fn cell_text(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// The report as GitHub-flavoured markdown.
pub fn render(report: &RunReport) -> String {
    let t = &report.totals;
    let mut out = String::new();
    let verdict = match (t.failed, t.accepted) {
        (0, 0) => "passed",
        (0, _) => "passed with accepted failures",
        _ => "failed",
    };
    let _ = writeln!(
        out,
        "## Conformance run {verdict}\n\n{}.\n",
        summary::line(t, &report.left_out, report.millis)
    );
    if let Some(wanted) = summary::wanted_line(&report.not_run) {
        let _ = writeln!(out, "{}.\n", cell_text(&wanted));
    }
    if let Some(count) = left_out::count(&report.left_out) {
        let _ = writeln!(
            out,
            "{count} not run, for errors in the documents.\n\n\
             ### Not run\n\n| not run | why |\n|---|---|"
        );
        for l in &report.left_out {
            let _ = writeln!(
                out,
                "| `{}` | {} |",
                cell_text(&l.name),
                cell_text(&l.reason)
            );
        }
        out.push('\n');
    }
    if !report.leftovers.is_empty() {
        let _ = writeln!(
            out,
            "### Left behind\n\n{} item(s) cleanup could not delete.\n\n| item | created by | last delete | delete it with |\n|---|---|---|---|",
            report.leftovers.len()
        );
        for l in &report.leftovers {
            let _ = writeln!(
                out,
                "| `{}` | `{}` | {} | `{}` |",
                cell_text(&l.url),
                cell_text(&l.case),
                cell_text(&l.answer()),
                cell_text(&l.curl)
            );
        }
        out.push('\n');
    }
    let failures: Vec<String> = report
        .cases
        .iter()
        .flat_map(|o| {
            o.failures().map(move |(s, c)| {
                format!(
                    "| `{}` | {} | `{}` | {} | {} |",
                    cell_text(&o.name),
                    cell_text(&s.name),
                    c.check,
                    cell_text(c.message.as_deref().unwrap_or("")),
                    cell_text(&c.location)
                )
            })
        })
        .collect();
    if !failures.is_empty() {
        let _ = writeln!(
            out,
            "### Failures\n\n| case | step | check | why | docs |\n|---|---|---|---|---|"
        );
        for f in &failures {
            let _ = writeln!(out, "{f}");
        }
        out.push('\n');
    }
    let accepted: Vec<String> = report
        .cases
        .iter()
        .flat_map(|o| {
            Baseline::of(o).into_iter().map(move |(check, reason)| {
                format!(
                    "| `{}` | `{check}` | {} |",
                    cell_text(&o.name),
                    cell_text(reason)
                )
            })
        })
        .collect();
    if !accepted.is_empty() {
        let _ = writeln!(
            out,
            "### Accepted failures (baseline)\n\n| case | check | why accepted |\n|---|---|---|"
        );
        for a in &accepted {
            let _ = writeln!(out, "{a}");
        }
        out.push('\n');
    }
    if !report.now_passing.is_empty() {
        let _ = writeln!(out, "### Baseline entries that now pass\n");
        for e in &report.now_passing {
            let _ = writeln!(
                out,
                "- `{}` / `{}`: {}",
                cell_text(&e.case),
                e.check,
                cell_text(&e.reason)
            );
        }
        out.push('\n');
    }
    let columns = coverage::statuses(&report.coverage);
    let _ = writeln!(out, "### Coverage\n");
    let head: Vec<String> = columns.iter().map(u16::to_string).collect();
    let _ = writeln!(out, "| operation | {} |", head.join(" | "));
    let _ = writeln!(out, "|---|{}", "---|".repeat(columns.len()));
    for row in &report.coverage.rows {
        let cells: Vec<&str> = columns
            .iter()
            .map(
                |s| match row.cells.iter().find(|(x, _)| x == s).map(|(_, c)| c) {
                    Some(Cell::Conformant) => "✅",
                    Some(Cell::Failed) => "❌",
                    Some(Cell::NotExercised(_)) => "➖",
                    None => "",
                },
            )
            .collect();
        let _ = writeln!(
            out,
            "| `{}` | {} |",
            cell_text(&row.operation),
            cells.join(" | ")
        );
    }
    let _ = writeln!(
        out,
        "\n✅ conformant · ❌ failed · ➖ not exercised · blank: not documented\n"
    );
    for (status, why, n) in coverage::reasons(&report.coverage) {
        let _ = writeln!(out, "- ➖ {status} ({n}): {}", cell_text(&why));
    }
    let _ = writeln!(out, "\n### Checks per operation (passed/failed)\n");
    let used = summary::columns(&report.summary);
    let _ = writeln!(out, "| operation | {} |", used.join(" | "));
    let _ = writeln!(out, "|---|{}", "---|".repeat(used.len()));
    for row in &report.summary {
        let cells: Vec<String> = used.iter().map(|n| summary::cell(row, n)).collect();
        let _ = writeln!(
            out,
            "| `{}` | {} |",
            cell_text(&row.operation),
            cells.join(" | ")
        );
    }
    out
}
