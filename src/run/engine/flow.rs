//! How the steps of a case are walked: one by one, a group of steps once
//! per id ([`Repeat::Each`]), a list page by page ([`Repeat::Pages`]), and
//! every comparison with an earlier read bracketed by a second read of the
//! same thing after the answer.
//!
//! A bracket exists because other writers exist: a staging server has
//! other users, and two runs may share one server. When the reads around
//! a comparison disagree, someone else changed the collection in between
//! and the comparison proves nothing; it is tried again a few times and
//! then reported inconclusive, never failed. A comparison fails only when
//! it fails [`FAILS_TO_CONFIRM`] times between agreeing reads, so a
//! consistently wrong server still fails at once.

use std::collections::BTreeMap;

use serde_json::Value;

use super::{Created, Engine, Unsendable};
use crate::plan::{Auth, Claim, Repeat, Step, TestCase, CAPPED};
use crate::run::checks::{self, Check, Context};
use crate::run::exchange::{item_id, list_items, Exchange};
use crate::run::outcome::CaseOutcome;
use crate::spec::Method;

/// Brackets tried before a comparison is called inconclusive.
pub const BRACKET_TRIES: usize = 5;

/// Failed comparisons between agreeing reads that make a failure: an item
/// another writer adds and removes at once can hide between two reads.
const FAILS_TO_CONFIRM: usize = 3;

/// The variable holding the ids of the list whose length `var` holds.
pub(super) fn ids_var(var: &str) -> String {
    format!("{var}#ids")
}

/// The case's variables.
type Vars = BTreeMap<String, String>;

/// How a step's record is kept.
enum Keep<'a> {
    /// Judged by every check.
    Full,
    /// Judged without the step's claims: a page before the last, a read
    /// that only brackets, an attempt given up for another.
    Plain(&'a str),
    /// Judged in full, comparisons that fail marked inconclusive.
    Inconclusive(&'a str),
}

/// The ids of a list body's items that `keep` keeps, sorted, as a JSON
/// array.
pub(super) fn ids_of(body: &Value, keep: impl Fn(&Value) -> bool) -> Option<String> {
    let items = list_items(body)?;
    let mut ids: Vec<String> = items
        .iter()
        .filter(|i| keep(i))
        .filter_map(item_id)
        .collect();
    ids.sort();
    Some(Value::from(ids).to_string())
}

/// The ids of a JSON array held as text; none where it is not one.
pub(crate) fn ids_in(text: Option<&String>) -> Vec<String> {
    text.and_then(|t| serde_json::from_str::<Vec<String>>(t).ok())
        .unwrap_or_default()
}

impl Engine {
    /// Runs the case's steps in order, groups once per id; on a step that
    /// cannot be sent, stops and names it.
    pub(super) async fn walk_steps(
        &self,
        case: &TestCase,
        vars: &mut Vars,
        created: &mut Vec<Created>,
        outcome: &mut CaseOutcome,
    ) -> Result<(), (usize, Unsendable)> {
        let mut k = 0;
        while k < case.steps.len() {
            let Some(Repeat::Each {
                var,
                param,
                len,
                cap,
                with,
            }) = &case.steps[k].repeat
            else {
                let step = self.one(case, k, "", vars, created, outcome);
                step.await.map_err(|why| (k, why))?;
                k += 1;
                continue;
            };
            let end = (k + (*len).max(1)).min(case.steps.len());
            let mut ids = ids_in(vars.get(var));
            if let Some(extra) = with.as_ref().and_then(|w| vars.get(w)) {
                if !ids.contains(extra) {
                    ids.push(extra.clone());
                }
            }
            let total = ids.len();
            let kept = vars.get(param).cloned();
            for (n, id) in ids.into_iter().take(*cap).enumerate() {
                vars.insert(param.clone(), id.clone());
                let first = if total > *cap {
                    format!("; the first {cap} visited")
                } else {
                    String::new()
                };
                let label = format!(" [{param} {id}: {} of {total}{first}]", n + 1);
                for j in k..end {
                    let step = self.one(case, j, &label, vars, created, outcome);
                    step.await.map_err(|why| (j, why))?;
                }
            }
            match kept {
                Some(v) => vars.insert(param.clone(), v),
                None => vars.remove(param),
            };
            k = end;
        }
        Ok(())
    }

    /// Runs step `k`: sends it (page by page where it walks), binds what
    /// it provides, and judges it, bracketing a comparison.
    async fn one(
        &self,
        case: &TestCase,
        k: usize,
        label: &str,
        vars: &mut Vars,
        created: &mut Vec<Created>,
        outcome: &mut CaseOutcome,
    ) -> Result<(), Unsendable> {
        let step = &case.steps[k];
        if step
            .unless_bound
            .as_ref()
            .is_some_and(|v| vars.contains_key(v))
        {
            return Ok(());
        }
        // The earlier step that read what this one is compared with.
        let reference = step
            .expect
            .claims
            .iter()
            .find_map(Claim::compared)
            .and_then(|v| {
                case.steps[..k]
                    .iter()
                    .rposition(|s| s.bind.iter().any(|b| b.var == v))
                    .map(|j| (&case.steps[j], v.to_string()))
            });
        let Some((earlier, var)) = reference else {
            let sent = self.send(step, vars).await?;
            self.keep_all(step, &sent, label, vars, created, outcome, Keep::Full);
            return Ok(());
        };
        let mut fails = 0;
        let mut moved = 0;
        for attempt in 1..=BRACKET_TRIES {
            let sent = self.send(step, vars).await?;
            let Some(last) = sent
                .last()
                .filter(|ex| ex.received().is_some_and(|r| r.is_success()))
            else {
                // A refused or lost answer compares nothing.
                self.keep_all(step, &sent, label, vars, created, outcome, Keep::Full);
                return Ok(());
            };
            let (again, fresh) = self.reread(earlier, vars).await?;
            let ids = ids_var(&var);
            let stable = fresh.contains_key(&var)
                && fresh.get(&var) == vars.get(&var)
                && fresh.get(&ids) == vars.get(&ids);
            let again_label = format!("{label} (read again to bracket `{}`)", step.name);
            // A comparison that holds is kept at once; one that fails is
            // kept once it failed often enough between agreeing reads to be
            // the server's doing; one whose reads never agreed is kept as
            // inconclusive.
            let settled = if stable {
                let holds = self.holds(step, last, vars);
                fails += usize::from(!holds);
                holds || fails >= FAILS_TO_CONFIRM
            } else {
                moved += 1;
                false
            };
            let note = format!(
                "the reads around the comparison disagreed {moved} of {BRACKET_TRIES} times \
                 (another writer changed the collection meanwhile)"
            );
            let keep = if settled {
                Some(Keep::Full)
            } else if attempt == BRACKET_TRIES {
                Some(Keep::Inconclusive(&note))
            } else {
                None
            };
            if let Some(keep) = keep {
                self.keep_all(step, &sent, label, vars, created, outcome, keep);
                self.keep(
                    earlier,
                    &again,
                    &again_label,
                    vars,
                    created,
                    outcome,
                    Keep::Plain(""),
                );
                return Ok(());
            }
            let why = if stable {
                " (tried again: failed once between agreeing reads)"
            } else {
                " (tried again: the reads around it disagreed)"
            };
            let tried = format!("{label}{why}");
            self.keep_all(step, &sent, &tried, vars, created, outcome, Keep::Plain(""));
            self.keep(
                earlier,
                &again,
                &again_label,
                vars,
                created,
                outcome,
                Keep::Plain(""),
            );
            // The second read is the first of the next bracket.
            vars.extend(fresh.into_iter().filter(|(k, _)| {
                earlier
                    .bind
                    .iter()
                    .any(|b| b.var == *k || ids_var(&b.var) == *k)
            }));
        }
        Ok(())
    }

    /// Sends a step (page by page where it walks), binding what it
    /// provides; the exchanges in order, the judged one last.
    async fn send(&self, step: &Step, vars: &mut Vars) -> Result<Vec<Exchange>, Unsendable> {
        if let Some(Repeat::Pages {
            skip,
            count,
            sized_by,
            cap,
            into,
        }) = &step.repeat
        {
            return self
                .pages(step, (skip, count, sized_by, *cap, into), vars)
                .await;
        }
        let (out, shown) = self.resolve(step, vars)?;
        let ex = self.http.exchange(&out, shown).await;
        self.bind(step, &ex, vars);
        Ok(vec![ex])
    }

    /// Walks a list page by page: pages a third of the list's length long,
    /// so a walk takes about three, until a short page or `cap` pages.
    async fn pages(
        &self,
        step: &Step,
        (skip, count, sized_by, cap, into): (&String, &String, &String, usize, &String),
        vars: &mut Vars,
    ) -> Result<Vec<Exchange>, Unsendable> {
        let length: usize = vars.get(sized_by).and_then(|n| n.parse().ok()).unwrap_or(0);
        let size = length.div_ceil(3).max(1);
        let (mut ids, mut sent, mut done) = (Vec::new(), Vec::new(), false);
        for _ in 0..cap.max(1) {
            let mut s = step.clone();
            s.request.query.retain(|(k, _)| k != skip && k != count);
            // Each page starts after what the earlier ones held: a server
            // may answer fewer than asked (a page cap the docs leave out).
            s.request.query.push((skip.clone(), ids.len().to_string()));
            s.request.query.push((count.clone(), size.to_string()));
            let (out, shown) = self.resolve(&s, vars)?;
            let ex = self.http.exchange(&out, shown).await;
            let body = ex
                .received()
                .filter(|r| r.is_success())
                .and_then(|_| ex.json());
            // The end: an empty page, or as many items as the whole list
            // held when read.
            let short = match body.as_ref().and_then(list_items) {
                Some(items) => {
                    ids.extend(items.iter().filter_map(item_id));
                    items.is_empty() || ids.len() >= length
                }
                None => true,
            };
            sent.push(ex);
            if short {
                done = true;
                break;
            }
        }
        vars.insert(into.clone(), Value::from(ids).to_string());
        let capped = format!("{into}{CAPPED}");
        if done {
            vars.remove(&capped);
        } else {
            vars.insert(capped, cap.to_string());
        }
        Ok(sent)
    }

    /// Sends an earlier step again: its answer, and the variables it would
    /// bind (the case's own are left as they are).
    async fn reread(&self, step: &Step, vars: &Vars) -> Result<(Exchange, Vars), Unsendable> {
        let (out, shown) = self.resolve(step, vars)?;
        let ex = self.http.exchange(&out, shown).await;
        let mut fresh = vars.clone();
        for b in &step.bind {
            fresh.remove(&b.var);
            fresh.remove(&ids_var(&b.var));
        }
        self.bind(step, &ex, &mut fresh);
        Ok((ex, fresh))
    }

    /// Whether every comparing check passes the answer.
    fn holds(&self, step: &Step, ex: &Exchange, vars: &Vars) -> bool {
        let contract = &self.contracts[step.operation.doc];
        let cx = Context {
            contract,
            operation: &contract.operations[step.operation.op],
            step,
            vars,
            schemas: self.schemas_of(step.operation.doc),
            settings: &self.settings,
        };
        let comparing: Vec<&dyn Check> = self
            .checks
            .iter()
            .copied()
            .filter(|c| c.compares())
            .collect();
        checks::judge(&comparing, ex, &cx)
            .iter()
            .all(|v| v.finding.is_none())
    }

    /// Keeps the records of a step's exchanges: pages before the last
    /// judged without claims.
    #[allow(clippy::too_many_arguments)]
    fn keep_all(
        &self,
        step: &Step,
        sent: &[Exchange],
        label: &str,
        vars: &mut Vars,
        created: &mut Vec<Created>,
        outcome: &mut CaseOutcome,
        how: Keep,
    ) {
        let paged = sent.len() > 1;
        // A walk the cap stopped says so on its last page.
        let capped = match &step.repeat {
            Some(Repeat::Pages { into, cap, .. })
                if vars.contains_key(&format!("{into}{CAPPED}")) =>
            {
                format!(", the walk stopped at its cap of {cap} pages")
            }
            _ => String::new(),
        };
        for (i, ex) in sent.iter().enumerate() {
            let last = i + 1 == sent.len();
            let label = match (paged, last) {
                (true, true) => format!("{label} (page {}{capped})", i + 1),
                (true, false) => format!("{label} (page {})", i + 1),
                _ => label.to_string(),
            };
            let how = match (&how, i + 1 == sent.len()) {
                (_, false) => Keep::Plain(""),
                (Keep::Full, true) => Keep::Full,
                (Keep::Plain(s), true) => Keep::Plain(s),
                (Keep::Inconclusive(s), true) => Keep::Inconclusive(s),
            };
            self.keep(step, ex, &label, vars, created, outcome, how);
        }
    }

    /// Notes what a step created or deleted, judges it and records it.
    #[allow(clippy::too_many_arguments)]
    fn keep(
        &self,
        step: &Step,
        ex: &Exchange,
        label: &str,
        vars: &mut Vars,
        created: &mut Vec<Created>,
        outcome: &mut CaseOutcome,
        how: Keep,
    ) {
        self.note_created(step, ex, vars, created);
        let plain;
        let judged = match how {
            Keep::Plain(_) => {
                let mut s = step.clone();
                s.expect.claims.clear();
                plain = s;
                &plain
            }
            _ => step,
        };
        let mut record = self.record(judged, ex, vars);
        record.name.push_str(label);
        if let Keep::Inconclusive(note) = how {
            for c in record.checks.iter_mut().filter(|c| !c.passed) {
                if checks::by_name(c.check).is_some_and(|k| k.compares()) {
                    c.inconclusive = true;
                    let was = c.message.take().unwrap_or_default();
                    c.message = Some(format!("{note}; last seen: {was}"));
                }
            }
        }
        outcome.steps.push(record);
    }

    /// Remembers the item a successful create made, for the cleanup, and
    /// forgets one a successful delete removed.
    fn note_created(
        &self,
        step: &Step,
        ex: &Exchange,
        vars: &mut Vars,
        created: &mut Vec<Created>,
    ) {
        let Some(r) = ex.received().filter(|r| r.is_success()) else {
            return;
        };
        if let Some(c) = &step.creates {
            // A create on the collection made the item its answer names,
            // whatever value the variable held before (a configured one
            // of another document's): cleanup and the steps after it
            // address that item. A write to the item's own path made the
            // item the path names.
            let at_item = step.request.path.params().any(|p| p == c.id_var);
            let bound = step.bind.iter().any(|b| b.var == c.id_var);
            let answered = ex.json().as_ref().and_then(item_id);
            match answered {
                Some(id) if !at_item && !bound || !vars.contains_key(&c.id_var) => {
                    vars.insert(c.id_var.clone(), id);
                }
                // An answer naming no item leaves the new item unknown: the
                // value the variable held names something else, which
                // cleanup must not delete.
                None if !at_item && !bound => return,
                _ => {}
            }
            if let Some(id) = vars.get(&c.id_var) {
                self.remember_made(id);
            }
            let mut path_vars = vars.clone();
            let item_path = &c.item_path;
            if let (Some(id), Some(p)) = (vars.get(&c.id_var), item_path.last_param()) {
                path_vars.insert(p.to_string(), id.clone());
            }
            if let Ok(url) = self.url(item_path, &[], &path_vars) {
                if !created.iter().any(|(u, _, _)| *u == url) {
                    let delete = self.outgoing(Method::Delete, url.clone(), None, &Auth::Default);
                    if let Ok((delete, shown)) = delete {
                        created.push((url, delete, shown));
                    }
                }
            }
        }
        if step.request.method == Method::Delete && r.is_success() {
            created.retain(|(u, _, _)| *u != ex.request.url);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::made_by;
    use super::*;
    use serde_json::json;

    #[test]
    fn ids_are_sorted_kept_twice_and_filtered_by_who_made_them() {
        let body = json!([{"Id": "b"}, {"Id": "a", "Name": "conform-x-1"}, {"Id": "b"}]);
        assert_eq!(ids_of(&body, |_| true).as_deref(), Some(r#"["a","b","b"]"#));
        assert_eq!(
            ids_of(&body, |i| !made_by(i, "conform-")).as_deref(),
            Some(r#"["b","b"]"#)
        );
        assert_eq!(ids_of(&json!({"Id": "a"}), |_| true), None, "no list");
        let text = Some(r#"["a","b"]"#.to_string());
        assert_eq!(ids_in(text.as_ref()), ["a", "b"]);
        assert!(ids_in(Some(&"3".to_string())).is_empty());
    }
}
