//! The JSON report: every case, step, check and outcome, the coverage
//! matrix, the conformance score and the summary.

use super::{score, RunReport};

/// The version of the JSON report's layout, its first member. It goes up
/// when a member is removed or changes meaning; new members may appear
/// within a version. `docs/report.schema.json` describes it.
pub const SCHEMA_VERSION: u32 = 1;

/// The report as pretty-printed JSON, `schema_version` first.
pub fn render(report: &RunReport) -> Result<String, serde_json::Error> {
    let mut out = serde_json::Map::new();
    out.insert("schema_version".into(), SCHEMA_VERSION.into());
    if let serde_json::Value::Object(members) = serde_json::to_value(report)? {
        out.extend(members);
    }
    // A failed case that sent more than one request carries the whole
    // sequence as a script, as the console prints it.
    if let Some(cases) = out.get_mut("cases").and_then(|c| c.as_array_mut()) {
        for (value, case) in cases.iter_mut().zip(&report.cases) {
            if let Some(script) = super::script::script(case) {
                value["script"] = script.into();
            }
        }
    }
    out.insert("score".into(), score_value(&report.coverage)?);
    serde_json::to_string_pretty(&out)
}

/// The score with its percentages (`null` when nothing is documented).
fn score_value(c: &super::coverage::Coverage) -> Result<serde_json::Value, serde_json::Error> {
    let s = score::score(c);
    let mut value = serde_json::to_value(&s)?;
    value["percent"] = s.percent().into();
    if let Some(docs) = value["documents"].as_array_mut() {
        for (doc, d) in docs.iter_mut().zip(&s.documents) {
            doc["percent"] = d.percent().into();
        }
    }
    Ok(value)
}
