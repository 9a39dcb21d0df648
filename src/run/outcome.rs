//! What a run produces: per case, per step, per check. Everything here is
//! already redacted; reports render it and never see a secret.

use serde::{Deserialize, Serialize};

use crate::plan::{CaseKind, Phase};

/// How a case ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseStatus {
    /// Every check passed.
    Passed,
    /// A check failed.
    Failed,
    /// Checks failed, and the baseline accepts every one of them.
    Accepted,
    /// The case could not run to its end for a reason that is not a
    /// failure (an id nothing could provide).
    Skipped,
    /// No check failed, but a comparison could not be settled: the reads
    /// bracketing it disagreed each time (another writer was at work).
    Inconclusive,
}

/// One case's result.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CaseOutcome {
    /// `<document>::<operation>::<case>`.
    pub name: String,
    /// The document's file stem.
    pub document: String,
    /// The operation id.
    pub operation: String,
    /// Index of the document.
    #[serde(skip)]
    pub doc: usize,
    /// Index of the operation.
    #[serde(skip)]
    pub op: usize,
    /// The case kind.
    pub kind: CaseKind,
    /// How it ended.
    pub status: CaseStatus,
    /// Why it stopped early, if it did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The steps that ran.
    pub steps: Vec<StepRecord>,
    /// Deletes of what the case created.
    pub cleanup: Vec<CleanupRecord>,
    /// Wall time.
    pub millis: u64,
}

/// One step's exchange and verdicts.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StepRecord {
    /// The step name.
    pub name: String,
    /// Setup or test.
    pub phase: Phase,
    /// The operation id.
    pub operation: String,
    /// Index of the document.
    #[serde(skip)]
    pub doc: usize,
    /// Index of the operation.
    #[serde(skip)]
    pub op: usize,
    /// The statuses the step expected (empty: any documented one).
    pub expected: Vec<u16>,
    /// What was sent.
    pub request: RequestRecord,
    /// What came back, if anything.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response: Option<ResponseRecord>,
    /// Why nothing came back.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The same-origin redirects followed, each as `STATUS FROM -> TO`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub redirects: Vec<String>,
    /// Sends, retries included.
    pub attempts: u32,
    /// Wall time.
    pub millis: u64,
    /// Each applicable check's verdict.
    pub checks: Vec<CheckRecord>,
}

/// A request as recorded.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RequestRecord {
    /// The method.
    pub method: String,
    /// The URL.
    pub url: String,
    /// Headers, redacted.
    pub headers: Vec<(String, String)>,
    /// The body, redacted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
}

/// An answer as recorded.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ResponseRecord {
    /// The status code.
    pub status: u16,
    /// Headers, redacted.
    pub headers: Vec<(String, String)>,
    /// The body as text (invalid UTF-8 replaced), redacted and cut to
    /// [`BODY_SHOWN`] bytes.
    pub body: String,
    /// The body's real length in bytes.
    pub body_bytes: usize,
}

/// How much of a body a record keeps.
pub const BODY_SHOWN: usize = 4096;

/// A check's registry name. Through an alias, so that serde does not take
/// the field for one borrowed from the input: a report read back (`report
/// merge`) maps it onto the registry's name.
pub type CheckName = &'static str;

/// One check's verdict on one step.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CheckRecord {
    /// The check name.
    #[serde(deserialize_with = "crate::report::merge::check_name")]
    pub check: CheckName,
    /// Whether it passed. An advisory finding passes.
    pub passed: bool,
    /// Whether `message` is an advisory: a finding shown in every report,
    /// never a failure, where the docs leave the matter open.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub advisory: bool,
    /// Why it failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// `file:line` of the doc rule.
    pub location: String,
    /// The baseline's reason, when the failure is an accepted one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accepted: Option<String>,
    /// Whether the check could not be settled: the reads bracketing its
    /// comparison disagreed each time. Not a failure; `message` says why.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub inconclusive: bool,
}

/// A cleanup delete.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CleanupRecord {
    /// The URL deleted.
    pub url: String,
    /// The status, if an answer came.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// Why no answer came.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Deletes sent: a transport error or a 5xx is tried again.
    pub attempts: u32,
    /// The delete's headers, redacted, for the `curl` line that removes a
    /// leftover by hand.
    #[serde(skip)]
    pub headers: Vec<(String, String)>,
}

impl CleanupRecord {
    /// Whether the item is gone (deleted now, or already).
    pub fn removed(&self) -> bool {
        self.status
            .is_some_and(|s| (200..300).contains(&s) || s == 404)
    }
}

impl CaseOutcome {
    /// Every failed check not accepted by the baseline, with its step.
    pub fn failures(&self) -> impl Iterator<Item = (&StepRecord, &CheckRecord)> {
        self.steps.iter().flat_map(|s| {
            s.checks
                .iter()
                .filter(|c| !c.passed && c.accepted.is_none() && !c.inconclusive)
                .map(move |c| (s, c))
        })
    }

    /// The steps with a failure, in order, each with its failed checks.
    pub fn failed_steps(&self) -> Vec<(&StepRecord, Vec<&CheckRecord>)> {
        let mut out: Vec<(&StepRecord, Vec<&CheckRecord>)> = Vec::new();
        for (step, check) in self.failures() {
            match out.last_mut() {
                Some((s, checks)) if std::ptr::eq(*s, step) => checks.push(check),
                _ => out.push((step, vec![check])),
            }
        }
        out
    }

    /// Every check that could not be settled, with its step.
    pub fn inconclusive(&self) -> impl Iterator<Item = (&StepRecord, &CheckRecord)> {
        self.steps.iter().flat_map(|s| {
            s.checks
                .iter()
                .filter(|c| c.inconclusive)
                .map(move |c| (s, c))
        })
    }

    /// Every advisory finding, with its step.
    pub fn advisories(&self) -> impl Iterator<Item = (&StepRecord, &CheckRecord)> {
        self.steps
            .iter()
            .flat_map(|s| s.checks.iter().filter(|c| c.advisory).map(move |c| (s, c)))
    }

    /// Sets the status from the verdicts.
    pub fn settle(&mut self) {
        if self.failures().next().is_some() {
            self.status = CaseStatus::Failed;
        } else if self
            .steps
            .iter()
            .flat_map(|s| &s.checks)
            .any(|c| !c.passed && !c.inconclusive)
        {
            self.status = CaseStatus::Accepted;
        } else if self.inconclusive().next().is_some() {
            self.status = CaseStatus::Inconclusive;
        } else if self.reason.is_some() {
            self.status = CaseStatus::Skipped;
        } else {
            self.status = CaseStatus::Passed;
        }
    }
}

/// Cuts text to at most `max` bytes on a character boundary, saying so.
pub fn truncate(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_string();
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}… ({} bytes in all)", &text[..end], text.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncation_keeps_characters_whole() {
        assert_eq!(truncate("abc", 5), "abc");
        assert_eq!(truncate("ééé", 3), "é… (6 bytes in all)");
    }
}
