//! Advisory findings: what a check saw that the docs leave open (a refused
//! caller told an existing item from a missing one). Every report shows
//! them; none fails a run.

use serde::{Deserialize, Serialize};

use crate::run::outcome::CaseOutcome;

/// One advisory finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Advisory {
    /// The case.
    pub case: String,
    /// The check that raised it.
    pub check: String,
    /// The step it was raised at.
    pub step: String,
    /// What was seen.
    pub message: String,
    /// `file:line` of the doc rule.
    pub location: String,
}

impl Advisory {
    /// The finding in one line: `case / check: message`.
    pub fn line(&self) -> String {
        format!("{} / {}: {}", self.case, self.check, self.message)
    }
}

/// Every advisory finding of the run, in case order.
pub fn advisories(outcomes: &[CaseOutcome]) -> Vec<Advisory> {
    outcomes
        .iter()
        .flat_map(|o| {
            o.advisories().map(|(s, c)| Advisory {
                case: o.name.clone(),
                check: c.check.to_string(),
                step: s.name.clone(),
                message: c.message.clone().unwrap_or_default(),
                location: c.location.clone(),
            })
        })
        .collect()
}
