//! `count_header`: a HEAD count equals the length of the list.

use super::{answered, has_claim, Check, Context, Finding};
use crate::plan::Claim;
use crate::run::exchange::Exchange;

/// The count header of a HEAD answer equals the number of items the list
/// holds.
pub struct CountHeader;

fn counted_var<'a>(cx: &'a Context) -> Option<&'a str> {
    cx.claims().find_map(|c| match c {
        Claim::CountEquals { var } => Some(var.as_str()),
        _ => None,
    })
}

impl Check for CountHeader {
    fn name(&self) -> &'static str {
        "count_header"
    }
    fn doc(&self) -> &'static str {
        "the count header of a HEAD answer equals the length of the list it counts"
    }
    fn applies_to(&self) -> &'static str {
        "successful HEAD counts of a list the case has read (bracketed: the list is read again after the count)"
    }
    fn compares(&self) -> bool {
        true
    }
    fn applies(&self, ex: &Exchange, cx: &Context) -> bool {
        answered(ex)
            && ex.received().is_some_and(|r| r.is_success())
            && has_claim(cx, |c| matches!(c, Claim::CountEquals { .. }))
            && counted_var(cx).is_some_and(|v| cx.vars.contains_key(v))
    }
    fn run(&self, ex: &Exchange, cx: &Context) -> Result<(), Finding> {
        let (Some(r), Some(var)) = (ex.received(), counted_var(cx)) else {
            return Ok(());
        };
        let name = &cx.settings.count_header;
        let listed = cx.vars.get(var).map(String::as_str).unwrap_or("?");
        let Some(value) = r.header(name) else {
            return Err(Finding::new(format!(
                "no `{name}` header (the list holds {listed} items)"
            )));
        };
        match value.trim().parse::<u64>() {
            Ok(n) if n.to_string() == listed => Ok(()),
            Ok(n) => Err(Finding::new(format!(
                "`{name}: {n}`, but the list holds {listed} items"
            ))),
            Err(_) => Err(Finding::new(format!("`{name}: {value}` is not a count"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::*;
    use super::*;
    use crate::spec::Method;

    fn judge(headers: &[(&str, &str)], listed: &str) -> Option<Result<(), Finding>> {
        let c = roles();
        let claim = Claim::CountEquals { var: "n".into() };
        let s = step(&c, "Roles_Get Header for Roles", &[200], vec![claim]);
        let ex = answer(Method::Head, 200, headers, "");
        verdict(&CountHeader, &c, &s, &ex, &[("n", listed)])
    }

    #[test]
    fn passes_a_matching_count() {
        assert_eq!(judge(&[("Total-Count", "3")], "3"), Some(Ok(())));
    }

    #[test]
    fn fails_a_count_off_by_one_a_missing_header_and_garbage() {
        let f = judge(&[("Total-Count", "4")], "3").unwrap().unwrap_err();
        assert_eq!(f.message, "`Total-Count: 4`, but the list holds 3 items");
        let f = judge(&[], "3").unwrap().unwrap_err();
        assert_eq!(
            f.message,
            "no `Total-Count` header (the list holds 3 items)"
        );
        let f = judge(&[("total-count", "many")], "3").unwrap().unwrap_err();
        assert_eq!(f.message, "`Total-Count: many` is not a count");
    }
}
