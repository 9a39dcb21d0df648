//! The coverage matrix: one row per operation, one cell per documented
//! status, each exercised-and-conformant, exercised-and-failed, or not
//! exercised with the reason. Which case kinds provoke a status comes from
//! the kinds registry ([`crate::plan::kinds`]); operations errors in the
//! documents left out of the run have rows too, every cell not exercised.
//!
//! Beside it, the role matrix: for every operation that lists "Allowed for
//! these roles", each allowed role (served, refused although allowed, or
//! not testable and why) and the role set of the token that the docs say
//! must be refused.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::LeftOut;
use crate::plan::{kinds, Auth, CaseKind, TestCase};
use crate::run::outcome::{CaseOutcome, CaseStatus, StepRecord};
use crate::spec::Contract;

/// The cell reason of every status of an operation left out of the run;
/// the row carries the error itself.
pub const LEFT_OUT: &str = "not run: an error in the document touches the operation";

/// One cell's state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "state", content = "reason")]
pub enum Cell {
    /// Answered, and every check of those answers passed.
    Conformant,
    /// Answered (or provoked) and some check failed.
    Failed,
    /// Never answered, for this reason.
    NotExercised(String),
}

/// One operation's row.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Row {
    /// The document's file stem.
    pub document: String,
    /// The operation id.
    pub operation: String,
    /// `GET /path`.
    pub request: String,
    /// Documented statuses in table order, with their cells.
    pub cells: Vec<(u16, Cell)>,
    /// Why the operation was left out of the run, when it was: the error
    /// in its document that touches it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_run: Option<String>,
}

/// The whole matrix.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Coverage {
    /// Rows in document and operation order.
    pub rows: Vec<Row>,
    /// The role matrix: one row per operation that lists roles.
    pub roles: Vec<RoleRow>,
}

/// One operation's roles and what became of each.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RoleRow {
    /// The document's file stem.
    pub document: String,
    /// The operation id.
    pub operation: String,
    /// One cell per allowed role, then the refused role sets.
    pub cells: Vec<RoleCell>,
}

/// One role of an operation.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RoleCell {
    /// The role, or the roles of the token sent (`Tenant Member + Community
    /// Member`).
    pub role: String,
    /// Whether the docs allow the role (else the token must be refused).
    pub allowed: bool,
    /// Conformant: served (allowed) or refused (not allowed) as documented.
    pub cell: Cell,
}

impl RoleCell {
    /// What the docs say of the role: `allowed` or `refused`.
    pub fn verb(&self) -> &'static str {
        if self.allowed {
            "allowed"
        } else {
            "refused"
        }
    }
}

/// Why roles could not be tested, each reason with how many role cells it
/// stands for, in reason order: what every rendering of the role matrix
/// lists under it.
pub fn role_reasons(c: &Coverage) -> BTreeMap<&str, usize> {
    let mut why: BTreeMap<&str, usize> = BTreeMap::new();
    for cell in c.roles.iter().flat_map(|r| &r.cells) {
        if let Cell::NotExercised(reason) = &cell.cell {
            *why.entry(reason.as_str()).or_default() += 1;
        }
    }
    why
}

/// Why nothing provokes `status` from outside, when that is the reason.
fn unprovokable(status: u16) -> Option<&'static str> {
    match status {
        408 => Some("no way to provoke a server-side timeout"),
        500..=599 => Some("no way to provoke a server failure"),
        207 => Some("no way to provoke a partial success"),
        300..=399 => Some("no way to provoke a redirect"),
        _ => None,
    }
}

pub(super) fn ok(step: &StepRecord) -> bool {
    // An inconclusive comparison is shown, never a failure.
    step.checks
        .iter()
        .all(|c| c.passed || c.accepted.is_some() || c.inconclusive)
}

/// Builds the matrix from the plan and what ran. `contracts` are those the
/// plan was generated from; the operations in `left_out` get rows in their
/// document's order, after the rows of the documents that ran.
pub fn coverage(
    contracts: &[Contract],
    left_out: &[LeftOut],
    cases: &[TestCase],
    outcomes: &[CaseOutcome],
    read_only: bool,
) -> Coverage {
    let mut seen: BTreeMap<(usize, usize, u16), Cell> = BTreeMap::new();
    let mut mark = |key: (usize, usize, u16), cell: Cell| {
        let slot = seen.entry(key).or_insert(Cell::Conformant);
        if cell == Cell::Failed {
            *slot = Cell::Failed;
        }
    };
    for step in outcomes.iter().flat_map(|o| &o.steps) {
        let Some(resp) = &step.response else {
            for s in &step.expected {
                mark((step.doc, step.op, *s), Cell::Failed);
            }
            continue;
        };
        let cell = if ok(step) {
            Cell::Conformant
        } else {
            Cell::Failed
        };
        mark((step.doc, step.op, resp.status), cell);
        if !step.expected.is_empty() && !step.expected.contains(&resp.status) {
            for s in &step.expected {
                mark((step.doc, step.op, *s), Cell::Failed);
            }
        }
    }
    let left_rows: Vec<(&str, usize, Row)> = left_out
        .iter()
        .filter_map(|l| {
            let row = Row {
                document: l.document.clone(),
                operation: l.operation.clone()?,
                request: l.request.clone().unwrap_or_default(),
                cells: l
                    .statuses
                    .iter()
                    .map(|s| (*s, Cell::NotExercised(LEFT_OUT.into())))
                    .collect(),
                not_run: Some(l.reason.clone()),
            };
            Some((l.source.as_str(), l.line, row))
        })
        .collect();
    let mut placed = vec![false; left_rows.len()];
    let mut rows = Vec::new();
    for (d, c) in contracts.iter().enumerate() {
        let document = crate::plan::document_name(c);
        let mut mine_rows: Vec<(usize, Row)> = Vec::new();
        for (o, op) in c.operations.iter().enumerate() {
            let mine: Vec<&TestCase> = cases
                .iter()
                .filter(|t| t.operation.doc == d && t.operation.op == o)
                .collect();
            let ran: Vec<&CaseOutcome> = outcomes
                .iter()
                .filter(|t| t.doc == d && t.op == o)
                .collect();
            let cells = op
                .responses
                .iter()
                .map(|r| {
                    let cell = seen.get(&(d, o, r.status)).cloned().unwrap_or_else(|| {
                        Cell::NotExercised(reason(r.status, op, &mine, &ran, read_only))
                    });
                    (r.status, cell)
                })
                .collect();
            mine_rows.push((
                op.line,
                Row {
                    document: document.clone(),
                    operation: op.id.clone(),
                    request: format!("{} {}", op.method, op.path),
                    cells,
                    not_run: None,
                },
            ));
        }
        let before = mine_rows.len();
        for (i, (source, line, row)) in left_rows.iter().enumerate() {
            if !placed[i] && *source == c.source {
                placed[i] = true;
                mine_rows.push((*line, row.clone()));
            }
        }
        if mine_rows.len() > before {
            // Document order: the left-out operations among the others.
            mine_rows.sort_by_key(|(line, _)| *line);
        }
        rows.extend(mine_rows.into_iter().map(|(_, row)| row));
    }
    for (i, (_, _, row)) in left_rows.into_iter().enumerate() {
        if !placed[i] {
            rows.push(row);
        }
    }
    Coverage {
        rows,
        roles: role_matrix(contracts, cases, outcomes),
    }
}

/// What the role cases of each operation gave; see the module docs.
fn role_matrix(
    contracts: &[Contract],
    cases: &[TestCase],
    outcomes: &[CaseOutcome],
) -> Vec<RoleRow> {
    let cell_of = |case: &TestCase| {
        if let Some(why) = &case.ignored {
            return Cell::NotExercised(why.clone());
        }
        match outcomes.iter().find(|o| o.name == case.name) {
            Some(o) if matches!(o.status, CaseStatus::Passed | CaseStatus::Accepted) => {
                Cell::Conformant
            }
            Some(o) if o.status == CaseStatus::Failed => Cell::Failed,
            Some(o) => Cell::NotExercised(o.reason.clone().unwrap_or_else(|| "skipped".into())),
            None => Cell::NotExercised("filtered out of this run".into()),
        }
    };
    let mut rows = Vec::new();
    for (d, c) in contracts.iter().enumerate() {
        for (o, op) in c.operations.iter().enumerate() {
            if op.roles.is_empty() {
                continue;
            }
            let mine = |kind: CaseKind| {
                cases
                    .iter()
                    .filter(move |t| t.operation.doc == d && t.operation.op == o && t.kind == kind)
            };
            let mut cells: Vec<RoleCell> = op
                .roles
                .iter()
                .map(|role| {
                    let case = mine(CaseKind::AllowedRole)
                        .find(|t| t.name.ends_with(&format!("[{role}]")));
                    RoleCell {
                        role: role.clone(),
                        allowed: true,
                        cell: case.map(cell_of).unwrap_or_else(|| {
                            Cell::NotExercised(format!(
                                "no role token holds {role} (the main token holds every role): pass --role-token \"{role}=TOKEN\""
                            ))
                        }),
                    }
                })
                .collect();
            for case in mine(CaseKind::ForbiddenRole) {
                let held = case.steps.last().and_then(|s| match &s.request.auth {
                    Auth::Role(roles) => Some(roles.join(" + ")),
                    _ => None,
                });
                cells.push(RoleCell {
                    role: held.unwrap_or_else(|| "a role outside the allowed ones".into()),
                    allowed: false,
                    cell: cell_of(case),
                });
            }
            rows.push(RoleRow {
                document: crate::plan::document_name(c),
                operation: op.id.clone(),
                cells,
            });
        }
    }
    rows
}

/// The role matrix as text, one line per operation.
pub fn render_roles(c: &Coverage) -> String {
    let mut out = String::new();
    for row in &c.roles {
        let cells: Vec<String> = row
            .cells
            .iter()
            .map(|cell| {
                let mark = match &cell.cell {
                    Cell::Conformant => "ok",
                    Cell::Failed => "FAIL",
                    Cell::NotExercised(_) => "-",
                };
                format!("{} {} {mark}", cell.role, cell.verb())
            })
            .collect();
        out.push_str(&format!(
            "{}::{}: {}\n",
            row.document,
            row.operation,
            cells.join("; ")
        ));
    }
    for (reason, n) in role_reasons(c) {
        out.push_str(&format!("  - not testable ({n}): {reason}\n"));
    }
    out
}

fn reason(
    status: u16,
    op: &crate::spec::Operation,
    cases: &[&TestCase],
    ran: &[&CaseOutcome],
    read_only: bool,
) -> String {
    if read_only && op.method.is_write() {
        return "read-only run".into();
    }
    if let Some(why) = unprovokable(status) {
        return why.into();
    }
    let kinds: Vec<CaseKind> = kinds::provoking(status).collect();
    let planned: Vec<&&TestCase> = cases.iter().filter(|c| kinds.contains(&c.kind)).collect();
    if let Some(why) = planned.iter().find_map(|c| c.ignored.clone()) {
        return why;
    }
    let stopped = ran
        .iter()
        .filter(|o| kinds.contains(&o.kind))
        .find_map(|o| o.reason.clone());
    if let Some(why) = stopped {
        return why;
    }
    if planned.is_empty() {
        return match status {
            403 if op.roles.is_empty() => "the docs list no roles for the operation".into(),
            404 => "no id in the path the suite could make unknown".into(),
            400 => "no invalid input the suite knows how to send".into(),
            _ => "no case provokes it".into(),
        };
    }
    if ran.is_empty() {
        return "filtered out of this run".into();
    }
    "the server answered another status".into()
}

/// Counts of cells by state: (conformant, failed, not exercised).
pub fn totals(c: &Coverage) -> (usize, usize, usize) {
    let mut t = (0, 0, 0);
    for (_, cell) in c.rows.iter().flat_map(|r| &r.cells) {
        match cell {
            Cell::Conformant => t.0 += 1,
            Cell::Failed => t.1 += 1,
            Cell::NotExercised(_) => t.2 += 1,
        }
    }
    t
}

/// Every documented status of the matrix, ascending.
pub fn statuses(c: &Coverage) -> Vec<u16> {
    let mut all: Vec<u16> = c
        .rows
        .iter()
        .flat_map(|r| r.cells.iter().map(|(s, _)| *s))
        .collect();
    all.sort_unstable();
    all.dedup();
    all
}

/// The not-exercised reasons, grouped: (status, reason, operation count).
pub fn reasons(c: &Coverage) -> Vec<(u16, String, usize)> {
    let mut grouped: BTreeMap<(u16, String), usize> = BTreeMap::new();
    for row in &c.rows {
        for (status, cell) in &row.cells {
            if let Cell::NotExercised(why) = cell {
                *grouped.entry((*status, why.clone())).or_default() += 1;
            }
        }
    }
    grouped.into_iter().map(|((s, w), n)| (s, w, n)).collect()
}

/// The matrix as text: `ok`, `FAIL`, `-` (not exercised), blank (not
/// documented), then the reasons.
pub fn render(c: &Coverage) -> String {
    let columns = statuses(c);
    let width = c
        .rows
        .iter()
        .map(|r| r.document.len() + r.operation.len() + 2)
        .max()
        .unwrap_or(9)
        .max(9);
    let mut out = format!("{:<width$}", "operation");
    for s in &columns {
        out.push_str(&format!(" {s:>4}"));
    }
    out.push('\n');
    for row in &c.rows {
        out.push_str(&format!(
            "{:<width$}",
            format!("{}::{}", row.document, row.operation)
        ));
        for s in &columns {
            let mark = match row.cells.iter().find(|(x, _)| x == s).map(|(_, c)| c) {
                Some(Cell::Conformant) => "ok",
                Some(Cell::Failed) => "FAIL",
                Some(Cell::NotExercised(_)) => "-",
                None => "",
            };
            out.push_str(&format!(" {mark:>4}"));
        }
        out.push('\n');
    }
    let (ok, failed, not) = totals(c);
    out.push_str(&format!(
        "{ok} documented statuses conformant, {failed} failed, {not} not exercised\n"
    ));
    for (status, why, n) in reasons(c) {
        let ops = if n == 1 { "operation" } else { "operations" };
        out.push_str(&format!("  - {status} ({n} {ops}): {why}\n"));
    }
    let left_out: Vec<&Row> = c.rows.iter().filter(|r| r.not_run.is_some()).collect();
    if !left_out.is_empty() {
        out.push_str("operations not run (errors in the documents):\n");
        for row in left_out {
            out.push_str(&format!(
                "  - {}::{}: {}\n",
                row.document,
                row.operation,
                row.not_run.as_deref().unwrap_or_default()
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::parse_str;

    /// Two operations; the second one's example is broken, so it is left
    /// out and only the first is planned.
    const DOC: &str = "# Things\n\n\
        ## `List Things`\n\n```text\nGET /api/Things\n```\n\n### Response\n\n\
        | Status Code | Body Type | Description |\n|---|---|---|\n| 200 | string[] | ok |\n\n\
        ## `Get Thing`\n\n```text\nGET /api/Things/{id}\n```\n\n### Response\n\n\
        | Status Code | Body Type | Description |\n|---|---|---|\n| 200 | string | ok |\n| 404 | None | no |\n\n\
        > 200 Response\n\n```json\n{\"Name\": }\n```\n";

    #[test]
    fn left_out_operations_get_rows_in_document_order_with_their_error() {
        let full = parse_str("d/things.md", DOC);
        let (sound, unsound) = full.sound_part();
        let left_out = vec![LeftOut::operation(&full, &unsound[0])];
        let c = coverage(&[sound], &left_out, &[], &[], false);
        let names: Vec<&str> = c.rows.iter().map(|r| r.operation.as_str()).collect();
        assert_eq!(names, ["Things_List Things", "Things_Get Thing"]);
        let row = &c.rows[1];
        assert_eq!(row.cells.len(), 2);
        assert!(row
            .cells
            .iter()
            .all(|(_, cell)| *cell == Cell::NotExercised(LEFT_OUT.into())));
        assert!(row
            .not_run
            .as_deref()
            .is_some_and(|r| r.starts_with("d/things.md:") && r.contains("error[invalid-json]")));
        let text = render(&c);
        assert!(
            text.contains("operations not run (errors in the documents):\n  - things::Things_Get Thing: d/things.md:"),
            "{text}"
        );
    }

    #[test]
    fn the_statuses_a_kind_provokes_come_from_the_registry() {
        // No kind provokes 422, so nothing can have been planned for it.
        let doc = DOC
            .replace("| 404 | None | no |", "| 422 | None | no |")
            .replace("{,}", "\"a\"");
        let c = parse_str("d/things.md", &doc);
        let cov = coverage(std::slice::from_ref(&c), &[], &[], &[], false);
        let cell = &cov.rows[1].cells[1];
        assert_eq!(cell.0, 422);
        assert_eq!(cell.1, Cell::NotExercised("no case provokes it".into()));
    }
}
