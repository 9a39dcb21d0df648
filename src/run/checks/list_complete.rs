//! `list_complete`: the pages of a list, walked to the end, hold every
//! item once, and every listed item can be read.

use std::collections::BTreeSet;

use super::{answered, Check, Context, Finding};
use crate::plan::{Claim, CAPPED};
use crate::run::engine::ids_in;
use crate::run::exchange::{item_id, Exchange};

/// The pages of a list, walked with `skip` and `count` until a short page,
/// hold each item once and together the same items as the whole list read
/// just before, the item the case just created among them; a walk stopped
/// at its page cap is judged only on repeats. Each listed item the suite
/// did not make can be read by its id (the first few of them). Judged
/// while the case holds its collection, and bracketed: the whole list is
/// read again after the walk, and when the two whole lists differ the
/// verdict is inconclusive, not failed.
pub struct ListComplete;

/// (listed, walked, created) variables of a completeness claim.
fn complete<'a>(cx: &'a Context) -> Option<(&'a str, &'a str, &'a str)> {
    cx.claims().find_map(|c| match c {
        Claim::Complete {
            listed,
            walked,
            created,
        } => Some((listed.as_str(), walked.as_str(), created.as_str())),
        _ => None,
    })
}

fn readable<'a>(cx: &'a Context) -> Option<&'a str> {
    cx.claims().find_map(|c| match c {
        Claim::Readable { var } => cx.vars.get(var).map(String::as_str),
        _ => None,
    })
}

impl Check for ListComplete {
    fn name(&self) -> &'static str {
        "list_complete"
    }
    fn doc(&self) -> &'static str {
        "a list walked page by page holds each item once, the same items as the whole list and the item just created; each listed item can be read"
    }
    fn applies_to(&self) -> &'static str {
        "the last page of a walk of a collection the case holds, and reads of the items listed (bracketed: the whole list is read again after the walk)"
    }
    fn applies(&self, ex: &Exchange, cx: &Context) -> bool {
        if !answered(ex) {
            return false;
        }
        let walked = complete(cx).is_some_and(|(_, w, _)| cx.vars.contains_key(w));
        (walked && ex.received().is_some_and(|r| r.is_success())) || readable(cx).is_some()
    }
    fn run(&self, ex: &Exchange, cx: &Context) -> Result<(), Finding> {
        if let Some(id) = readable(cx) {
            let status = ex.received().map(|r| r.status).unwrap_or(0);
            let got = ex.json().as_ref().and_then(item_id);
            return match got {
                Some(got) if (200..300).contains(&status) && got == id => Ok(()),
                _ if !(200..300).contains(&status) => Err(Finding::new(format!(
                    "the listed item `{id}` cannot be read by its id: status {status}"
                ))),
                Some(got) => Err(Finding::new(format!(
                    "asked for the listed item `{id}`, got `{got}`"
                ))),
                None => Err(Finding::new(format!(
                    "the listed item `{id}` was read without an `Id`"
                ))),
            };
        }
        let Some((listed, walked, created)) = complete(cx) else {
            return Ok(());
        };
        let pages = ids_in(cx.vars.get(walked));
        let mut seen = BTreeSet::new();
        let twice: BTreeSet<&String> = pages.iter().filter(|id| !seen.insert(*id)).collect();
        if !twice.is_empty() {
            return Err(Finding::new(format!(
                "the pages list {} more than once",
                quoted(twice.into_iter())
            )));
        }
        if cx.vars.contains_key(&format!("{walked}{CAPPED}")) {
            // The walk stopped at its cap: what lies beyond is unknown.
            return Ok(());
        }
        let whole: BTreeSet<String> = ids_in(cx.vars.get(listed)).into_iter().collect();
        let missing: Vec<&String> = whole.iter().filter(|id| !seen.contains(id)).collect();
        let extra: Vec<&String> = seen
            .iter()
            .copied()
            .filter(|id| !whole.contains(*id))
            .collect();
        let mut wrong = Vec::new();
        if !missing.is_empty() {
            wrong.push(format!("no page lists {}", quoted(missing.into_iter())));
        }
        if !extra.is_empty() {
            wrong.push(format!("the pages add {}", quoted(extra.into_iter())));
        }
        if let Some(id) = cx.vars.get(created) {
            if !seen.contains(id) {
                wrong.push(format!("the item just created, `{id}`, is on no page"));
            }
        }
        if wrong.is_empty() {
            Ok(())
        } else {
            Err(Finding::new(format!(
                "{} ({} items listed whole, {} on the pages)",
                wrong.join("; "),
                whole.len(),
                pages.len()
            )))
        }
    }
    fn compares(&self) -> bool {
        true
    }
}

/// Ids as a list of backticked names.
fn quoted<'a>(ids: impl Iterator<Item = &'a String>) -> String {
    ids.map(|id| format!("`{id}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::super::fixture::*;
    use super::*;
    use crate::spec::Method;
    use serde_json::json;

    fn judge(listed: &str, walked: &str, capped: bool) -> Result<(), Finding> {
        let c = roles();
        let claim = Claim::Complete {
            listed: "listed".into(),
            walked: "walked".into(),
            created: "roleId".into(),
        };
        let s = step(&c, "Roles_List Roles", &[200], vec![claim]);
        let ex = json(Method::Get, 200, json!([]));
        let mut vars = vec![("listed", listed), ("walked", walked), ("roleId", "r")];
        if capped {
            vars.push(("walkedCapped", "10"));
        }
        verdict(&ListComplete, &c, &s, &ex, &vars).unwrap()
    }

    #[test]
    fn passes_pages_that_hold_the_whole_list_once() {
        assert_eq!(judge(r#"["a","r"]"#, r#"["r","a"]"#, false), Ok(()));
    }

    #[test]
    fn fails_repeats_gaps_additions_and_a_missing_new_item() {
        let f = judge(r#"["a","r"]"#, r#"["a","a","r"]"#, false).unwrap_err();
        assert_eq!(f.message, "the pages list `a` more than once");
        let f = judge(r#"["a","b","r"]"#, r#"["a"]"#, false).unwrap_err();
        assert_eq!(
            f.message,
            "no page lists `b`, `r`; the item just created, `r`, is on no page (3 items listed whole, 1 on the pages)"
        );
        assert!(
            judge(r#"["a","b","r"]"#, r#"["a"]"#, true).is_ok(),
            "a capped walk judges repeats only"
        );
        assert!(judge(r#"["a","b","r"]"#, r#"["a","a"]"#, true).is_err());
    }

    #[test]
    fn fails_a_listed_item_that_cannot_be_read() {
        let c = roles();
        let s = step(
            &c,
            "Roles_Get Role",
            &[200],
            vec![Claim::Readable {
                var: "roleId".into(),
            }],
        );
        let vars = [("roleId", "a")];
        let ok = json(Method::Get, 200, json!({"Id": "a"}));
        assert_eq!(verdict(&ListComplete, &c, &s, &ok, &vars), Some(Ok(())));
        let gone = json(Method::Get, 404, json!({}));
        let f = verdict(&ListComplete, &c, &s, &gone, &vars)
            .unwrap()
            .unwrap_err();
        assert_eq!(
            f.message,
            "the listed item `a` cannot be read by its id: status 404"
        );
    }
}
