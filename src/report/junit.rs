//! JUnit XML: one test suite per document, one test case per case, and a
//! skipped test case per operation or document errors in the documents
//! left out, with the error as its message.

use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};

use super::baseline::Baseline;
use super::{console, RunReport};
use crate::run::outcome::CaseStatus;

/// The report as JUnit XML.
pub fn render(report: &RunReport) -> Result<String, quick_junit::SerializeError> {
    let mut junit = Report::new("conform");
    // The run began its wall time before the report is written.
    let started = chrono::Local::now().fixed_offset()
        - chrono::Duration::milliseconds(i64::try_from(report.millis).unwrap_or(0));
    let mut suites: Vec<TestSuite> = Vec::new();
    let mut add = |document: &str, case: TestCase| match suites
        .iter_mut()
        .find(|s| s.name.as_str() == document)
    {
        Some(suite) => {
            // A suite's time is the sum of its cases' times.
            let time = suite.time.unwrap_or_default() + case.time.unwrap_or_default();
            suite.set_time(time);
            suite.add_test_case(case);
        }
        None => {
            let mut suite = TestSuite::new(document);
            suite.set_timestamp(started);
            suite.set_time(case.time.unwrap_or_default());
            suite.add_test_case(case);
            suites.push(suite);
        }
    };
    for o in &report.cases {
        let status = match o.status {
            CaseStatus::Passed => TestCaseStatus::success(),
            // Neither a pass nor a failure: CI systems show skipped cases
            // with their message, which says why the failure is accepted.
            CaseStatus::Accepted => {
                let mut s = TestCaseStatus::skipped();
                let why: Vec<String> = Baseline::of(o)
                    .into_iter()
                    .map(|(check, reason)| format!("{check}: {reason}"))
                    .collect();
                s.set_message(format!("accepted: {}", why.join("; ")));
                s
            }
            // Not a failure: shown as skipped, with what could not be
            // settled.
            CaseStatus::Inconclusive => {
                let mut s = TestCaseStatus::skipped();
                let why: Vec<String> = o
                    .inconclusive()
                    .map(|(_, c)| format!("{}: {}", c.check, c.message.as_deref().unwrap_or("")))
                    .collect();
                s.set_message(format!("inconclusive: {}", why.join("; ")));
                s
            }
            CaseStatus::Skipped => {
                let mut s = TestCaseStatus::skipped();
                if let Some(r) = &o.reason {
                    s.set_message(r.as_str());
                }
                s
            }
            CaseStatus::Failed => {
                let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
                if let Some((_, c)) = o.failures().next() {
                    s.set_message(format!(
                        "{}: {}",
                        c.check,
                        c.message.as_deref().unwrap_or("")
                    ));
                    s.set_type(c.check);
                }
                s.set_description(console::failure(o));
                s
            }
        };
        let mut case = TestCase::new(o.name.as_str(), status);
        let advisories: Vec<String> = o
            .advisories()
            .map(|(s, c)| {
                let message = c.message.as_deref().unwrap_or("");
                format!("advisory {} at `{}`: {message}", c.check, s.name)
            })
            .collect();
        if !advisories.is_empty() {
            case.set_system_out(advisories.join("\n"));
        }
        case.set_classname(o.document.as_str());
        case.set_time(std::time::Duration::from_millis(o.millis));
        add(&o.document, case);
    }
    for n in &report.not_run {
        let document = n.name.split("::").next().unwrap_or("");
        let mut status = TestCaseStatus::skipped();
        status.set_message(n.reason.as_str());
        let mut case = TestCase::new(n.name.as_str(), status);
        case.set_classname(document);
        add(document, case);
    }
    for l in &report.left_out {
        let mut status = TestCaseStatus::skipped();
        status.set_message(l.reason.as_str());
        let mut case = TestCase::new(l.name.as_str(), status);
        case.set_classname(l.document.as_str());
        add(&l.document, case);
    }
    // An item left on the server is a failure of its own, so that CI
    // shows it even when every check passed.
    for l in &report.leftovers {
        let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
        status.set_message(format!("left behind: {} ({})", l.url, l.answer()));
        status.set_type("cleanup");
        status.set_description(format!("delete it with:\n{}", l.curl));
        let name = format!("{}::cleanup", l.case);
        let mut case = TestCase::new(name.as_str(), status);
        case.set_classname("cleanup");
        add("cleanup", case);
    }
    junit.add_test_suites(suites);
    junit.set_time(std::time::Duration::from_millis(report.millis));
    junit.set_timestamp(started);
    junit.to_string()
}
