//! `status_expected`: the status is the one the case provoked.

use super::{answered, has_claim, Check, Context, Finding};
use crate::plan::Claim;
use crate::run::exchange::Exchange;

/// The answer's status is one the case expects for its input.
pub struct StatusExpected;

/// `201`, `409 or 302`.
fn either(statuses: &[u16]) -> String {
    let words: Vec<String> = statuses.iter().map(u16::to_string).collect();
    words.join(" or ")
}

/// Whether the answer has one of the step's expected statuses; otherwise
/// a finding (`{what}expected 404, got 204`) at the first expected row.
pub(super) fn expected_status(ex: &Exchange, cx: &Context, what: &str) -> Result<(), Finding> {
    let Some(r) = ex.received() else {
        return Ok(());
    };
    let expected = &cx.step.expect.status;
    if expected.contains(&r.status) {
        return Ok(());
    }
    let mut finding = Finding::new(format!(
        "{what}expected {}, got {}",
        either(expected),
        r.status
    ));
    if let Some(row) = expected.first().and_then(|s| cx.operation.response(*s)) {
        finding = finding.at(row.line);
    }
    Err(finding)
}

impl Check for StatusExpected {
    fn name(&self) -> &'static str {
        "status_expected"
    }
    fn doc(&self) -> &'static str {
        "the status code is the one the docs give for the case's input"
    }
    fn applies_to(&self) -> &'static str {
        "answers to steps whose input has a documented status, a second delete of one item excepted (`delete_idempotent`)"
    }
    fn applies(&self, ex: &Exchange, cx: &Context) -> bool {
        // A second delete's status has a check of its own.
        answered(ex)
            && !cx.step.expect.status.is_empty()
            && !has_claim(cx, |c| matches!(c, Claim::DeletedAgain))
    }
    fn run(&self, ex: &Exchange, cx: &Context) -> Result<(), Finding> {
        expected_status(ex, cx, "")
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::*;
    use super::*;
    use crate::spec::Method;

    #[test]
    fn fails_a_200_for_a_create_documented_as_201() {
        let c = roles();
        let s = step(&c, "Roles_Create Role on Tenant", &[201], vec![]);
        let created = answer(Method::Post, 201, &[], "");
        assert_eq!(
            verdict(&StatusExpected, &c, &s, &created, &[]),
            Some(Ok(()))
        );
        let ok = answer(Method::Post, 200, &[], "");
        let f = verdict(&StatusExpected, &c, &s, &ok, &[])
            .unwrap()
            .unwrap_err();
        assert_eq!(f.message, "expected 201, got 200");
        let row = c.operations[s.operation.op].response(201).unwrap().line;
        assert_eq!(f.line, Some(row));
    }

    #[test]
    fn does_not_judge_inputs_the_docs_give_no_status_for() {
        let c = roles();
        let s = step(&c, "Roles_List Roles", &[], vec![]);
        let any = answer(Method::Get, 404, &[], "");
        assert_eq!(verdict(&StatusExpected, &c, &s, &any, &[]), None);
        assert_eq!(either(&[409, 302]), "409 or 302");
    }
}
