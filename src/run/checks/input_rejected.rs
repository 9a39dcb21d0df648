//! `input_rejected`: a body breaking a documented input rule is refused.

use super::{answered, has_claim, must_refuse, Check, Context, Finding};
use crate::plan::Claim;
use crate::run::exchange::Exchange;

/// A body whose one member breaks a rule of the input definition (its
/// type, enumeration, nullability, requiredness, or "cannot be empty") is
/// not answered with a success where the docs list 400.
pub struct InputRejected;

impl Check for InputRejected {
    fn name(&self) -> &'static str {
        "input_rejected"
    }
    fn doc(&self) -> &'static str {
        "a body whose one member breaks a rule of the input definition, or one negative paging value, is not answered with a success where 400 is documented"
    }
    fn applies_to(&self) -> &'static str {
        "requests whose body breaks one input rule with one member, nested members included (type, enum, empty, whitespace, null, missing), and lists asked for with one negative paging parameter"
    }
    fn applies(&self, ex: &Exchange, cx: &Context) -> bool {
        answered(ex) && has_claim(cx, |c| matches!(c, Claim::Rejected { .. }))
    }
    fn run(&self, ex: &Exchange, cx: &Context) -> Result<(), Finding> {
        let Some((member, rule)) = cx.claims().find_map(|c| match c {
            Claim::Rejected { member, rule } => Some((member.as_str(), rule.as_str())),
            _ => None,
        }) else {
            return Ok(());
        };
        must_refuse(ex, cx, Some(400), |status| {
            format!("member `{member}` ({rule}) was accepted with {status}; the docs answer 400")
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::*;
    use super::*;
    use crate::spec::Method;

    #[test]
    fn fails_a_create_accepting_a_null_name() {
        let c = roles();
        let claim = Claim::Rejected {
            member: "Name".into(),
            rule: "null".into(),
        };
        let s = step(&c, "Roles_Create Role on Tenant", &[400], vec![claim]);
        let refused = answer(Method::Post, 400, &[], "");
        assert_eq!(verdict(&InputRejected, &c, &s, &refused, &[]), Some(Ok(())));
        let accepted = answer(Method::Post, 201, &[], "{}");
        let f = verdict(&InputRejected, &c, &s, &accepted, &[])
            .unwrap()
            .unwrap_err();
        assert_eq!(
            f.message,
            "member `Name` (null) was accepted with 201; the docs answer 400"
        );
    }
}
