//! `delete_idempotent`: deleting an item already deleted answers what
//! the docs give for an id naming nothing (404), not a second success.

use super::{answered, has_claim, Check, Context, Finding};
use crate::plan::Claim;
use crate::run::exchange::Exchange;

/// A second DELETE of the same item answers the documented 404.
pub struct DeleteIdempotent;

impl Check for DeleteIdempotent {
    fn name(&self) -> &'static str {
        "delete_idempotent"
    }
    fn doc(&self) -> &'static str {
        "a second delete of the same item answers the status the docs give for an id naming nothing (404)"
    }
    fn applies_to(&self) -> &'static str {
        "a lifecycle's delete sent again, where the DELETE documents 404 for its item id"
    }
    fn applies(&self, ex: &Exchange, cx: &Context) -> bool {
        answered(ex)
            && !cx.step.expect.status.is_empty()
            && has_claim(cx, |c| matches!(c, Claim::DeletedAgain))
    }
    fn run(&self, ex: &Exchange, cx: &Context) -> Result<(), Finding> {
        super::status_expected::expected_status(ex, cx, "the item was deleted already: ")
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::*;
    use super::*;
    use crate::spec::Method;

    #[test]
    fn fails_a_second_delete_answered_with_success() {
        let c = roles();
        let s = step(
            &c,
            "Roles_Delete Tenant Role",
            &[404],
            vec![Claim::DeletedAgain],
        );
        let gone = answer(Method::Delete, 404, &[], "");
        assert_eq!(verdict(&DeleteIdempotent, &c, &s, &gone, &[]), Some(Ok(())));
        let again = answer(Method::Delete, 204, &[], "");
        let f = verdict(&DeleteIdempotent, &c, &s, &again, &[])
            .unwrap()
            .unwrap_err();
        assert_eq!(
            f.message,
            "the item was deleted already: expected 404, got 204"
        );
        let plain = step(&c, "Roles_Delete Tenant Role", &[404], vec![]);
        assert_eq!(verdict(&DeleteIdempotent, &c, &plain, &again, &[]), None);
    }
}
