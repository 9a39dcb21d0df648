//! `put_idempotent`: the same update sent twice leaves the item as the
//! first left it (RFC 9110 §9.2.2: PUT is idempotent).

use serde_json::Value;

use super::{answered, Check, Context, Finding};
use crate::plan::Claim;
use crate::run::exchange::Exchange;

/// The read after a repeated identical PUT shows what the read after the
/// first one showed.
pub struct PutIdempotent;

fn claim<'a>(cx: &'a Context) -> Option<(&'a str, &'a [String])> {
    cx.claims().find_map(|c| match c {
        Claim::Repeated { var, members } => Some((var.as_str(), members.as_slice())),
        _ => None,
    })
}

/// Judges a read against an earlier one held as JSON text in `var`: it
/// succeeded and shows the same values of `members`. `after` names what
/// came between ("the same update sent again").
pub(super) fn unchanged_since(
    ex: &Exchange,
    cx: &Context,
    var: &str,
    members: &[String],
    after: &str,
) -> Result<(), Finding> {
    let Some(r) = ex.received() else {
        return Ok(());
    };
    if !r.is_success() {
        return Err(Finding::new(format!(
            "the item could not be read after {after}: status {}",
            r.status
        )));
    }
    let before: Value = cx
        .vars
        .get(var)
        .and_then(|v| serde_json::from_str(v).ok())
        .unwrap_or_default();
    let now = ex.json().unwrap_or_default();
    let shown = |v: Option<&Value>| v.map_or_else(|| "nothing".to_string(), Value::to_string);
    let diff: Vec<String> = members
        .iter()
        .filter(|m| match (before.get(m.as_str()), now.get(m.as_str())) {
            (Some(b), Some(n)) => !crate::run::exchange::same_json(b, n),
            (b, n) => b != n,
        })
        .map(|m| {
            format!(
                "{m}: before {}, now {}",
                shown(before.get(m.as_str())),
                shown(now.get(m.as_str()))
            )
        })
        .collect();
    if diff.is_empty() {
        Ok(())
    } else {
        Err(Finding::new(format!(
            "{after} changed the item: {}",
            diff.join("; ")
        )))
    }
}

impl Check for PutIdempotent {
    fn name(&self) -> &'static str {
        "put_idempotent"
    }
    fn doc(&self) -> &'static str {
        "the same update sent a second time leaves the item as the first left it"
    }
    fn applies_to(&self) -> &'static str {
        "the read after a lifecycle's update sent again, where the read after the first succeeded (the members the update sends)"
    }
    fn applies(&self, ex: &Exchange, cx: &Context) -> bool {
        answered(ex) && claim(cx).is_some_and(|(var, _)| cx.vars.contains_key(var))
    }
    fn run(&self, ex: &Exchange, cx: &Context) -> Result<(), Finding> {
        match claim(cx) {
            Some((var, members)) => {
                unchanged_since(ex, cx, var, members, "the same update sent again")
            }
            None => Ok(()),
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
    fn fails_when_the_second_update_changed_a_member() {
        let c = roles();
        let s = step(
            &c,
            "Roles_Get Role",
            &[200],
            vec![Claim::Repeated {
                var: "first".into(),
                members: vec!["Name".into(), "Description".into()],
            }],
        );
        let vars = [("first", r#"{"Id":"r","Name":"new","Description":"d"}"#)];
        let same = json(
            Method::Get,
            200,
            json!({"Id": "r", "Name": "new", "Description": "d"}),
        );
        assert_eq!(verdict(&PutIdempotent, &c, &s, &same, &vars), Some(Ok(())));
        let moved = json(
            Method::Get,
            200,
            json!({"Id": "r", "Name": "new-2", "Description": "d"}),
        );
        let f = verdict(&PutIdempotent, &c, &s, &moved, &vars)
            .unwrap()
            .unwrap_err();
        assert_eq!(
            f.message,
            "the same update sent again changed the item: Name: before \"new\", now \"new-2\""
        );
        // Without the first read there is nothing to compare with.
        assert_eq!(verdict(&PutIdempotent, &c, &s, &moved, &[]), None);
    }

    /// The docs give arrays no order: a read that lists the same ids in
    /// another order shows the same item, and failing it would fail a
    /// conforming server.
    #[test]
    fn regression_an_array_read_back_in_another_order_was_a_change() {
        let c = roles();
        let s = step(
            &c,
            "Roles_Get Role",
            &[200],
            vec![Claim::Repeated {
                var: "first".into(),
                members: vec!["RoleIds".into(), "Count".into()],
            }],
        );
        let vars = [("first", r#"{"Id":"r","RoleIds":["a","b"],"Count":1}"#)];
        let reordered = json(
            Method::Get,
            200,
            json!({"Id": "r", "RoleIds": ["b", "a"], "Count": 1.0}),
        );
        assert_eq!(
            verdict(&PutIdempotent, &c, &s, &reordered, &vars),
            Some(Ok(()))
        );
        let changed = json(
            Method::Get,
            200,
            json!({"Id": "r", "RoleIds": ["a"], "Count": 1}),
        );
        assert!(matches!(
            verdict(&PutIdempotent, &c, &s, &changed, &vars),
            Some(Err(_))
        ));
    }
}
