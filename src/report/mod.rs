//! Reports of a run: failure output for the console, the coverage matrix,
//! the conformance score, the per-operation summary, JUnit XML, JSON,
//! markdown and a self-contained HTML page, and the
//! baseline of accepted failures. Everything here renders outcomes that
//! [`crate::run`] already redacted, and lists what errors in the documents
//! left out of the run ([`LeftOut`]).

pub mod advisory;
pub mod baseline;
pub mod console;
pub mod coverage;
pub mod fit;
pub mod html;
pub mod json;
pub mod junit;
pub mod left_out;
pub mod markdown;
pub mod merge;
pub mod score;
pub mod script;
pub mod summary;

use serde::{Deserialize, Serialize};

use crate::plan::TestCase;
use crate::run::outcome::CaseOutcome;
use crate::spec::Contract;
use baseline::{Baseline, Entry};
use coverage::Coverage;
pub use left_out::LeftOut;
use summary::{SummaryRow, Totals};

/// A case that was not run, and why.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NotRun {
    /// The case name.
    pub name: String,
    /// Why (the plan's reason, or the filter).
    pub reason: String,
}

/// An item a case created that cleanup could not delete: it is still on
/// the server.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Leftover {
    /// The case that created it.
    pub case: String,
    /// The item's URL.
    pub url: String,
    /// The last delete's status, if one came.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// Why no answer came to the last delete.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Deletes sent.
    pub attempts: u32,
    /// The command that deletes it by hand (credentials as `$CONFORM_…`).
    pub curl: String,
}

impl Leftover {
    /// What the last delete got, in words.
    pub fn answer(&self) -> String {
        match (self.status, &self.error) {
            (Some(s), _) => format!("answered {s}"),
            (None, Some(e)) => e.clone(),
            (None, None) => "no answer".into(),
        }
    }
}

/// Every item left behind, in case order.
pub fn leftovers(outcomes: &[CaseOutcome]) -> Vec<Leftover> {
    outcomes
        .iter()
        .flat_map(|o| {
            o.cleanup.iter().filter(|c| !c.removed()).map(|c| Leftover {
                case: o.name.clone(),
                url: c.url.clone(),
                status: c.status,
                error: c.error.clone(),
                attempts: c.attempts,
                curl: console::curl_words("DELETE", &c.url, &c.headers, None),
            })
        })
        .collect()
}

/// Everything the reports show about one run.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RunReport {
    /// Case and request totals.
    pub totals: Totals,
    /// Wall time of the run.
    pub millis: u64,
    /// Every case that ran.
    pub cases: Vec<CaseOutcome>,
    /// Planned cases that did not run.
    pub not_run: Vec<NotRun>,
    /// Operations and documents left out of the run for errors in the
    /// documents.
    pub left_out: Vec<LeftOut>,
    /// The coverage matrix.
    pub coverage: Coverage,
    /// Operations × checks.
    pub summary: Vec<SummaryRow>,
    /// Baseline entries whose failure is gone.
    pub now_passing: Vec<Entry>,
    /// Items the cases created that cleanup could not delete.
    pub leftovers: Vec<Leftover>,
    /// The shard this run was, under `--partition`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<merge::Shard>,
    /// Advisory findings: shown, never failed.
    pub advisories: Vec<advisory::Advisory>,
}

impl RunReport {
    /// Gathers the reports of a run. `contracts` are the documents the plan
    /// was generated from; `left_out` what their errors kept out of it.
    pub fn new(
        contracts: &[Contract],
        left_out: Vec<LeftOut>,
        cases: &[TestCase],
        outcomes: Vec<CaseOutcome>,
        read_only: bool,
        baseline: Option<&Baseline>,
        millis: u64,
    ) -> RunReport {
        let not_run: Vec<NotRun> = cases
            .iter()
            .filter(|c| !outcomes.iter().any(|o| o.name == c.name))
            .map(|c| NotRun {
                name: c.name.clone(),
                reason: c
                    .ignored
                    .clone()
                    .unwrap_or_else(|| summary::FILTERED_OUT.into()),
            })
            .collect();
        RunReport {
            totals: summary::totals(&outcomes, &not_run),
            millis,
            coverage: coverage::coverage(contracts, &left_out, cases, &outcomes, read_only),
            summary: summary::summary(contracts, &outcomes),
            now_passing: baseline
                .map(|b| b.now_passing(&outcomes))
                .unwrap_or_default(),
            not_run,
            left_out,
            leftovers: leftovers(&outcomes),
            advisories: advisory::advisories(&outcomes),
            cases: outcomes,
            shard: None,
        }
    }
}

#[cfg(test)]
mod inconclusive_tests {
    use super::*;
    use crate::plan::{CaseKind, Phase};
    use crate::run::outcome::{CaseStatus, CheckRecord, RequestRecord, StepRecord};

    /// A case whose count comparison never settled.
    fn unsettled() -> CaseOutcome {
        let check = CheckRecord {
            check: "count_header",
            passed: false,
            advisory: false,
            message: Some("the reads disagreed 5 of 5 times".into()),
            location: "d.txt:1".into(),
            accepted: None,
            inconclusive: true,
        };
        let mut o = CaseOutcome {
            name: "d::Roles_Get Header for Roles::count_header".into(),
            document: "d".into(),
            operation: "Roles_Get Header for Roles".into(),
            doc: 0,
            op: 0,
            kind: CaseKind::CountHeader,
            status: CaseStatus::Passed,
            reason: None,
            steps: vec![StepRecord {
                name: "count".into(),
                phase: Phase::Test,
                operation: "Roles_Get Header for Roles".into(),
                doc: 0,
                op: 0,
                expected: vec![200],
                request: RequestRecord {
                    method: "HEAD".into(),
                    url: "u".into(),
                    headers: vec![],
                    body: None,
                },
                response: None,
                error: None,
                redirects: vec![],
                attempts: 1,
                millis: 0,
                checks: vec![check],
            }],
            cleanup: vec![],
            millis: 0,
        };
        o.settle();
        o
    }

    #[test]
    fn an_unsettled_comparison_is_inconclusive_in_every_report_and_no_failure() {
        let o = unsettled();
        assert_eq!(o.status, CaseStatus::Inconclusive);
        assert_eq!(o.failures().count(), 0);
        assert!(
            coverage::ok(&o.steps[0]),
            "the coverage grid and the score count it as no failure"
        );
        let report = RunReport::new(&[], Vec::new(), &[], vec![o], false, None, 1);
        assert_eq!((report.totals.inconclusive, report.totals.failed), (1, 0));
        assert!(summary::line(&report.totals, &[], 1).contains("1 inconclusive"));
        let xml = junit::render(&report).expect("junit");
        assert!(
            xml.contains("<skipped message=\"inconclusive: count_header: the reads disagreed"),
            "{xml}"
        );
        assert!(markdown::render(&report).contains("### Inconclusive (not failures)"));
        let json = json::render(&report).expect("json");
        assert!(
            json.contains("\"status\": \"inconclusive\"")
                && json.contains("\"inconclusive\": true")
        );
        let page = html::render(&report);
        assert!(
            page.contains("Inconclusive (not failures)") && page.contains("count_header"),
            "{page}"
        );
        // A shard's report read back keeps the verdict.
        let back: RunReport = serde_json::from_str(&json).expect("reads back");
        assert_eq!(back.totals.inconclusive, 1);
        assert!(back.cases[0].inconclusive().next().is_some());
    }
}
