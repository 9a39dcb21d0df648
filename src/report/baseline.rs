//! Known deviations: a baseline file lists accepted failures (case +
//! check, with a reason). A run fails only on failures not in it, and says
//! which entries now pass.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::run::outcome::{CaseOutcome, CaseStatus};

/// One accepted failure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// The case name.
    pub case: String,
    /// The check name.
    pub check: String,
    /// Why it is accepted.
    pub reason: String,
}

/// A baseline file: `[[accepted]]` tables.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Baseline {
    /// The accepted failures.
    #[serde(default)]
    pub accepted: Vec<Entry>,
}

/// Failures reading or writing a baseline.
#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    /// The file could not be read or written.
    #[error("failed to access baseline {path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// The file is not a baseline.
    #[error("failed to read baseline {path}: {message}")]
    Parse {
        /// The file.
        path: String,
        /// What is wrong, with its line.
        message: String,
    },
}

impl Baseline {
    /// Reads a baseline file.
    pub fn load(path: &Path) -> Result<Baseline, BaselineError> {
        let text = std::fs::read_to_string(path).map_err(|source| BaselineError::Io {
            path: path.display().to_string(),
            source,
        })?;
        toml::from_str(&text).map_err(|e| BaselineError::Parse {
            path: path.display().to_string(),
            message: e.to_string(),
        })
    }

    /// The baseline recording every current failure, its message as reason.
    pub fn record(outcomes: &[CaseOutcome]) -> Baseline {
        let mut accepted: Vec<Entry> = Vec::new();
        for o in outcomes {
            for s in &o.steps {
                for c in s.checks.iter().filter(|c| !c.passed) {
                    let entry = Entry {
                        case: o.name.clone(),
                        check: c.check.to_string(),
                        reason: c.message.clone().unwrap_or_default(),
                    };
                    if !accepted
                        .iter()
                        .any(|e| e.case == entry.case && e.check == entry.check)
                    {
                        accepted.push(entry);
                    }
                }
            }
        }
        Baseline { accepted }
    }

    /// Writes the baseline as TOML.
    pub fn save(&self, path: &Path) -> Result<(), BaselineError> {
        let text = toml::to_string_pretty(self).map_err(|e| BaselineError::Parse {
            path: path.display().to_string(),
            message: e.to_string(),
        })?;
        let header = "# Accepted failures: `conform run --baseline` fails only on others.\n\n";
        std::fs::write(path, format!("{header}{text}")).map_err(|source| BaselineError::Io {
            path: path.display().to_string(),
            source,
        })
    }

    /// Marks the case's failures the baseline accepts, and settles its
    /// status again.
    pub fn apply(&self, outcome: &mut CaseOutcome) {
        for s in &mut outcome.steps {
            for c in s.checks.iter_mut().filter(|c| !c.passed && !c.inconclusive) {
                if let Some(e) = self
                    .accepted
                    .iter()
                    .find(|e| e.case == outcome.name && e.check == c.check)
                {
                    c.accepted = Some(e.reason.clone());
                }
            }
        }
        outcome.settle();
    }

    /// The accepted failures of a case: `(check, reason)`.
    pub fn of(outcome: &CaseOutcome) -> Vec<(&'static str, &str)> {
        outcome
            .steps
            .iter()
            .flat_map(|s| &s.checks)
            .filter_map(|c| Some((c.check, c.accepted.as_deref()?)))
            .collect()
    }

    /// Entries whose case ran to its end without that check failing.
    pub fn now_passing(&self, outcomes: &[CaseOutcome]) -> Vec<Entry> {
        self.accepted
            .iter()
            .filter(|e| {
                outcomes.iter().any(|o| {
                    o.name == e.case
                        && !matches!(o.status, CaseStatus::Skipped | CaseStatus::Inconclusive)
                        && !o
                            .steps
                            .iter()
                            .flat_map(|s| &s.checks)
                            .any(|c| !c.passed && c.check == e.check)
                })
            })
            .cloned()
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{CaseKind, Phase};
    use crate::run::outcome::{CheckRecord, RequestRecord, StepRecord};

    fn outcome(name: &str, failing: &[&'static str]) -> CaseOutcome {
        let mut o = CaseOutcome {
            name: name.into(),
            document: "d".into(),
            operation: "op".into(),
            doc: 0,
            op: 0,
            kind: CaseKind::Happy,
            status: CaseStatus::Passed,
            reason: None,
            steps: vec![StepRecord {
                name: "request".into(),
                phase: Phase::Test,
                operation: "op".into(),
                doc: 0,
                op: 0,
                expected: vec![],
                request: RequestRecord {
                    method: "GET".into(),
                    url: "u".into(),
                    headers: vec![],
                    body: None,
                },
                response: None,
                error: None,
                redirects: vec![],
                attempts: 1,
                millis: 0,
                checks: ["status_documented", "status_expected"]
                    .into_iter()
                    .map(|c| CheckRecord {
                        check: c,
                        passed: !failing.contains(&c),
                        advisory: false,
                        message: failing.contains(&c).then(|| format!("{c} broke")),
                        location: "f:1".into(),
                        accepted: None,
                        inconclusive: false,
                    })
                    .collect(),
            }],
            cleanup: vec![],
            millis: 0,
        };
        o.settle();
        o
    }

    #[test]
    fn accepted_failures_pass_and_others_still_fail() {
        let b = Baseline {
            accepted: vec![Entry {
                case: "a".into(),
                check: "status_expected".into(),
                reason: "known".into(),
            }],
        };
        let mut a = outcome("a", &["status_expected"]);
        assert_eq!(a.status, CaseStatus::Failed);
        b.apply(&mut a);
        assert_eq!(a.status, CaseStatus::Accepted);
        let mut a2 = outcome("a", &["status_expected", "status_documented"]);
        b.apply(&mut a2);
        assert_eq!(
            a2.status,
            CaseStatus::Failed,
            "only the accepted check is forgiven"
        );
        let mut other = outcome("b", &["status_expected"]);
        b.apply(&mut other);
        assert_eq!(other.status, CaseStatus::Failed);
    }

    #[test]
    fn entries_that_now_pass_are_reported() {
        let b = Baseline::record(&[outcome("a", &["status_expected"])]);
        assert_eq!(b.accepted.len(), 1);
        assert_eq!(b.accepted[0].reason, "status_expected broke");
        assert!(b
            .now_passing(&[outcome("a", &["status_expected"])])
            .is_empty());
        assert_eq!(b.now_passing(&[outcome("a", &[])]), b.accepted);
        assert!(
            b.now_passing(&[]).is_empty(),
            "a case that did not run says nothing"
        );
    }

    #[test]
    fn a_baseline_survives_a_round_trip_and_bad_files_say_where() {
        let dir = std::env::temp_dir().join(format!("conform-baseline-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("b.toml");
        let b = Baseline::record(&[outcome("a", &["status_expected"])]);
        b.save(&path).unwrap();
        assert_eq!(Baseline::load(&path).unwrap(), b);
        std::fs::write(&path, "[[accepted]]\ncase = 1\n").unwrap();
        let err = Baseline::load(&path).unwrap_err().to_string();
        assert!(err.contains("b.toml") && err.contains("line 2"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
