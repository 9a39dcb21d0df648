//! `existence_disclosed`: a token outside the allowed roles tells an
//! existing item from a missing one. An advisory, not a failure: the docs
//! list both 403 and 404 and do not say which a refused caller gets.

use super::{answered, Check, Context, Finding};
use crate::plan::Claim;
use crate::run::exchange::Exchange;

/// With a token holding none of the allowed roles, one status for an
/// existing item (403) and another for a missing one (404) tells the
/// caller which ids exist.
pub struct ExistenceDisclosed;

fn existing_var<'a>(cx: &'a Context) -> Option<&'a str> {
    cx.claims().find_map(|c| match c {
        Claim::Indistinguishable { var } => Some(var.as_str()),
        _ => None,
    })
}

impl Check for ExistenceDisclosed {
    fn name(&self) -> &'static str {
        "existence_disclosed"
    }
    fn doc(&self) -> &'static str {
        "advisory: a token outside the allowed roles gets one status (403) for an existing item and another (404) for a missing one, which tells it which ids exist"
    }
    fn applies_to(&self) -> &'static str {
        "item reads documenting 403 and 404, sent with a token outside the allowed roles for an existing and then a missing id"
    }
    fn applies(&self, ex: &Exchange, cx: &Context) -> bool {
        answered(ex) && existing_var(cx).is_some_and(|v| cx.vars.contains_key(v))
    }
    fn run(&self, ex: &Exchange, cx: &Context) -> Result<(), Finding> {
        let (Some(r), Some(var)) = (ex.received(), existing_var(cx)) else {
            return Ok(());
        };
        let existing = cx.vars.get(var).and_then(|s| s.parse::<u16>().ok());
        match (existing, r.status) {
            (Some(e @ (403 | 404)), m @ (403 | 404)) if e != m => Err(Finding::new(format!(
                "a token outside the allowed roles gets {e} for an existing item and {m} for a missing one: \
                 the answer tells which ids exist; the docs list both and do not say which is meant"
            ))),
            _ => Ok(()),
        }
    }
    fn advisory(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::*;
    use super::*;
    use crate::spec::Method;

    #[test]
    fn a_404_for_the_missing_item_after_a_403_for_the_existing_one_is_an_advisory() {
        let c = roles();
        let claim = Claim::Indistinguishable {
            var: "existing".into(),
        };
        let s = step(&c, "Roles_Get Role", &[], vec![claim]);
        let missing = answer(Method::Get, 404, &[], "");
        let f = verdict(
            &ExistenceDisclosed,
            &c,
            &s,
            &missing,
            &[("existing", "403")],
        )
        .unwrap()
        .unwrap_err();
        assert!(f
            .message
            .starts_with("a token outside the allowed roles gets 403"));
        assert!(ExistenceDisclosed.advisory());
        let same = answer(Method::Get, 403, &[], "");
        assert_eq!(
            verdict(&ExistenceDisclosed, &c, &s, &same, &[("existing", "403")]),
            Some(Ok(()))
        );
        assert_eq!(verdict(&ExistenceDisclosed, &c, &s, &missing, &[]), None);
    }
}
