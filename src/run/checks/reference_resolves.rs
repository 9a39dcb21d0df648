//! `reference_resolves`: the members of an item that refer to other items
//! name items that exist.

use std::collections::BTreeSet;

use serde_json::Value;

use super::{answered, Check, Context, Finding};
use crate::plan::Claim;
use crate::run::exchange::{item_id, list_items, Exchange};

/// A reference names an item of the collection it refers to.
pub struct ReferenceResolves;

/// The claim: the item read (parsed), the member, whether it holds items.
fn claimed(cx: &Context) -> Option<(Value, String, bool)> {
    cx.claims().find_map(|c| match c {
        Claim::Resolves {
            var,
            member,
            same_items,
        } => {
            let item = serde_json::from_str(cx.vars.get(var)?).ok()?;
            Some((item, member.clone(), *same_items))
        }
        _ => None,
    })
}

/// The member's value, by its documented name or one differing in case.
fn member<'v>(item: &'v Value, name: &str) -> Option<&'v Value> {
    let map = item.as_object()?;
    map.get(name).or_else(|| {
        map.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    })
}

/// Whether a value names nothing by convention: empty, or the nil GUID.
fn blank(id: &str) -> bool {
    id.trim().is_empty() || uuid::Uuid::parse_str(id).is_ok_and(|u| u.is_nil())
}

/// Ids compare without regard to case: GUIDs are spelled both ways.
fn norm(id: &str) -> String {
    id.to_ascii_lowercase()
}

impl Check for ReferenceResolves {
    fn name(&self) -> &'static str {
        "reference_resolves"
    }
    fn doc(&self) -> &'static str {
        "a member named `XId` (string or guid) or `XIds` (array of them) holds ids of listed items of the one collection the suite can list whose items are `X` (by item definition, or by a path ending in the plural of `X`; a qualified name such as `MemberRoleId`, or none or several candidates: no reference); an item's array of definition `D` holds the same items as the one sub-collection of `D` under the item's path; nulls, empty strings and the nil GUID are no references"
    }
    fn applies_to(&self) -> &'static str {
        "successful whole lists of a referenced collection after an item read (references cases)"
    }
    fn applies(&self, ex: &Exchange, cx: &Context) -> bool {
        answered(ex) && ex.received().is_some_and(|r| r.is_success()) && claimed(cx).is_some()
    }
    fn run(&self, ex: &Exchange, cx: &Context) -> Result<(), Finding> {
        let Some((item, name, same_items)) = claimed(cx) else {
            return Ok(());
        };
        let body = ex.json().unwrap_or_default();
        let Some(items) = list_items(&body) else {
            return Err(Finding::new("the list answer holds no list of items"));
        };
        let listed: BTreeSet<String> = items.iter().filter_map(item_id).map(|i| norm(&i)).collect();
        // A list is whole only where the server says so: its count header
        // equals what the page holds. Without it, what is missing may be on
        // a later page (a default or capped page the docs leave out).
        let whole = ex
            .received()
            .and_then(|r| r.header(&cx.settings.count_header))
            .and_then(|n| n.trim().parse::<usize>().ok())
            .is_some_and(|total| total == items.len());
        let value = member(&item, &name).unwrap_or(&Value::Null);
        if same_items {
            let Some(held) = value.as_array() else {
                return Ok(());
            };
            let held: BTreeSet<String> =
                held.iter().filter_map(item_id).map(|i| norm(&i)).collect();
            if held == listed || (!whole && listed.is_subset(&held)) {
                return Ok(());
            }
            let only_item: Vec<&String> = held.difference(&listed).collect();
            let only_list: Vec<&String> = listed.difference(&held).collect();
            return Err(Finding::new(format!(
                "`{name}` holds other items than the list: only in `{name}`: {only_item:?}; only listed: {only_list:?}"
            )));
        }
        let refs: Vec<&str> = match value {
            Value::String(s) => vec![s.as_str()],
            Value::Array(values) => values.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        let dangling: Vec<&str> = refs
            .into_iter()
            .filter(|r| !blank(r) && !listed.contains(&norm(r)))
            .collect();
        if dangling.is_empty() || !whole {
            Ok(())
        } else {
            Err(Finding::new(format!(
                "`{name}` names {dangling:?}, not among the {} listed",
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

    /// A list answer whose count header says it holds the whole list.
    fn whole(body: Value) -> Exchange {
        let n = body.as_array().map_or(0, Vec::len);
        let mut ex = json(Method::Get, 200, body);
        if let Ok(r) = ex.response.as_mut() {
            r.headers.push(("Total-Count".into(), n.to_string()));
        }
        ex
    }

    fn claim(member: &str, same_items: bool) -> Vec<Claim> {
        vec![Claim::Resolves {
            var: "referrer".into(),
            member: member.into(),
            same_items,
        }]
    }

    #[test]
    fn fails_an_id_naming_no_listed_item() {
        let c = roles();
        let s = step(&c, "Roles_List Roles", &[200], claim("MemberRoleId", false));
        let list = whole(json!([{"Id": "AB"}, {"Id": "cd"}]));
        let item = |v: Value| json!({ "MemberRoleId": v }).to_string();
        let nil = uuid::Uuid::nil().to_string();
        for ok in [json!("ab"), json!(null), json!(""), json!("CD"), json!(nil)] {
            let vars = [("referrer", item(ok.clone()))];
            let vars: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (*k, v.as_str())).collect();
            assert_eq!(
                verdict(&ReferenceResolves, &c, &s, &list, &vars),
                Some(Ok(())),
                "{ok}"
            );
        }
        let bad = item(json!("ef"));
        let f = verdict(
            &ReferenceResolves,
            &c,
            &s,
            &list,
            &[("referrer", bad.as_str())],
        )
        .unwrap()
        .unwrap_err();
        assert_eq!(
            f.message,
            "`MemberRoleId` names [\"ef\"], not among the 2 listed"
        );
        // A page that does not say it is the whole list may go on.
        let page = json(Method::Get, 200, json!([{"Id": "AB"}, {"Id": "cd"}]));
        assert_eq!(
            verdict(
                &ReferenceResolves,
                &c,
                &s,
                &page,
                &[("referrer", bad.as_str())]
            ),
            Some(Ok(()))
        );
    }

    #[test]
    fn fails_ids_and_items_that_differ_from_the_list() {
        let c = roles();
        let list = whole(json!([{"Id": "a"}, {"Id": "b"}]));
        let ids = step(&c, "Roles_List Roles", &[200], claim("RoleIds", false));
        let good = json!({"RoleIds": ["a"]}).to_string();
        let bad = json!({"RoleIds": ["a", "z"]}).to_string();
        assert_eq!(
            verdict(
                &ReferenceResolves,
                &c,
                &ids,
                &list,
                &[("referrer", good.as_str())]
            ),
            Some(Ok(()))
        );
        assert!(verdict(
            &ReferenceResolves,
            &c,
            &ids,
            &list,
            &[("referrer", bad.as_str())]
        )
        .unwrap()
        .is_err());
        let items = step(
            &c,
            "Roles_List Roles",
            &[200],
            claim("CommunityRoles", true),
        );
        let same = json!({"CommunityRoles": [{"Id": "B"}, {"Id": "a"}]}).to_string();
        let fewer = json!({"CommunityRoles": [{"Id": "a"}]}).to_string();
        let none = json!({"CommunityRoles": null}).to_string();
        for (held, ok) in [(&same, true), (&fewer, false), (&none, true)] {
            let v = verdict(
                &ReferenceResolves,
                &c,
                &items,
                &list,
                &[("referrer", held.as_str())],
            );
            assert_eq!(v.unwrap().is_ok(), ok, "{held}");
        }
    }
}
