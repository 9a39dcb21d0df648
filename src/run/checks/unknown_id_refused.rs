//! `unknown_id_refused`: an id the docs say is checked is checked.

use super::{answered, has_claim, must_refuse, Check, Context, Finding};
use crate::plan::Claim;
use crate::run::exchange::Exchange;

/// A path id named by the operation's 404 (or 403) row, given a value that
/// names nothing, is not served: a random tenant never acts on the
/// caller's own.
pub struct UnknownIdRefused;

impl Check for UnknownIdRefused {
    fn name(&self) -> &'static str {
        "unknown_id_refused"
    }
    fn doc(&self) -> &'static str {
        "a path id that the 404 or 403 row names, given a value naming nothing, is not answered with a success"
    }
    fn applies_to(&self) -> &'static str {
        "requests with one path id (the tenant's included) made unknown, where the docs say what answers it"
    }
    fn applies(&self, ex: &Exchange, cx: &Context) -> bool {
        answered(ex) && has_claim(cx, |c| matches!(c, Claim::Unknown { .. }))
    }
    fn run(&self, ex: &Exchange, cx: &Context) -> Result<(), Finding> {
        let param = cx
            .claims()
            .find_map(|c| match c {
                Claim::Unknown { param } => Some(param.as_str()),
                _ => None,
            })
            .unwrap_or_default();
        let rows: Vec<String> = cx.step.expect.status.iter().map(u16::to_string).collect();
        must_refuse(ex, cx, cx.step.expect.status.first().copied(), |status| {
            format!(
                "`{param}` named nothing, yet the request was served with {status}; the docs answer {}",
                rows.join(" or ")
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::*;
    use super::*;
    use crate::spec::Method;

    #[test]
    fn fails_a_random_tenant_served_as_the_callers_own() {
        let c = roles();
        let claim = Claim::Unknown {
            param: "tenantId".into(),
        };
        let s = step(&c, "Roles_Get Role", &[404], vec![claim]);
        let refused = answer(Method::Get, 404, &[], "");
        assert_eq!(
            verdict(&UnknownIdRefused, &c, &s, &refused, &[]),
            Some(Ok(()))
        );
        let served = answer(Method::Get, 200, &[], "{}");
        let f = verdict(&UnknownIdRefused, &c, &s, &served, &[])
            .unwrap()
            .unwrap_err();
        assert_eq!(
            f.message,
            "`tenantId` named nothing, yet the request was served with 200; the docs answer 404"
        );
        let plain = step(&c, "Roles_Get Role", &[404], vec![]);
        assert_eq!(verdict(&UnknownIdRefused, &c, &plain, &served, &[]), None);
    }
}
