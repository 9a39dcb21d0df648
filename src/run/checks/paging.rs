//! `paging`: `skip` and `count` limit a list.

use super::{answered, Check, Context, Finding};
use crate::plan::Claim;
use crate::run::exchange::{list_items, Exchange};

/// A list asked for with `count` or `skip` holds no more items than they
/// allow.
pub struct Paging;

fn limit(cx: &Context) -> Option<usize> {
    cx.claims().find_map(|c| match c {
        Claim::AtMost { items } => Some(*items),
        _ => None,
    })
}

impl Check for Paging {
    fn name(&self) -> &'static str {
        "paging"
    }
    fn doc(&self) -> &'static str {
        "count=1 answers at most one item, and skip past the end answers none"
    }
    fn applies_to(&self) -> &'static str {
        "successful lists asked for with paging parameters"
    }
    fn applies(&self, ex: &Exchange, cx: &Context) -> bool {
        answered(ex) && ex.received().is_some_and(|r| r.is_success()) && limit(cx).is_some()
    }
    fn run(&self, ex: &Exchange, cx: &Context) -> Result<(), Finding> {
        let Some(max) = limit(cx) else {
            return Ok(());
        };
        let query: Vec<String> = cx
            .step
            .request
            .query
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        let body = ex.json().unwrap_or_default();
        let Some(items) = list_items(&body) else {
            return Err(Finding::new("the list answer holds no list of items"));
        };
        if items.len() <= max {
            Ok(())
        } else {
            let noun = if max == 1 { "item" } else { "items" };
            Err(Finding::new(format!(
                "`{}` allows at most {max} {noun}, got {}",
                query.join("&"),
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
    fn fails_a_list_that_ignores_count() {
        let c = roles();
        let mut s = step(
            &c,
            "Roles_List Roles",
            &[200],
            vec![Claim::AtMost { items: 1 }],
        );
        s.request.query = vec![("count".into(), "1".into())];
        let one = json(Method::Get, 200, json!([{"Id": "a"}]));
        assert_eq!(verdict(&Paging, &c, &s, &one, &[]), Some(Ok(())));
        let all = json(Method::Get, 200, json!([{"Id": "a"}, {"Id": "b"}]));
        let f = verdict(&Paging, &c, &s, &all, &[]).unwrap().unwrap_err();
        assert_eq!(f.message, "`count=1` allows at most 1 item, got 2");
        let refused = json(Method::Get, 400, json!({}));
        assert_eq!(verdict(&Paging, &c, &s, &refused, &[]), None);
    }
}
