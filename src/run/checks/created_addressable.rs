//! `created_addressable`: a create's answer names the new item, and a
//! read of it by that id shows what the create answered.

use serde_json::Value;

use super::{answered, Check, Context, Finding};
use crate::plan::Claim;
use crate::run::exchange::{same_json, Exchange};
use crate::spec::{Contract, Operation, TypeRef};

/// A create's success answer carries the id the item path reads, and the
/// item read back by it agrees with that answer on every member both
/// carry, except the ones a server sets on its own: members the read's
/// definition types `date-time` (stamps such as a modification time a
/// read may render anew), members whose name ends in `Count` (counts of
/// related items, which other writers change) and a member named `ETag`
/// (a version tag). Arrays are compared as sets: the docs give no order.
pub struct CreatedAddressable;

fn pointer<'a>(cx: &'a Context) -> Option<&'a str> {
    cx.claims().find_map(|c| match c {
        Claim::Addressable { pointer } => Some(pointer.as_str()),
        _ => None,
    })
}

fn created<'a>(cx: &'a Context) -> Option<&'a str> {
    cx.claims().find_map(|c| match c {
        Claim::SameAs { var } => cx.vars.get(var).map(String::as_str),
        _ => None,
    })
}

/// Whether the definition the operation answers with types `member` as a
/// date-time.
fn stamped(contract: &Contract, op: &Operation, member: &str) -> bool {
    op.responses
        .iter()
        .filter(|r| (200..300).contains(&r.status))
        .filter_map(|r| match &r.body {
            Some(TypeRef::Ref(name)) => contract.definition(name),
            _ => None,
        })
        .filter_map(|d| d.property(member))
        .any(|p| {
            p.ty.scalar()
                .is_some_and(|s| s.format == Some(crate::spec::Format::DateTime))
        })
}

/// Whether the server may set `member` on its own (see [`CreatedAddressable`]).
pub fn server_set(contract: &Contract, op: &Operation, member: &str) -> bool {
    member.ends_with("Count")
        || member.eq_ignore_ascii_case("ETag")
        || stamped(contract, op, member)
}

impl Check for CreatedAddressable {
    fn name(&self) -> &'static str {
        "created_addressable"
    }
    fn doc(&self) -> &'static str {
        "a create's answer carries the id the item path reads, and the item read by it shows the same values (dates, counts and ETags aside)"
    }
    fn applies_to(&self) -> &'static str {
        "successful creates that document an answer body, and the read of the item each made"
    }
    fn applies(&self, ex: &Exchange, cx: &Context) -> bool {
        answered(ex)
            && ex.received().is_some_and(|r| r.is_success())
            && (pointer(cx).is_some() || created(cx).is_some())
    }
    fn run(&self, ex: &Exchange, cx: &Context) -> Result<(), Finding> {
        let body = ex.json().unwrap_or_default();
        if let Some(p) = pointer(cx) {
            let named = match body.pointer(p) {
                Some(Value::String(s)) => !s.trim().is_empty(),
                Some(Value::Number(_)) => true,
                _ => false,
            };
            if !named {
                return Err(Finding::new(format!(
                    "the create answer carries no id at `{p}`: the new item cannot be addressed"
                )));
            }
        }
        let Some(text) = created(cx) else {
            return Ok(());
        };
        let Ok(Value::Object(made)) = serde_json::from_str::<Value>(text) else {
            return Ok(());
        };
        let Value::Object(read) = &body else {
            return Err(Finding::new("the item read back is not a JSON object"));
        };
        let differ: Vec<String> = made
            .iter()
            .filter(|(k, _)| !server_set(cx.contract, cx.operation, k))
            .filter_map(|(k, v)| {
                let got = read.get(k)?;
                (!same_json(v, got)).then(|| format!("`{k}`: created {v}, read {got}"))
            })
            .collect();
        if differ.is_empty() {
            Ok(())
        } else {
            Err(Finding::new(format!(
                "the item read back differs from the create answer: {}",
                differ.join("; ")
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

    /// Arrays of objects compared by their text failed a server that
    /// wrote the same members in another order.
    #[test]
    fn regression_member_order_inside_arrays_made_items_differ() {
        let a = serde_json::json!([{"Id": "1", "Name": "a"}, {"Id": "2", "Name": "b"}]);
        let b = serde_json::json!([{"Name": "b", "Id": "2"}, {"Name": "a", "Id": "1"}]);
        assert!(same_json(&a, &b));
        assert!(same_json(&serde_json::json!(1), &serde_json::json!(1.0)));
        let c = serde_json::json!([{"Id": "1"}, {"Id": "1"}]);
        let d = serde_json::json!([{"Id": "1"}, {"Id": "2"}]);
        assert!(!same_json(&c, &d), "a multiset, not a set");
        assert!(!same_json(
            &a,
            &serde_json::json!([{"Id": "1", "Name": "a"}])
        ));
    }

    #[test]
    fn fails_a_create_answer_without_its_id() {
        let c = roles();
        let claim = Claim::Addressable {
            pointer: "/Id".into(),
        };
        let s = step(&c, "Roles_Create Role on Tenant", &[201], vec![claim]);
        let named = json(Method::Post, 201, json!({"Id": "r1", "Name": "a"}));
        assert_eq!(
            verdict(&CreatedAddressable, &c, &s, &named, &[]),
            Some(Ok(()))
        );
        let blank = json(Method::Post, 201, json!({"Id": " ", "Name": "a"}));
        let f = verdict(&CreatedAddressable, &c, &s, &blank, &[])
            .unwrap()
            .unwrap_err();
        assert_eq!(
            f.message,
            "the create answer carries no id at `/Id`: the new item cannot be addressed"
        );
    }

    #[test]
    fn fails_a_read_that_differs_and_allows_server_set_members() {
        let c = roles();
        let claim = Claim::SameAs { var: "made".into() };
        let s = step(&c, "Roles_Get Role", &[200], vec![claim]);
        let made = json!({"Id": "r1", "Name": "a", "UserCount": 0, "Tags": [1, 2]}).to_string();
        let vars = [("made", made.as_str())];
        let same = json(
            Method::Get,
            200,
            json!({"Id": "r1", "Name": "a", "UserCount": 3, "Tags": [2, 1], "Extra": 1}),
        );
        assert_eq!(
            verdict(&CreatedAddressable, &c, &s, &same, &vars),
            Some(Ok(()))
        );
        let other = json(Method::Get, 200, json!({"Id": "r1", "Name": "b"}));
        let f = verdict(&CreatedAddressable, &c, &s, &other, &vars)
            .unwrap()
            .unwrap_err();
        assert_eq!(
            f.message,
            "the item read back differs from the create answer: `Name`: created \"a\", read \"b\""
        );
    }
}
