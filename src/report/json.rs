//! The JSON report: every case, step, check and outcome, the coverage
//! matrix and the summary.

use super::RunReport;

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
    serde_json::to_string_pretty(&out)
}
