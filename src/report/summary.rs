//! The summary table: for each operation, how many times each check
//! passed and failed.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::run::checks::CHECKS;
use crate::run::outcome::{CaseOutcome, CaseStatus};
use crate::spec::Contract;

/// Passed and failed counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    /// Verdicts that passed (accepted failures included).
    pub passed: usize,
    /// Verdicts that failed.
    pub failed: usize,
}

/// One operation's row.
#[derive(Debug, Clone, Serialize)]
pub struct SummaryRow {
    /// The document's file stem.
    pub document: String,
    /// The operation id.
    pub operation: String,
    /// Per check name, in registry order; checks that never applied are
    /// left out.
    pub checks: Vec<(&'static str, Tally)>,
}

/// Totals of a run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Totals {
    /// Cases that ran.
    pub cases: usize,
    /// Cases that passed.
    pub passed: usize,
    /// Cases that failed.
    pub failed: usize,
    /// Cases that could not run to their end, or were not run.
    pub skipped: usize,
    /// Requests sent, retries and cleanup included.
    pub requests: usize,
}

/// Case and request totals.
pub fn totals(outcomes: &[CaseOutcome], ignored: usize) -> Totals {
    let mut t = Totals {
        skipped: ignored,
        ..Totals::default()
    };
    for o in outcomes {
        t.cases += 1;
        match o.status {
            CaseStatus::Passed => t.passed += 1,
            CaseStatus::Failed => t.failed += 1,
            CaseStatus::Skipped => t.skipped += 1,
        }
        t.requests += o.steps.iter().map(|s| s.attempts as usize).sum::<usize>() + o.cleanup.len();
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
