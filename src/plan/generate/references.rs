//! The case that asks whether an item's references name existing items:
//! read the item, then list whole each collection one of its members
//! refers to (as [`Api::references`](crate::api::Api::references) infers),
//! and hold the member's values against the listed ids.

use super::{Bind, CaseKind, Claim, Extract, Gen};
use crate::api::Rule;
use crate::spec::{Method, TypeRef};

/// The variable holding the item read, as JSON text.
const REFERRER: &str = "referrer";

impl Gen<'_> {
    /// For an item read answering with the item itself, whose definition
    /// has references the suite can list within the item's own tree (its
    /// collection, ancestors and descendants): one case reading an item
    /// (found or made as any read's is), then one whole list per reference.
    pub(super) fn references(&mut self, d: usize, o: usize) {
        let op = self.op(d, o).clone();
        let key = Self::key(d, o);
        let model = self.api.op(key);
        let Some(item) = self.api.resources[model.resource].item_type.clone() else {
            return;
        };
        let answers_item = op
            .responses
            .iter()
            .find(|r| (200..300).contains(&r.status))
            .and_then(|r| r.body.as_ref())
            .is_some_and(|b| *b == TypeRef::Ref(item.clone()));
        if op.method != Method::Get || model.id.is_none() || !answers_item {
            return;
        }
        // Only collections of the item's own tree: a case listing an
        // unrelated collection would tie together the units of two
        // collections that shards otherwise run apart.
        let own = model.resource;
        let res = &self.api.resources;
        let related = |t: usize| {
            t == own || res[own].descendants.contains(&t) || res[t].descendants.contains(&own)
        };
        let refs: Vec<_> = self
            .api
            .references(d, &item, &self.cfg.params)
            .into_iter()
            .filter(|r| related(r.target))
            .collect();
        if refs.is_empty() {
            return;
        }
        let built = self.prepare(d, o, None).and_then(|(mut s, mut read)| {
            read.name = "read item".into();
            read.bind.push(Bind {
                var: REFERRER.into(),
                from: Extract::Json(String::new()),
            });
            s.steps.push(read);
            let mut lists = 0;
            for r in &refs {
                // The list must need no value the read did not bind.
                let ready = self
                    .api
                    .operation(r.list)
                    .path
                    .params()
                    .all(|p| s.bound.contains(p) || self.configured(p));
                if !ready {
                    continue;
                }
                let (mut step, _) =
                    self.whole_list(&format!("list {}", r.member), r.list.doc, r.list.op);
                step.expect.claims = vec![Claim::Resolves {
                    var: REFERRER.into(),
                    member: r.member.clone(),
                    same_items: r.rule == Rule::Items,
                }];
                s.steps.push(step);
                lists += 1;
            }
            if lists == 0 {
                return Err("no collection the item refers to can be listed".to_string());
            }
            Ok(self.case_of(d, o, CaseKind::References, s))
        });
        self.push(d, o, CaseKind::References, built);
    }
}

#[cfg(test)]
mod tests {
    use crate::plan::{generate, CaseKind, Claim, PlanConfig};

    #[test]
    fn a_community_read_lists_its_roles_sub_collection() {
        let docs = crate::spec::load_all(&["specs"]).unwrap();
        let cfg = PlanConfig {
            params: vec!["tenantId".into()],
            ..PlanConfig::default()
        };
        let cases = generate(&docs, &cfg);
        let refs: Vec<_> = cases
            .iter()
            .filter(|c| c.kind == CaseKind::References && c.ignored.is_none())
            .collect();
        assert!(!refs.is_empty());
        let community = refs
            .iter()
            .find(|c| c.operation.id == "Communities_Get a Community by Id")
            .expect("a references case on the community read");
        let claimed: Vec<(&str, bool)> = community
            .steps
            .iter()
            .flat_map(|s| &s.expect.claims)
            .filter_map(|c| match c {
                Claim::Resolves {
                    member, same_items, ..
                } => Some((member.as_str(), *same_items)),
                _ => None,
            })
            .collect();
        assert_eq!(claimed, [("CommunityRoles", true)]);
        // A role's community lies outside the roles' tree: no case.
        assert!(!refs.iter().any(|c| c.operation.id == "Roles_Get Role"));
    }
}
