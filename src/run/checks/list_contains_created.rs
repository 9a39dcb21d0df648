//! `list_contains_created`: a created item shows in its collection.

use super::{answered, Check, Context, Finding};
use crate::plan::Claim;
use crate::run::exchange::{item_id, list_items, Exchange};

/// The list of a collection holds the item just created in it.
pub struct ListContainsCreated;

fn claimed<'a>(cx: &'a Context) -> Option<&'a str> {
    cx.claims().find_map(|c| match c {
        Claim::Listed { var } => cx.vars.get(var).map(String::as_str),
        _ => None,
    })
}

impl Check for ListContainsCreated {
    fn name(&self) -> &'static str {
        "list_contains_created"
    }
    fn doc(&self) -> &'static str {
        "the list of a collection holds the item the case just created in it"
    }
    fn applies_to(&self) -> &'static str {
        "successful lists that follow a create in a lifecycle"
    }
    fn applies(&self, ex: &Exchange, cx: &Context) -> bool {
        answered(ex) && ex.received().is_some_and(|r| r.is_success()) && claimed(cx).is_some()
    }
    fn run(&self, ex: &Exchange, cx: &Context) -> Result<(), Finding> {
        let Some(id) = claimed(cx) else {
            return Ok(());
        };
        let body = ex.json().unwrap_or_default();
        let Some(items) = list_items(&body) else {
            return Err(Finding::new("the list answer holds no list of items"));
        };
        if items.iter().any(|i| item_id(i).as_deref() == Some(id)) {
            Ok(())
        } else {
            Err(Finding::new(format!(
                "the created item `{id}` is not among the {} listed",
                items.len()
            )))
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
    fn fails_a_list_that_omits_the_created_item() {
        let c = roles();
        let s = step(
            &c,
            "Roles_List Roles",
            &[200],
            vec![Claim::Listed {
                var: "roleId".into(),
            }],
        );
        let vars = [("roleId", "r")];
        let with = json(Method::Get, 200, json!([{"Id": "x"}, {"Id": "r"}]));
        assert_eq!(
            verdict(&ListContainsCreated, &c, &s, &with, &vars),
            Some(Ok(()))
        );
        let without = json(Method::Get, 200, json!([{"Id": "x"}]));
        let f = verdict(&ListContainsCreated, &c, &s, &without, &vars)
            .unwrap()
            .unwrap_err();
        assert_eq!(f.message, "the created item `r` is not among the 1 listed");
        let odd = json(Method::Get, 200, json!({"Id": "r"}));
        let f = verdict(&ListContainsCreated, &c, &s, &odd, &vars)
            .unwrap()
            .unwrap_err();
        assert_eq!(f.message, "the list answer holds no list of items");
    }
}
