//! `created_retrievable`: what a create made can be read back.

use super::{answered, Check, Context, Finding};
use crate::plan::Claim;
use crate::run::exchange::{item_id, Exchange};

/// A GET of a just-created item answers with that item.
pub struct CreatedRetrievable;

fn claimed<'a>(cx: &'a Context) -> Option<&'a str> {
    cx.claims().find_map(|c| match c {
        Claim::Retrievable { var } => cx.vars.get(var).map(String::as_str),
        _ => None,
    })
}

impl Check for CreatedRetrievable {
    fn name(&self) -> &'static str {
        "created_retrievable"
    }
    fn doc(&self) -> &'static str {
        "an item a create answered with can be read back by its id"
    }
    fn applies_to(&self) -> &'static str {
        "reads of an item the case created"
    }
    fn applies(&self, ex: &Exchange, cx: &Context) -> bool {
        answered(ex) && claimed(cx).is_some()
    }
    fn run(&self, ex: &Exchange, cx: &Context) -> Result<(), Finding> {
        let (Some(r), Some(id)) = (ex.received(), claimed(cx)) else {
            return Ok(());
        };
        if !r.is_success() {
            return Err(Finding::new(format!(
                "the item created as `{id}` could not be read back: status {}",
                r.status
            )));
        }
        match ex.json().as_ref().and_then(item_id) {
            Some(got) if got == id => Ok(()),
            Some(got) => Err(Finding::new(format!(
                "asked for the item created as `{id}`, got `{got}`"
            ))),
            None => Err(Finding::new(format!(
                "the item created as `{id}` was read back without an `Id`"
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::*;
    use super::*;
    use crate::spec::Method;
    use serde_json::json;

    #[test]
    fn passes_the_same_item_and_fails_a_404_or_another_item() {
        let c = roles();
        let claim = Claim::Retrievable {
            var: "roleId".into(),
        };
        let s = step(&c, "Roles_Get Role", &[200], vec![claim]);
        let vars = [("roleId", "r1")];
        let same = json(Method::Get, 200, json!({"Id": "r1"}));
        assert_eq!(
            verdict(&CreatedRetrievable, &c, &s, &same, &vars),
            Some(Ok(()))
        );
        let gone = json(Method::Get, 404, json!({}));
        let f = verdict(&CreatedRetrievable, &c, &s, &gone, &vars)
            .unwrap()
            .unwrap_err();
        assert_eq!(
            f.message,
            "the item created as `r1` could not be read back: status 404"
        );
        let other = json(Method::Get, 200, json!({"Id": "r2"}));
        let f = verdict(&CreatedRetrievable, &c, &s, &other, &vars)
            .unwrap()
            .unwrap_err();
        assert_eq!(f.message, "asked for the item created as `r1`, got `r2`");
        assert_eq!(verdict(&CreatedRetrievable, &c, &s, &same, &[]), None);
    }
}
