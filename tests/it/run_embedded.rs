//! The generated suite against the embedded reference server: it passes
//! as a whole, cleans up after itself, sends only reads when read-only,
//! and every fault the server can be told to make fails the check named
//! after it, at an operation where the fault shows.

use std::collections::BTreeMap;

use conform::mock::{self, Fault, Fixture, MockOptions, MockServer};
use conform::plan::{CaseKind, TestCase};
use conform::report::console;
use conform::run::outcome::{CaseOutcome, CaseStatus, StepRecord};
use conform::spec::{Contract, Method, Operation};

struct Run {
    contracts: Vec<Contract>,
    cases: Vec<TestCase>,
    outcomes: Vec<CaseOutcome>,
    requests: BTreeMap<String, u64>,
    leftovers: Vec<String>,
}

const NONCE: &str = "itest";

fn run(faults: Vec<Fault>, read_only: bool) -> Run {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let contracts = conform::spec::load_all(&["specs"]).expect("specs");
    let fixture = Fixture::builtin();
    let options = MockOptions {
        faults,
        ..MockOptions::default()
    };
    let server: MockServer = rt
        .block_on(mock::start(contracts.clone(), fixture.clone(), options))
        .expect("mock starts");
    let (cases, engine) = crate::common::planned_engine(&contracts, &server, read_only, NONCE);
    let outcomes = rt.block_on(engine.execute_all(&cases, 8));
    let requests = server.requests_by_method();
    let leftovers = rt.block_on(leftovers(server.url(), fixture.admin_token().unwrap_or("")));
    rt.block_on(server.shutdown());
    Run {
        contracts,
        cases,
        outcomes,
        requests,
        leftovers,
    }
}

/// Names of items the suite made that are still listed after the run.
async fn leftovers(url: &str, token: &str) -> Vec<String> {
    let tenant = Fixture::builtin()
        .params()
        .into_iter()
        .find(|(k, _)| k == "tenantId")
        .map(|(_, v)| v)
        .unwrap_or_default();
    let client = reqwest::Client::new();
    let mut found = Vec::new();
    for path in [
        format!("/api/v1/tenants/{tenant}/Communities"),
        "/api/v1-preview/Communities".to_string(),
        format!("/api/v1/Tenants/{tenant}/Roles"),
    ] {
        let body: serde_json::Value = client
            .get(format!("{url}{path}?count=1000"))
            .bearer_auth(token)
            .send()
            .await
            .expect("list answers")
            .json()
            .await
            .expect("list is JSON");
        for item in body.as_array().into_iter().flatten() {
            let name = item["Name"].as_str().unwrap_or("");
            if name.starts_with(&format!("conform-{NONCE}-")) {
                found.push(format!("{path}: {name}"));
            }
        }
    }
    found
}

fn op<'a>(r: &'a Run, s: &StepRecord) -> &'a Operation {
    &r.contracts[s.doc].operations[s.op]
}

#[test]
fn the_generated_suite_passes_against_the_embedded_server_and_cleans_up() {
    let r = run(Vec::new(), false);
    let failures: Vec<String> = r
        .outcomes
        .iter()
        .filter(|o| o.status != CaseStatus::Passed)
        .map(|o| {
            format!(
                "{}: {:?} {:?}\n{}",
                o.name,
                o.status,
                o.reason,
                console::failure(o)
            )
        })
        .collect();
    let planned_ignored: Vec<&TestCase> = r.cases.iter().filter(|c| c.ignored.is_some()).collect();
    let not_run: Vec<&str> = r
        .outcomes
        .iter()
        .filter(|o| o.reason.is_some())
        .map(|o| o.name.as_str())
        .collect();
    assert_eq!(
        failures.len(),
        planned_ignored.len(),
        "only cases the plan could not build may not pass:\n{}",
        failures.join("\n")
    );
    assert!(
        planned_ignored
            .iter()
            .all(|c| c.kind == CaseKind::ForbiddenRole),
        "with the fixture's params every case but foreign-role ones can run"
    );
    assert_eq!(not_run.len(), planned_ignored.len());
    assert!(r.outcomes.len() > 100, "{} cases", r.outcomes.len());
    let coverage =
        conform::report::coverage::coverage(&r.contracts, &[], &r.cases, &r.outcomes, false);
    let row = coverage
        .roles
        .iter()
        .find(|row| row.operation == "Roles_List Roles")
        .expect("List Roles lists roles");
    let cell = |role: &str| {
        row.cells
            .iter()
            .find(|c| c.role == role)
            .map(|c| (c.allowed, c.cell.clone()))
    };
    use conform::report::coverage::Cell;
    assert_eq!(cell("Tenant Member"), Some((true, Cell::Conformant)));
    let admin = coverage
        .roles
        .iter()
        .find(|row| row.operation == "Roles_Delete Tenant Role")
        .expect("Delete Tenant Role lists roles");
    assert!(
        matches!(&admin.cells[0].cell, Cell::NotExercised(why) if why.contains("no role token holds Tenant Administrator")),
        "{admin:?}"
    );
    assert_eq!(
        (admin.cells[1].allowed, &admin.cells[1].cell),
        (false, &Cell::Conformant),
        "the member token is refused as documented"
    );
    let text = conform::report::coverage::render_roles(&coverage);
    assert!(
        text.contains("Roles_List Roles: Tenant Member allowed ok"),
        "{text}"
    );
    assert!(
        r.leftovers.is_empty(),
        "the suite left items behind: {:?}",
        r.leftovers
    );
    for o in &r.outcomes {
        for c in &o.cleanup {
            assert!(
                c.removed(),
                "{}: cleanup of {} answered {:?}",
                o.name,
                c.url,
                c.status
            );
        }
    }
}

#[test]
fn read_only_runs_send_only_get_and_head() {
    let r = run(Vec::new(), true);
    let methods: Vec<&str> = r.requests.keys().map(String::as_str).collect();
    assert_eq!(methods, vec!["GET", "HEAD"], "{:?}", r.requests);
    assert!(r.outcomes.iter().all(|o| o.status != CaseStatus::Failed));
    assert!(r
        .outcomes
        .iter()
        .any(|o| o.kind == CaseKind::CountHeader && o.status == CaseStatus::Passed));
}

/// Whether the failing step is one where the fault shows.
fn shows_at(fault: Fault, op: &Operation, step: &StepRecord) -> bool {
    let item = op.path.last_param().is_some();
    let status = step.response.as_ref().map(|r| r.status).unwrap_or(0);
    let body_documented = op.response(status).is_some_and(|r| r.body.is_some());
    match fault {
        Fault::WrongSuccessStatus => (200..300).contains(&status) && op.response(status).is_none(),
        Fault::UndocumentedStatus => op.method == Method::Get && item && status == 418,
        Fault::MissingRequiredField => body_documented && status >= 400,
        Fault::WrongFieldType | Fault::EnumOutOfSet | Fault::NullNotNullable => body_documented,
        Fault::WrongContentType => step.response.as_ref().is_some_and(|r| {
            r.headers
                .iter()
                .any(|(k, v)| k == "content-type" && v.starts_with("text/plain"))
        }),
        Fault::ServerError => op.method == Method::Get && !item && status == 500,
        Fault::HeadWithBody | Fault::CountHeaderWrong => op.method == Method::Head,
        Fault::CreateNotRetrievable | Fault::UpdateNotPersisted => op.method == Method::Get && item,
        Fault::DeleteNotRemoving => op.method == Method::Get,
        Fault::ListOmitsCreated | Fault::PagingIgnored => op.method == Method::Get && !item,
        Fault::AnonymousAccepted => !step
            .request
            .headers
            .iter()
            .any(|(k, v)| k == "authorization" && v.contains("$CONFORM_TOKEN")),
        Fault::UnknownTenantAccepted => op.path.has_param("tenantId"),
        Fault::InputRulesIgnored => op.request_body.is_some() && op.response(400).is_some(),
        Fault::NegativePagingAccepted => step.request.url.contains("=-1"),
        Fault::ExistenceDisclosed => status == 404 && op.method == Method::Get && item,
        Fault::VersionsApart => op.method == Method::Get && item,
        Fault::AllowedRoleRefused => op
            .roles
            .iter()
            .any(|r| r == "Tenant Member" || r == "Community Member"),
        Fault::CreateAnswerDiffers => op.method == Method::Get && item,
        Fault::PagingOverlaps | Fault::EmptyNotFound => op.method == Method::Get && !item,
        Fault::CountWrongWhenEmpty => op.method == Method::Head,
        Fault::ReferenceDangling => op.method == Method::Get && !item,
        Fault::RejectedUpdateApplied | Fault::PutNotIdempotent => op.method == Method::Get && item,
        Fault::SecondDeleteSucceeds => op.method == Method::Delete && status == 204,
        Fault::MemberAllowedAdmin => !op
            .roles
            .iter()
            .any(|r| r == "Tenant Member" || r == "Community Member"),
    }
}

#[test]
fn every_fault_fails_the_check_named_after_it_at_the_right_operation() {
    for &fault in Fault::ALL {
        let r = run(vec![fault], false);
        let mut hits = Vec::new();
        let mut elsewhere = Vec::new();
        // An advisory check's fault shows as advisories, any other's as
        // failures only.
        let advisory = conform::run::checks::by_name(fault.check()).is_some_and(|c| c.advisory());
        for o in &r.outcomes {
            let found: Vec<_> = if advisory {
                o.advisories().collect()
            } else {
                o.failures().collect()
            };
            for (step, check) in found {
                if check.check != fault.check() {
                    continue;
                }
                let operation = op(&r, step);
                if shows_at(fault, operation, step) {
                    let text = console::failure(o);
                    assert!(
                        text.contains(&step.operation) && text.contains(fault.check()),
                        "the failure output names the operation and check:\n{text}"
                    );
                    hits.push(format!("{} at {}", o.name, step.operation));
                } else {
                    elsewhere.push(format!(
                        "{} at {} ({:?})",
                        o.name, step.operation, check.message
                    ));
                }
            }
        }
        // A server that keeps deleted items, or hides the ids of the items
        // it makes, leaves nothing the suite could delete them by.
        if !matches!(fault, Fault::DeleteNotRemoving | Fault::NullNotNullable) {
            assert!(
                r.leftovers.is_empty(),
                "with {} the suite left items behind: {:?}",
                fault.name(),
                r.leftovers
            );
        }
        assert!(
            !hits.is_empty(),
            "fault {} made no `{}` failure where it shows; elsewhere: {elsewhere:#?}",
            fault.name(),
            fault.check()
        );
    }
}

/// A server that applies updates whose members have the wrong types fails
/// the lifecycle at its rejected update; a conforming one passes it.
#[test]
fn a_server_applying_refused_updates_fails_the_lifecycle() {
    let lifecycle = "004_a50be14b8577b9a8::Roles_Create Role on Tenant::lifecycle";
    let clean = run(Vec::new(), false);
    let ok = clean
        .outcomes
        .iter()
        .find(|o| o.name == lifecycle)
        .expect("lifecycle");
    assert_eq!(ok.status, CaseStatus::Passed);
    assert!(ok.steps.iter().any(|s| s.name == "rejected update"));
    let broken = run(vec![Fault::InputRulesIgnored], false);
    let o = broken
        .outcomes
        .iter()
        .find(|o| o.name == lifecycle)
        .expect("lifecycle");
    let failed: Vec<(&str, &str)> = o
        .failures()
        .map(|(s, c)| (s.name.as_str(), c.check))
        .collect();
    assert!(
        failed.contains(&("rejected update", "status_expected")),
        "{failed:?}"
    );
}

/// With pages that overlap, one `list_complete` case of three failed: the
/// others walked a collection holding one item, which fills one page, and
/// an overlap shows only from the second. Each case now adds two items of
/// its own, so every walk of a paged list has a second page.
#[test]
fn regression_overlapping_pages_slipped_past_two_walks_of_three() {
    let r = run(vec![Fault::PagingOverlaps], false);
    let walks: Vec<_> = r
        .outcomes
        .iter()
        .filter(|o| o.kind == CaseKind::ListComplete)
        .collect();
    let paged: Vec<_> = walks
        .iter()
        .filter(|o| {
            o.steps
                .iter()
                .any(|s| s.name.starts_with("walk") && s.request.url.contains("skip="))
        })
        .collect();
    assert!(paged.len() >= 2, "{} paged walks", paged.len());
    for o in paged {
        assert_eq!(o.status, CaseStatus::Failed, "{} passed", o.name);
        assert!(
            o.failures().any(|(_, c)| c.check == "list_complete"),
            "{}",
            o.name
        );
    }
}
