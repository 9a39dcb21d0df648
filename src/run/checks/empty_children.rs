//! `empty_children`: the child collection of a parent just created is
//! there, and empty.

use super::{answered, has_claim, Check, Context, Finding};
use crate::plan::Claim;
use crate::run::exchange::{list_items, Exchange};
use crate::spec::Method;

/// A parent the case just created answers its child collection with the
/// documented success and an empty list, and its count with 0: nothing can
/// be in it yet. Emptiness is claimed for child collections whose items
/// callers create (POST); collections of objects known elsewhere (a
/// community's roles) or attached to the parent (its users, whom its
/// creation may add) may be filled by the server, so there only the
/// documented success is expected.
pub struct EmptyChildren;

impl Check for EmptyChildren {
    fn name(&self) -> &'static str {
        "empty_children"
    }
    fn doc(&self) -> &'static str {
        "the child collection of a parent just created answers the documented success with an empty list (a count of 0), not 404"
    }
    fn applies_to(&self) -> &'static str {
        "lists and counts of a child collection under a parent the case just created (emptiness where callers create its items)"
    }
    fn applies(&self, ex: &Exchange, cx: &Context) -> bool {
        answered(ex) && has_claim(cx, |c| matches!(c, Claim::Empty | Claim::Present))
    }
    fn run(&self, ex: &Exchange, cx: &Context) -> Result<(), Finding> {
        let Some(r) = ex.received() else {
            return Ok(());
        };
        if !r.is_success() {
            return Err(Finding::new(format!(
                "the child collection of a parent just created answers {}, not the documented {}",
                r.status,
                crate::api::success_statuses(cx.operation)
                    .iter()
                    .map(u16::to_string)
                    .collect::<Vec<_>>()
                    .join(" or ")
            )));
        }
        if !has_claim(cx, |c| matches!(c, Claim::Empty)) {
            return Ok(());
        }
        if ex.request.method == Method::Head {
            let name = &cx.settings.count_header;
            return match r.header(name).map(|v| v.trim().parse::<u64>()) {
                Some(Ok(n)) if n != 0 => Err(Finding::new(format!(
                    "`{name}: {n}` for the child collection of a parent just created"
                ))),
                _ => Ok(()),
            };
        }
        let body = ex.json().unwrap_or_default();
        match list_items(&body) {
            Some(items) if items.is_empty() => Ok(()),
            Some(items) => Err(Finding::new(format!(
                "the child collection of a parent just created lists {} items",
                items.len()
            ))),
            None => Err(Finding::new("the answer holds no list of items")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::*;
    use super::*;
    use serde_json::json;

    #[test]
    fn fails_a_404_a_filled_list_and_a_nonzero_count() {
        let c = roles();
        let list = step(&c, "Roles_List Roles", &[200], vec![Claim::Empty]);
        let empty = json(Method::Get, 200, json!([]));
        assert_eq!(
            verdict(&EmptyChildren, &c, &list, &empty, &[]),
            Some(Ok(()))
        );
        let missing = json(Method::Get, 404, json!({}));
        let f = verdict(&EmptyChildren, &c, &list, &missing, &[])
            .unwrap()
            .unwrap_err();
        assert_eq!(
            f.message,
            "the child collection of a parent just created answers 404, not the documented 200"
        );
        let full = json(Method::Get, 200, json!([{"Id": "a"}]));
        let f = verdict(&EmptyChildren, &c, &list, &full, &[])
            .unwrap()
            .unwrap_err();
        assert_eq!(
            f.message,
            "the child collection of a parent just created lists 1 items"
        );
        let count = step(&c, "Roles_Get Header for Roles", &[200], vec![Claim::Empty]);
        let zero = answer(Method::Head, 200, &[("Total-Count", "0")], "");
        assert_eq!(
            verdict(&EmptyChildren, &c, &count, &zero, &[]),
            Some(Ok(()))
        );
        let one = answer(Method::Head, 200, &[("Total-Count", "1")], "");
        assert!(verdict(&EmptyChildren, &c, &count, &one, &[])
            .unwrap()
            .is_err());
    }

    /// A collection the server may fill (attached users, known roles)
    /// must answer, but a filled list is no fault there.
    #[test]
    fn a_present_collection_must_answer_but_may_hold_items() {
        let c = roles();
        let list = step(&c, "Roles_List Roles", &[200], vec![Claim::Present]);
        let filled = json(Method::Get, 200, json!([{"Id": "r1"}]));
        assert_eq!(
            verdict(&EmptyChildren, &c, &list, &filled, &[]),
            Some(Ok(()))
        );
        let missing = answer(Method::Get, 404, &[], "");
        assert!(matches!(
            verdict(&EmptyChildren, &c, &list, &missing, &[]),
            Some(Err(_))
        ));
    }
}
