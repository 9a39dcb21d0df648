//! The checks: small named claims about one exchange, each in its own
//! file with the doc rule it enforces and tests that make it pass and
//! fail. [`CHECKS`] is the one list; `conform checks` prints it.

mod auth_required;
mod content_type;
mod count_header;
mod created_addressable;
mod created_retrievable;
mod delete_idempotent;
mod delete_removes;
mod empty_children;
mod existence_disclosed;
mod head_has_no_body;
mod input_rejected;
mod list_complete;
mod list_contains_created;
mod no_server_error;
mod paging;
mod put_idempotent;
mod reference_resolves;
mod rejected_update_unchanged;
mod response_received;
mod response_schema;
mod role_allowed;
mod role_enforced;
mod status_documented;
mod status_expected;
mod unknown_id_refused;
mod update_persisted;

use std::collections::BTreeMap;

use super::exchange::Exchange;
use crate::plan::{Claim, Step};
use crate::schema::Schemas;
use crate::spec::{Contract, Operation};

/// Settings the checks read.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The header a HEAD count answers with (`Total-Count`).
    pub count_header: String,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            count_header: "Total-Count".into(),
        }
    }
}

/// What a check knows besides the exchange.
pub struct Context<'a> {
    /// The document of the operation.
    pub contract: &'a Contract,
    /// The operation the request exercised.
    pub operation: &'a Operation,
    /// The step: its expectations and claims.
    pub step: &'a Step,
    /// The case's variables when the answer came.
    pub vars: &'a BTreeMap<String, String>,
    /// The schemas derived from the document, where derived.
    pub schemas: Option<&'a Schemas>,
    /// Check settings.
    pub settings: &'a Settings,
}

impl Context<'_> {
    /// The step's claims.
    pub fn claims(&self) -> impl Iterator<Item = &Claim> {
        self.step.expect.claims.iter()
    }
}

/// Why a check failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Expected versus received, in one or a few lines.
    pub message: String,
    /// The document line the rule comes from, when more precise than the
    /// operation heading (a status table row).
    pub line: Option<usize>,
}

impl Finding {
    /// A finding pointing at the operation.
    pub fn new(message: impl Into<String>) -> Finding {
        Finding {
            message: message.into(),
            line: None,
        }
    }

    /// The same finding pointing at `line`.
    pub fn at(mut self, line: usize) -> Finding {
        self.line = Some(line);
        self
    }
}

/// A named, documented claim about exchanges.
pub trait Check: Sync {
    /// The name, as used in reports and baselines.
    fn name(&self) -> &'static str;
    /// One line saying what the check claims.
    fn doc(&self) -> &'static str;
    /// One line saying which exchanges it judges.
    fn applies_to(&self) -> &'static str;
    /// Whether it judges this exchange.
    fn applies(&self, ex: &Exchange, cx: &Context) -> bool;
    /// The verdict on an exchange it applies to.
    fn run(&self, ex: &Exchange, cx: &Context) -> Result<(), Finding>;
    /// Whether the check compares the answer with an earlier read, so
    /// that a writer outside the run can make it fail: the engine then
    /// brackets the comparison and calls it inconclusive, not failed,
    /// when the brackets never agree.
    fn compares(&self) -> bool {
        false
    }
    /// Whether its findings are advisories: shown in every report, never
    /// a failure, for what the docs leave open.
    fn advisory(&self) -> bool {
        false
    }
}

/// Every check, in report order.
pub static CHECKS: &[&dyn Check] = &[
    &response_received::ResponseReceived,
    &status_documented::StatusDocumented,
    &status_expected::StatusExpected,
    &response_schema::ResponseSchema,
    &content_type::ContentType,
    &no_server_error::NoServerError,
    &head_has_no_body::HeadHasNoBody,
    &count_header::CountHeader,
    &created_retrievable::CreatedRetrievable,
    &update_persisted::UpdatePersisted,
    &put_idempotent::PutIdempotent,
    &rejected_update_unchanged::RejectedUpdateUnchanged,
    &delete_removes::DeleteRemoves,
    &delete_idempotent::DeleteIdempotent,
    &list_contains_created::ListContainsCreated,
    &paging::Paging,
    &auth_required::AuthRequired,
    &role_enforced::RoleEnforced,
    &role_allowed::RoleAllowed,
    &unknown_id_refused::UnknownIdRefused,
    &input_rejected::InputRejected,
    &created_addressable::CreatedAddressable,
    &list_complete::ListComplete,
    &empty_children::EmptyChildren,
    &existence_disclosed::ExistenceDisclosed,
    &reference_resolves::ReferenceResolves,
];

/// The check called `name`.
pub fn by_name(name: &str) -> Option<&'static dyn Check> {
    CHECKS.iter().copied().find(|c| c.name() == name)
}

/// One check's verdict on one exchange.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// The check.
    pub check: &'static str,
    /// `None` when it passed.
    pub finding: Option<Finding>,
    /// Whether the finding is an advisory, not a failure.
    pub advisory: bool,
}

/// Runs every applicable check of `checks` on the exchange.
pub fn judge(checks: &[&dyn Check], ex: &Exchange, cx: &Context) -> Vec<Verdict> {
    checks
        .iter()
        .filter(|c| c.applies(ex, cx))
        .map(|c| Verdict {
            check: c.name(),
            finding: c.run(ex, cx).err(),
            advisory: c.advisory(),
        })
        .collect()
}

/// Whether the exchange got an answer at all.
pub(crate) fn answered(ex: &Exchange) -> bool {
    ex.response.is_ok()
}

/// Whether a step carries a claim matching `pred`.
pub(crate) fn has_claim(cx: &Context, pred: impl Fn(&Claim) -> bool) -> bool {
    cx.claims().any(pred)
}

/// The verdict of a check that claims a refusal: a success answer fails
/// with `why(status)`, pointing at the docs row of the `documented` status.
pub(crate) fn must_refuse(
    ex: &Exchange,
    cx: &Context,
    documented: Option<u16>,
    why: impl FnOnce(u16) -> String,
) -> Result<(), Finding> {
    match ex.received() {
        Some(r) if r.is_success() => {
            let mut finding = Finding::new(why(r.status));
            if let Some(row) = documented.and_then(|s| cx.operation.response(s)) {
                finding = finding.at(row.line);
            }
            Err(finding)
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
pub(crate) mod fixture;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_snake_case_and_documented() {
        let mut names: Vec<&str> = CHECKS.iter().map(|c| c.name()).collect();
        for c in CHECKS {
            assert!(c
                .name()
                .chars()
                .all(|ch| ch.is_ascii_lowercase() || ch == '_'));
            assert!(
                !c.doc().is_empty() && !c.doc().contains('\n'),
                "{}",
                c.name()
            );
            assert!(!c.applies_to().is_empty(), "{}", c.name());
            assert_eq!(by_name(c.name()).map(|x| x.name()), Some(c.name()));
        }
        names.sort();
        names.dedup();
        assert_eq!(names.len(), CHECKS.len());
    }
}
