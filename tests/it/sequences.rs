//! Whole sequences: a failed stateful case prints every request that led
//! to it as a shell script that runs, and items made through one API
//! version are the same items through the other.

use std::collections::BTreeSet;
use std::process::Command;

use conform::mock::{self, Fault, Fixture, MockOptions};
use conform::plan::CaseKind;
use conform::report::{console, RunReport};
use conform::run::outcome::{CaseOutcome, CaseStatus};

/// Runs the cases whose names contain `filter` against an embedded server
/// with `faults`; `then` sees the outcomes while the server still runs,
/// with its URL and the main token.
fn run_with<T>(
    faults: Vec<Fault>,
    filter: &str,
    then: impl FnOnce(&[CaseOutcome], &str, &str) -> T,
) -> T {
    run_docs("specs", faults, filter, then)
}

/// [`run_with`] over the documents under `docs`.
fn run_docs<T>(
    docs: &str,
    faults: Vec<Fault>,
    filter: &str,
    then: impl FnOnce(&[CaseOutcome], &str, &str) -> T,
) -> T {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let contracts = conform::spec::load_all(&[docs]).expect("documents");
    let fixture = Fixture::builtin();
    let options = MockOptions {
        faults,
        ..MockOptions::default()
    };
    let server = rt
        .block_on(mock::start(contracts.clone(), fixture.clone(), options))
        .expect("mock starts");
    let (cases, engine) = crate::common::planned_engine(&contracts, &server, false, "seq");
    let cases: Vec<_> = cases
        .into_iter()
        .filter(|c| c.name.contains(filter))
        .collect();
    assert!(!cases.is_empty(), "no case matches {filter}");
    let outcomes = rt.block_on(engine.execute_all(&cases, 4));
    let token = fixture.admin_token().unwrap_or("").to_string();
    let out = then(&outcomes, server.url(), &token);
    rt.block_on(server.shutdown());
    out
}

/// The script part of a failure's console output, unindented.
fn script_of(failure: &str) -> String {
    failure
        .split("reproduce the whole sequence:\n")
        .nth(1)
        .unwrap_or("")
        .lines()
        .map(|l| l.strip_prefix("    ").unwrap_or(l))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A lifecycle failing at each kind of step prints a script that bash runs
/// through, without an error, to the failing status, and that deletes what
/// it made. The scripts once stopped at the update (`ID_2: unbound
/// variable`, a variable used before the line binding it) and this test
/// did not see it: it read only the last status printed, and the answer
/// before the update happened to have the failure's 200. It now also asks
/// bash to finish with nothing on stderr, across every step a lifecycle has.
#[test]
fn a_failed_lifecycle_prints_a_script_that_runs_to_the_same_status() {
    let roles = "004_a50be14b8577b9a8::Roles_Create Role on Tenant::lifecycle";
    let communities = "000_a2f21fb7a461d36e::Communities_Create a new Community::lifecycle";
    // Each fault makes the case's last failure another step; the scripts
    // together pass through every step the two lifecycles have.
    let runs = [
        (Fault::ListOmitsCreated, roles, "list"),
        (Fault::CountHeaderWrong, roles, "count"),
        (
            Fault::CreateNotRetrievable,
            roles,
            "get after rejected update",
        ),
        (Fault::UpdateNotPersisted, roles, "get after update"),
        (Fault::PutNotIdempotent, roles, "get after update again"),
        (
            Fault::RejectedUpdateApplied,
            roles,
            "get after rejected update",
        ),
        (Fault::DeleteNotRemoving, roles, "list after delete"),
        (Fault::DeleteNotRemoving, communities, "list after delete"),
    ];
    let mut steps: BTreeSet<String> = BTreeSet::new();
    let mut reached: BTreeSet<String> = BTreeSet::new();
    for (fault, case, last_step) in runs {
        run_with(vec![fault], case, |outcomes, _, token| {
            let o = outcomes.iter().find(|o| o.name == case).expect("ran");
            assert_eq!(o.status, CaseStatus::Failed, "{case} under {fault:?}");
            steps.extend(o.steps.iter().map(|s| s.name.clone()));
            let (step, _) = o.failures().last().expect("a failure");
            assert_eq!(step.name, last_step, "{fault:?}");
            let failed_status = step.response.as_ref().map(|r| r.status).unwrap_or(0);
            let script = script_of(&console::failure(o));
            assert!(script.starts_with("#!/usr/bin/env bash"), "{script}");
            assert!(
                script.contains("jq -r '.Id'") && script.contains("${ID_1}"),
                "{script}"
            );
            assert!(!script.contains("mock-admin"), "the token stays a variable");
            let parsed = Command::new("bash")
                .args(["-n", "-c", &script])
                .status()
                .expect("bash -n");
            assert!(parsed.success(), "the script does not parse:\n{script}");
            let output = bash(&script, token);
            let stdout = String::from_utf8_lossy(&output.stdout);
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert!(
                output.status.success() && stderr.is_empty(),
                "{fault:?}: the script stopped ({}): {stderr}\n{script}",
                output.status
            );
            let last = stdout
                .lines()
                .rfind(|l| l.starts_with("HTTP/"))
                .unwrap_or("");
            assert!(
                last.contains(&format!(" {failed_status}")),
                "{fault:?}: the script's last answer is `{last}`, the failure's {failed_status}:\n{stdout}"
            );
            reached.extend(
                o.steps
                    .iter()
                    .filter(|s| script.contains(&format!("\n# {}: {}\n", s.name, s.operation)))
                    .map(|s| s.name.clone()),
            );
            if fault != Fault::DeleteNotRemoving {
                assert!(script.contains("\n# cleanup\n"), "{script}");
                assert_left_nothing(o, &stdout, token);
            }
        });
    }
    let missed: Vec<&String> = steps.difference(&reached).collect();
    assert!(missed.is_empty(), "no script ran {missed:?}");
    for step in ["create", "update", "rejected update", "delete again"] {
        assert!(reached.contains(step), "{step}");
    }
}

/// Runs a script under bash with the main token.
fn bash(script: &str, token: &str) -> std::process::Output {
    Command::new("bash")
        .arg("-c")
        .arg(script)
        .env("CONFORM_TOKEN", token)
        .output()
        .expect("bash runs")
}

/// The item the script made (the `Id` of the create's answer, the first
/// line it prints) is neither served nor listed once the script ends.
fn assert_left_nothing(o: &CaseOutcome, stdout: &str, token: &str) {
    let id_of = |body: &str| {
        serde_json::from_str::<serde_json::Value>(body).ok()?["Id"]
            .as_str()
            .map(str::to_string)
    };
    let made = stdout
        .lines()
        .next()
        .and_then(id_of)
        .expect("the create's answer");
    let case_id = o.steps[0]
        .response
        .as_ref()
        .and_then(|r| id_of(&r.body))
        .expect("the case's item");
    let url = |name: &str| {
        let step = o.steps.iter().find(|s| s.name == name).expect(name);
        step.request.url.replace(&case_id, &made)
    };
    let get = |url: String| {
        let out = Command::new("curl")
            .args(["-sS", "-w", "\n%{http_code}", &url, "-H"])
            .arg(format!("authorization: Bearer {token}"))
            .output()
            .expect("curl runs");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let item = get(url("get"));
    assert!(item.ends_with("\n404"), "{made} is still served: {item}");
    let list = get(url("list"));
    assert!(
        list.ends_with("\n200") && !list.contains(&made),
        "{made} is still listed: {list}"
    );
}

#[test]
fn an_item_made_through_one_version_is_the_same_through_the_other() {
    let pass = |outcomes: &[CaseOutcome], _: &str, _: &str| {
        let cross: Vec<&CaseOutcome> = outcomes
            .iter()
            .filter(|o| o.kind == CaseKind::CrossVersion)
            .collect();
        assert_eq!(cross.len(), 2, "one case each way between the two versions");
        for o in &cross {
            assert_eq!(o.status, CaseStatus::Passed, "{}", console::failure(o));
            assert!(o
                .steps
                .iter()
                .any(|s| s.name == "get through the other version"));
            assert!(o
                .steps
                .iter()
                .any(|s| s.name == "list through the other version"));
        }
    };
    run_with(Vec::new(), "cross_version", pass);
    run_with(
        vec![Fault::VersionsApart],
        "cross_version",
        |outcomes, _, _| {
            for o in outcomes {
                let failed: Vec<&str> = o.failures().map(|(_, c)| c.check).collect();
                assert!(
                    failed.contains(&"created_retrievable"),
                    "{}: {failed:?}",
                    o.name
                );
                assert!(
                    failed.contains(&"list_contains_created"),
                    "{}: {failed:?}",
                    o.name
                );
            }
        },
    );
}

#[test]
fn a_refused_caller_telling_existing_from_missing_is_an_advisory_not_a_failure() {
    let case = "other_role_existence";
    run_with(Vec::new(), case, |outcomes, _, _| {
        assert!(!outcomes.is_empty());
        for o in outcomes {
            assert_eq!(o.status, CaseStatus::Passed, "{}", console::failure(o));
            assert_eq!(o.advisories().count(), 0);
        }
    });
    run_with(vec![Fault::ExistenceDisclosed], case, |outcomes, _, _| {
        for o in outcomes {
            assert_eq!(o.status, CaseStatus::Passed, "an advisory never fails");
            let (step, c) = o.advisories().next().expect("an advisory");
            assert_eq!(c.check, "existence_disclosed");
            assert_eq!(step.response.as_ref().map(|r| r.status), Some(404));
            assert!(console::failure(o).contains("advisory existence_disclosed"));
        }
        // Every report shows it; none fails for it.
        let contracts = conform::spec::load_all(&["specs"]).expect("specs");
        let report = RunReport::new(&contracts, vec![], &[], outcomes.to_vec(), false, None, 0);
        assert_eq!(report.totals.failed, 0);
        assert_eq!(report.advisories.len(), 1);
        let json = conform::report::json::render(&report).expect("json");
        assert!(json.contains("\"advisories\"") && json.contains("\"advisory\": true"));
        let junit = conform::report::junit::render(&report).expect("junit");
        assert!(
            junit.contains("<system-out>advisory existence_disclosed"),
            "{junit}"
        );
        let markdown = conform::report::markdown::render(&report);
        assert!(markdown.contains("### Advisories"), "{markdown}");
        let page = conform::report::html::render(&report);
        assert!(
            page.contains("Advisories (not failures)") && page.contains("existence_disclosed"),
            "the HTML page shows the advisory"
        );
    });
}

#[test]
fn negative_paging_and_each_blank_form_are_cases_of_their_own() {
    run_with(
        vec![Fault::NegativePagingAccepted],
        "negative_paging[",
        |outcomes, _, _| {
            let failed: Vec<&str> = outcomes
                .iter()
                .filter(|o| o.status == CaseStatus::Failed)
                .map(|o| o.name.as_str())
                .collect();
            assert!(
                failed.iter().any(|n| n.ends_with("negative_paging[skip]"))
                    && failed.iter().any(|n| n.ends_with("negative_paging[count]")),
                "{failed:?}"
            );
        },
    );
    run_with(Vec::new(), "negative_paging[", |outcomes, _, _| {
        assert!(outcomes.iter().all(|o| o.status == CaseStatus::Passed));
    });
    run_with(
        vec![Fault::InputRulesIgnored],
        "Name: ",
        |outcomes, _, _| {
            for rule in ["[Name: empty]", "[Name: whitespace]"] {
                let o = outcomes
                    .iter()
                    .find(|o| o.name.ends_with(rule))
                    .unwrap_or_else(|| panic!("no {rule} case"));
                assert_eq!(o.status, CaseStatus::Failed, "{}", o.name);
            }
        },
    );
}

#[test]
fn members_of_nested_definitions_are_each_a_case_named_by_their_path() {
    let docs = "fixtures/corpus/family/data-views";
    let nested = "input_rule[IndexField.";
    run_docs(docs, Vec::new(), nested, |outcomes, _, _| {
        assert!(outcomes.len() >= 2, "{}", outcomes.len());
        for o in outcomes {
            assert_eq!(o.status, CaseStatus::Passed, "{}", console::failure(o));
        }
    });
    run_docs(
        docs,
        vec![Fault::InputRulesIgnored],
        nested,
        |outcomes, _, _| {
            let failed: Vec<String> = outcomes
                .iter()
                .flat_map(|o| {
                    o.failures()
                        .map(|(_, c)| c.message.clone().unwrap_or_default())
                })
                .collect();
            assert!(
                failed
                    .iter()
                    .any(|m| m.contains("member `IndexField.Source`")),
                "{failed:?}"
            );
        },
    );
}
