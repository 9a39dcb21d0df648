//! The whole sequence of a failed case as a runnable shell script: one
//! `curl` line per request the case sent, from its first setup step to the
//! step that failed. A stateful failure (an update that did not persist, a
//! list missing what was just created) shows only after what came before,
//! so the last request alone does not reproduce it.
//!
//! Values a later request reuses from an earlier answer (the id of the
//! item just created) are captured into shell variables with `jq`, so the
//! script makes its own items instead of naming the run's. Credentials
//! stay the `$CONFORM_TOKEN…` variables the records already hold.

use std::fmt::Write as _;

use serde_json::Value;

use crate::run::outcome::{CaseOutcome, RequestRecord, StepRecord};

/// Answer values shorter than this are not taken for captured ids: short
/// words (`string`, `true`) reappear in later requests by chance.
const MIN_CAPTURED: usize = 8;

/// A value an earlier answer held and a later request reuses.
struct Capture {
    /// The shell variable (`ID_1`).
    var: String,
    /// The literal value seen.
    value: String,
    /// The step whose answer holds it.
    step: usize,
    /// The `jq` path to it (`.Id`, `.Client.Id`, `.[0].Id`).
    path: String,
}

/// The script reproducing the case up to its last failed step, then
/// deleting what the case went on to delete (by a later step or at its
/// cleanup), so running it leaves nothing behind; `None` when the case
/// sent fewer than two requests (the single `curl` line of the failure
/// output says it all).
pub fn script(outcome: &CaseOutcome) -> Option<String> {
    let (step, _) = outcome.failures().last()?;
    let last = outcome.steps.iter().position(|s| std::ptr::eq(s, step))?;
    let steps = &outcome.steps[..=last];
    if steps.len() < 2 {
        return None;
    }
    let deletes = deletes_after(outcome, last);
    let captures = captures(steps, &deletes);
    let mut out = String::new();
    let _ = writeln!(out, "#!/usr/bin/env bash");
    let _ = writeln!(out, "# reproduces {}", outcome.name);
    let _ = writeln!(
        out,
        "# needs curl and jq; set CONFORM_TOKEN (and any CONFORM_ROLE_TOKEN_N a line names)"
    );
    let _ = writeln!(out, "set -u");
    for (i, step) in steps.iter().enumerate() {
        let _ = writeln!(out, "# {}: {}", step.name, step.operation);
        let words = request_words(&step.request, &captures, i);
        let mine: Vec<&Capture> = captures.iter().filter(|c| c.step == i).collect();
        if mine.is_empty() {
            let _ = writeln!(out, "curl -sS -i {words}; echo");
        } else {
            let body = format!("BODY_{}", i + 1);
            let _ = writeln!(out, "{body}=$(curl -sS {words})");
            let _ = writeln!(out, "printf '%s\\n' \"${body}\"");
            for c in mine {
                let _ = writeln!(
                    out,
                    "{}=$(printf '%s' \"${body}\" | jq -r '{}')",
                    c.var, c.path
                );
            }
        }
    }
    if !deletes.is_empty() {
        let _ = writeln!(out, "# cleanup");
    }
    for delete in &deletes {
        // Quiet, so the last full answer printed stays the failing one.
        let words = request_words(delete, &captures, steps.len());
        let _ = writeln!(
            out,
            "curl -sS -o /dev/null -w \"cleanup: %{{http_code}}\\n\" {words}"
        );
    }
    Some(out)
}

/// The deletes that removed what the case made, after its step `last`:
/// its own later DELETE steps that succeeded, then its cleanup's, each URL
/// once. The script ends with them where the case did.
fn deletes_after(outcome: &CaseOutcome, last: usize) -> Vec<RequestRecord> {
    let mut out: Vec<RequestRecord> = Vec::new();
    let later = outcome.steps[last + 1..]
        .iter()
        .filter(|s| s.request.method == "DELETE")
        .filter(|s| s.response.as_ref().is_some_and(|r| success(r.status)))
        .map(|s| (s.request.url.clone(), s.request.headers.clone()));
    let cleanup = outcome
        .cleanup
        .iter()
        .filter(|c| c.status.is_some_and(success))
        .map(|c| (c.url.clone(), c.headers.clone()));
    for (url, headers) in later.chain(cleanup) {
        if out.iter().all(|d| d.url != url) {
            out.push(RequestRecord {
                method: "DELETE".into(),
                url,
                headers,
                body: None,
            });
        }
    }
    out
}

/// A 2xx status.
fn success(status: u16) -> bool {
    (200..300).contains(&status)
}

/// The values later requests (the closing deletes included) reuse, each
/// from the first answer that held it, named in order of appearance. A
/// value some request sent before it was answered is no capture: the
/// script writes it literally where it was sent, and so holds it already.
fn captures(steps: &[StepRecord], deletes: &[RequestRecord]) -> Vec<Capture> {
    let mut out: Vec<Capture> = Vec::new();
    for (i, step) in steps.iter().enumerate() {
        let Some(body) = step
            .response
            .as_ref()
            .and_then(|r| serde_json::from_str::<Value>(&r.body).ok())
        else {
            continue;
        };
        let mut leaves = Vec::new();
        leaves_of(&body, String::new(), &mut leaves);
        for (path, value) in leaves {
            let reused = steps[i + 1..]
                .iter()
                .map(|later| &later.request)
                .chain(deletes)
                .any(|later| sent(later).contains(&value));
            let known = out.iter().any(|c| c.value == value);
            let written = steps[..=i]
                .iter()
                .any(|s| sent(&s.request).contains(&value));
            if value.len() < MIN_CAPTURED || known || !reused || written {
                continue;
            }
            out.push(Capture {
                var: format!("ID_{}", out.len() + 1),
                value,
                step: i,
                path,
            });
        }
    }
    out
}

/// What a `jq` path is indexed after: `.` for the whole value (`.[0]`,
/// `.["a b"]`), else the path itself (`.a[0]`, as every jq reads it).
fn base(path: &str) -> &str {
    if path.is_empty() {
        "."
    } else {
        path
    }
}

/// Every string leaf of a JSON value with its `jq` path.
fn leaves_of(v: &Value, path: String, out: &mut Vec<(String, String)>) {
    match v {
        Value::String(s) => out.push((if path.is_empty() { ".".into() } else { path }, s.clone())),
        Value::Object(map) => {
            for (k, item) in map {
                let simple = k.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                    && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
                let key = if simple {
                    format!("{path}.{k}")
                } else {
                    format!("{}[{}]", base(&path), Value::from(k.as_str()))
                };
                leaves_of(item, key, out);
            }
        }
        Value::Array(items) => {
            for (n, item) in items.iter().enumerate() {
                leaves_of(item, format!("{}[{n}]", base(&path)), out);
            }
        }
        _ => {}
    }
}

/// What a request carried, as text.
fn sent(r: &RequestRecord) -> String {
    let mut text = r.url.clone();
    if let Some(b) = &r.body {
        text.push_str(b);
    }
    text
}

/// The method, URL, headers and body of the request sent at step `at` as
/// shell words, values captured by an earlier step replaced by their
/// variables: a variable is used only after the line binding it.
fn request_words(r: &RequestRecord, captures: &[Capture], at: usize) -> String {
    let bound: Vec<&Capture> = captures.iter().filter(|c| c.step < at).collect();
    let mut words = Vec::new();
    if r.method == "HEAD" {
        words.push("-I".to_string());
    } else if r.method != "GET" {
        words.push("-X".into());
        words.push(r.method.clone());
    }
    words.push(quote(&r.url, &bound));
    for (k, v) in &r.headers {
        words.push("-H".into());
        words.push(quote(&format!("{k}: {v}"), &bound));
    }
    if let Some(body) = &r.body {
        words.push("--data-raw".into());
        words.push(quote(body, &bound));
    }
    words.join(" ")
}

/// A double-quoted shell word: literal text escaped, captured values and
/// the `$CONFORM_…` placeholders left for the shell to expand.
fn quote(text: &str, captures: &[&Capture]) -> String {
    let mut out = String::from("\"");
    let mut rest = text;
    'outer: while !rest.is_empty() {
        for c in captures {
            if let Some(tail) = rest.strip_prefix(c.value.as_str()) {
                let _ = write!(out, "${{{}}}", c.var);
                rest = tail;
                continue 'outer;
            }
        }
        if let Some(tail) = rest.strip_prefix("$CONFORM_") {
            let name: String = tail
                .chars()
                .take_while(|ch| ch.is_ascii_uppercase() || ch.is_ascii_digit() || *ch == '_')
                .collect();
            let _ = write!(out, "${{CONFORM_{name}}}");
            rest = &tail[name.len()..];
            continue;
        }
        let mut chars = rest.chars();
        let ch = chars.next().unwrap_or_default();
        if matches!(ch, '\\' | '"' | '`' | '$') {
            out.push('\\');
        }
        out.push(ch);
        rest = chars.as_str();
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{CaseKind, Phase};
    use crate::run::outcome::{CaseStatus, CheckRecord, CleanupRecord, ResponseRecord};

    fn step(method: &str, url: &str, body: Option<&str>, answer: &str, failed: bool) -> StepRecord {
        StepRecord {
            name: method.to_lowercase(),
            phase: Phase::Test,
            operation: "Roles_Op".into(),
            doc: 0,
            op: 0,
            expected: vec![],
            request: RequestRecord {
                method: method.into(),
                url: url.into(),
                headers: vec![("authorization".into(), "Bearer $CONFORM_TOKEN".into())],
                body: body.map(str::to_string),
            },
            response: Some(ResponseRecord {
                status: 200,
                headers: vec![],
                body: answer.into(),
                body_bytes: answer.len(),
            }),
            error: None,
            redirects: vec![],
            attempts: 1,
            millis: 1,
            checks: vec![CheckRecord {
                check: "update_persisted",
                passed: !failed,
                advisory: false,
                message: None,
                location: "x:1".into(),
                accepted: None,
                inconclusive: false,
            }],
        }
    }

    fn outcome(steps: Vec<StepRecord>) -> CaseOutcome {
        CaseOutcome {
            name: "doc::Roles_Op::lifecycle".into(),
            document: "doc".into(),
            operation: "Roles_Op".into(),
            doc: 0,
            op: 0,
            kind: CaseKind::Lifecycle,
            status: CaseStatus::Failed,
            reason: None,
            steps,
            cleanup: vec![],
            millis: 1,
        }
    }

    #[test]
    fn ids_from_earlier_answers_become_shell_variables() {
        let id = "5d2b0e6c-1111-4a4a-9b9b-0123456789ab";
        let o = outcome(vec![
            step(
                "POST",
                "http://h/api/Roles",
                Some(r#"{"Name":"it's $5"}"#),
                &format!(r#"{{"Id":"{id}","Name":"it's $5"}}"#),
                false,
            ),
            step("GET", &format!("http://h/api/Roles/{id}"), None, "{}", true),
            step("GET", "http://h/after", None, "", false),
        ]);
        let text = script(&o).unwrap();
        assert!(
            text.contains("BODY_1=$(curl -sS -X POST \"http://h/api/Roles\""),
            "{text}"
        );
        assert!(
            text.contains("ID_1=$(printf '%s' \"$BODY_1\" | jq -r '.Id')"),
            "{text}"
        );
        assert!(text.contains("\"http://h/api/Roles/${ID_1}\""), "{text}");
        assert!(
            text.contains("\"authorization: Bearer ${CONFORM_TOKEN}\""),
            "{text}"
        );
        assert!(text.contains(r#""{\"Name\":\"it's \$5\"}""#), "{text}");
        assert!(!text.contains(id), "the literal id is replaced: {text}");
        assert!(
            !text.contains("/after"),
            "steps after the failure are left out"
        );
    }

    #[test]
    fn the_json_and_html_reports_carry_the_script_of_a_failed_sequence() {
        let o = outcome(vec![
            step("POST", "http://h/api/Roles", None, r#"{"Id":"r1"}"#, false),
            step("GET", "http://h/api/Roles/r1", None, "{}", true),
        ]);
        let text = script(&o).expect("a script");
        let report = crate::report::RunReport::new(&[], Vec::new(), &[], vec![o], false, None, 1);
        let json: serde_json::Value =
            serde_json::from_str(&crate::report::json::render(&report).unwrap()).unwrap();
        assert_eq!(json["cases"][0]["script"], text.as_str());
        let page = crate::report::html::render(&report);
        assert!(
            page.contains(&crate::report::html::escape(&text)),
            "the page holds the script"
        );
    }

    /// `.["k"]` at the top and `.a.[0]` inside were paths no jq 1.6 reads.
    #[test]
    fn regression_jq_paths_of_odd_keys_and_indexes_did_not_parse() {
        let mut out = Vec::new();
        let v = serde_json::json!({"a b": "x", "0k": "y", "L": [{"Id": "z"}]});
        leaves_of(&v, String::new(), &mut out);
        let paths: Vec<&str> = out.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(paths, [".[\"a b\"]", ".[\"0k\"]", ".L[0].Id"]);
        let mut out = Vec::new();
        leaves_of(&serde_json::json!([{"Id": "a"}]), String::new(), &mut out);
        assert_eq!(out[0].0, ".[0].Id");
    }

    /// The update's new Name, read back by the get after it, became a
    /// variable bound only there, yet the update itself used it: bash
    /// stopped at the update with "unbound variable".
    #[test]
    fn regression_a_value_sent_before_it_was_answered_was_used_before_it_was_bound() {
        let id = "5d2b0e6c-1111-4a4a-9b9b-0123456789ab";
        let item = format!("http://h/api/Roles/{id}");
        let o = outcome(vec![
            step(
                "POST",
                "http://h/api/Roles",
                None,
                &format!(r#"{{"Id":"{id}","Name":"conform-a-1"}}"#),
                false,
            ),
            step("PUT", &item, Some(r#"{"Name":"conform-a-2"}"#), "", false),
            step(
                "GET",
                &item,
                None,
                &format!(r#"{{"Id":"{id}","Name":"conform-a-2"}}"#),
                false,
            ),
            step("PUT", &item, Some(r#"{"Name":"conform-a-2"}"#), "", false),
            step("GET", &item, None, r#"{"Name":"conform-a-1"}"#, true),
        ]);
        let text = script(&o).unwrap();
        assert!(
            !text.contains("ID_2"),
            "nothing but the id is captured: {text}"
        );
        assert_eq!(
            text.matches(r#"--data-raw "{\"Name\":\"conform-a-2\"}""#)
                .count(),
            2,
            "both updates send the literal Name: {text}"
        );
        // Every variable a line uses was bound on an earlier line.
        let mut bound = Vec::new();
        for line in text.lines() {
            for var in line.split("${").skip(1).filter_map(|v| v.split('}').next()) {
                assert!(
                    var.starts_with("CONFORM_") || bound.contains(&var.to_string()),
                    "`{var}` used before it is bound in `{line}`:\n{text}"
                );
            }
            if let Some((var, _)) = line.split_once("=$(") {
                bound.push(var.to_string());
            }
        }
    }

    #[test]
    fn the_script_ends_deleting_what_the_case_deleted_after_the_failure() {
        let id = "5d2b0e6c-1111-4a4a-9b9b-0123456789ab";
        let item = format!("http://h/api/Roles/{id}");
        let made = step(
            "POST",
            "http://h/api/Roles",
            None,
            &format!(r#"{{"Id":"{id}"}}"#),
            false,
        );
        let mut deleted = step("DELETE", &item, None, "", false);
        deleted.response.as_mut().unwrap().status = 204;
        let mut o = outcome(vec![
            made.clone(),
            step("GET", &item, None, "{}", true),
            deleted,
        ]);
        let text = script(&o).unwrap();
        let tail = text.split("# cleanup\n").nth(1).expect("a cleanup part");
        assert_eq!(
            tail,
            "curl -sS -o /dev/null -w \"cleanup: %{http_code}\\n\" -X DELETE \"http://h/api/Roles/${ID_1}\" -H \"authorization: Bearer ${CONFORM_TOKEN}\"\n"
        );
        // What the cleanup deleted is deleted too; what it found gone is not.
        o.steps.pop();
        let record = |status| CleanupRecord {
            url: item.clone(),
            status: Some(status),
            error: None,
            attempts: 1,
            headers: vec![],
        };
        o.cleanup = vec![record(204)];
        assert!(script(&o).unwrap().contains("# cleanup\n"));
        o.cleanup = vec![record(404)];
        assert!(!script(&o).unwrap().contains("# cleanup"));
    }

    #[test]
    fn a_single_request_needs_no_script() {
        let o = outcome(vec![step("GET", "http://h/x", None, "{}", true)]);
        assert_eq!(script(&o), None);
    }
}
