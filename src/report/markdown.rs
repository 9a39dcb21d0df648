//! A summary fit for a pull-request comment: totals, the failures, what
//! errors in the documents left out, the conformance score, the coverage
//! matrix, the role matrix and the per-operation check table.

use std::fmt::Write as _;

use super::baseline::Baseline;
use super::coverage::{self, Cell};
use super::summary;
use super::{left_out, score, RunReport};

fn cell_text(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// GitHub refuses comments over 65,536 characters; the report stays under
/// this with room for a heading around it.
pub const MAX_CHARS: usize = 60_000;

/// Rows a table shows before the rest are counted.
const MAX_ROWS: usize = 100;

/// The report as GitHub-flavoured markdown, at most [`MAX_CHARS`]
/// characters: each table shows [`MAX_ROWS`] rows and counts the rest, and
/// what still does not fit is cut at a line with a pointer to the full
/// JSON report.
pub fn render(report: &RunReport) -> String {
    let mut out = full(report);
    if out.len() > MAX_CHARS {
        let note = "\n… the report is cut here to fit a pull-request comment; \
                    `--json FILE` has all of it.\n";
        let mut at = MAX_CHARS - note.len();
        while !out.is_char_boundary(at) {
            at -= 1;
        }
        let at = out[..at].rfind('\n').unwrap_or(0);
        out.truncate(at);
        out.push_str(note);
    }
    out
}

/// The rows of a table, at most [`MAX_ROWS`] of them and a last line that
/// counts the rest.
fn capped(rows: &[String], columns: usize) -> String {
    let mut out = String::new();
    for row in rows.iter().take(MAX_ROWS) {
        let _ = writeln!(out, "{row}");
    }
    if rows.len() > MAX_ROWS {
        let _ = writeln!(
            out,
            "| … {} more rows in the JSON report |{}",
            rows.len() - MAX_ROWS,
            " |".repeat(columns.saturating_sub(1))
        );
    }
    out
}

/// The role matrix: one row per operation that lists roles, each role
/// served (allowed) or refused (not allowed) as documented, failed, or not
/// testable; the reasons follow the table, grouped.
fn roles(c: &coverage::Coverage) -> String {
    let mut out = String::new();
    if c.roles.is_empty() {
        return out;
    }
    let _ = writeln!(out, "\n### Roles\n\n| operation | roles |\n|---|---|");
    let rows: Vec<String> = c
        .roles
        .iter()
        .map(|row| {
            let cells: Vec<String> = row
                .cells
                .iter()
                .map(|cell| {
                    let mark = match &cell.cell {
                        Cell::Conformant => "✅",
                        Cell::Failed => "❌",
                        Cell::NotExercised(_) => "➖",
                    };
                    format!("{mark} {} ({})", cell_text(&cell.role), cell.verb())
                })
                .collect();
            format!(
                "| `{}` | {} |",
                cell_text(&row.operation),
                cells.join(" · ")
            )
        })
        .collect();
    out.push_str(&capped(&rows, 2));
    let _ = writeln!(
        out,
        "\n✅ served (allowed) or refused (not allowed) as documented · ❌ failed · ➖ not testable\n"
    );
    for (reason, n) in coverage::role_reasons(c).into_iter().take(MAX_ROWS) {
        let _ = writeln!(out, "- ➖ ({n}): {}", cell_text(reason));
    }
    out
}

fn full(report: &RunReport) -> String {
    let t = &report.totals;
    let mut out = String::new();
    let verdict = match (t.failed, t.accepted) {
        (0, 0) => "passed",
        (0, _) => "passed with accepted failures",
        _ => "failed",
    };
    let score = score::score(&report.coverage);
    let _ = writeln!(
        out,
        "## Conformance run {verdict}\n\n{}.\n\n{}.\n",
        summary::line(t, &report.left_out, report.millis),
        score.line()
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
        out.push_str(&capped(&failures, 5));
        out.push('\n');
    }
    let advisories: Vec<String> = report
        .advisories
        .iter()
        .map(|a| {
            format!(
                "| `{}` | {} | `{}` | {} | {} |",
                cell_text(&a.case),
                cell_text(&a.step),
                a.check,
                cell_text(&a.message),
                cell_text(&a.location)
            )
        })
        .collect();
    if !advisories.is_empty() {
        let _ = writeln!(
            out,
            "### Advisories\n\nNot failures: what the docs leave open.\n\n| case | step | check | seen | docs |\n|---|---|---|---|---|"
        );
        out.push_str(&capped(&advisories, 5));
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
    let unsettled: Vec<String> = report
        .cases
        .iter()
        .flat_map(|o| {
            o.inconclusive().map(move |(s, c)| {
                format!(
                    "| `{}` | {} | `{}` | {} |",
                    cell_text(&o.name),
                    cell_text(&s.name),
                    c.check,
                    cell_text(c.message.as_deref().unwrap_or(""))
                )
            })
        })
        .collect();
    if !unsettled.is_empty() {
        let _ = writeln!(
            out,
            "### Inconclusive (not failures)\n\n| case | step | check | why |\n|---|---|---|---|"
        );
        out.push_str(&capped(&unsettled, 5));
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
    let mut rows = Vec::new();
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
        rows.push(format!(
            "| `{}` | {} |",
            cell_text(&row.operation),
            cells.join(" | ")
        ));
    }
    out.push_str(&capped(&rows, columns.len() + 1));
    let _ = writeln!(
        out,
        "\n✅ conformant · ❌ failed · ➖ not exercised · blank: not documented\n"
    );
    for (status, why, n) in coverage::reasons(&report.coverage) {
        let _ = writeln!(out, "- ➖ {status} ({n}): {}", cell_text(&why));
    }
    if score.documents.len() > 1 {
        let _ = writeln!(
            out,
            "\n### Score per document\n\n| document | score | passing | exercised | documented |\n|---|---|---|---|---|"
        );
        let rows: Vec<String> = score
            .documents
            .iter()
            .map(|d| {
                format!(
                    "| `{}` | {} | {} | {} | {} |",
                    cell_text(&d.document),
                    d.shown(),
                    d.passing,
                    d.exercised,
                    d.documented
                )
            })
            .collect();
        out.push_str(&capped(&rows, 5));
    }
    out.push_str(&roles(&report.coverage));
    let _ = writeln!(out, "\n### Checks per operation (passed/failed)\n");
    let used = summary::columns(&report.summary);
    let _ = writeln!(out, "| operation | {} |", used.join(" | "));
    let _ = writeln!(out, "|---|{}", "---|".repeat(used.len()));
    let rows: Vec<String> = report
        .summary
        .iter()
        .map(|row| {
            let cells: Vec<String> = used.iter().map(|n| summary::cell(row, n)).collect();
            format!(
                "| `{}` | {} |",
                cell_text(&row.operation),
                cells.join(" | ")
            )
        })
        .collect();
    out.push_str(&capped(&rows, used.len() + 1));
    out
}
