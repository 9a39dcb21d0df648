//! Three HTTP semantics the lifecycle cases test, each judged by a check
//! of its own and broken by a reference-server fault of its own: an update
//! the server refuses changes nothing, the same PUT twice leaves what the
//! first left, and a second DELETE answers the documented 404.

use std::collections::BTreeSet;

use crate::common::run_specs_with;
use conform::mock::Fault;
use conform::run::outcome::{CaseOutcome, CaseStatus};

/// The three faults, each with the lifecycle step where it shows.
const SEMANTICS: [(Fault, &str); 3] = [
    (Fault::RejectedUpdateApplied, "get after rejected update"),
    (Fault::PutNotIdempotent, "get after update again"),
    (Fault::SecondDeleteSucceeds, "delete again"),
];

/// Every (step, check) that failed, over every case.
fn failures(outcomes: &[CaseOutcome]) -> BTreeSet<(String, String)> {
    outcomes
        .iter()
        .flat_map(|o| o.failures())
        .map(|(s, c)| (s.name.clone(), c.check.to_string()))
        .collect()
}

#[test]
fn each_http_semantics_fault_fails_exactly_its_own_check() {
    for (fault, step) in SEMANTICS {
        let outcomes = run_specs_with(vec![fault]);
        let failed = failures(&outcomes);
        let expected = BTreeSet::from([(step.to_string(), fault.check().to_string())]);
        assert_eq!(failed, expected, "{fault}");
        let cases = outcomes
            .iter()
            .filter(|o| o.status == CaseStatus::Failed)
            .count();
        assert!(cases >= 1, "{fault} failed no case");
    }
}

#[test]
fn the_clean_server_passes_every_case_and_each_semantic_is_judged() {
    let outcomes = run_specs_with(Vec::new());
    let failed: Vec<&str> = outcomes
        .iter()
        .filter(|o| o.status != CaseStatus::Passed)
        .map(|o| o.name.as_str())
        .collect();
    assert!(failed.is_empty(), "{failed:?}");
    for (fault, step) in SEMANTICS {
        let judged = outcomes
            .iter()
            .flat_map(|o| &o.steps)
            .filter(|s| s.name == step)
            .flat_map(|s| &s.checks)
            .filter(|c| c.check == fault.check() && c.passed)
            .count();
        assert!(
            judged >= 2,
            "`{}` passed {judged} times at {step}",
            fault.check()
        );
    }
}

/// A server that accepts the refused update (the docs' 400 ignored) fails
/// `status_expected` there; the read after it is not judged as if the
/// update had been refused.
#[test]
fn an_accepted_rejected_update_is_not_judged_unchanged() {
    let outcomes = run_specs_with(vec![Fault::InputRulesIgnored]);
    let failed = failures(&outcomes);
    assert!(
        failed.contains(&("rejected update".into(), "status_expected".into())),
        "{failed:?}"
    );
    let judged = outcomes
        .iter()
        .flat_map(|o| &o.steps)
        .filter(|s| s.name == "get after rejected update")
        .flat_map(|s| &s.checks)
        .any(|c| c.check == "rejected_update_unchanged");
    assert!(!judged, "an accepted update may change the item");
}
