//! The CI gate past one machine and on a terminal: shards of one plan
//! (`--partition`) run against one server and merge (`report merge`) into
//! the totals of one unsharded run; accepted failures are not `ok`;
//! `conform.toml` gates (`require-all`, `min-run`); colour and terminal
//! width; a docs folder holding a README and a binary file.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;

use crate::common::{conform, conform_env, scratch};
use conform::api::Api;
use conform::plan::Partition;
use conform::report::{json, merge, RunReport};
use conform::run::checks::Settings;
use conform::run::http::Limits;
use conform::session::{embedded, Documents, Endpoint, Harness, Reports, RunConfig, Session};

/// The summary line with its timing taken out.
fn summary_line(stdout: &str) -> String {
    let line = stdout
        .lines()
        .find(|l| l.contains(" cases run: "))
        .unwrap_or_else(|| panic!("a summary line in {stdout}"));
    line.split(" requests in ")
        .next()
        .unwrap_or(line)
        .to_string()
}

/// The settings of a run of `specs/` against the server at `url`, with
/// the fixture's tokens and values, as one CI job would pass them.
fn config(url: &str, target: &conform::run::Target, partition: Option<Partition>) -> RunConfig {
    RunConfig {
        paths: vec![PathBuf::from("specs")],
        endpoint: Endpoint::Remote(url.to_string()),
        token: target.token.clone(),
        client_credentials: None,
        role_tokens: target.role_tokens.clone(),
        params: target.params.clone(),
        headers: Vec::new(),
        public_headers: Vec::new(),
        limits: Limits::default(),
        read_only: false,
        allow_leftovers: false,
        operation_hints: false,
        allow_param_changes: false,
        settings: Settings::default(),
        schema: Default::default(),
        baseline: None,
        deny_doc_errors: false,
        min_score: None,
        path_maps: Vec::new(),
        harness: Harness {
            test_threads: 4,
            partition,
            ..Harness::default()
        },
        reports: Reports::default(),
    }
}

/// One run (or shard) of `specs/` against `url`, its report as read back
/// from its JSON file.
fn run_shard(
    documents: &Documents,
    url: &str,
    target: &conform::run::Target,
    partition: Option<Partition>,
    dir: &std::path::Path,
) -> (PathBuf, RunReport) {
    let name = partition.map_or("whole".to_string(), |p| {
        p.to_string().replace([':', '/'], "-")
    });
    let mut session = Session::with_documents(config(url, target, partition), documents.clone())
        .expect("the session opens");
    let mut args = session.config().harness.arguments();
    // The harness's lines go to a file, not into the test output.
    args.logfile = Some(dir.join(format!("{name}.log")).display().to_string());
    let executed = session.execute(&args, || {});
    session.stop_server();
    let report = session.report(executed);
    let path = dir.join(format!("{name}.json"));
    std::fs::write(&path, json::render(&report).expect("renders")).expect("written");
    let read = merge::load(&path).expect("the JSON report reads back");
    (path, read)
}

fn names(report: &RunReport) -> Vec<String> {
    let ran = report.cases.iter().map(|c| c.name.clone());
    ran.chain(report.not_run.iter().map(|n| n.name.clone()))
        .collect()
}

#[test]
fn three_shards_against_one_server_merge_into_the_totals_of_one_run() {
    let dir = scratch("shards");
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let documents = Documents::load(&["specs"]).expect("specs/ reads");
    let api = Arc::new(Api::new(documents.usable.clone()));
    let (server, target) = rt
        .block_on(embedded::start(
            api,
            Vec::new(),
            Settings::default().count_header,
        ))
        .expect("the server starts");
    let url = server.url().to_string();

    let (_, whole) = run_shard(&documents, &url, &target, None, &dir);
    assert!(
        whole.totals.cases > 100 && whole.totals.failed == 0,
        "{:?}",
        whole.totals
    );

    let mut shards = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    for k in 1..=3 {
        let p: Partition = format!("count:{k}/3").parse().expect("a partition");
        let (path, report) = run_shard(&documents, &url, &target, Some(p), &dir);
        assert_eq!(report.totals.failed, 0, "shard {k}: {:?}", report.totals);
        assert!(report.totals.cases > 0, "shard {k} ran nothing");
        assert_eq!(
            report
                .shard
                .as_ref()
                .map(|s| (s.partition.clone(), s.planned)),
            Some((p.to_string(), whole.cases.len() + whole.not_run.len()))
        );
        seen.extend(names(&report));
        shards.push((path.display().to_string(), report));
    }
    rt.block_on(server.shutdown());

    // Every planned case in exactly one shard.
    let unique: BTreeSet<&String> = seen.iter().collect();
    assert_eq!(unique.len(), seen.len(), "a case in two shards");
    let planned: BTreeSet<String> = names(&whole).into_iter().collect();
    assert_eq!(
        unique.into_iter().cloned().collect::<BTreeSet<_>>(),
        planned
    );

    let merged = merge::merge(shards).expect("the shards merge");
    assert_eq!(merged.totals, whole.totals);
    assert_eq!(merged.cases.len(), whole.cases.len());
    assert_eq!(merged.coverage.rows.len(), whole.coverage.rows.len());
    for (m, w) in merged.coverage.rows.iter().zip(&whole.coverage.rows) {
        assert_eq!((&m.document, &m.operation), (&w.document, &w.operation));
        let states = |r: &conform::report::coverage::Row| {
            r.cells
                .iter()
                .map(|(s, c)| {
                    (
                        *s,
                        !matches!(c, conform::report::coverage::Cell::NotExercised(_)),
                    )
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(states(m), states(w), "{}::{}", m.document, m.operation);
    }
    let tally = |r: &RunReport| -> usize {
        r.summary
            .iter()
            .flat_map(|row| &row.checks)
            .map(|(_, t)| t.passed + t.failed)
            .sum()
    };
    assert_eq!(tally(&merged), tally(&whole));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn report_merge_writes_one_report_and_refuses_overlapping_or_missing_shards() {
    let dir = scratch("merge-cli");
    let path = |f: &str| dir.join(f).display().to_string();
    let (code, whole, _) = conform(&["run", "specs/", "-q"]);
    assert_eq!(code, 0);
    let (code, list, _) = conform(&["run", "specs/", "--list"]);
    assert_eq!(code, 0);
    let planned = list.lines().filter(|l| l.ends_with(": test")).count();
    for k in 1..=3 {
        let (code, stdout, stderr) = conform(&[
            "run",
            "specs/",
            "-q",
            "--partition",
            &format!("hash:{k}/3"),
            "--json",
            &path(&format!("s{k}.json")),
        ]);
        assert_eq!(code, 0, "{stdout}\n{stderr}");
        assert!(
            stdout.contains(&format!("partition hash:{k}/3: ")),
            "the shard says which it is: {stdout}"
        );
    }
    let shards: Vec<String> = (1..=3).map(|k| path(&format!("s{k}.json"))).collect();
    // A shard's report keeps to the published schema, its shard included.
    let shard: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&shards[0]).unwrap()).unwrap();
    assert_eq!(shard["shard"]["partition"], "hash:1/3");
    let errors = crate::common::report_schema_errors(&shard);
    assert!(errors.is_empty(), "{errors:?}");
    let mut args = vec!["report", "merge"];
    args.extend(shards.iter().map(String::as_str));
    let (junit, md, html) = (path("m.xml"), path("m.md"), path("m.html"));
    args.extend(["--junit", &junit, "--markdown", &md, "--html", &html]);
    let (code, stdout, stderr) = conform(&args);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert_eq!(
        summary_line(&stdout),
        format!("3 merged: {}", summary_line(&whole)),
        "the totals of one unsharded run"
    );
    let score = |out: &str| {
        out.lines()
            .find(|l| l.starts_with("score: "))
            .map(str::to_string)
            .unwrap_or_else(|| panic!("a score line in {out}"))
    };
    assert_eq!(
        score(&stdout),
        score(&whole),
        "the score of one unsharded run"
    );
    let page = std::fs::read_to_string(&html).expect("HTML written");
    assert!(
        page.starts_with("<!DOCTYPE html>") && page.contains("204"),
        "{page}"
    );
    let xml = std::fs::read_to_string(&junit).expect("JUnit written");
    assert!(xml.contains("<testsuites name=\"conform\""), "{xml}");
    assert!(std::fs::read_to_string(&md)
        .expect("markdown written")
        .starts_with("## Conformance run passed"));

    let (code, _, stderr) = conform(&["report", "merge", &shards[0], &shards[1]]);
    assert_eq!(code, 2);
    assert_eq!(
        stderr.trim(),
        "error: shard hash:3/3 is missing: merge the reports of all 3 shards"
    );
    let (code, _, stderr) = conform(&[
        "report", "merge", &shards[0], &shards[0], &shards[1], &shards[2],
    ]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("ran in both") && stderr.contains("the shards overlap"),
        "{stderr}"
    );
    let (code, _, stderr) = conform(&["report", "merge", "Cargo.toml"]);
    assert_eq!(code, 2);
    assert!(
        stderr.starts_with("error: failed to read Cargo.toml: not a conform JSON report"),
        "{stderr}"
    );
    // More shards than units: the last one is dealt nothing, which is no
    // failure of its own (the merge judges the whole).
    let (code, stdout, stderr) = conform(&["run", "specs/", "-q", "--partition", "count:300/300"]);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(
        stdout.contains("partition count:300/300: 0 of the plan's ")
            && stdout.contains(&format!(" {planned} cases")),
        "{stdout}"
    );
    let (code, _, stderr) = conform(&["run", "specs/", "--partition", "count:4/3"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("invalid partition `count:4/3`: K out of range"),
        "{stderr}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// Regression: with `--baseline`, the libtest line of an accepted case
/// read `... ok`, like a pass.
#[test]
fn regression_accepted_cases_printed_ok() {
    let dir = scratch("ci-gate-accepted");
    let baseline = dir.join("baseline.toml");
    let filter = "Roles_Create Role on Tenant::lifecycle";
    let (_, _, _) = conform(&[
        "run",
        "specs/",
        "--fault",
        "create-not-retrievable",
        "--write-baseline",
        baseline.to_str().unwrap(),
        "--",
        filter,
    ]);
    let (code, stdout, stderr) = conform(&[
        "run",
        "specs/",
        "--fault",
        "create-not-retrievable",
        "--baseline",
        baseline.to_str().unwrap(),
        "--",
        filter,
    ]);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    let line = stdout
        .lines()
        .find(|l| l.starts_with("test ") && l.contains(filter))
        .unwrap_or_else(|| panic!("the case's line: {stdout}"));
    assert!(!line.ends_with("... ok"), "{line}");
    assert!(
        line.ends_with(
            "... ignored (accepted: status_expected, created_retrievable, update_persisted)"
        ),
        "{line}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn require_all_and_min_run_in_conform_toml_fail_a_run() {
    let (code, _, stderr) = conform(&[
        "run",
        "specs/",
        "--config",
        "fixtures/config/require-all.toml",
        "--",
        "happy",
    ]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("planned cases or operations did not run (--require-all)"),
        "{stderr}"
    );
    let (code, _, stderr) = conform(&["run", "specs/", "--config", "fixtures/config/min-run.toml"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains(" cases ran, fewer than 100000 (--min-run)"),
        "{stderr}"
    );
    // The flag wins over the file.
    let (code, _, stderr) = conform(&[
        "run",
        "specs/",
        "--config",
        "fixtures/config/min-run.toml",
        "--min-run",
        "1",
    ]);
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn colour_only_when_asked_or_on_a_terminal_and_never_under_no_color() {
    let failing = ["run", "specs/", "-q", "--fault", "server-error", "--color"];
    let with = |choice: &str, env: &[(&str, &str)]| {
        let mut args = failing.to_vec();
        args.push(choice);
        conform_env(&args, env).1
    };
    let always = with("always", &[]);
    assert!(always.contains("\u{1b}["), "{always}");
    let line = always.lines().find(|l| l.contains(" cases run: ")).unwrap();
    assert!(
        line.contains("\u{1b}[1m\u{1b}[31m") && line.contains(" failed"),
        "{line:?}"
    );
    // A pipe is not a terminal; CLICOLOR_FORCE colours it anyway, and
    // NO_COLOR wins over both.
    assert!(!with("auto", &[]).contains('\u{1b}'));
    assert!(with("auto", &[("CLICOLOR_FORCE", "1")]).contains('\u{1b}'));
    assert!(!with("auto", &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]).contains('\u{1b}'));
    assert!(!with("never", &[("CLICOLOR_FORCE", "1")]).contains('\u{1b}'));
}

#[test]
fn tables_fit_the_terminal_width() {
    let (code, wide, _) = conform(&["run", "specs/"]);
    assert_eq!(code, 0);
    assert!(
        wide.lines().any(|l| l.chars().count() > 60),
        "a pipe keeps the full width"
    );
    let (code, narrow, _) = conform_env(&["run", "specs/"], &[("COLUMNS", "60")]);
    assert_eq!(code, 0);
    let tables = narrow
        .split("coverage (documented statuses per operation):")
        .nth(1)
        .expect("the tables");
    let tables = tables.split(" cases run: ").next().unwrap_or(tables);
    for line in tables.lines() {
        assert!(line.chars().count() <= 60, "{line:?}");
    }
    assert!(tables.contains('…'), "long labels shortened: {tables}");
}

#[test]
fn a_docs_folder_with_a_readme_and_a_binary_file() {
    // A README is not an API reference: a note, and the run goes on.
    let (code, stdout, stderr) = conform(&["run", "fixtures/docs-folder/", "-q", "--require-all"]);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(
        stderr.contains(
            "note: fixtures/docs-folder/README.md is not an API reference (it documents no operation); left out"
        ),
        "{stderr}"
    );
    assert!(!stdout.contains("not run"), "{stdout}");
    // A binary file among the documents is refused by name.
    let (code, _, stderr) = conform(&["run", "fixtures/docs-folder-binary/"]);
    assert_eq!(code, 2);
    assert_eq!(
        stderr.trim(),
        "error: fixtures/docs-folder-binary/logo.md is not a text document: it holds binary data"
    );
}
