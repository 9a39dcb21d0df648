//! The JSON report: every case, step, check and outcome, the coverage
//! matrix and the summary.

use super::RunReport;

/// The report as pretty-printed JSON.
pub fn render(report: &RunReport) -> Result<String, serde_json::Error> {
    serde_json::to_string_pretty(report)
}
