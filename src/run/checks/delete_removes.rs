//! `delete_removes`: a deleted item is gone.

use super::{answered, Check, Context, Finding};
use crate::plan::Claim;
use crate::run::exchange::{item_id, list_items, Exchange};

/// After a delete, reading the item fails and listing omits it.
pub struct DeleteRemoves;

impl Check for DeleteRemoves {
    fn name(&self) -> &'static str {
        "delete_removes"
    }
    fn doc(&self) -> &'static str {
        "after a delete the item can no longer be read and is no longer listed"
    }
    fn applies_to(&self) -> &'static str {
        "reads and lists that follow a delete in a lifecycle"
    }
    fn applies(&self, ex: &Exchange, cx: &Context) -> bool {
        answered(ex)
            && cx.claims().any(|c| match c {
                Claim::Gone => true,
                Claim::NotListed { var } => cx.vars.contains_key(var),
                _ => false,
            })
    }
    fn run(&self, ex: &Exchange, cx: &Context) -> Result<(), Finding> {
        let Some(r) = ex.received() else {
            return Ok(());
        };
        for claim in cx.claims() {
            match claim {
                Claim::Gone if r.is_success() => {
                    return Err(Finding::new(format!(
                        "the deleted item is still served: status {}",
                        r.status
                    )))
                }
                Claim::NotListed { var } if r.is_success() => {
                    let id = cx.vars.get(var).map(String::as_str).unwrap_or("");
                    let body = ex.json().unwrap_or_default();
                    let listed = list_items(&body).is_some_and(|items| {
                        items.iter().any(|i| item_id(i).as_deref() == Some(id))
                    });
                    if listed {
                        return Err(Finding::new(format!(
                            "the deleted item `{id}` is still listed"
                        )));
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::*;
    use super::*;
    use crate::spec::Method;
    use serde_json::json;

    #[test]
    fn fails_an_item_still_served_after_delete() {
        let c = roles();
        let s = step(&c, "Roles_Get Role", &[404], vec![Claim::Gone]);
        let gone = json(Method::Get, 404, json!({}));
        assert_eq!(verdict(&DeleteRemoves, &c, &s, &gone, &[]), Some(Ok(())));
        let kept = json(Method::Get, 200, json!({"Id": "r"}));
        let f = verdict(&DeleteRemoves, &c, &s, &kept, &[])
            .unwrap()
            .unwrap_err();
        assert_eq!(f.message, "the deleted item is still served: status 200");
    }

    #[test]
    fn fails_an_item_still_listed_after_delete() {
        let c = roles();
        let s = step(
            &c,
            "Roles_List Roles",
            &[200],
            vec![Claim::NotListed {
                var: "roleId".into(),
            }],
        );
        let vars = [("roleId", "r")];
        let without = json(Method::Get, 200, json!([{"Id": "x"}]));
        assert_eq!(
            verdict(&DeleteRemoves, &c, &s, &without, &vars),
            Some(Ok(()))
        );
        let with = json(Method::Get, 200, json!([{"Id": "x"}, {"Id": "r"}]));
        let f = verdict(&DeleteRemoves, &c, &s, &with, &vars)
            .unwrap()
            .unwrap_err();
        assert_eq!(f.message, "the deleted item `r` is still listed");
    }
}
