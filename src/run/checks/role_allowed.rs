//! `role_allowed`: every role the docs allow may call the operation.

use super::{answered, has_claim, Check, Context, Finding};
use crate::plan::Claim;
use crate::run::exchange::Exchange;

/// A token holding a role listed under "Allowed for these roles" is not
/// turned away as unauthenticated or forbidden.
pub struct RoleAllowed;

impl Check for RoleAllowed {
    fn name(&self) -> &'static str {
        "role_allowed"
    }
    fn doc(&self) -> &'static str {
        "a token holding a role listed under \"Allowed for these roles\" is not refused with 401 or 403"
    }
    fn applies_to(&self) -> &'static str {
        "requests sent with a role token holding one of the allowed roles"
    }
    fn applies(&self, ex: &Exchange, cx: &Context) -> bool {
        answered(ex) && has_claim(cx, |c| matches!(c, Claim::Allowed { .. }))
    }
    fn run(&self, ex: &Exchange, cx: &Context) -> Result<(), Finding> {
        let role = cx
            .claims()
            .find_map(|c| match c {
                Claim::Allowed { role } => Some(role.as_str()),
                _ => None,
            })
            .unwrap_or_default();
        match ex.received() {
            // Refusal is what the docs rule out; any other answer is
            // judged by the status and schema checks.
            Some(r) if matches!(r.status, 401 | 403) => Err(Finding::new(format!(
                "a token holding {role} was refused with {}; the docs allow {}",
                r.status,
                cx.operation.roles.join(", ")
            ))
            .at(cx.operation.line)),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::*;
    use super::*;
    use crate::plan::Auth;
    use crate::spec::Method;

    #[test]
    fn fails_a_member_token_refused_by_an_operation_that_allows_members() {
        let c = roles();
        let claim = Claim::Allowed {
            role: "Tenant Member".into(),
        };
        let mut s = step(&c, "Roles_List Roles", &[200], vec![claim]);
        s.request.auth = Auth::Role(vec!["Tenant Member".into()]);
        let served = answer(Method::Get, 200, &[], "[]");
        assert_eq!(verdict(&RoleAllowed, &c, &s, &served, &[]), Some(Ok(())));
        let refused = answer(Method::Get, 403, &[], "");
        let f = verdict(&RoleAllowed, &c, &s, &refused, &[])
            .unwrap()
            .unwrap_err();
        assert_eq!(
            f.message,
            "a token holding Tenant Member was refused with 403; the docs allow Tenant Member"
        );
        let plain = step(&c, "Roles_List Roles", &[200], vec![]);
        assert_eq!(verdict(&RoleAllowed, &c, &plain, &refused, &[]), None);
    }
}
