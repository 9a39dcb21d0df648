//! References resolve against the embedded reference server: a community's
//! roles are those its roles list holds, unless the server is told to make
//! its references dangle.

use conform::mock::{self, Fault, Fixture, MockOptions};
use conform::plan::CaseKind;
use conform::run::outcome::{CaseOutcome, CaseStatus};

/// The references cases of the seed documents, run against the embedded
/// server with `faults`.
fn references_cases(faults: Vec<Fault>) -> Vec<CaseOutcome> {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let contracts = conform::spec::load_all(&["specs"]).expect("specs");
    let options = MockOptions {
        faults,
        ..MockOptions::default()
    };
    let server = rt
        .block_on(mock::start(contracts.clone(), Fixture::builtin(), options))
        .expect("mock starts");
    let (cases, engine) = crate::common::planned_engine(&contracts, &server, false, "refs");
    let cases: Vec<_> = cases
        .into_iter()
        .filter(|c| c.kind == CaseKind::References)
        .collect();
    let outcomes = rt.block_on(engine.execute_all(&cases, 4));
    rt.block_on(server.shutdown());
    outcomes
}

fn failed_by(outcomes: &[CaseOutcome], check: &str) -> Vec<String> {
    outcomes
        .iter()
        .filter(|o| o.failures().any(|(_, c)| c.check == check))
        .map(|o| o.name.clone())
        .collect()
}

#[test]
fn dangling_references_fail_reference_resolves_and_settled_ones_pass() {
    let clean = references_cases(Vec::new());
    let ran: Vec<&CaseOutcome> = clean
        .iter()
        .filter(|o| o.status == CaseStatus::Passed)
        .collect();
    assert!(
        ran.iter()
            .any(|o| o.name.contains("Communities_Get a Community by Id")),
        "the community read's references case runs and passes: {:#?}",
        clean
            .iter()
            .map(|o| (&o.name, &o.status))
            .collect::<Vec<_>>()
    );
    assert!(
        clean.iter().all(|o| o.status == CaseStatus::Passed),
        "every references case passes without the fault: {:#?}",
        clean
            .iter()
            .filter(|o| o.status != CaseStatus::Passed)
            .map(|o| (&o.name, &o.status))
            .collect::<Vec<_>>()
    );
    let broken = references_cases(vec![Fault::ReferenceDangling]);
    let failed = failed_by(&broken, "reference_resolves");
    assert!(
        failed
            .iter()
            .any(|n| n.contains("Communities_Get a Community by Id::references")),
        "a community holding a role its roles list lacks fails the read's case: {failed:?}"
    );
}
