//! The HTML report: one self-contained page (inline CSS and a few lines
//! of inline JavaScript, no network, no external asset) with the summary
//! and the conformance score, the coverage matrix as a coloured grid, the
//! role matrix, and every failure as an expandable block with its request,
//! answer, schema error pointers and the `curl` command that reproduces
//! it. Filters by document, check and state hide what is not wanted.
//!
//! The page is written in one pass over the report, so its size is linear
//! in the outcomes; every text from a document or a server is escaped.
//! Outcomes are redacted by the run, so no secret reaches the page.
//! `#open=<case name>` in the address opens that case's failure.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use super::coverage::{self, Cell, Coverage};
use super::{console, score, summary, RunReport};
use crate::plan::Phase;
use crate::run::outcome::{CaseOutcome, CheckRecord, StepRecord};

/// Text made safe for HTML content and for quoted attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

const STYLE: &str = r#"
:root{--pass:#c8e6c9;--pass-t:#1b5e20;--fail:#ffcdd2;--fail-t:#b71c1c;--none:#e0e0e0;--none-t:#616161;--undoc:#fff}
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#212121;background:#fafafa}
header{padding:16px 24px;background:#263238;color:#fff}
header h1{margin:0 0 4px;font-size:22px}
header p{margin:2px 0}
main{padding:8px 24px 40px}
h2{font-size:18px;margin:24px 0 8px;border-bottom:1px solid #ccc;padding-bottom:4px}
.verdict-passed{color:#a5d6a7}.verdict-failed{color:#ef9a9a}
.score{display:inline-block;font-size:28px;font-weight:700;margin-right:12px;vertical-align:middle}
#filters{position:sticky;top:0;background:#eceff1;padding:8px 24px;border-bottom:1px solid #cfd8dc;z-index:2}
#filters label{margin-right:16px}
table{border-collapse:collapse;background:#fff}
th,td{border:1px solid #ddd;padding:2px 6px;text-align:left;vertical-align:top}
thead th{position:sticky;top:41px;background:#f5f5f5;z-index:1}
td.c{text-align:center;min-width:44px;font-size:12px;font-weight:600}
.pass{background:var(--pass);color:var(--pass-t)}
.fail{background:var(--fail);color:var(--fail-t)}
.none{background:var(--none);color:var(--none-t)}
.undoc{background:var(--undoc)}
tr.doc th{background:#eceff1;font-weight:600}
.req{color:#546e7a;font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px}
.legend span{display:inline-block;padding:0 8px;margin-right:6px;border:1px solid #ccc}
.role{display:inline-block;margin:1px 4px 1px 0;padding:0 6px;border-radius:3px;font-size:12px}
details.failure{background:#fff;border:1px solid #e0e0e0;border-left:4px solid var(--fail-t);margin:6px 0;padding:4px 10px}
details.failure summary{cursor:pointer;font-weight:600}
details.failure[open]{box-shadow:0 1px 4px rgba(0,0,0,.15)}
.check{margin:6px 0}
.check b{color:var(--fail-t)}
pre{background:#f5f5f5;border:1px solid #e0e0e0;padding:6px;overflow:auto;max-height:320px;white-space:pre-wrap;word-break:break-all;font-size:12px;margin:4px 0}
ul.reasons{font-size:13px;color:#424242}
[hidden]{display:none!important}
"#;

const SCRIPT: &str = r#"
(function(){
  var doc=document.getElementById('f-doc'),check=document.getElementById('f-check'),state=document.getElementById('f-state');
  function has(list,word){return (' '+list+' ').indexOf(' '+word+' ')>=0;}
  function apply(){
    var d=doc.value,c=check.value,s=state.value;
    document.querySelectorAll('[data-doc]').forEach(function(el){
      var show=!d||el.getAttribute('data-doc')===d;
      var checks=el.getAttribute('data-checks'),states=el.getAttribute('data-states');
      if(c&&checks!==null)show=show&&has(checks,c);
      if(s&&states!==null)show=show&&has(states,s);
      el.hidden=!show;
    });
  }
  [doc,check,state].forEach(function(el){el.addEventListener('change',apply);});
  function open(){
    var h=decodeURIComponent(location.hash.slice(1));
    if(h.indexOf('open=')!==0)return;
    var want=h.slice(5);
    document.querySelectorAll('details.failure').forEach(function(el){
      if(el.getAttribute('data-case')===want||el.id===want){
        el.open=true;
        var r=el.getBoundingClientRect();
        if(r.top<0||r.top>window.innerHeight-40)el.scrollIntoView();
      }
    });
  }
  window.addEventListener('hashchange',open);
  open();
})();
"#;

/// The grid's class and mark of a cell.
fn cell_class(cell: &Cell) -> (&'static str, &'static str, &'static str) {
    match cell {
        Cell::Conformant => ("pass", "ok", "conformant"),
        Cell::Failed => ("fail", "FAIL", "failed"),
        Cell::NotExercised(_) => ("none", "–", "not exercised"),
    }
}

/// The schema error pointers a check message names (`at `/a/0`: ...`).
fn pointers(message: &str) -> Vec<&str> {
    message
        .split("at `")
        .skip(1)
        .filter_map(|rest| rest.split_once("`:").map(|(p, _)| p))
        .collect()
}

/// The failed checks of each (document, operation), for the check filter.
fn failed_checks(cases: &[CaseOutcome]) -> BTreeMap<(&str, &str), BTreeSet<&'static str>> {
    let mut map: BTreeMap<(&str, &str), BTreeSet<&'static str>> = BTreeMap::new();
    for o in cases {
        for (s, c) in o.failures() {
            map.entry((o.document.as_str(), s.operation.as_str()))
                .or_default()
                .insert(c.check);
        }
    }
    map
}

fn words(set: Option<&BTreeSet<&'static str>>) -> String {
    set.map(|s| s.iter().copied().collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

/// The report as one HTML page.
pub fn render(report: &RunReport) -> String {
    let t = &report.totals;
    let score = score::score(&report.coverage);
    let failed = failed_checks(&report.cases);
    let verdict = match (t.failed, t.accepted) {
        (0, 0) => "passed",
        (0, _) => "passed with accepted failures",
        _ => "failed",
    };
    let mut out = String::with_capacity(64 * 1024);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
         <title>Conformance run {verdict}</title><style>{STYLE}</style></head><body>\n\
         <header><h1>Conformance run <span class=\"verdict-{}\">{verdict}</span></h1>\
         <p><span class=\"score\" id=\"score\">{}</span>{}</p><p>{}</p>",
        if t.failed > 0 { "failed" } else { "passed" },
        escape(&score.shown()),
        escape(&score.line()),
        escape(&summary::line(t, &report.left_out, report.millis)),
    );
    if let Some(wanted) = summary::wanted_line(&report.not_run) {
        let _ = write!(out, "<p>{}</p>", escape(&wanted));
    }
    out.push_str("</header>\n");
    filters(&mut out, report);
    out.push_str("<main>\n");
    documents(&mut out, &score);
    grid(&mut out, &report.coverage, &score, &failed);
    roles(&mut out, &report.coverage, &failed);
    failures(&mut out, &report.cases);
    accepted(&mut out, &report.cases);
    leftovers(&mut out, report);
    let _ = writeln!(out, "</main><script>{SCRIPT}</script></body></html>");
    out
}

fn filters(out: &mut String, report: &RunReport) {
    let mut docs: Vec<&str> = Vec::new();
    for d in report
        .coverage
        .rows
        .iter()
        .map(|r| r.document.as_str())
        .chain(report.cases.iter().map(|o| o.document.as_str()))
    {
        if !docs.contains(&d) {
            docs.push(d);
        }
    }
    let checks: BTreeSet<&str> = report
        .cases
        .iter()
        .flat_map(|o| o.failures().map(|(_, c)| c.check))
        .collect();
    out.push_str(
        "<nav id=\"filters\"><label>document <select id=\"f-doc\"><option value=\"\">all</option>",
    );
    for d in docs {
        let d = escape(d);
        let _ = write!(out, "<option value=\"{d}\">{d}</option>");
    }
    out.push_str("</select></label><label>failed check <select id=\"f-check\"><option value=\"\">any</option>");
    for c in checks {
        let _ = write!(out, "<option value=\"{c}\">{c}</option>");
    }
    out.push_str(
        "</select></label><label>state <select id=\"f-state\"><option value=\"\">any</option>\
         <option value=\"fail\">failed</option><option value=\"pass\">conformant</option>\
         <option value=\"none\">not exercised</option></select></label></nav>\n",
    );
}

fn documents(out: &mut String, score: &score::Score) {
    out.push_str(
        "<h2>Score per document</h2><table id=\"documents\"><thead><tr><th>document</th>\
         <th>score</th><th>passing</th><th>exercised</th><th>documented</th></tr></thead><tbody>\n",
    );
    for d in &score.documents {
        let doc = escape(&d.document);
        let _ = writeln!(
            out,
            "<tr data-doc=\"{doc}\"><th>{doc}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            d.shown(),
            d.passing,
            d.exercised,
            d.documented
        );
    }
    out.push_str(
        "</tbody></table><p class=\"reasons\">A pair is one documented status of one operation; \
         it passes when a case received it (or expected it) and no check of those answers failed.</p>\n",
    );
}

fn grid(
    out: &mut String,
    c: &Coverage,
    score: &score::Score,
    failed: &BTreeMap<(&str, &str), BTreeSet<&'static str>>,
) {
    let columns = coverage::statuses(c);
    out.push_str("<h2>Coverage: operation × documented status</h2>\n<p class=\"legend\"><span class=\"pass\">ok: conformant</span><span class=\"fail\">FAIL: failed</span><span class=\"none\">–: not exercised</span><span class=\"undoc\">blank: not documented</span></p>\n<table id=\"grid\"><thead><tr><th>operation</th>");
    for s in &columns {
        let _ = write!(out, "<th>{s}</th>");
    }
    out.push_str("</tr></thead><tbody>\n");
    let mut current: Option<&str> = None;
    for row in &c.rows {
        let doc = escape(&row.document);
        if current != Some(row.document.as_str()) {
            current = Some(row.document.as_str());
            let shown = score
                .documents
                .iter()
                .find(|d| d.document == row.document)
                .map(|d| format!(" · score {}", d.shown()))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "<tr class=\"doc\" data-doc=\"{doc}\"><th colspan=\"{}\">{doc}{shown}</th></tr>",
                columns.len() + 1
            );
        }
        let mut states: Vec<&str> = Vec::new();
        for (_, cell) in &row.cells {
            let (class, _, _) = cell_class(cell);
            if !states.contains(&class) {
                states.push(class);
            }
        }
        let checks = words(failed.get(&(row.document.as_str(), row.operation.as_str())));
        let _ = write!(
            out,
            "<tr data-doc=\"{doc}\" data-states=\"{}\" data-checks=\"{}\"><th>{}<br><span class=\"req\">{}</span>{}</th>",
            states.join(" "),
            escape(&checks),
            escape(&row.operation),
            escape(&row.request),
            row.not_run
                .as_deref()
                .map(|why| format!("<br><small>not run: {}</small>", escape(why)))
                .unwrap_or_default()
        );
        for s in &columns {
            match row.cells.iter().find(|(x, _)| x == s).map(|(_, c)| c) {
                Some(cell) => {
                    let (class, mark, word) = cell_class(cell);
                    let why = match cell {
                        Cell::NotExercised(why) => format!(": {why}"),
                        _ => String::new(),
                    };
                    let _ = write!(
                        out,
                        "<td class=\"c {class}\" title=\"{s} {word}{}\">{mark}</td>",
                        escape(&why)
                    );
                }
                None => out.push_str("<td class=\"c undoc\"></td>"),
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table>\n");
    let reasons = coverage::reasons(c);
    if !reasons.is_empty() {
        out.push_str("<p>Why statuses were not exercised:</p><ul class=\"reasons\">");
        for (status, why, n) in reasons {
            let ops = if n == 1 { "operation" } else { "operations" };
            let _ = write!(out, "<li>{status} ({n} {ops}): {}</li>", escape(&why));
        }
        out.push_str("</ul>\n");
    }
}

fn roles(out: &mut String, c: &Coverage, failed: &BTreeMap<(&str, &str), BTreeSet<&'static str>>) {
    if c.roles.is_empty() {
        return;
    }
    out.push_str("<h2>Roles: operation × role</h2>\n<p class=\"legend\"><span class=\"pass\">allowed and served, or refused as documented</span><span class=\"fail\">failed</span><span class=\"none\">not testable (hover for why)</span></p>\n<table id=\"roles\"><thead><tr><th>operation</th><th>allowed roles</th><th>roles that must be refused</th></tr></thead><tbody>\n");
    for row in &c.roles {
        let mut states: Vec<&str> = Vec::new();
        let mut cols = [String::new(), String::new()];
        for cell in &row.cells {
            let (class, _, word) = cell_class(&cell.cell);
            if !states.contains(&class) {
                states.push(class);
            }
            let title = match &cell.cell {
                Cell::NotExercised(reason) => format!("not testable: {reason}"),
                Cell::Conformant if cell.allowed => "allowed and served".into(),
                Cell::Conformant => "refused as documented".into(),
                Cell::Failed => word.into(),
            };
            let _ = write!(
                cols[usize::from(!cell.allowed)],
                "<span class=\"role {class}\" title=\"{}\">{}</span>",
                escape(&title),
                escape(&cell.role)
            );
        }
        let checks = words(failed.get(&(row.document.as_str(), row.operation.as_str())));
        let _ = writeln!(
            out,
            "<tr data-doc=\"{}\" data-states=\"{}\" data-checks=\"{}\"><th>{}</th><td>{}</td><td>{}</td></tr>",
            escape(&row.document),
            states.join(" "),
            escape(&checks),
            escape(&row.operation),
            cols[0],
            cols[1]
        );
    }
    out.push_str("</tbody></table>\n");
    let why = super::coverage::role_reasons(c);
    if !why.is_empty() {
        out.push_str("<p>Not testable:</p><ul class=\"reasons\">");
        for (reason, n) in why {
            let _ = write!(out, "<li>({n}) {}</li>", escape(reason));
        }
        out.push_str("</ul>\n");
    }
}

fn failures(out: &mut String, cases: &[CaseOutcome]) {
    let failing: Vec<&CaseOutcome> = cases
        .iter()
        .filter(|o| o.failures().next().is_some())
        .collect();
    let _ = writeln!(out, "<h2>Failures ({})</h2>", failing.len());
    if failing.is_empty() {
        out.push_str("<p>No check failed.</p>\n");
    }
    for (i, o) in failing.into_iter().enumerate() {
        let checks: BTreeSet<&str> = o.failures().map(|(_, c)| c.check).collect();
        let checks: Vec<&str> = checks.into_iter().collect();
        let _ = writeln!(
            out,
            "<details class=\"failure\" id=\"failure-{i}\" data-case=\"{}\" data-doc=\"{}\" data-states=\"fail\" data-checks=\"{}\"><summary>{} <small>({})</small></summary>",
            escape(&o.name),
            escape(&o.document),
            checks.join(" "),
            escape(&o.name),
            checks.join(", ")
        );
        for (step, failed) in o.failed_steps() {
            step_html(out, step, &failed);
        }
        if let Some(reason) = &o.reason {
            let _ = write!(out, "<p>stopped: {}</p>", escape(reason));
        }
        if let Some(script) = super::script::script(o) {
            let _ = write!(
                out,
                "<p>the whole sequence, as a script</p><pre class=\"curl script\">{}</pre>",
                escape(&script)
            );
        }
        out.push_str("</details>\n");
    }
}

/// Failures the baseline accepts: listed with the steps that failed and
/// why each was accepted, so that they are seen, not hidden as passes.
fn accepted(out: &mut String, cases: &[CaseOutcome]) {
    let accepted: Vec<(&CaseOutcome, Vec<(&'static str, &str)>)> = cases
        .iter()
        .map(|o| (o, super::baseline::Baseline::of(o)))
        .filter(|(_, reasons)| !reasons.is_empty())
        .collect();
    if accepted.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "<h2>Accepted failures, baseline ({})</h2>",
        accepted.len()
    );
    for (o, reasons) in accepted {
        let checks: BTreeSet<&str> = reasons.iter().map(|(c, _)| *c).collect();
        let checks: Vec<&str> = checks.into_iter().collect();
        let _ = writeln!(
            out,
            "<details class=\"accepted\" data-case=\"{}\" data-doc=\"{}\" data-states=\"accepted\" data-checks=\"{}\"><summary>{} <small>(accepted: {})</small></summary><ul>",
            escape(&o.name),
            escape(&o.document),
            checks.join(" "),
            escape(&o.name),
            checks.join(", ")
        );
        for (check, why) in &reasons {
            let _ = write!(out, "<li><b>{check}</b>: {}</li>", escape(why));
        }
        out.push_str("</ul>");
        for step in &o.steps {
            let failed: Vec<&CheckRecord> = step
                .checks
                .iter()
                .filter(|c| !c.passed && c.accepted.is_some())
                .collect();
            if !failed.is_empty() {
                step_html(out, step, &failed);
            }
        }
        out.push_str("</details>\n");
    }
}

fn step_html(out: &mut String, step: &StepRecord, failed: &[&CheckRecord]) {
    let phase = match step.phase {
        Phase::Setup => "setup",
        Phase::Test => "test",
    };
    let _ = write!(
        out,
        "<h4>{phase} step <code>{}</code> of <code>{}</code></h4>",
        escape(&step.name),
        escape(&step.operation)
    );
    for c in failed {
        let message = c.message.as_deref().unwrap_or("");
        let _ = write!(
            out,
            "<div class=\"check\"><b>{}</b> failed: {}<br><small>docs: {}</small>",
            c.check,
            escape(message),
            escape(&c.location)
        );
        let at = pointers(message);
        if !at.is_empty() {
            let at: Vec<String> = at
                .iter()
                .map(|p| format!("<code>{}</code>", escape(p)))
                .collect();
            let _ = write!(out, "<br><small>schema error at: {}</small>", at.join(", "));
        }
        out.push_str("</div>");
    }
    let r = &step.request;
    let mut request = format!("{} {}\n", r.method, r.url);
    for (k, v) in &r.headers {
        let _ = writeln!(request, "{k}: {v}");
    }
    if let Some(body) = &r.body {
        let _ = write!(request, "\n{body}");
    }
    let _ = write!(
        out,
        "<p>request</p><pre class=\"request\">{}</pre>",
        escape(&request)
    );
    for hop in &step.redirects {
        let _ = write!(out, "<p>redirected: {}</p>", escape(hop));
    }
    match (&step.response, &step.error) {
        (Some(resp), _) => {
            let mut text = format!("{}\n", resp.status);
            for (k, v) in &resp.headers {
                let _ = writeln!(text, "{k}: {v}");
            }
            if !resp.body.is_empty() {
                let _ = write!(text, "\n{}", resp.body);
            }
            let _ = write!(
                out,
                "<p>response</p><pre class=\"response\">{}</pre>",
                escape(&text)
            );
        }
        (None, Some(error)) => {
            let _ = write!(out, "<p>response: none ({})</p>", escape(error));
        }
        (None, None) => {}
    }
    let _ = write!(
        out,
        "<p>reproduce</p><pre class=\"curl\">{}</pre>",
        escape(&console::curl(step))
    );
}

fn leftovers(out: &mut String, report: &RunReport) {
    let mut unsettled = report
        .cases
        .iter()
        .flat_map(|o| o.inconclusive().map(move |(s, c)| (o, s, c)))
        .peekable();
    if unsettled.peek().is_some() {
        out.push_str(
            "<h2 id=\"inconclusive\">Inconclusive (not failures)</h2><ul class=\"reasons\">",
        );
        for (o, s, c) in unsettled {
            let _ = write!(
                out,
                "<li><code>{}</code>, step <code>{}</code>, <code>{}</code>: {}</li>",
                escape(&o.name),
                escape(&s.name),
                escape(c.check),
                escape(c.message.as_deref().unwrap_or(""))
            );
        }
        out.push_str("</ul>\n");
    }
    if !report.advisories.is_empty() {
        out.push_str("<h2 id=\"advisories\">Advisories (not failures)</h2><ul class=\"reasons\">");
        for a in &report.advisories {
            let _ = write!(
                out,
                "<li><code>{}</code>, step <code>{}</code>, <code>{}</code>: {} <small>({})</small></li>",
                escape(&a.case),
                escape(&a.step),
                escape(&a.check),
                escape(&a.message),
                escape(&a.location)
            );
        }
        out.push_str("</ul>\n");
    }
    if !report.left_out.is_empty() {
        out.push_str("<h2>Not run (errors in the documents)</h2><ul class=\"reasons\">");
        for l in &report.left_out {
            let _ = write!(
                out,
                "<li><code>{}</code>: {}</li>",
                escape(&l.name),
                escape(&l.reason)
            );
        }
        out.push_str("</ul>\n");
    }
    if !report.leftovers.is_empty() {
        out.push_str("<h2>Left behind</h2><ul class=\"reasons\">");
        for l in &report.leftovers {
            let _ = write!(
                out,
                "<li><code>{}</code> (created by <code>{}</code>; {})<pre class=\"curl\">{}</pre></li>",
                escape(&l.url),
                escape(&l.case),
                escape(&l.answer()),
                escape(&l.curl)
            );
        }
        out.push_str("</ul>\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_covers_content_and_attributes() {
        assert_eq!(
            escape(r#"<a href="x">&'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;"
        );
    }

    use crate::plan::CaseKind;
    use crate::run::outcome::{CaseStatus, RequestRecord, ResponseRecord};

    /// A run of one case whose server answered with markup, and whose
    /// document names hold quotes and angle brackets.
    fn hostile() -> RunReport {
        let step = StepRecord {
            name: "request".into(),
            phase: Phase::Test,
            operation: "Things_<b>Get</b>".into(),
            doc: 0,
            op: 0,
            expected: vec![200],
            request: RequestRecord {
                method: "GET".into(),
                url: "http://h/api/Things?q=\"><script>alert(1)</script>".into(),
                headers: vec![("authorization".into(), "Bearer $CONFORM_TOKEN".into())],
                body: None,
            },
            response: Some(ResponseRecord {
                status: 200,
                headers: vec![],
                body: "<script>alert(2)</script>".into(),
                body_bytes: 25,
            }),
            error: None,
            redirects: vec![],
            attempts: 1,
            millis: 1,
            checks: vec![CheckRecord {
                check: "response_schema",
                passed: false,
                message: Some("the body does not match `Thing`: at `/a<b>`: bad".into()),
                location: "d/x.md:3".into(),
                accepted: None,
                inconclusive: false,
                advisory: false,
            }],
        };
        let case = CaseOutcome {
            name: "x::Things_<b>Get</b>::happy".into(),
            document: "x\"'".into(),
            operation: "Things_<b>Get</b>".into(),
            doc: 0,
            op: 0,
            kind: CaseKind::Happy,
            status: CaseStatus::Failed,
            reason: None,
            steps: vec![step],
            cleanup: vec![],
            millis: 1,
        };
        RunReport {
            totals: summary::totals(std::slice::from_ref(&case), &[]),
            millis: 1,
            coverage: Coverage {
                rows: vec![coverage::Row {
                    document: "x\"'".into(),
                    operation: "Things_<b>Get</b>".into(),
                    request: "GET /api/Things".into(),
                    cells: vec![
                        (200, Cell::Failed),
                        (404, Cell::NotExercised("no <id>".into())),
                    ],
                    not_run: None,
                }],
                roles: vec![],
            },
            summary: vec![],
            now_passing: vec![],
            not_run: vec![],
            left_out: vec![],
            leftovers: vec![],
            cases: vec![case],
            shard: None,
            advisories: vec![],
        }
    }

    #[test]
    fn every_text_from_documents_and_servers_is_escaped() {
        let page = render(&hostile());
        assert!(
            !page.contains("<script>alert") && !page.contains("<b>Get"),
            "{page}"
        );
        assert!(page.contains("&lt;script&gt;alert(2)&lt;/script&gt;"));
        assert!(page.contains("data-doc=\"x&quot;&#39;\""));
        assert!(page.contains("title=\"404 not exercised: no &lt;id&gt;\""));
        assert!(page.contains("schema error at: <code>/a&lt;b&gt;</code>"));
        // The page's own script is the only one.
        assert_eq!(page.matches("<script>").count(), 1);
    }

    #[test]
    fn pointers_are_read_from_schema_messages() {
        let m = "the body does not match `Role`: at `/Id`: 1 is not a string; at `(root)`: x";
        assert_eq!(pointers(m), ["/Id", "(root)"]);
        assert!(pointers("expected 201, got 200").is_empty());
    }
}
