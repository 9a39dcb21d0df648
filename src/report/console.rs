//! Failure output for a terminal: the case and step, each failed check
//! with why and where the docs say so, the request, the answer, and a
//! `curl` command that sends the request again.

use std::fmt::Write as _;

use crate::plan::Phase;
use crate::run::outcome::{CaseOutcome, StepRecord};

/// Everything a failed case needs to be understood and reproduced.
pub fn failure(outcome: &CaseOutcome) -> String {
    let mut out = String::new();
    for (step, failed) in outcome.failed_steps() {
        let phase = match step.phase {
            Phase::Setup => "setup",
            Phase::Test => "test",
        };
        let _ = writeln!(out, "{phase} step `{}` of `{}`", step.name, step.operation);
        for c in failed {
            let _ = writeln!(
                out,
                "  check {} failed: {}",
                c.check,
                c.message.as_deref().unwrap_or("")
            );
            let _ = writeln!(out, "    --> {}", c.location);
        }
        out.push_str(&exchange(step));
    }
    if let Some(reason) = &outcome.reason {
        let _ = writeln!(out, "stopped: {reason}");
    }
    for (step, c) in outcome.advisories() {
        let _ = writeln!(
            out,
            "advisory {} at step `{}` of `{}`: {}\n    --> {}",
            c.check,
            step.name,
            step.operation,
            c.message.as_deref().unwrap_or(""),
            c.location
        );
    }
    if let Some(script) = super::script::script(outcome) {
        let _ = writeln!(out, "reproduce the whole sequence:");
        for line in script.lines() {
            let _ = writeln!(out, "    {line}");
        }
    }
    out
}

/// The request, the answer and the `curl` command of one step.
pub fn exchange(step: &StepRecord) -> String {
    let mut out = String::new();
    let r = &step.request;
    let _ = writeln!(out, "  request:\n    {} {}", r.method, r.url);
    for (k, v) in &r.headers {
        let _ = writeln!(out, "    {k}: {v}");
    }
    if let Some(body) = &r.body {
        let _ = writeln!(out, "    {body}");
    }
    for hop in &step.redirects {
        let _ = writeln!(out, "  redirected: {hop}");
    }
    match (&step.response, &step.error) {
        (Some(resp), _) => {
            let _ = writeln!(out, "  response:\n    {}", resp.status);
            for (k, v) in &resp.headers {
                let _ = writeln!(out, "    {k}: {v}");
            }
            if !resp.body.is_empty() {
                let _ = writeln!(out, "    {}", resp.body);
            }
        }
        (None, Some(error)) => {
            let _ = writeln!(out, "  response: none ({error})");
        }
        (None, None) => {}
    }
    let _ = writeln!(out, "  reproduce:\n    {}", curl(step));
    out
}

/// A shell-quoted word: single quotes, unless it holds a `$CONFORM_…`
/// placeholder the shell must expand.
fn quote(word: &str) -> String {
    if word.contains("$CONFORM_") {
        let escaped = word
            .replace('\\', "\\\\")
            .replace('"', "\\\"")
            .replace('`', "\\`");
        format!("\"{escaped}\"")
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

/// The `curl` command that sends the step's request again, credentials
/// left to the `$CONFORM_TOKEN` variables.
pub fn curl(step: &StepRecord) -> String {
    let r = &step.request;
    curl_words(&r.method, &r.url, &r.headers, r.body.as_deref())
}

/// The `curl` command for a request, from its redacted parts.
pub fn curl_words(
    method: &str,
    url: &str,
    headers: &[(String, String)],
    body: Option<&str>,
) -> String {
    let mut words = vec!["curl".to_string(), "-sS".to_string(), "-i".to_string()];
    if method == "HEAD" {
        words.push("-I".into());
    } else if method != "GET" {
        words.push("-X".into());
        words.push(method.to_string());
    }
    words.push(quote(url));
    for (k, v) in headers {
        words.push("-H".into());
        words.push(quote(&format!("{k}: {v}")));
    }
    if let Some(body) = body {
        words.push("--data-raw".into());
        words.push(quote(body));
    }
    words.join(" ")
}

/// The items cleanup left on the server, each with the command that
/// deletes it; empty when there are none.
pub fn leftovers(leftovers: &[super::Leftover]) -> String {
    let mut out = String::new();
    if leftovers.is_empty() {
        return out;
    }
    let _ = writeln!(
        out,
        "\nleft behind ({} item(s) cleanup could not delete):",
        leftovers.len()
    );
    for l in leftovers {
        let _ = writeln!(
            out,
            "  {} (created by {}; {} after {} delete(s))\n    {}",
            l.url,
            l.case,
            l.answer(),
            l.attempts,
            l.curl
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::run::outcome::{CheckRecord, RequestRecord, ResponseRecord};

    fn step() -> StepRecord {
        StepRecord {
            name: "request".into(),
            phase: Phase::Test,
            operation: "Roles_Create Role on Tenant".into(),
            doc: 0,
            op: 0,
            expected: vec![201],
            request: RequestRecord {
                method: "POST".into(),
                url: "http://h/api/Roles".into(),
                headers: vec![
                    ("accept".into(), "application/json".into()),
                    ("authorization".into(), "Bearer $CONFORM_TOKEN".into()),
                ],
                body: Some("{\"Name\":\"it's\"}".into()),
            },
            response: Some(ResponseRecord {
                status: 200,
                headers: vec![("content-type".into(), "application/json".into())],
                body: "{}".into(),
                body_bytes: 2,
            }),
            error: None,
            redirects: vec![],
            attempts: 1,
            millis: 1,
            checks: vec![CheckRecord {
                check: "status_expected",
                passed: false,
                advisory: false,
                message: Some("expected 201, got 200".into()),
                location: "specs/x.txt:130".into(),
                accepted: None,
                inconclusive: false,
            }],
        }
    }

    #[test]
    fn curl_reproduces_the_request_and_leaves_the_token_to_the_shell() {
        assert_eq!(
            curl(&step()),
            "curl -sS -i -X POST 'http://h/api/Roles' -H 'accept: application/json' \
             -H \"authorization: Bearer $CONFORM_TOKEN\" --data-raw '{\"Name\":\"it'\\''s\"}'"
        );
    }

    #[test]
    fn a_failure_names_the_step_check_location_request_and_answer() {
        let outcome = CaseOutcome {
            name: "d::Roles_Create Role on Tenant::happy".into(),
            document: "d".into(),
            operation: "Roles_Create Role on Tenant".into(),
            doc: 0,
            op: 0,
            kind: crate::plan::CaseKind::Happy,
            status: crate::run::outcome::CaseStatus::Failed,
            reason: None,
            steps: vec![step()],
            cleanup: Vec::new(),
            millis: 1,
        };
        let text = failure(&outcome);
        let expected = "test step `request` of `Roles_Create Role on Tenant`
  check status_expected failed: expected 201, got 200
    --> specs/x.txt:130
  request:
    POST http://h/api/Roles
    accept: application/json
    authorization: Bearer $CONFORM_TOKEN
    {\"Name\":\"it's\"}
  response:
    200
    content-type: application/json
    {}
  reproduce:
";
        assert!(text.starts_with(expected), "{text}");
        assert!(text
            .trim_end()
            .ends_with("--data-raw '{\"Name\":\"it'\\''s\"}'"));
    }
}
