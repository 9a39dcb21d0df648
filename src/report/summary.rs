//! The summary table: for each operation, how many times each check
//! passed and failed.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::run::checks::CHECKS;
use crate::run::outcome::{CaseOutcome, CaseStatus};
use crate::spec::Contract;

use super::{left_out, LeftOut, NotRun};

/// Passed and failed counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    /// Verdicts that passed (accepted failures included).
    pub passed: usize,
    /// Verdicts that failed.
    pub failed: usize,
}

/// One operation's row.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SummaryRow {
    /// The document's file stem.
    pub document: String,
    /// The operation id.
    pub operation: String,
    /// Per check name, in registry order; checks that never applied are
    /// left out.
    #[serde(deserialize_with = "super::merge::check_tallies")]
    pub checks: Vec<(crate::run::outcome::CheckName, Tally)>,
}

/// Totals of a run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    /// Cases that ran.
    pub cases: usize,
    /// Cases that passed.
    pub passed: usize,
    /// Cases that failed.
    pub failed: usize,
    /// Cases whose every failure the baseline accepts.
    pub accepted: usize,
    /// Cases that ran but could not run to their end.
    pub skipped: usize,
    /// Cases with no failure whose comparison could not be settled: the
    /// reads around it disagreed each time (another writer at work).
    pub inconclusive: usize,
    /// Planned cases not run because a setting is missing (a `--param`
    /// value, a role token) or the read-only mode excludes them.
    pub not_run: usize,
    /// Planned cases not run because the docs list no status for their
    /// operation, so nothing documented could judge an answer (0 in a
    /// report written before it was counted apart).
    #[serde(default)]
    pub no_status: usize,
    /// Planned cases the name filters left out.
    pub filtered_out: usize,
    /// Planned cases not started because the run stopped early.
    pub stopped: usize,
    /// Requests sent, retries and cleanup included.
    pub requests: usize,
}

/// The reason a planned case that the filters left out is given.
pub const FILTERED_OUT: &str = "filtered out";

/// How the reason of a case the run stopped before begins.
pub const STOPPED: &str = "stopped early: ";

/// The reason a run interrupted by Ctrl-C gives, after [`STOPPED`].
pub const INTERRUPTED: &str = "interrupted (Ctrl-C)";

/// Case and request totals: computed once, so that every report shows the
/// same counts.
pub fn totals(outcomes: &[CaseOutcome], not_run: &[NotRun]) -> Totals {
    let filtered_out = not_run.iter().filter(|n| n.reason == FILTERED_OUT).count();
    let stopped = not_run
        .iter()
        .filter(|n| n.reason.starts_with(STOPPED))
        .count();
    let no_status = not_run
        .iter()
        .filter(|n| n.reason == crate::plan::NO_STATUS)
        .count();
    let mut t = Totals {
        not_run: not_run.len() - filtered_out - stopped - no_status,
        no_status,
        filtered_out,
        stopped,
        ..Totals::default()
    };
    for o in outcomes {
        t.cases += 1;
        match o.status {
            CaseStatus::Passed => t.passed += 1,
            CaseStatus::Failed => t.failed += 1,
            CaseStatus::Accepted => t.accepted += 1,
            CaseStatus::Skipped => t.skipped += 1,
            CaseStatus::Inconclusive => t.inconclusive += 1,
        }
        t.requests += o.steps.iter().map(|s| s.attempts as usize).sum::<usize>()
            + o.cleanup.iter().map(|c| c.attempts as usize).sum::<usize>();
    }
    t
}

/// Operations × checks, in document and operation order.
pub fn summary(contracts: &[Contract], outcomes: &[CaseOutcome]) -> Vec<SummaryRow> {
    let mut order: Vec<(usize, usize)> = Vec::new();
    let mut counts: BTreeMap<(usize, usize), BTreeMap<&'static str, Tally>> = BTreeMap::new();
    for o in outcomes {
        for s in &o.steps {
            let key = (s.doc, s.op);
            if !order.contains(&key) {
                order.push(key);
            }
            let row = counts.entry(key).or_default();
            for c in &s.checks {
                let t = row.entry(c.check).or_default();
                if c.passed || c.accepted.is_some() {
                    t.passed += 1;
                } else if c.inconclusive {
                    // Neither: the comparison proved nothing either way.
                } else {
                    t.failed += 1;
                }
            }
        }
    }
    order.sort_unstable();
    order
        .into_iter()
        .map(|key| {
            let row = counts.remove(&key).unwrap_or_default();
            let contract = contracts.get(key.0);
            SummaryRow {
                checks: CHECKS
                    .iter()
                    .filter_map(|c| row.get(c.name()).map(|t| (c.name(), *t)))
                    .collect(),
                document: contract.map(crate::plan::document_name).unwrap_or_default(),
                operation: contract
                    .and_then(|c| c.operations.get(key.1))
                    .map(|o| o.id.clone())
                    .unwrap_or_default(),
            }
        })
        .collect()
}

/// The checks that judged anything, in registry order: the table's columns.
pub fn columns(rows: &[SummaryRow]) -> Vec<&'static str> {
    CHECKS
        .iter()
        .map(|c| c.name())
        .filter(|n| rows.iter().any(|r| r.checks.iter().any(|(c, _)| c == n)))
        .collect()
}

/// One cell: `passed/failed` of `check` for the row, blank where it never
/// applied.
pub fn cell(row: &SummaryRow, check: &str) -> String {
    row.checks
        .iter()
        .find(|(c, _)| *c == check)
        .map(|(_, t)| format!("{}/{}", t.passed, t.failed))
        .unwrap_or_default()
}

/// The table as text: one column per check (numbered, with a legend),
/// `passed/failed` in each cell.
pub fn render(rows: &[SummaryRow]) -> String {
    let width = rows
        .iter()
        .map(|r| r.document.len() + r.operation.len() + 2)
        .max()
        .unwrap_or(9)
        .max(9);
    let used = columns(rows);
    let mut out = format!("{:<width$}", "operation");
    for i in 1..=used.len() {
        out.push_str(&format!(" {:>7}", format!("[{i}]")));
    }
    out.push('\n');
    for row in rows {
        out.push_str(&format!(
            "{:<width$}",
            format!("{}::{}", row.document, row.operation)
        ));
        for name in &used {
            out.push_str(&format!(" {:>7}", cell(row, name)));
        }
        out.push('\n');
    }
    let legend: Vec<String> = used
        .iter()
        .enumerate()
        .map(|(i, n)| format!("[{}] {n}", i + 1))
        .collect();
    out.push_str(&format!("passed/failed per check: {}\n", legend.join(", ")));
    out
}

/// The settings that would run the cases not run, each with how many cases
/// wait for it, most wanted first: read from the plan's reasons, which end
/// in `pass SETTING`.
pub fn wanted_settings(not_run: &[NotRun]) -> Vec<(String, usize)> {
    let mut wanted: Vec<(String, usize)> = Vec::new();
    for n in not_run {
        let Some((_, setting)) = n.reason.rsplit_once(": pass ") else {
            continue;
        };
        match wanted.iter_mut().find(|(s, _)| s == setting) {
            Some((_, count)) => *count += 1,
            None => wanted.push((setting.to_string(), 1)),
        }
    }
    wanted.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    wanted
}

/// The one summary line every report shows: `N cases run: P passed, F
/// failed, S skipped, ...; R requests in M ms`.
pub fn line(t: &Totals, left_out: &[LeftOut], millis: u64) -> String {
    let mut text = format!(
        "{} cases run: {} passed, {} failed, ",
        t.cases, t.passed, t.failed
    );
    if t.accepted > 0 {
        text.push_str(&format!("{} accepted (baseline), ", t.accepted));
    }
    text.push_str(&format!("{} skipped", t.skipped));
    if t.inconclusive > 0 {
        text.push_str(&format!(
            ", {} inconclusive (concurrent writers)",
            t.inconclusive
        ));
    }
    if t.not_run > 0 {
        text.push_str(&format!(
            ", {} not run for lack of configuration",
            t.not_run
        ));
    }
    if t.no_status > 0 {
        text.push_str(&format!(
            ", {} not run: the docs document no status",
            t.no_status
        ));
    }
    if t.filtered_out > 0 {
        text.push_str(&format!(", {} filtered out", t.filtered_out));
    }
    if t.stopped > 0 {
        text.push_str(&format!(", {} not started (stopped early)", t.stopped));
    }
    if let Some(count) = left_out::count(left_out) {
        text.push_str(&format!(", {count} not run"));
    }
    text.push_str(&format!("; {} requests in {millis} ms", t.requests));
    text
}

/// `to run the N cases not run: pass A (12 cases), B (3 cases)`, or
/// nothing when every case ran or no setting would help.
pub fn wanted_line(not_run: &[NotRun]) -> Option<String> {
    let wanted = wanted_settings(not_run);
    if wanted.is_empty() {
        return None;
    }
    let list: Vec<String> = wanted
        .iter()
        .map(|(s, n)| format!("{s} ({n} {})", if *n == 1 { "case" } else { "cases" }))
        .collect();
    Some(format!(
        "to run the cases not run, pass: {}",
        list.join(", ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn not_run(reason: &str) -> NotRun {
        NotRun {
            name: "d::o::k".into(),
            reason: reason.into(),
        }
    }

    #[test]
    fn one_line_counts_every_planned_case_once() {
        let list = [
            not_run("no value for `tenantId`: pass --param tenantId=VALUE"),
            not_run("no value for `tenantId`: pass --param tenantId=VALUE"),
            not_run("no token for a role outside X: pass --role-token \"ROLE=TOKEN\""),
            not_run(FILTERED_OUT),
            not_run(&format!("{STOPPED}1 failed (--max-fail 1)")),
            not_run(crate::plan::NO_STATUS),
        ];
        let t = totals(&[], &list);
        assert_eq!(
            (t.not_run, t.no_status, t.filtered_out, t.stopped),
            (3, 1, 1, 1)
        );
        assert_eq!(
            line(&t, &[], 7),
            "0 cases run: 0 passed, 0 failed, 0 skipped, 3 not run for lack of configuration, \
             1 not run: the docs document no status, 1 filtered out, 1 not started (stopped early); \
             0 requests in 7 ms"
        );
        assert_eq!(
            wanted_line(&list).as_deref(),
            Some(
                "to run the cases not run, pass: --param tenantId=VALUE (2 cases), \
                 --role-token \"ROLE=TOKEN\" (1 case)"
            )
        );
        assert_eq!(wanted_line(&list[3..]), None);
    }
}
