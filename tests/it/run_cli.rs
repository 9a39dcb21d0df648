//! `conform run` and `conform checks` from the outside: exit codes, the
//! harness flags, the report files, the baseline round trip, and no
//! secret in any output.

use std::process::Command;

use crate::common::scratch;
use serde_json::Value;

const ADMIN_TOKEN: &str = "mock-admin-7f3a9c1e5b";
const MEMBER_TOKEN: &str = "mock-member-2d8e4b6a0f";

/// [`crate::common::conform`], asserting that no token of the fixture
/// shows in the output.
fn conform(args: &[&str]) -> (i32, String, String) {
    let (code, stdout, stderr) = crate::common::conform(args);
    for secret in [ADMIN_TOKEN, MEMBER_TOKEN] {
        assert!(
            !stdout.contains(secret) && !stderr.contains(secret),
            "a token leaked"
        );
    }
    (code, stdout, stderr)
}

/// `conform run PATH` writing JUnit, JSON and markdown reports into a
/// scratch directory named `name` (as `r.xml`, `r.json`, `r.md`).
fn run_with_reports(name: &str, path: &str) -> (std::path::PathBuf, i32, String, String) {
    let dir = scratch(name);
    let report = |file: &str| dir.join(file).to_str().unwrap().to_string();
    let (junit, json, md) = (report("r.xml"), report("r.json"), report("r.md"));
    let (code, stdout, stderr) = conform(&[
        "run",
        path,
        "--junit",
        &junit,
        "--json",
        &json,
        "--markdown",
        &md,
    ]);
    (dir, code, stdout, stderr)
}

#[test]
fn the_readme_command_passes_every_case_and_writes_every_report() {
    let (dir, code, stdout, stderr) = run_with_reports("reports", "specs/");
    let (junit, json, md) = (dir.join("r.xml"), dir.join("r.json"), dir.join("r.md"));
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(stdout.contains("test result: ok."), "{stdout}");
    assert!(stdout.contains("coverage (documented statuses per operation):"));
    assert!(stdout.contains(" 0 failed"));
    let report: Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let cases = report["cases"].as_array().unwrap();
    assert!(cases.len() > 100);
    assert!(cases.iter().all(|c| c["status"] == "passed"));
    assert_eq!(report["totals"]["failed"], 0);
    let first = &cases[0]["steps"][0];
    assert!(first["checks"][0]["check"].is_string() && first["request"]["url"].is_string());
    // The report names its layout and keeps to its published schema.
    assert_eq!(report["schema_version"], 1);
    let errors = crate::common::report_schema_errors(&report);
    assert!(errors.is_empty(), "{errors:?}");
    let xml = std::fs::read_to_string(&junit).unwrap();
    assert!(xml.starts_with("<?xml") && xml.contains("<testsuite name=\"004_a50be14b8577b9a8\""));
    // Suites carry when the run started and how long their cases took.
    let suite = xml
        .lines()
        .find(|l| l.contains("<testsuite name=\"004_a50be14b8577b9a8\""))
        .unwrap();
    assert!(
        suite.contains(" timestamp=\"20") && suite.contains(" time=\""),
        "{suite}"
    );
    assert_eq!(
        report["not_run"].as_array().unwrap().len(),
        0,
        "the default fixture holds a token for every role case"
    );
    assert_eq!(xml.matches("<testcase ").count(), cases.len());
    // Cases a filter leaves out are still listed, as skipped.
    let filtered = dir.join("filtered.xml");
    let (code, stdout, stderr) = conform(&[
        "run",
        "specs/",
        "--junit",
        filtered.to_str().unwrap(),
        "--",
        "Roles_Get Role",
    ]);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    let xml = std::fs::read_to_string(&filtered).unwrap();
    assert_eq!(xml.matches("<testcase ").count(), cases.len(), "{xml}");
    assert!(
        xml.matches("<skipped").count() > cases.len() / 2,
        "not-run cases are skipped: {xml}"
    );
    let markdown = std::fs::read_to_string(&md).unwrap();
    assert!(
        markdown.starts_with("## Conformance run passed"),
        "{markdown}"
    );
    assert!(markdown.contains("### Coverage") && markdown.contains("| `Roles_Get Role` |"));
    for text in [&xml, &markdown, &report.to_string()] {
        assert!(!text.contains(ADMIN_TOKEN) && !text.contains(MEMBER_TOKEN));
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_failed_check_exits_1_with_the_request_answer_and_curl() {
    let (code, stdout, _) = conform(&[
        "run",
        "specs/",
        "--fault",
        "create-not-retrievable",
        "--",
        "Roles_Create Role on Tenant::lifecycle",
    ]);
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.contains("test step `get` of `Roles_Get Role`"),
        "{stdout}"
    );
    assert!(stdout.contains("check created_retrievable failed: the item created as `"));
    assert!(stdout.contains("--> specs/004_a50be14b8577b9a8.txt:"));
    assert!(stdout.contains("authorization: Bearer $CONFORM_TOKEN"));
    assert!(stdout.contains("curl -sS -i 'http://127.0.0.1:"));
    assert!(stdout.contains("-H \"authorization: Bearer $CONFORM_TOKEN\""));
    assert!(stdout.contains("1 passed") || stdout.contains("0 passed; 1 failed"));
}

#[test]
fn harness_flags_list_filter_exactly_and_skip() {
    let (code, stdout, _) = conform(&["run", "specs/", "--list"]);
    assert_eq!(code, 0);
    let listed: Vec<&str> = stdout.lines().filter(|l| l.ends_with(": test")).collect();
    assert!(listed.len() > 100);
    assert!(listed.contains(&"004_a50be14b8577b9a8::Roles_Get Role::happy: test"));

    let exact = "004_a50be14b8577b9a8::Roles_Get Role::happy";
    let (code, stdout, _) = conform(&["run", "specs/", "--exact", "--", exact]);
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.contains("running 1 test"), "{stdout}");

    let (code, stdout, _) = conform(&[
        "run",
        "specs/",
        "--skip",
        "no_token",
        "--test-threads",
        "1",
        "--format",
        "terse",
        "--",
        "Roles_Get Role::",
    ]);
    assert_eq!(code, 0, "{stdout}");
    assert!(!stdout.contains("no_token"));
    // happy, malformed_token, forbidden_role, allowed_role[Tenant Member],
    // other_role_existence, unknown_id and unknown_id[tenantId].
    assert!(stdout.contains("running 7 tests"), "{stdout}");
}

#[test]
fn read_only_runs_only_read_cases() {
    let (code, stdout, _) = conform(&["run", "specs/", "--read-only", "--list"]);
    assert_eq!(code, 0);
    assert!(!stdout.contains("Roles_Create Role on Tenant::"));
    assert!(stdout.contains("Roles_Get Role::happy"));
}

#[test]
fn a_baseline_accepts_known_failures_and_reports_fixed_ones() {
    let dir = scratch("baseline");
    let file = dir.join("baseline.toml");
    let filter = "Roles_Create Role on Tenant::lifecycle";
    let (code, _, _) = conform(&[
        "run",
        "specs/",
        "--fault",
        "create-not-retrievable",
        "--write-baseline",
        file.to_str().unwrap(),
        "--",
        filter,
    ]);
    assert_eq!(code, 1);
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("check = \"created_retrievable\""), "{text}");
    let (code, stdout, _) = conform(&[
        "run",
        "specs/",
        "--fault",
        "create-not-retrievable",
        "--baseline",
        file.to_str().unwrap(),
        "--",
        filter,
    ]);
    assert_eq!(code, 0, "the known failures are accepted:\n{stdout}");
    assert_accepted_everywhere(&file, filter);
    let (code, _, stderr) = conform(&[
        "run",
        "specs/",
        "--baseline",
        file.to_str().unwrap(),
        "--",
        filter,
    ]);
    assert_eq!(code, 0);
    assert!(
        stderr.contains("baseline entry now passes (remove it): 004_a50be14b8577b9a8::Roles_Create Role on Tenant::lifecycle / created_retrievable"),
        "{stderr}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn usage_errors_exit_2() {
    let (code, _, stderr) = conform(&["run", "specs/", "--param", "novalue"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("--param needs NAME=VALUE"), "{stderr}");
    let (code, _, stderr) = conform(&["run", "specs/", "--base-url", "not a url"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("invalid base URL `not a url`"), "{stderr}");
    let (code, _, _) = conform(&["run", "no/such/dir"]);
    assert_eq!(code, 2);
    let (code, _, stderr) = conform(&["run", "specs/", "--role-token", "justatoken"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("ROLE[,ROLE]=TOKEN"), "{stderr}");
}

#[test]
fn a_document_with_no_usable_operation_is_an_error_naming_it() {
    let dir = scratch("bad-doc");
    let doc = dir.join("bad.md");
    std::fs::write(
        &doc,
        "# T\n\n## `Get thing`\n\n<a id=\"opIdThings_Get thing\"></a>\n\n```text\nGET /things\n```\n",
    )
    .unwrap();
    let (code, stdout, stderr) = conform(&["run", doc.to_str().unwrap()]);
    assert_eq!(code, 2, "{stdout}");
    assert!(stderr.contains("error[missing-status-table]"), "{stderr}");
    assert!(
        stderr.contains(&format!("{} has no usable operation", doc.display())),
        "{stderr}"
    );
    assert!(!stdout.contains("running"), "no case ran");
    let (code, stdout, stderr) = conform(&["run", "fixtures/doc-errors/overview.md"]);
    assert_eq!(code, 2, "{stdout}");
    assert!(
        stderr.contains("fixtures/doc-errors/overview.md has no usable operation"),
        "{stderr}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn deny_doc_errors_refuses_documents_with_errors_before_anything_runs() {
    let (code, stdout, stderr) =
        conform(&["run", "fixtures/doc-errors/things.md", "--deny-doc-errors"]);
    assert_eq!(code, 2, "{stdout}");
    assert!(
        stderr.contains("fixtures/doc-errors/things.md:46: error[invalid-json]"),
        "{stderr}"
    );
    assert!(
        stderr.contains("the documents have 1 error; see `conform lint`"),
        "{stderr}"
    );
    assert!(!stdout.contains("running"), "no case ran");
}

#[test]
fn a_document_with_one_broken_example_runs_its_other_operations() {
    // A directory: things.md has one broken example, overview.md nothing
    // to run; the sound operation of things.md still runs.
    let (dir, code, stdout, stderr) = run_with_reports("doc-errors", "fixtures/doc-errors/");
    let (junit, json, md) = (dir.join("r.xml"), dir.join("r.json"), dir.join("r.md"));
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    let reason =
        "fixtures/doc-errors/things.md:46: error[invalid-json]: example body is not valid JSON";
    assert!(
        stdout.contains("test things::Things_List Things::happy") && stdout.contains("... ok"),
        "{stdout}"
    );
    let ignored = stdout
        .lines()
        .find(|l| l.starts_with("test things::Things_Get Thing "))
        .unwrap_or_else(|| panic!("the broken operation is listed: {stdout}"));
    assert!(
        ignored.contains("ignored") && ignored.contains(reason),
        "{ignored}"
    );
    // An overview is not an API reference: a note, not a case not run.
    assert!(!stdout.contains("test overview "), "{stdout}");
    assert!(
        stderr.contains(
            "note: fixtures/doc-errors/overview.md is not an API reference (it documents no operation); left out"
        ),
        "{stderr}"
    );
    assert!(
        stdout.contains(&format!("  - things::Things_Get Thing: {reason}")),
        "the coverage matrix lists it: {stdout}"
    );
    assert!(
        stdout.contains(" 0 skipped, 1 operation not run; "),
        "{stdout}"
    );

    let xml = std::fs::read_to_string(&junit).unwrap();
    assert!(
        xml.contains("<testcase name=\"things::Things_Get Thing\" classname=\"things\">")
            && xml.contains(&format!("<skipped message=\"{reason}")),
        "{xml}"
    );
    let report: Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let left_out = report["left_out"].as_array().unwrap();
    assert_eq!(left_out.len(), 1, "{left_out:?}");
    let get = left_out
        .iter()
        .find(|l| l["name"] == "things::Things_Get Thing")
        .expect("the broken operation in the JSON report");
    assert!(get["reason"].as_str().unwrap().starts_with(reason));
    assert_eq!(get["diagnostics"][0]["code"], "invalid-json");
    assert_eq!(get["diagnostics"][0]["line"], 46);
    let ran: Vec<&str> = report["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert!(
        ran.contains(&"things::Things_List Things::happy"),
        "{ran:?}"
    );
    assert!(!ran.iter().any(|n| n.contains("Get Thing")), "{ran:?}");
    let markdown = std::fs::read_to_string(&md).unwrap();
    assert!(
        markdown.contains("### Not run")
            && markdown.contains(&format!("| `things::Things_Get Thing` | {reason}")),
        "{markdown}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn list_kinds_prints_the_registry_and_the_readme_table_matches_it() {
    let (code, stdout, _) = conform(&["run", "--list-kinds"]);
    assert_eq!(code, 0);
    assert_eq!(stdout.lines().count(), conform::plan::KINDS.len());
    for kind in conform::plan::KINDS {
        let line = stdout
            .lines()
            .find(|l| l.split_whitespace().next() == Some(kind.name))
            .unwrap_or_else(|| panic!("{} missing: {stdout}", kind.name));
        assert!(line.ends_with(kind.doc), "{line}");
    }
    let table = conform::plan::kinds::markdown();
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    assert!(
        readme.contains(&table),
        "README's case table differs from the kinds registry:\n{table}"
    );
}

#[test]
fn a_config_file_supplies_settings_and_rejects_unknown_keys() {
    let dir = scratch("config");
    let good = dir.join("conform.toml");
    std::fs::write(&good, "read-only = true\ncount-header = \"Total-Count\"\n").unwrap();
    let (code, stdout, _) = conform(&[
        "run",
        "specs/",
        "--config",
        good.to_str().unwrap(),
        "--list",
    ]);
    assert_eq!(code, 0);
    assert!(
        !stdout.contains("Roles_Create Role on Tenant::"),
        "read-only came from the file"
    );
    let bad = dir.join("bad.toml");
    std::fs::write(&bad, "base_urll = \"x\"\n").unwrap();
    let (code, _, stderr) = conform(&["run", "specs/", "--config", bad.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("bad.toml") && stderr.contains("unknown field"),
        "{stderr}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn checks_lists_the_registry_and_the_readme_table_matches_it() {
    let (code, stdout, _) = conform(&["checks"]);
    assert_eq!(code, 0);
    for name in [
        "status_documented",
        "status_expected",
        "response_schema",
        "content_type",
        "no_server_error",
        "head_has_no_body",
        "count_header",
        "created_retrievable",
        "update_persisted",
        "delete_removes",
        "list_contains_created",
        "paging",
        "auth_required",
        "role_enforced",
    ] {
        assert!(
            stdout.lines().any(|l| l.starts_with(name)),
            "{name} missing"
        );
    }
    let (_, table, _) = conform(&["checks", "--markdown"]);
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    assert!(
        readme.contains(&table),
        "README's check table differs from `conform checks --markdown`:\n{table}"
    );
}

#[test]
fn a_progress_bar_on_a_terminal_plain_lines_otherwise() {
    let bin = env!("CARGO_BIN_EXE_conform");
    // `script` gives the run a terminal for stdout and stderr.
    let out = std::process::Command::new("script")
        .args([
            "-qec",
            &format!("{bin} run specs/004_a50be14b8577b9a8.txt"),
            "/dev/null",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("CONFORM_TOKEN")
        .output()
        .expect("script(1) from util-linux runs");
    let terminal = String::from_utf8_lossy(&out.stdout);
    assert!(
        terminal.contains("cases  "),
        "a bar on a terminal: {terminal}"
    );
    let (code, piped, _) = conform(&["run", "specs/004_a50be14b8577b9a8.txt"]);
    assert_eq!(code, 0);
    assert!(
        !piped.contains("cases  ") && piped.contains("test result: ok."),
        "plain lines when piped: {piped}"
    );
}

/// Regression: with `--baseline`, accepted failures showed as `ok` on the
/// console, passing in JUnit, "passed ✅" in markdown and `passed` in JSON.
fn assert_accepted_everywhere(baseline: &std::path::Path, filter: &str) {
    let dir = scratch("accepted");
    let report = |file: &str| dir.join(file).to_str().unwrap().to_string();
    let (junit, json, md) = (report("r.xml"), report("r.json"), report("r.md"));
    let html = report("r.html");
    let (code, stdout, stderr) = conform(&[
        "run",
        "specs/",
        "--fault",
        "create-not-retrievable",
        "--baseline",
        baseline.to_str().unwrap(),
        "--junit",
        &junit,
        "--json",
        &json,
        "--markdown",
        &md,
        "--html",
        &html,
        "--",
        filter,
    ]);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    let case = "004_a50be14b8577b9a8::Roles_Create Role on Tenant::lifecycle";
    assert!(
        stdout.contains(&format!("accepted: {case} / created_retrievable: ")),
        "console marker: {stdout}"
    );
    let line = stdout
        .lines()
        .find(|l| l.contains(" cases run: "))
        .expect("a summary line");
    assert!(
        line.starts_with("1 cases run: 0 passed, 0 failed, 1 accepted (baseline), 0 skipped"),
        "{line}"
    );
    let report: Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(report["cases"][0]["status"], "accepted");
    assert_eq!(report["totals"]["accepted"], 1);
    let xml = std::fs::read_to_string(&junit).unwrap();
    assert!(
        xml.contains("<skipped message=\"accepted: ") && xml.contains("; created_retrievable: "),
        "{xml}"
    );
    let md = std::fs::read_to_string(&md).unwrap();
    assert!(
        md.starts_with("## Conformance run passed with accepted failures\n"),
        "{md}"
    );
    assert!(md.contains("### Accepted failures (baseline)"), "{md}");
    // The HTML report listed only their count.
    let html = std::fs::read_to_string(&html).unwrap();
    assert!(
        html.contains("<h2>Accepted failures, baseline (1)</h2>")
            && html.contains(&format!("data-case=\"{case}\" data-doc="))
            && html.contains("<b>created_retrievable</b>"),
        "{html}"
    );
    assert!(
        md.contains(&format!("{line}.")),
        "one summary line everywhere: {md}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// Regression: a mistyped `--param` was accepted silently and the cases
/// needing it were skipped with exit 0.
#[test]
fn regression_a_mistyped_param_was_accepted_silently() {
    let (code, stdout, stderr) = conform(&["run", "specs/", "--param", "tenantid=t1"]);
    assert_eq!(code, 2, "{stdout}");
    assert!(
        stderr.ends_with(
            "error: no document has a parameter named `tenantid` (from --param); did you mean `tenantId`?\n"
        ),
        "{stderr}"
    );
    assert!(
        !stdout.contains("running"),
        "refused before running: {stdout}"
    );
    let (code, _, stderr) = conform(&["run", "specs/", "--param", "zzz=1"]);
    assert_eq!(code, 2);
    assert!(
        stderr.ends_with("error: no document has a parameter named `zzz` (from --param)\n"),
        "{stderr}"
    );
}

/// Regression: a filter matching nothing exited 0 with `0 cases run`.
#[test]
fn regression_a_run_that_ran_no_case_exited_0() {
    let (code, stdout, stderr) = conform(&["run", "specs/", "--skip", "::"]);
    assert_eq!(code, 4, "{stdout}\n{stderr}");
    assert!(
        stdout.contains("\n0 cases run: 0 passed, 0 failed, 0 skipped, ")
            && stdout.contains(" filtered out; 0 requests in "),
        "{stdout}"
    );
    assert!(stderr.contains("error: no case ran"), "{stderr}");
}

/// `conform mock specs/` in the background, killed on drop.
struct Mock {
    child: std::process::Child,
    url: String,
}

impl Mock {
    fn start() -> Mock {
        use std::io::BufRead as _;
        let mut child = Command::new(env!("CARGO_BIN_EXE_conform"))
            .args(["mock", "specs/"])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("conform mock starts");
        let mut url = String::new();
        std::io::BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut url)
            .expect("a URL line");
        Mock {
            child,
            url: url.trim().to_string(),
        }
    }
}

impl Drop for Mock {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Regression: cases not run for lack of configuration were counted
/// nowhere, and nothing said which settings would run them.
#[test]
fn regression_cases_not_run_for_lack_of_configuration_were_not_counted() {
    let mock = Mock::start();
    // No --param tenantId and no role tokens: most cases wait for them.
    let (code, stdout, _) = conform(&[
        "run",
        "specs/",
        "--base-url",
        &mock.url,
        "--token",
        ADMIN_TOKEN,
    ]);
    assert_eq!(code, 0, "{stdout}");
    let line = stdout
        .lines()
        .find(|l| l.contains(" cases run: "))
        .expect("a summary line");
    let not_run: usize = line
        .split([',', ';'])
        .find_map(|p| p.trim().strip_suffix(" not run for lack of configuration"))
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("counted: {line}"));
    let wanted = stdout
        .lines()
        .find(|l| l.starts_with("to run the cases not run, pass: "))
        .unwrap_or_else(|| panic!("the settings are named: {stdout}"));
    assert!(
        wanted.contains("--param tenantId=VALUE (")
            && wanted.contains("--role-token \"ROLE=TOKEN\" ("),
        "{wanted}"
    );
    let sum: usize = wanted
        .split(" (")
        .skip(1)
        .filter_map(|p| p.split(' ').next()?.parse::<usize>().ok())
        .sum();
    assert_eq!(
        sum, not_run,
        "every case not run waits for a setting: {wanted}"
    );
    let (code, _, stderr) = conform(&[
        "run",
        "specs/",
        "--base-url",
        &mock.url,
        "--token",
        ADMIN_TOKEN,
        "--require-all",
    ]);
    assert_eq!(code, 1, "{stderr}");
}

/// Regression: an unreachable server gave the same connection error in
/// every case, TLS to a plain-HTTP server a `corrupt message`, and a
/// rejected token one failure per case: each now ends the run before the
/// suite with one sentence naming the cause and the fix.
#[test]
fn regression_a_target_that_cannot_be_tested_failed_every_case() {
    let mock = Mock::start();
    let golden = |base: &str, token: &str| {
        let (code, stdout, stderr) =
            conform(&["run", "specs/", "--base-url", base, "--token", token]);
        assert_eq!(code, 2, "{stdout}\n{stderr}");
        assert!(!stdout.contains("running"), "before the suite: {stdout}");
        stderr
            .replace(&mock.url, "http://MOCK")
            .replace(&mock.url.replace("http://", "https://"), "https://MOCK")
    };
    assert_eq!(
        golden(&mock.url, "not-a-token"),
        "error: the server refused the token on a documented read \
         (GET /api/v1-preview/Communities answered 401); \
         check --token or CONFORM_TOKEN (or the client credentials)\n"
    );
    assert_eq!(
        golden(&mock.url.replace("http://", "https://"), ADMIN_TOKEN),
        "error: https://MOCK/api/v1-preview/Communities does not speak TLS \
         (it answered in plain HTTP); use http:// in --base-url\n"
    );
    let closed = golden("http://127.0.0.1:9", ADMIN_TOKEN);
    assert!(
        closed.starts_with("error: cannot reach http://127.0.0.1:9/api/v1-preview/Communities (")
            && closed.ends_with("); check --base-url and that the server is running\n")
            && closed.lines().count() == 1,
        "{closed}"
    );
}

#[test]
fn require_all_fails_a_run_that_leaves_a_case_unrun() {
    let (code, stdout, _) = conform(&["run", "specs/", "--", "Roles_Get Role::happy"]);
    assert_eq!(code, 0, "{stdout}");
    let (code, _, stderr) = conform(&[
        "run",
        "specs/",
        "--require-all",
        "--",
        "Roles_Get Role::happy",
    ]);
    assert_eq!(code, 1);
    assert!(stderr.contains("did not run (--require-all)"), "{stderr}");
}

/// Regression: only the first `--` filter was used.
#[test]
fn regression_only_the_first_filter_was_used() {
    let (code, stdout, _) = conform(&[
        "run",
        "specs/",
        "--",
        "Roles_Get Role::happy",
        "Communities_Get a Community by Id::happy",
    ]);
    assert_eq!(code, 0, "{stdout}");
    for name in [
        "Roles_Get Role::happy",
        "Communities_Get a Community by Id::happy",
    ] {
        assert!(
            stdout
                .lines()
                .any(|l| l.contains(name) && l.ends_with("... ok")),
            "{name}: {stdout}"
        );
    }
    // The second filter matches in two documents.
    assert!(stdout.contains("\n3 cases run: "), "{stdout}");
}

/// Regression: an invalid `--header` name was dropped without a word, and
/// a report path that cannot be written was found after the whole run.
#[test]
fn regression_bad_headers_and_report_paths_were_found_late() {
    let (code, stdout, stderr) = conform(&["run", "specs/", "--header", "X Bad: 1"]);
    assert_eq!(code, 2, "{stdout}");
    assert!(
        stderr.contains("error: invalid header name `X Bad`"),
        "{stderr}"
    );
    let (code, stdout, stderr) = conform(&["run", "specs/", "--junit", "no/such/dir/r.xml"]);
    assert_eq!(code, 2);
    assert!(
        !stdout.contains("running"),
        "checked before the run: {stdout}"
    );
    assert_eq!(
        stderr.lines().last(),
        Some("error: failed to write no/such/dir/r.xml: No such file or directory (os error 2)"),
        "named once, with its cause once: {stderr}"
    );
}

/// Regression: an exported `CONFORM_TOKEN` was sent to the embedded
/// server, and most quick-start cases failed.
#[test]
fn regression_an_exported_token_broke_the_embedded_run() {
    let out = Command::new(env!("CARGO_BIN_EXE_conform"))
        .args(["run", "specs/", "--", "Roles_Get Role::happy"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("CONFORM_TOKEN", "token-for-a-real-server")
        .env_remove("CONFORM_BASE_URL")
        .output()
        .expect("conform runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert_eq!(
        stderr
            .lines()
            .filter(|l| l.contains("CONFORM_TOKEN is ignored"))
            .count(),
        1,
        "{stderr}"
    );
}

#[test]
fn fail_fast_max_fail_and_max_time_stop_the_run_and_say_why() {
    let (code, stdout, stderr) = conform(&[
        "run",
        "specs/",
        "--fault",
        "server-error",
        "--fail-fast",
        "--test-threads",
        "1",
    ]);
    assert_eq!(code, 1, "{stdout}\n{stderr}");
    let line = stdout
        .lines()
        .find(|l| l.contains(" cases run: "))
        .expect("a summary line");
    assert!(
        line.contains(" passed, 1 failed, ") && line.contains(" not started (stopped early); "),
        "{line}"
    );
    assert!(
        stderr.ends_with("error: the run stopped early: 1 failed (--max-fail 1)\n"),
        "{stderr}"
    );
    let (code, _, stderr) = conform(&[
        "run",
        "specs/",
        "--fault",
        "server-error",
        "--max-fail",
        "2",
        "--test-threads",
        "1",
    ]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("stopped early: 2 failed (--max-fail 2)"),
        "{stderr}"
    );
    let (code, stdout, stderr) = conform(&["run", "specs/", "--max-time", "0.000001"]);
    assert_eq!(code, 1, "{stdout}\n{stderr}");
    assert!(
        stderr.ends_with("error: the run stopped early: the run took 0.000001 s (--max-time)\n"),
        "{stderr}"
    );
}

/// Ctrl-C mid-run died with no summary, no reports and no cleanup. Now it
/// starts no further case, lets the one under way finish, writes the
/// reports and exits 130.
#[cfg(unix)]
#[test]
fn regression_ctrl_c_mid_run_lost_the_summary_and_the_reports() {
    use std::io::{Read, Write};
    use std::net::TcpListener;
    use std::time::{Duration, Instant};

    // A slow server: every answer takes 300 ms, so the run is still going
    // when the interrupt comes.
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let (arrived, connections) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(200) {
            let Ok(mut stream) = stream else { continue };
            let _ = arrived.send(());
            std::thread::spawn(move || {
                let mut buf = [0u8; 8192];
                let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
                let _ = stream.read(&mut buf);
                std::thread::sleep(Duration::from_millis(300));
                let _ = stream.write_all(
                    b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\nconnection: close\r\n\r\n[]",
                );
            });
        }
    });
    let dir = scratch("interrupt");
    let json = dir.join("r.json");
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_conform"))
        .args([
            "run",
            "specs/004_a50be14b8577b9a8.txt",
            "--base-url",
            &url,
            "--token",
            "t",
            "--param",
            "tenantId=t1",
            "--test-threads",
            "1",
            "--json",
            json.to_str().unwrap(),
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("conform starts");
    // The preflight, then a case: the run is under way, its Ctrl-C
    // handler in place (a fixed pause raced a slow start).
    for _ in 0..2 {
        connections
            .recv_timeout(Duration::from_secs(30))
            .expect("the run reached the server");
    }
    let killed = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(killed.success());
    let started = Instant::now();
    let out = child.wait_with_output().expect("conform ends");
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "stopped in time"
    );
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert_eq!(out.status.code(), Some(130), "{stdout}\n{stderr}");
    assert!(stderr.contains("interrupted"), "{stderr}");
    assert!(
        stdout.contains(" not started (stopped early)"),
        "the summary is printed: {stdout}"
    );
    let report = std::fs::read_to_string(&json).expect("the JSON report is written");
    assert!(report.contains("\"totals\""), "{report}");
}

/// `conform.toml` was read from the current directory only, and silently:
/// it is found from there upward, and the run names the file it loaded.
#[test]
fn the_nearest_config_upward_is_loaded_and_named() {
    let dir = scratch("config-upward");
    let nested = dir.join("a/b");
    std::fs::create_dir_all(&nested).expect("dirs");
    std::fs::write(dir.join("conform.toml"), "read-only = true\n").expect("config");
    let specs = concat!(env!("CARGO_MANIFEST_DIR"), "/specs");
    let out = Command::new(env!("CARGO_BIN_EXE_conform"))
        .args(["run", specs, "--list"])
        .current_dir(&nested)
        .output()
        .expect("conform runs");
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert_eq!(out.status.code(), Some(0), "{stdout}\n{stderr}");
    let named = format!("config: {}", dir.join("conform.toml").display());
    assert!(stderr.contains(&named), "{stderr}");
    // read-only from the file: no case of a write operation is listed.
    assert!(
        !stdout.contains("Roles_Create Role on Tenant::happy"),
        "{stdout}"
    );
    assert!(stdout.contains("Roles_Get Role::happy"), "{stdout}");
}

/// The markdown report of the identity corpus was 93,575 characters, over
/// GitHub's 65,536-character comment limit: tables are capped and count
/// the rest, and the whole report stays under the limit.
#[test]
fn regression_the_markdown_report_did_not_fit_a_comment() {
    let dir = scratch("markdown-cap");
    let md = dir.join("r.md");
    let (code, stdout, stderr) = conform(&[
        "run",
        "fixtures/corpus/identity/",
        "fixtures/corpus/family/",
        "--markdown",
        md.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    let text = std::fs::read_to_string(&md).expect("markdown written");
    assert!(text.len() < 65_536, "{} characters", text.len());
    assert!(text.contains("more rows in the JSON report"), "{text}");
    assert!(text.starts_with("## Conformance run passed"), "{text}");
}

/// `-q` printed the coverage and per-operation tables too: it prints the
/// failures and the summary only.
#[test]
fn quiet_prints_only_failures_and_the_summary() {
    let (code, stdout, stderr) = conform(&["run", "specs/", "-q"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!stdout.contains("coverage (documented"), "{stdout}");
    assert!(!stdout.contains("checks per operation"), "{stdout}");
    assert!(
        stdout.contains(" cases run: ") && stdout.contains(" 0 failed"),
        "{stdout}"
    );
    let (code, stdout, _) = conform(&["run", "specs/", "-q", "--fault", "server-error"]);
    assert_eq!(code, 1);
    assert!(stdout.contains("check no_server_error failed"), "{stdout}");
    assert!(!stdout.contains("coverage (documented"), "{stdout}");
}

/// `run --path-map` takes the pairs `conform diff` takes: a malformed one
/// is a usage error naming the flag, and a run given one pairs the two
/// Communities versions and passes against the embedded server.
#[test]
fn run_takes_the_path_maps_diff_takes() {
    let (code, _, stderr) = conform(&["run", "specs/", "--list", "--path-map", "nonsense"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("--path-map") && stderr.contains("expected OLD_PREFIX=NEW_PREFIX"),
        "{stderr}"
    );
    let map = "/api/v1/tenants/{tenantId}/Communities=/api/v1-preview/Communities";
    let (code, stdout, stderr) = conform(&["run", "specs/", "--path-map", map]);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    let crossed = stdout
        .lines()
        .filter(|l| l.contains("::cross_version[") && l.ends_with("... ok"))
        .count();
    assert_eq!(crossed, 2, "{stdout}");
}

/// Regression: `--param tenantId=` was taken as a value, and the run
/// failed 172 cases on paths with an empty segment; in `conform.toml` too.
#[test]
fn regression_an_empty_param_value_failed_most_cases() {
    let (code, stdout, stderr) = conform(&["run", "specs/", "--param", "tenantId="]);
    assert_eq!(code, 2, "{stdout}");
    assert!(
        !stdout.contains("running"),
        "refused before the run: {stdout}"
    );
    assert_eq!(
        stderr.trim_end(),
        "error: --param tenantId has an empty value: give one, --param tenantId=VALUE"
    );
    let (code, stdout, stderr) = conform(&[
        "run",
        "specs/",
        "--config",
        "fixtures/config/empty-param.toml",
    ]);
    assert_eq!(code, 2, "{stdout}");
    assert!(
        stderr.contains("error: parameter `tenantId` has an empty value in `params`"),
        "{stderr}"
    );
}

/// Regression: `--token` or `--role-token` without `--base-url` was sent
/// to the embedded server, and 197 quick-start cases failed with 401.
#[test]
fn regression_a_token_flag_broke_the_embedded_run() {
    let one = ["--", "Roles_Get Role::happy"];
    for (flags, note) in [
        (vec!["--token", "xyz"], "note: --token is ignored: "),
        (
            vec!["--role-token", "Tenant Member=xyz"],
            "note: --role-token is ignored: ",
        ),
        (
            vec!["--token", "xyz", "--role-token", "Tenant Member=xyz"],
            "note: --token and --role-token are ignored: ",
        ),
    ] {
        let mut args = vec!["run", "specs/"];
        args.extend(&flags);
        args.extend(one);
        let (code, stdout, stderr) = conform(&args);
        assert_eq!(code, 0, "{flags:?}: {stdout}\n{stderr}");
        let notes: Vec<&str> = stderr.lines().filter(|l| l.contains("ignored")).collect();
        assert_eq!(notes.len(), 1, "{stderr}");
        assert!(
            notes[0].starts_with(note)
                && notes[0].ends_with("the embedded server uses its own tokens"),
            "{stderr}"
        );
    }
    // The whole quick start passes with a stray token.
    let (code, stdout, _) = conform(&["run", "specs/", "--token", "xyz", "-q"]);
    assert_eq!(code, 0, "{stdout}");
}

/// Regression: of several `--` filters, one that matched no case was
/// passed over when another matched (exit 0), and `--list` with a filter
/// matching nothing printed nothing and exited 0.
#[test]
fn regression_a_filter_matching_no_case_was_ignored() {
    let (code, stdout, stderr) = conform(&["run", "specs/", "--", "Roles_List", "nomatchxyz"]);
    assert_eq!(code, 4, "{stdout}\n{stderr}");
    assert!(!stdout.contains("running"), "nothing ran: {stdout}");
    assert_eq!(
        stderr.trim_end(),
        "error: no case matches the filter `nomatchxyz`; no case ran"
    );
    let (code, stdout, stderr) = conform(&["run", "specs/", "--list", "--", "nomatchxyz", "zz"]);
    assert_eq!((code, stdout.as_str()), (4, ""), "{stderr}");
    assert_eq!(
        stderr.trim_end(),
        "error: no case matches the filters `nomatchxyz`, `zz`; no case ran"
    );
    let (code, stdout, _) = conform(&["run", "specs/", "--list", "--exact", "--", "Roles_List"]);
    assert_eq!((code, stdout.as_str()), (4, ""), "exact names only");
    let (code, stdout, _) = conform(&["run", "specs/", "--list", "--", "Roles_List", "::happy"]);
    assert_eq!(code, 0);
    assert!(
        stdout.contains("Roles_List") && stdout.contains("::happy: test"),
        "{stdout}"
    );
}

/// Regression: `--list` with a `--base-url` sent the preflight request
/// and failed with "cannot reach" when the server was down.
#[test]
fn regression_list_reached_for_the_network() {
    let (code, stdout, stderr) = conform(&[
        "run",
        "specs/",
        "--list",
        "--base-url",
        "http://127.0.0.1:9",
        "--token",
        "t",
        "--param",
        "tenantId=t1",
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("cannot reach"), "{stderr}");
    assert!(
        stdout.lines().count() > 100 && stdout.contains(": test"),
        "{stdout}"
    );
    // Client credentials too: no token is fetched for a listing.
    let out = Command::new(env!("CARGO_BIN_EXE_conform"))
        .args([
            "run",
            "specs/",
            "--list",
            "--base-url",
            "http://127.0.0.1:9",
            "--client-id",
            "c",
            "--token-url",
            "http://127.0.0.1:9/token",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("CONFORM_TOKEN")
        .env_remove("CONFORM_BASE_URL")
        .env("CONFORM_CLIENT_SECRET", "s")
        .output()
        .expect("conform runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Regression: an I/O error's cause was printed twice (`No such file or
/// directory (os error 2): No such file or directory (os error 2)`).
#[test]
fn regression_io_causes_were_printed_twice() {
    let dir = scratch("io-causes");
    let binary = dir.join("binary.json");
    std::fs::write(&binary, [0xff_u8, 0xfe, 0x00, 0x01, 0x80]).expect("written");
    let binary = binary.to_str().expect("utf-8 path");
    let cases: [(&[&str], &str); 4] = [
        (
            &["run", "specs/", "--baseline", "/nonexistent.toml"],
            "error: failed to access baseline /nonexistent.toml: No such file or directory (os error 2)",
        ),
        (
            &["run", "specs/", "--baseline", "specs"],
            "error: failed to access baseline specs: Is a directory (os error 21)",
        ),
        (
            &["report", "merge", "/nonexistent.json"],
            "error: failed to read /nonexistent.json: No such file or directory (os error 2)",
        ),
        (&["report", "merge", binary], "stream did not contain valid UTF-8"),
    ];
    for (args, expected) in cases {
        let (code, _, stderr) = conform(args);
        assert_eq!(code, 2, "{args:?}: {stderr}");
        let line = stderr.trim_end();
        assert!(line.ends_with(expected), "{args:?}: {stderr}");
        let cause = expected.rsplit(": ").next().expect("a cause");
        assert_eq!(line.matches(cause).count(), 1, "once: {stderr}");
    }
}

/// Regression: `--header Content-Length:5` was sent with every request,
/// and every request hung waiting for a body that never came.
#[test]
fn regression_a_framing_header_hung_every_request() {
    for (flag, header) in [
        ("--header", "Content-Length:5"),
        ("--header", "transfer-encoding: chunked"),
        ("--header-public", "Host: example.com"),
        ("--header", "Connection: close"),
        ("--header", "Upgrade: h2c"),
        ("--header", "TE: trailers"),
        ("--header", "Keep-Alive: timeout=5"),
        ("--header", "Proxy-Connection: keep-alive"),
    ] {
        let (code, stdout, stderr) = conform(&["run", "specs/", flag, header]);
        assert_eq!(code, 2, "{header}: {stdout}");
        let name = header.split(':').next().expect("a name");
        assert!(
            stderr.contains(&format!(
                "error: header `{name}` cannot be set by --header or the config file"
            )),
            "{header}: {stderr}"
        );
    }
    let (code, _, stderr) = conform(&[
        "run",
        "specs/",
        "--config",
        "fixtures/config/transport-header.toml",
    ]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("header `Transfer-Encoding` cannot be set"),
        "{stderr}"
    );
}

/// Regression: cases not run because the docs give their operation no
/// status were counted as "not run for lack of configuration", with no
/// setting named to run them.
#[test]
fn regression_cases_the_docs_give_no_status_counted_as_lacking_configuration() {
    let doc =
        "fixtures/corpus/handwritten/sequential-data-store/sds-read-data.2021-04-30.20dc6e193.md";
    let (dir, code, stdout, stderr) = run_with_reports("no-status", doc);
    assert_eq!(code, 4, "no case ran: {stdout}\n{stderr}");
    let line = stdout
        .lines()
        .find(|l| l.contains(" cases run: "))
        .expect("a summary line");
    assert!(
        line.contains(", 2 not run: the docs document no status, ")
            && !line.contains("lack of configuration"),
        "{line}"
    );
    assert!(!stdout.contains("to run the cases not run"), "{stdout}");
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("r.json")).expect("json"))
            .expect("valid JSON");
    assert_eq!(json["totals"]["no_status"], 2);
    assert_eq!(json["totals"]["not_run"], 0);
    let md = std::fs::read_to_string(dir.join("r.md")).expect("markdown");
    assert!(
        md.contains("2 not run: the docs document no status"),
        "{md}"
    );
}

/// Regression: `--max-fail 0` was taken as 1.
#[test]
fn regression_max_fail_0_acted_as_1() {
    let (code, stdout, stderr) = conform(&["run", "specs/", "--max-fail", "0"]);
    assert_eq!(code, 2, "{stdout}");
    assert!(
        stderr.contains("'--max-fail <N>': must be at least 1"),
        "{stderr}"
    );
    // The same silent zeros: no thread, no case at once, a gate of none.
    for flag in ["--concurrency", "--test-threads", "--min-run"] {
        let (code, stdout, stderr) = conform(&["run", "specs/", "--list", flag, "0"]);
        assert_eq!(code, 2, "{flag}: {stdout}");
        assert!(
            stderr.contains(&format!("'{flag} <N>': must be at least 1")),
            "{stderr}"
        );
    }
}

/// Regression: with no token at all, a server answering 401 got "the
/// server refused the token", a token never given.
#[test]
fn regression_no_token_was_called_a_refused_token() {
    let mock = Mock::start();
    let (code, stdout, stderr) = conform(&["run", "specs/", "--base-url", &mock.url]);
    assert_eq!(code, 2, "{stdout}");
    assert_eq!(
        stderr,
        "error: the server refused a documented read sent with no token \
         (GET /api/v1-preview/Communities answered 401); give one with --token or \
         CONFORM_TOKEN, or fetch one with --client-id, --token-url and CONFORM_CLIENT_SECRET\n"
    );
}
