//! The same resource through two API versions: an item created through
//! one document is read, listed and counted through another that
//! describes the same resource under another prefix, and deleting it
//! through one removes it from both.
//!
//! Which operations of the other document are the same is what
//! `conform diff` says ([`crate::diff::pair_operations`]: by path
//! template, through the path maps, then by operation id); where a list
//! or count is left unpaired, the shared resource model
//! ([`crate::api::Resource`]) names the other document's one.

use super::{Bind, CaseKind, Claim, Gen, Ops, Phase, Steps, LIST_LENGTH};
use crate::api::OpKey;
use crate::diff::{pair_operations, OperationPair};

impl Gen<'_> {
    /// The partner in document `e` of operation `k`, as diffing pairs them.
    fn partner(&self, k: OpKey, e: usize) -> Option<OpKey> {
        let (a, b) = (&self.contracts[k.doc], &self.contracts[e]);
        let mine = &a.operations[k.op];
        pair_operations(a, b, self.maps)
            .into_iter()
            .find_map(|p| match p {
                OperationPair::Both { old, new, .. } if std::ptr::eq(old, mine) => b
                    .operations
                    .iter()
                    .position(|o| std::ptr::eq(o, new))
                    .map(|op| OpKey { doc: e, op }),
                _ => None,
            })
    }

    /// Whether two operations sit under different prefixes (`/api/v1`
    /// and `/api/v1-preview`).
    fn other_prefix(&self, a: OpKey, b: OpKey) -> bool {
        let (pa, pb) = (&self.op(a.doc, a.op).path, &self.op(b.doc, b.op).path);
        !pa.prefix(pa.base_len()).same(&pb.prefix(pb.base_len()))
    }

    /// One case per other document whose item read pairs with this
    /// document's, under another prefix, the item definitions sharing
    /// their identifier member: create here, then read, list and count
    /// there, delete there, and find the item gone here and there.
    pub(super) fn cross_version(&mut self, d: usize, o: usize, r: &Ops) {
        let Some(get) = r.get.filter(|g| g.doc == d) else {
            return;
        };
        let resource = self.api.op(OpKey { doc: d, op: o }).resource;
        for e in (0..self.contracts.len()).filter(|e| *e != d) {
            let Some(other_get) = self.partner(get, e) else {
                continue;
            };
            let shared = self.response_members(get.doc, get.op);
            let theirs = self.response_members(other_get.doc, other_get.op);
            let id_member = shared.iter().find(|m| *m == "Id");
            if !self.other_prefix(get, other_get) || id_member.is_none_or(|m| !theirs.contains(m)) {
                continue;
            }
            let res = &self.api.resources[resource];
            let here = |ops: &[OpKey]| ops.iter().copied().find(|k| k.doc == e);
            let pick = |g: &Self, mine: Option<OpKey>, model: &[OpKey]| {
                mine.and_then(|k| g.partner(k, e)).or_else(|| here(model))
            };
            let (list, count, delete) = (res.list.clone(), res.count.clone(), res.delete.clone());
            let other = Ops {
                key: r.key.clone(),
                id: self
                    .api
                    .op(other_get)
                    .id_param(self.op(other_get.doc, other_get.op))
                    .unwrap_or(&r.id)
                    .to_string(),
                create: None,
                list: pick(self, r.list, &list),
                count: pick(self, r.count, &count),
                get: Some(other_get),
                put: None,
                delete: pick(self, r.delete, &delete),
            };
            let built = self.versions_case(d, o, r, &other);
            let other_name = super::document_name(&self.contracts[e]);
            self.push_named(d, o, CaseKind::CrossVersion, built, &other_name);
        }
    }

    fn versions_case(
        &mut self,
        d: usize,
        o: usize,
        mine: &Ops,
        other: &Ops,
    ) -> Result<super::TestCase, super::Unmet> {
        let mut s = Steps::default();
        let id = mine.id.clone();
        let (_, at) = self.create(mine, "create", &id, Phase::Test, &mut s)?;
        // The other version may name the id parameter otherwise.
        if other.id != id {
            let again = s.steps[at].bind[0].from.clone();
            s.steps[at].bind.push(Bind {
                var: other.id.clone(),
                from: again,
            });
            s.bound.insert(other.id.clone());
        }
        let step = |g: &mut Self, s: &mut Steps, name: &str, k: OpKey, claims: Vec<Claim>| {
            g.provide(k, &[], false, s)?;
            let (mut step, _) = g.step(name, Phase::Test, k.doc, k.op, None);
            step.expect.claims = claims;
            s.steps.push(step);
            Ok::<_, super::Unmet>(())
        };
        let get = other.get.ok_or("no read in the other version")?;
        let var = other.id.clone();
        step(
            self,
            &mut s,
            "get through the other version",
            get,
            vec![Claim::Retrievable { var: var.clone() }],
        )?;
        if let Some(list) = other.list {
            self.provide(list, &[], false, &mut s)?;
            let (mut listing, _) =
                self.whole_list("list through the other version", list.doc, list.op);
            listing.expect.claims = vec![Claim::Listed { var: var.clone() }];
            listing.bind.push(Bind {
                var: LIST_LENGTH.into(),
                from: super::Extract::ItemCount,
            });
            s.steps.push(listing);
            if let Some(count) = other.count {
                step(
                    self,
                    &mut s,
                    "count through the other version",
                    count,
                    vec![Claim::CountEquals {
                        var: LIST_LENGTH.into(),
                    }],
                )?;
            }
        }
        let Some(delete) = other.delete.or(mine.delete) else {
            return Ok(self.case(d, o, CaseKind::CrossVersion, s.steps));
        };
        let through = if delete.doc == d { "this" } else { "the other" };
        step(
            self,
            &mut s,
            &format!("delete through {through} version"),
            delete,
            vec![],
        )?;
        for (name, read, var) in [
            ("get after delete, this version", mine.get, &id),
            ("get after delete, other version", other.get, &var),
        ] {
            if let Some(k) = read {
                let gone = self.api.op(k).missing(var).to_vec();
                step(self, &mut s, name, k, vec![Claim::Gone])?;
                if let Some(last) = s.steps.last_mut() {
                    last.expect.status = gone;
                }
            }
        }
        if let Some(list) = mine.list {
            let (mut listing, _) =
                self.whole_list("list after delete, this version", list.doc, list.op);
            listing.expect.claims = vec![Claim::NotListed { var: id.clone() }];
            s.steps.push(listing);
        }
        Ok(self.case(d, o, CaseKind::CrossVersion, s.steps))
    }
}

#[cfg(test)]
mod tests {
    use crate::api::Api;
    use crate::diff::PathMap;
    use crate::plan::{generate_mapped, CaseKind, PlanConfig};

    fn cases(maps: &[PathMap]) -> Vec<crate::plan::TestCase> {
        let contracts =
            crate::spec::load_all(&[concat!(env!("CARGO_MANIFEST_DIR"), "/specs")]).expect("specs");
        let cfg = PlanConfig {
            params: vec!["tenantId".into(), "identityProviderId".into()],
            nonce: "t".into(),
            ..PlanConfig::default()
        };
        generate_mapped(&Api::new(contracts), &cfg, maps)
            .into_iter()
            .filter(|c| c.kind == CaseKind::CrossVersion)
            .collect()
    }

    #[test]
    fn communities_cross_from_v1_to_the_preview_and_back() {
        let found = cases(&[]);
        assert_eq!(found.len(), 2);
        let names: Vec<&str> = found
            .iter()
            .flat_map(|c| c.steps.iter().map(|s| s.name.as_str()))
            .collect();
        for want in [
            "get through the other version",
            "list through the other version",
            "get after delete, other version",
        ] {
            assert!(names.contains(&want), "{want}: {names:?}");
        }
        let first = &found[0];
        let create = &first.steps[0];
        let read = first
            .steps
            .iter()
            .find(|s| s.name == "get through the other version")
            .unwrap();
        assert_ne!(create.operation.doc, read.operation.doc);
    }

    #[test]
    fn a_path_map_pairs_what_ids_alone_do_not() {
        // With the prefix move declared, the lists pair by template too.
        let map =
            PathMap::parse("/api/v1/tenants/{tenantId}/Communities=/api/v1-preview/Communities")
                .unwrap();
        let mapped = cases(&[map]);
        assert_eq!(mapped.len(), 2);
        assert!(mapped.iter().all(|c| c
            .steps
            .iter()
            .any(|s| s.name == "list through the other version")));
    }
}
