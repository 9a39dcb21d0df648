//! Golden CLI behaviour: `inspect` (summary and JSON with the keys scripts
//! rely on), `lint` exit codes and example checks, `schema` and `export`.

use crate::common::conform;

use serde_json::Value;

#[test]
fn inspect_json_of_specs_reproduces_the_counts_and_keys() {
    let (code, stdout, stderr) = conform(&["inspect", "--json", "specs/"]);
    assert_eq!(code, 0, "{stderr}");
    let doc: Value = serde_json::from_str(&stdout).unwrap();
    let contracts = doc["contracts"].as_array().unwrap();
    assert_eq!(contracts.len(), 5);
    let ops: Vec<&Value> = contracts
        .iter()
        .flat_map(|c| c["operations"].as_array().unwrap())
        .collect();
    let pairs: usize = ops
        .iter()
        .map(|o| o["responses"].as_array().unwrap().len())
        .sum();
    let defs: usize = contracts
        .iter()
        .map(|c| c["definitions"].as_array().unwrap().len())
        .sum();
    assert_eq!((ops.len(), pairs, defs), (26, 157, 27));
    for c in contracts {
        for key in [
            "source",
            "dialect",
            "title",
            "version",
            "operations",
            "definitions",
            "diagnostics",
        ] {
            assert!(c.get(key).is_some(), "contract key {key}");
        }
        assert!(matches!(c["dialect"].as_str(), Some("markdown" | "flat")));
        for d in c["definitions"].as_array().unwrap() {
            match d["kind"].as_str() {
                Some("object") => assert!(d["properties"][0].get("nullable").is_some()),
                Some("enum") => assert!(d["values"][0].get("value").is_some()),
                other => panic!("kind {other:?}"),
            }
        }
        for diag in c["diagnostics"].as_array().unwrap() {
            for key in ["severity", "code", "line", "message"] {
                assert!(diag.get(key).is_some(), "diagnostic key {key}");
            }
        }
    }
    for op in ops {
        for key in [
            "id",
            "summary",
            "method",
            "path",
            "path_params",
            "query_params",
            "request_body",
            "roles",
            "responses",
        ] {
            assert!(op.get(key).is_some(), "operation key {key}");
        }
        for p in op["path_params"].as_array().unwrap() {
            assert!(p["name"].is_string() && p["type"].is_string() && p["required"].is_boolean());
        }
        assert!(op["request_body"].is_null() || op["request_body"].get("example").is_some());
        for r in op["responses"].as_array().unwrap() {
            for key in ["status", "body", "description", "example"] {
                assert!(r.get(key).is_some(), "response key {key}");
            }
        }
    }
}

#[test]
fn inspect_prints_a_summary_per_document() {
    let (code, stdout, _) = conform(&["inspect", "specs/004_a50be14b8577b9a8.txt"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("11 operations, 5 definitions"), "{stdout}");
    assert!(
        stdout.contains("POST   /api/v1/Tenants/{tenantId}/Roles  (Create Role on Tenant)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("201 Role · 302 · 400 ErrorResponse"),
        "{stdout}"
    );
    assert!(stdout.contains("RoleScope = 0 | 1 | 2 | 3"), "{stdout}");
}

#[test]
fn lint_passes_clean_specs_and_denies_warnings_on_request() {
    let (code, stdout, _) = conform(&["lint", "specs/002_2560443aab952a1d.txt"]);
    assert_eq!(code, 0, "{stdout}");
    let (code, stdout, _) = conform(&["lint", "specs/"]);
    assert_eq!(code, 0, "warnings alone pass: {stdout}");
    assert!(
        stdout.contains("specs/003_99419b29eeac7fd1.txt:154: warning[table-row-repaired]"),
        "{stdout}"
    );
    assert!(
        stdout.contains("154 | | false | true | Email address"),
        "source excerpt: {stdout}"
    );
    let (code, _, _) = conform(&["lint", "--deny", "warnings", "specs/"]);
    assert_eq!(code, 1);
}

#[test]
fn lint_fails_on_errors_and_bad_paths_are_usage_errors() {
    let dir = std::env::temp_dir().join(format!("conform-lint-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.md");
    std::fs::write(&bad, "# X\n\n## Op\n\n### Request\n```text\nGET /a\n```\n\n### Response\n\n|Status Code|Body Type|Description|\n|---|---|---|\n|200|None|ok|\n\n> 200 Response\n\n```json\n{nope}\n```\n").unwrap();
    let (code, stdout, _) = conform(&["lint", "--short", bad.to_str().unwrap()]);
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.contains("bad.md:19: error[invalid-json]"),
        "{stdout}"
    );
    let (code, _, stderr) = conform(&["inspect", "no/such/dir"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("failed to read no/such/dir"), "{stderr}");
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn a_closed_output_pipe_is_not_a_failure() {
    use std::io::Read as _;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_conform"))
        .args(["inspect", "--json", "specs/"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 16];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    // The reader went away after 16 bytes, like `| head -c 16`.
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(0), "{stderr}");
}

/// Regression: `conform run specs/ | head -1` panicked in the harness
/// (BrokenPipe, exit 101).
#[test]
fn regression_run_into_a_closed_pipe_panicked() {
    use std::io::Read as _;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_conform"))
        .args(["run", "specs/"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("CONFORM_TOKEN")
        .env_remove("CONFORM_BASE_URL")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 1];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    // The reader went away after one byte, like `| head -c 1`.
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    use std::os::unix::process::ExitStatusExt as _;
    assert!(
        out.status.code() == Some(0) || out.status.signal() == Some(13),
        "a quiet end (0, or SIGPIPE as a shell's 141): {:?} {stderr}",
        out.status
    );
}

fn temp(name: &str, text: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("conform-schema-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn lint_prints_example_diagnostics_compiler_style_and_denies_them_as_warnings() {
    let seed = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/specs/001_4ff6fbce2b62a5ae.txt"
    ))
    .unwrap();
    let text = seed
        .replacen("\"Status\": \"None\"", "\"Status\": \"Bogus\"", 1)
        .replacen("\"UserCount\": 0,", "\"UserCount\": 0, \"Extra\": 1,", 1);
    let path = temp("broken.txt", &text);
    let path = path.to_str().unwrap();
    let (code, stdout, _) = conform(&["lint", path]);
    assert_eq!(code, 0, "warnings alone pass: {stdout}");
    assert!(stdout.contains("warning[example-enum-outside]"), "{stdout}");
    assert!(stdout.contains("| \"Status\": \"Bogus\","), "{stdout}");
    assert!(!stdout.contains("example-undeclared-member"), "{stdout}");
    let (code, stdout, _) = conform(&["lint", "--strict", "--short", "--deny", "warnings", path]);
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.contains("warning[example-undeclared-member]"),
        "{stdout}"
    );
    let (code, stdout, _) = conform(&["lint", "--strict", "--short", "specs/"]);
    assert_eq!(code, 0);
    assert!(!stdout.contains("example-"), "{stdout}");
}

#[test]
fn schema_prints_one_definition_one_response_or_everything() {
    let (code, stdout, stderr) = conform(&[
        "schema",
        "specs/004_a50be14b8577b9a8.txt",
        "--definition",
        "RoleScope",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let v: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v["enum"], serde_json::json!([0, 1, 2, 3]));

    let (code, stdout, _) = conform(&[
        "schema",
        "specs/",
        "--operation",
        "Roles_Get Role",
        "--status",
        "200",
        "--strict",
        "--no-formats",
    ]);
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v["title"], "Role");
    assert_eq!(v["additionalProperties"], false);

    let (code, stdout, _) = conform(&["schema", "specs/004_a50be14b8577b9a8.txt"]);
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        v["documents"][0]["definitions"].as_object().unwrap().len(),
        5
    );
    assert_eq!(
        v["documents"][0]["responses"]["Roles_Delete Tenant Role"]["204"],
        Value::Null
    );
    assert_eq!(
        v["documents"][0]["responses"]["Roles_List Roles"]["200"]["type"],
        "array"
    );

    // Community differs between 000 and 001; an unknown name; a missing --status.
    let (code, _, stderr) = conform(&["schema", "specs/", "--definition", "Community"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("000_a2f21fb7a461d36e.txt") && stderr.contains("001_4ff6fbce2b62a5ae.txt"),
        "{stderr}"
    );
    let (code, _, stderr) = conform(&["schema", "specs/", "--definition", "Nope"]);
    assert_eq!(
        (
            code,
            stderr.contains("no document defines definition `Nope`")
        ),
        (2, true),
        "{stderr}"
    );
    let (code, _, _) = conform(&["schema", "specs/", "--operation", "Roles_Get Role"]);
    assert_eq!(code, 2);
}

#[test]
fn export_openapi_writes_the_file_it_is_given() {
    let out = temp("openapi.json", "");
    let (code, stdout, stderr) =
        conform(&["export", "openapi", "specs/", "-o", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.is_empty());
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(v["openapi"], "3.1.0");
    let (code, _, stderr) = conform(&["export", "openapi", "no/such/dir"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("no/such/dir"), "{stderr}");
}

#[test]
fn the_readme_carries_every_row_of_lint_list_codes() {
    let (code, table, _) = conform(&["lint", "--list-codes"]);
    assert_eq!(code, 0);
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let rows: Vec<&str> = table.lines().skip(2).collect();
    assert!(
        rows.iter().any(|r| r.contains("`example-enum-outside`")),
        "{table}"
    );
    for row in rows {
        assert!(readme.contains(row), "README lacks the row {row}");
    }
}

#[test]
fn regression_lint_showed_no_invalid_utf8_where_inspect_did() {
    // A byte-order mark, CRLF endings and an invalid byte: lint must report
    // every diagnostic inspect reports, at the same line.
    let file = "fixtures/handwritten/bytes.md";
    let (code, stdout, stderr) = conform(&["inspect", "--json", file]);
    assert_eq!(code, 0, "{stderr}");
    let doc: Value = serde_json::from_str(&stdout).unwrap();
    let diags = doc["contracts"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .clone();
    assert!(
        diags
            .iter()
            .any(|d| d["code"] == "invalid-utf8" && d["line"] == 12),
        "{diags:?}"
    );
    let (_, lint, _) = conform(&["lint", "--short", file]);
    for d in &diags {
        let line = format!(
            "{}:{}: {}[{}]: {}",
            d["file"].as_str().unwrap(),
            d["line"],
            d["severity"].as_str().unwrap(),
            d["code"].as_str().unwrap(),
            d["message"].as_str().unwrap()
        );
        assert!(lint.contains(&line), "lint lacks `{line}`:\n{lint}");
    }
    let (_, rendered, _) = conform(&["lint", file]);
    assert!(rendered.contains("12 | The id \u{fffd} here"), "{rendered}");
}

/// A missing input file printed its cause twice (`No such file or
/// directory (os error 2): No such file or directory (os error 2)`).
#[test]
fn regression_a_missing_file_printed_its_cause_twice() {
    for command in ["run", "lint", "inspect"] {
        let (code, _, stderr) = conform(&[command, "no-such-document.md"]);
        assert_eq!(code, 2, "{command}: {stderr}");
        assert!(stderr.contains("no-such-document.md"), "{stderr}");
        assert_eq!(
            stderr.matches("os error 2").count(),
            1,
            "{command}: {stderr}"
        );
    }
}

/// A symbolic link back into its own folder made the reader walk the
/// loop, reading the same documents again and again; a binary file named
/// `.md` was parsed into an empty document. Both are errors naming them.
#[cfg(unix)]
#[test]
fn regression_symlink_loops_and_binary_files_are_named() {
    let dir = std::env::temp_dir().join(format!("conform-loop-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("sub")).expect("dirs");
    std::fs::copy(
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/specs/004_a50be14b8577b9a8.txt"
        ),
        dir.join("roles.txt"),
    )
    .expect("copy");
    std::os::unix::fs::symlink("..", dir.join("sub/up")).expect("symlink");
    let (code, _, stderr) = conform(&["lint", dir.to_str().unwrap()]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("a symbolic link loops"), "{stderr}");
    assert!(stderr.contains("sub/up"), "{stderr}");

    let binary = dir.join("picture.md");
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    bytes.extend((0..2000u32).map(|i| (i * 7919 % 251) as u8));
    std::fs::write(&binary, bytes).expect("write");
    let (code, _, stderr) = conform(&["run", binary.to_str().unwrap()]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("picture.md is not a text document"),
        "{stderr}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Completion scripts and the manual page come from the parser's own
/// command definition, so every subcommand and flag is in them.
#[test]
fn completions_and_the_manual_page_know_every_subcommand() {
    for shell in ["bash", "zsh", "fish"] {
        let (code, stdout, stderr) = conform(&["completions", shell]);
        assert_eq!(code, 0, "{stderr}");
        // fish names long flags without their dashes (`-l base-url`).
        for word in [
            "inspect",
            "lint",
            "mock",
            "diff",
            "run",
            "base-url",
            "deny-doc-errors",
        ] {
            assert!(stdout.contains(word), "{shell} lacks {word}");
        }
    }
    let (code, stdout, stderr) = conform(&["man"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.starts_with(".ie") || stdout.contains(".TH conform 1"),
        "{stdout}"
    );
    assert!(
        stdout.contains("conform\\-run"),
        "subcommands are listed: {stdout}"
    );
    let (code, _, _) = conform(&["completions", "tcsh"]);
    assert_eq!(code, 2, "an unknown shell is a usage error");
}
