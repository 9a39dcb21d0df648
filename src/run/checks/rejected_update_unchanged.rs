//! `rejected_update_unchanged`: an update the server refused changed
//! nothing. The docs' 400 says the request is wrong, so none of it is
//! applied: a refusal that stores part of the body leaves the caller
//! unable to tell what the item now holds.

use super::put_idempotent::unchanged_since;
use super::{answered, Check, Context, Finding};
use crate::plan::Claim;
use crate::run::exchange::Exchange;

/// The read after a refused update shows what the read before it showed.
pub struct RejectedUpdateUnchanged;

/// The earlier read's variable and the members compared, where the
/// refused update's status is bound and a client error (4xx): an update
/// the server accepted is judged by `status_expected`, not here.
fn claim<'a>(cx: &'a Context) -> Option<(&'a str, &'a [String])> {
    cx.claims().find_map(|c| match c {
        Claim::Unchanged {
            var,
            refused,
            members,
        } => {
            let status: u16 = cx.vars.get(refused)?.parse().ok()?;
            let refused = (400..500).contains(&status);
            (refused && cx.vars.contains_key(var)).then_some((var.as_str(), members.as_slice()))
        }
        _ => None,
    })
}

impl Check for RejectedUpdateUnchanged {
    fn name(&self) -> &'static str {
        "rejected_update_unchanged"
    }
    fn doc(&self) -> &'static str {
        "an update refused for its body (the documented 400) leaves the item as it was"
    }
    fn applies_to(&self) -> &'static str {
        "the read after a lifecycle's update with a member of the wrong type, where the PUT documents 400 and was answered 4xx (the members the refused update sends)"
    }
    fn applies(&self, ex: &Exchange, cx: &Context) -> bool {
        answered(ex) && claim(cx).is_some()
    }
    fn run(&self, ex: &Exchange, cx: &Context) -> Result<(), Finding> {
        match claim(cx) {
            Some((var, members)) => unchanged_since(ex, cx, var, members, "the refused update"),
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
    fn fails_when_a_refused_update_stored_a_member() {
        let c = roles();
        let s = step(
            &c,
            "Roles_Get Role",
            &[200],
            vec![Claim::Unchanged {
                var: "before".into(),
                refused: "status".into(),
                members: vec!["Name".into(), "Description".into()],
            }],
        );
        let before = r#"{"Id":"r","Name":"kept","Description":"d"}"#;
        let refused = [("before", before), ("status", "400")];
        let kept = json(
            Method::Get,
            200,
            json!({"Id": "r", "Name": "kept", "Description": "d"}),
        );
        assert_eq!(
            verdict(&RejectedUpdateUnchanged, &c, &s, &kept, &refused),
            Some(Ok(()))
        );
        let half = json(
            Method::Get,
            200,
            json!({"Id": "r", "Name": "kept", "Description": "new"}),
        );
        let f = verdict(&RejectedUpdateUnchanged, &c, &s, &half, &refused)
            .unwrap()
            .unwrap_err();
        assert_eq!(
            f.message,
            "the refused update changed the item: Description: before \"d\", now \"new\""
        );
        // An update the server accepted may change the item: another
        // check judges its status.
        let accepted = [("before", before), ("status", "200")];
        assert_eq!(
            verdict(&RejectedUpdateUnchanged, &c, &s, &half, &accepted),
            None
        );
    }
}
