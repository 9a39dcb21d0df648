//! One report from the JSON reports of the shards of a run
//! (`conform report merge`): the cases of every shard, the coverage matrix
//! and the summary added up, and the totals counted again from the merged
//! cases, so that they equal those of one unsharded run. The JSON report
//! carries everything the other reports are rendered from, so the merged
//! report renders as JUnit, markdown or JSON like any other.
//!
//! Merging refuses what would make the merged report lie: a case run by
//! two shards, shards of different partitions, a missing shard.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize};

use super::coverage::{Cell, Coverage};
use super::json::SCHEMA_VERSION;
use super::summary::{self, SummaryRow, Tally};
use super::RunReport;
use crate::plan::Partition;
use crate::run::checks::CHECKS;

/// What a shard's report says about its shard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    /// `count:K/N` or `hash:K/N`.
    pub partition: String,
    /// Cases in the whole plan, every shard's together.
    pub planned: usize,
}

/// Why shard reports could not be merged.
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    /// A report file could not be read.
    #[error("failed to read {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// A file is not a JSON report of this version.
    #[error("failed to read {path}: not a conform JSON report ({message})")]
    Parse {
        /// The file.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// No report was given.
    #[error("no report to merge")]
    Empty,
    /// Two shards ran the same case: they overlap, or one run was given
    /// twice.
    #[error("case `{case}` ran in both {first} and {second}: the shards overlap")]
    Twice {
        /// The case.
        case: String,
        /// The first report holding it.
        first: String,
        /// The second one.
        second: String,
    },
    /// The reports are shards of different partitions, or some is not a
    /// shard at all.
    #[error("{first} is shard {a} and {second} is {b}: not shards of one partition")]
    Mixed {
        /// One report.
        first: String,
        /// Its shard.
        a: String,
        /// Another.
        second: String,
        /// Its shard, or `a whole run`.
        b: String,
    },
    /// A shard of the partition is not among the reports.
    #[error("shard {missing} is missing: merge the reports of all {total} shards")]
    Missing {
        /// The missing shard, as `count:K/N`.
        missing: String,
        /// How many shards there are.
        total: usize,
    },
}

/// Reads one JSON report, checking its `schema_version`.
pub fn load(path: &Path) -> Result<RunReport, MergeError> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| MergeError::Read {
        path: shown.clone(),
        source,
    })?;
    let parse = |message: String| MergeError::Parse {
        path: shown.clone(),
        message,
    };
    let mut value: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| parse(e.to_string()))?;
    let version = value
        .as_object_mut()
        .and_then(|o| o.remove("schema_version"))
        .and_then(|v| v.as_u64());
    match version {
        Some(v) if v == u64::from(SCHEMA_VERSION) => {}
        Some(v) => {
            return Err(parse(format!(
                "schema_version {v}, this conform reads {SCHEMA_VERSION}"
            )))
        }
        None => return Err(parse("no schema_version".into())),
    }
    serde_json::from_value(value).map_err(|e| parse(e.to_string()))
}

/// Merges the reports of the shards of one run, each named by its file
/// for messages.
pub fn merge(reports: Vec<(String, RunReport)>) -> Result<RunReport, MergeError> {
    check_shards(&reports)?;
    let mut iter = reports.into_iter();
    let (first_name, mut merged) = iter.next().ok_or(MergeError::Empty)?;
    let mut ran_in: BTreeMap<String, String> = merged
        .cases
        .iter()
        .map(|c| (c.name.clone(), first_name.clone()))
        .collect();
    for (name, report) in iter {
        for case in &report.cases {
            if let Some(first) = ran_in.get(&case.name) {
                return Err(MergeError::Twice {
                    case: case.name.clone(),
                    first: first.clone(),
                    second: name,
                });
            }
            ran_in.insert(case.name.clone(), name.clone());
        }
        merged.cases.extend(report.cases);
        merged.not_run.extend(report.not_run);
        for l in report.left_out {
            if !merged.left_out.iter().any(|m| m.name == l.name) {
                merged.left_out.push(l);
            }
        }
        merge_coverage(&mut merged.coverage, report.coverage);
        merge_summary(&mut merged.summary, report.summary);
        for e in report.now_passing {
            if !merged.now_passing.contains(&e) {
                merged.now_passing.push(e);
            }
        }
        merged.leftovers.extend(report.leftovers);
        // The shards ran side by side: the run took as long as the
        // slowest.
        merged.millis = merged.millis.max(report.millis);
    }
    // A case one shard filtered out may have run in another; each case
    // that did not run anywhere is listed once.
    let mut listed: BTreeSet<String> = BTreeSet::new();
    merged
        .not_run
        .retain(|n| !ran_in.contains_key(&n.name) && listed.insert(n.name.clone()));
    // Cases in document and operation order, as one run lists them.
    let order = |document: &str, operation: &str| {
        merged
            .coverage
            .rows
            .iter()
            .position(|r| r.document == document && r.operation == operation)
            .unwrap_or(usize::MAX)
    };
    let mut keyed: Vec<(usize, _)> = std::mem::take(&mut merged.cases)
        .into_iter()
        .map(|c| (order(&c.document, &c.operation), c))
        .collect();
    keyed.sort_by_key(|(k, _)| *k);
    merged.cases = keyed.into_iter().map(|(_, c)| c).collect();
    merged
        .summary
        .sort_by_key(|r| order(&r.document, &r.operation));
    merged.totals = summary::totals(&merged.cases, &merged.not_run);
    // Every shard's advisories, not the first one's.
    merged.advisories = super::advisory::advisories(&merged.cases);
    merged.shard = None;
    Ok(merged)
}

/// Shards must be of one partition, all of them present; reports of whole
/// runs (split by filters, say) merge as they are.
fn check_shards(reports: &[(String, RunReport)]) -> Result<(), MergeError> {
    let shards: Vec<(&String, Option<Partition>)> = reports
        .iter()
        .map(|(name, r)| {
            let p = r.shard.as_ref().and_then(|s| s.partition.parse().ok());
            (name, p)
        })
        .collect();
    let Some((first, Some(p))) = shards.iter().find(|(_, p)| p.is_some()) else {
        return Ok(());
    };
    let mut seen = BTreeSet::new();
    for (name, other) in &shards {
        match other {
            Some(o) if o.scheme == p.scheme && o.total == p.total => {
                seen.insert(o.index);
            }
            _ => {
                return Err(MergeError::Mixed {
                    first: (*first).clone(),
                    a: p.to_string(),
                    second: (*name).clone(),
                    b: other
                        .map(|o| format!("shard {o}"))
                        .unwrap_or_else(|| "a whole run".into()),
                })
            }
        }
    }
    if let Some(k) = (1..=p.total).find(|k| !seen.contains(k)) {
        let missing = Partition { index: k, ..*p };
        return Err(MergeError::Missing {
            missing: missing.to_string(),
            total: p.total,
        });
    }
    Ok(())
}

/// A cell one shard exercised wins over one it did not; a failure wins
/// over a pass, as within one run.
fn merge_cell(into: &mut Cell, other: Cell) {
    match (&*into, &other) {
        (Cell::Failed, _) | (_, Cell::NotExercised(_)) => {}
        (Cell::Conformant, Cell::Conformant) => {}
        _ => *into = other,
    }
}

fn merge_coverage(into: &mut Coverage, other: Coverage) {
    for row in other.rows {
        let found = into
            .rows
            .iter_mut()
            .find(|r| r.document == row.document && r.operation == row.operation);
        let Some(mine) = found else {
            into.rows.push(row);
            continue;
        };
        for (status, cell) in row.cells {
            match mine.cells.iter_mut().find(|(s, _)| *s == status) {
                Some((_, c)) => merge_cell(c, cell),
                None => mine.cells.push((status, cell)),
            }
        }
    }
    for row in other.roles {
        let found = into
            .roles
            .iter_mut()
            .find(|r| r.document == row.document && r.operation == row.operation);
        let Some(mine) = found else {
            into.roles.push(row);
            continue;
        };
        for cell in row.cells {
            let same = mine
                .cells
                .iter_mut()
                .find(|c| c.role == cell.role && c.allowed == cell.allowed);
            match same {
                Some(c) => merge_cell(&mut c.cell, cell.cell),
                None => mine.cells.push(cell),
            }
        }
    }
}

fn merge_summary(into: &mut Vec<SummaryRow>, other: Vec<SummaryRow>) {
    for row in other {
        let found = into
            .iter_mut()
            .find(|r| r.document == row.document && r.operation == row.operation);
        let Some(mine) = found else {
            into.push(row);
            continue;
        };
        for (check, t) in row.checks {
            match mine.checks.iter_mut().find(|(c, _)| *c == check) {
                Some((_, m)) => {
                    m.passed += t.passed;
                    m.failed += t.failed;
                }
                None => mine.checks.push((check, t)),
            }
        }
        // Columns in registry order, as one run has them.
        mine.checks
            .sort_by_key(|(c, _)| CHECKS.iter().position(|k| k.name() == *c));
    }
}

/// The registry's name for a check read from a report.
fn registered(name: &str) -> Option<&'static str> {
    CHECKS.iter().map(|c| c.name()).find(|n| *n == name)
}

/// Reads a check name back into the registry's `&'static str`; a name the
/// registry does not know (a report of another release) is an error.
pub fn check_name<'de, D: Deserializer<'de>>(d: D) -> Result<&'static str, D::Error> {
    let name = String::deserialize(d)?;
    registered(&name).ok_or_else(|| D::Error::custom(format!("unknown check `{name}`")))
}

/// [`check_name`] for a summary row's `(check, tally)` pairs.
pub fn check_tallies<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Vec<(&'static str, Tally)>, D::Error> {
    let pairs: Vec<(String, Tally)> = Vec::deserialize(d)?;
    pairs
        .into_iter()
        .map(|(name, t)| {
            registered(&name)
                .map(|n| (n, t))
                .ok_or_else(|| D::Error::custom(format!("unknown check `{name}`")))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_cell_wins_and_an_exercised_one_beats_a_reason() {
        let mut c = Cell::NotExercised("no token".into());
        merge_cell(&mut c, Cell::Conformant);
        assert_eq!(c, Cell::Conformant);
        merge_cell(&mut c, Cell::NotExercised("x".into()));
        assert_eq!(c, Cell::Conformant);
        merge_cell(&mut c, Cell::Failed);
        assert_eq!(c, Cell::Failed);
        merge_cell(&mut c, Cell::Conformant);
        assert_eq!(c, Cell::Failed);
    }
}
