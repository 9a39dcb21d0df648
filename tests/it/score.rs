//! The conformance score from the outside: the same figure in the console,
//! the JSON, the markdown and the HTML reports, lower when the server
//! deviates, and `--min-score` (flag or `conform.toml`) failing a run below
//! it with a sentence naming both numbers.

use std::path::PathBuf;

use serde_json::Value;

use crate::common::conform;
use crate::common::scratch;

/// `conform run specs/` with every report, plus `extra`: (exit code,
/// stdout, stderr, JSON report, markdown, HTML).
fn run(name: &str, extra: &[&str]) -> (i32, String, String, Value, String, String) {
    let dir = scratch(name);
    let (json, md, html) = (dir.join("r.json"), dir.join("r.md"), dir.join("r.html"));
    let mut args = vec![
        "run",
        "specs/",
        "-q",
        "--json",
        json.to_str().unwrap(),
        "--markdown",
        md.to_str().unwrap(),
        "--html",
        html.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let (code, stdout, stderr) = conform(&args);
    let read = |p: &PathBuf| std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{e}: {stderr}"));
    let report: Value = serde_json::from_str(&read(&json)).expect("json report");
    let (md, html) = (read(&md), read(&html));
    let out = (code, stdout, stderr, report, md, html);
    std::fs::remove_dir_all(&dir).ok();
    out
}

#[test]
fn every_report_shows_the_same_score_and_a_fault_lowers_it() {
    let (code, stdout, stderr, report, md, html) = run("clean", &[]);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    let score = &report["score"];
    let (passing, documented) = (
        score["passing"].as_u64().unwrap(),
        score["documented"].as_u64().unwrap(),
    );
    assert!(passing > 0 && passing <= documented, "{score}");
    let percent = score["percent"].as_f64().unwrap();
    assert!((percent - passing as f64 * 100.0 / documented as f64).abs() < 1e-9);
    let docs = score["documents"].as_array().unwrap();
    assert_eq!(docs.len(), 5, "one entry per document of specs/");
    let sum: u64 = docs.iter().map(|d| d["documented"].as_u64().unwrap()).sum();
    assert_eq!(sum, documented);
    let line = format!(
        "score: {percent:.1}% ({passing} of {documented} documented operation×status pairs exercised and passing)"
    );
    // One line, right after the summary line.
    let lines: Vec<&str> = stdout.lines().collect();
    let at = lines
        .iter()
        .position(|l| *l == line)
        .unwrap_or_else(|| panic!("{line}\n{stdout}"));
    assert!(lines[at - 1].contains(" cases run: "), "{stdout}");
    assert!(
        md.contains(&line) && md.contains("### Score per document"),
        "{md}"
    );
    assert!(md.contains("### Roles") && md.contains("(allowed)"), "{md}");
    assert!(html.contains(&line), "the HTML report shows the score line");

    let (code, _, _, faulty, _, _) = run("fault", &["--fault", "wrong-field-type"]);
    assert_eq!(code, 1);
    let lower = faulty["score"]["passing"].as_u64().unwrap();
    assert!(
        lower < passing,
        "{lower} passing pairs under a fault, {passing} without"
    );
    assert_eq!(faulty["score"]["documented"].as_u64(), Some(documented));
}

#[test]
fn min_score_fails_a_run_below_it_naming_the_score_and_the_threshold() {
    let (code, _, stderr, report, _, _) = run("min-100", &["--min-score", "100"]);
    assert_eq!(code, 1, "{stderr}");
    let shown = format!("{:.1}%", report["score"]["percent"].as_f64().unwrap());
    assert!(
        stderr.contains(&format!("error: the conformance score {shown} ("))
            && stderr.contains("is below the minimum of 100% (--min-score)"),
        "{stderr}"
    );
    let (code, _, stderr, _, _, _) = run("min-0", &["--min-score", "0"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("--min-score"), "{stderr}");
    let (code, _, stderr) = conform(&["run", "specs/", "--min-score", "101"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("--min-score must be a percentage from 0 to 100"),
        "{stderr}"
    );
}

#[test]
fn min_score_is_read_from_the_config_file_and_the_flag_wins() {
    let config = "fixtures/config/min-score.toml";
    let (code, _, stderr) = conform(&["run", "specs/", "-q", "--config", config]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("below the minimum of 99.5%"), "{stderr}");
    let (code, _, stderr) = conform(&[
        "run",
        "specs/",
        "-q",
        "--config",
        config,
        "--min-score",
        "10",
    ]);
    assert_eq!(code, 0, "{stderr}");
}
