//! `update_persisted`: an update shows in the next read.

use super::{answered, Check, Context, Finding};
use crate::plan::Claim;
use crate::run::exchange::Exchange;

/// A read after an update shows the members the update sent.
pub struct UpdatePersisted;

fn members<'a>(cx: &'a Context) -> Option<&'a serde_json::Map<String, serde_json::Value>> {
    cx.claims().find_map(|c| match c {
        Claim::Persisted { members } => Some(members),
        _ => None,
    })
}

impl Check for UpdatePersisted {
    fn name(&self) -> &'static str {
        "update_persisted"
    }
    fn doc(&self) -> &'static str {
        "a read after an update shows the values the update sent"
    }
    fn applies_to(&self) -> &'static str {
        "reads that follow an update in a lifecycle"
    }
    fn applies(&self, ex: &Exchange, cx: &Context) -> bool {
        answered(ex) && members(cx).is_some()
    }
    fn run(&self, ex: &Exchange, cx: &Context) -> Result<(), Finding> {
        let (Some(r), Some(sent)) = (ex.received(), members(cx)) else {
            return Ok(());
        };
        if !r.is_success() {
            return Err(Finding::new(format!(
                "the item could not be read after the update: status {}",
                r.status
            )));
        }
        let body = ex.json().unwrap_or_default();
        let stale: Vec<String> = sent
            .iter()
            .filter(|(k, v)| {
                !body
                    .get(k.as_str())
                    .is_some_and(|got| crate::run::exchange::same_json(v, got))
            })
            .map(|(k, v)| {
                let got = body.get(k.as_str()).map(ToString::to_string);
                format!(
                    "{k}: sent {v}, read {}",
                    got.as_deref().unwrap_or("nothing")
                )
            })
            .collect();
        if stale.is_empty() {
            Ok(())
        } else {
            Err(Finding::new(format!(
                "the update did not persist: {}",
                stale.join("; ")
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
    fn fails_when_the_read_shows_the_old_value() {
        let c = roles();
        let sent = json!({"Name": "new"}).as_object().cloned().unwrap();
        let s = step(
            &c,
            "Roles_Get Role",
            &[200],
            vec![Claim::Persisted { members: sent }],
        );
        let fresh = json(Method::Get, 200, json!({"Id": "r", "Name": "new"}));
        assert_eq!(verdict(&UpdatePersisted, &c, &s, &fresh, &[]), Some(Ok(())));
        let stale = json(Method::Get, 200, json!({"Id": "r", "Name": "old"}));
        let f = verdict(&UpdatePersisted, &c, &s, &stale, &[])
            .unwrap()
            .unwrap_err();
        assert_eq!(
            f.message,
            "the update did not persist: Name: sent \"new\", read \"old\""
        );
    }
}
