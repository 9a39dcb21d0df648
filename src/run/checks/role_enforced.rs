//! `role_enforced`: only the allowed roles may call an operation.

use super::{answered, has_claim, Check, Context, Finding};
use crate::plan::{Auth, Claim};
use crate::run::exchange::Exchange;

/// A token holding none of the operation's allowed roles is refused.
pub struct RoleEnforced;

impl Check for RoleEnforced {
    fn name(&self) -> &'static str {
        "role_enforced"
    }
    fn doc(&self) -> &'static str {
        "a token holding none of the roles listed under \"Allowed for these roles\" is refused"
    }
    fn applies_to(&self) -> &'static str {
        "requests sent with a token for roles outside the allowed ones"
    }
    fn applies(&self, ex: &Exchange, cx: &Context) -> bool {
        answered(ex) && has_claim(cx, |c| *c == Claim::Forbidden)
    }
    fn run(&self, ex: &Exchange, cx: &Context) -> Result<(), Finding> {
        match ex.received() {
            Some(r) if r.is_success() => {
                let held = match &cx.step.request.auth {
                    Auth::Role(roles) => roles.join(", "),
                    _ => "other roles".into(),
                };
                Err(Finding::new(format!(
                    "a token holding {held} was accepted with {}; the docs allow only {}",
                    r.status,
                    cx.operation.roles.join(", ")
                ))
                .at(cx.operation.line))
            }
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::*;
    use super::*;
    use crate::spec::Method;

    #[test]
    fn fails_a_member_token_accepted_by_an_admin_operation() {
        let c = roles();
        let mut s = step(
            &c,
            "Roles_Delete Tenant Role",
            &[403],
            vec![Claim::Forbidden],
        );
        s.request.auth = Auth::Role(vec!["Tenant Member".into()]);
        let refused = answer(Method::Delete, 403, &[], "");
        assert_eq!(verdict(&RoleEnforced, &c, &s, &refused, &[]), Some(Ok(())));
        let accepted = answer(Method::Delete, 204, &[], "");
        let f = verdict(&RoleEnforced, &c, &s, &accepted, &[])
            .unwrap()
            .unwrap_err();
        assert_eq!(
            f.message,
            "a token holding Tenant Member was accepted with 204; the docs allow only Tenant Administrator"
        );
    }
}
