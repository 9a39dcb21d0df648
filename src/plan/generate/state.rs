//! Cases about state across operations: a create's answer addresses the
//! item it made, a list walked page by page is complete, counts agree
//! with lists under every parent, and a parent just made has empty child
//! collections. Each reads the shared [`crate::api::Api`] model for which
//! operations create, list, count and read a resource and its parents.

use super::{Gen, Steps, Unmet, LIST_LENGTH};
use crate::api::{Kind, OpKey};
use crate::plan::model::{Bind, CaseKind, Claim, Extract, Phase, Repeat, TestCase};
use crate::plan::values::SUITE_PREFIX;
use crate::spec::{DefinitionKind, Method};

/// Pages a walk reads at most (pages are a third of the list long).
pub const WALK_CAP: usize = 10;

/// Listed items read one by one at most.
pub const READ_CAP: usize = 10;

/// Parents whose children are counted at most.
pub const PARENT_CAP: usize = 25;

/// The variable holding the ids of a whole list.
const LISTED: &str = "listedIds";

/// The variable holding the ids of the listed items the suite did not make.
const FOUND: &str = "foundIds";

/// The variable holding the ids a page walk met.
const WALKED: &str = "walkedIds";

impl Gen<'_> {
    /// Pushes the state cases of operation `(d, o)`.
    pub(super) fn state_cases(&mut self, d: usize, o: usize) {
        let key = Self::key(d, o);
        let model = self.api.op(key);
        let r = model.resource;
        let method = self.op(d, o).method;
        let res = &self.api.resources[r];
        let writes = !self.cfg.read_only;
        if writes && res.create.contains(&key) {
            let mut ops = self.ops_of(r, d);
            ops.create = Some(key);
            if ops.get.is_some() && ops.delete.is_some() && self.answers_its_id(d, o) {
                let built = self.addressable(d, o, &ops);
                self.push(d, o, CaseKind::Addressable, built);
            }
        }
        let lists = method == Method::Get && res.list.contains(&key) && model.success.list;
        if writes && lists {
            let mut ops = self.ops_of(r, d);
            ops.list = Some(key);
            if ops.create.is_some() && ops.delete.is_some() {
                let built = self.list_complete(d, o, &ops);
                self.push(d, o, CaseKind::ListComplete, built);
            }
        }
        let Some((parent, owner)) = self.parent_of(d, o) else {
            return;
        };
        if method == Method::Head && res.count.contains(&key) {
            if let Some(list) = self.ops_of(r, d).list {
                let built = self.counts_agree(d, o, list, &parent, owner);
                self.push(d, o, CaseKind::CountsAgree, built);
            }
        }
        let fresh = self.ops_of(owner, d);
        if writes && lists && fresh.create.is_some() && fresh.delete.is_some() {
            let built = self.empty_children(d, o, &parent, owner);
            self.push(d, o, CaseKind::EmptyChildren, built);
        }
    }

    /// The innermost path id of a collection operation that names an item
    /// of another resource the suite can list (a role of `…/Roles/{roleId}/
    /// users`), with that resource; configured ids are not varied.
    fn parent_of(&self, d: usize, o: usize) -> Option<(String, usize)> {
        let key = Self::key(d, o);
        let model = self.api.op(key);
        if model.id.is_some() {
            return None;
        }
        let params: Vec<String> = self.op(d, o).path.params().map(str::to_string).collect();
        params.into_iter().rev().find_map(|p| {
            if self.configured(&p) {
                return None;
            }
            let owner = self.api.owner_index(key, &p)?;
            (owner != model.resource && self.ops_of(owner, d).list.is_some()).then_some((p, owner))
        })
    }

    /// Whether the docs say the create answers with the new item's id: its
    /// success body is a definition declaring the member the id is read
    /// from (`Id`, or the `Client` wrapping it). A create answered with a
    /// bare string or nothing says no such thing, so no case claims it.
    fn answers_its_id(&self, d: usize, o: usize) -> bool {
        let model = self.api.op(Self::key(d, o));
        let Some(first) = model
            .created_id
            .as_deref()
            .and_then(|p| p.trim_start_matches('/').split('/').next())
        else {
            return false;
        };
        match &model.success.body {
            Some(crate::spec::TypeRef::Ref(name)) => self.api.contracts[d]
                .definition(name)
                .is_some_and(|def| def.property(first).is_some()),
            _ => false,
        }
    }

    /// Whether two operations answer with definitions of the same members
    /// and types (through their referenced definitions too): always so
    /// within one document.
    fn answer_defined_alike(&self, a: OpKey, b: OpKey) -> bool {
        if a.doc == b.doc {
            return true;
        }
        let answer = |k: OpKey| {
            let op = self.api.operation(k);
            op.responses
                .iter()
                .filter(|r| (200..300).contains(&r.status))
                .find_map(|r| r.body.as_ref()?.referenced().map(str::to_string))
        };
        let (Some(x), Some(y)) = (answer(a), answer(b)) else {
            return false;
        };
        let (cx, cy) = (&self.contracts[a.doc], &self.contracts[b.doc]);
        let mut todo = vec![(x, y)];
        let mut seen = std::collections::BTreeSet::new();
        while let Some((x, y)) = todo.pop() {
            if !seen.insert((x.clone(), y.clone())) {
                continue;
            }
            let (Some(dx), Some(dy)) = (cx.definition(&x), cy.definition(&y)) else {
                return false;
            };
            match (&dx.kind, &dy.kind) {
                (DefinitionKind::Enum { values: vx }, DefinitionKind::Enum { values: vy }) => {
                    if !vx.iter().map(|v| &v.value).eq(vy.iter().map(|v| &v.value)) {
                        return false;
                    }
                }
                (DefinitionKind::Object { properties: px }, DefinitionKind::Object { .. }) => {
                    if px.len() != dy.properties().len() {
                        return false;
                    }
                    for p in px {
                        let Some(q) = dy.property(&p.name) else {
                            return false;
                        };
                        match (p.ty.referenced(), q.ty.referenced()) {
                            (Some(rx), Some(ry)) => todo.push((rx.to_string(), ry.to_string())),
                            (None, None) if p.ty == q.ty => {}
                            _ => return false,
                        }
                    }
                }
                _ => return false,
            }
        }
        true
    }

    /// Create, then read the item by the id the answer carries.
    fn addressable(&mut self, d: usize, o: usize, r: &super::Ops) -> Result<TestCase, Unmet> {
        let mut s = Steps::default();
        let id = r.id.clone();
        let (_, at) = self.create(r, "create", &id, Phase::Test, &mut s)?;
        let model = self.api.op(Self::key(d, o));
        let answered = model.success.body.is_some();
        let made = format!("{id}Created");
        let mut claims = vec![Claim::Retrievable { var: id.clone() }];
        if let (Some(pointer), true) = (model.created_id.clone(), answered) {
            // The item is the object holding the id: the body, or the
            // member wrapping it (`/Client`).
            let item = pointer
                .rsplit_once('/')
                .map(|(item, _)| item.to_string())
                .unwrap_or_default();
            let create = &mut s.steps[at];
            create.expect.claims.push(Claim::Addressable { pointer });
            create.bind.push(Bind {
                var: made.clone(),
                from: Extract::Json(item),
            });
            claims.push(Claim::SameAs { var: made });
        }
        let get = r
            .get
            .ok_or_else(|| format!("`{}` has no read of one item", r.key))?;
        // A read from another document compares values only where both
        // documents define the item alike: versions that type a member
        // differently each describe their own answers, not one another's.
        if !self.answer_defined_alike(Self::key(d, o), get) {
            claims.retain(|c| !matches!(c, Claim::SameAs { .. }));
        }
        let (mut step, _) = self.step("get", Phase::Test, get.doc, get.op, None);
        step.expect.claims = claims;
        s.steps.push(step);
        Ok(self.case(d, o, CaseKind::Addressable, s.steps))
    }

    /// Create, list whole, walk the pages, then read the listed items the
    /// suite did not make one by one.
    fn list_complete(&mut self, d: usize, o: usize, r: &super::Ops) -> Result<TestCase, Unmet> {
        let mut s = Steps::default();
        let id = r.id.clone();
        self.create(r, "create", &id, Phase::Test, &mut s)?;
        let paged = ["skip", "count"]
            .iter()
            .all(|n| crate::api::paging_param(self.op(d, o), n).is_some());
        if paged {
            // Two items of its own, so that the walk has a second page
            // even in an empty collection: pages that overlap or skip an
            // item show only from there.
            self.create(r, "create another", &format!("{id}2"), Phase::Setup, &mut s)?;
        }
        self.provide(Self::key(d, o), &[], false, &mut s)?;
        let (mut whole, _) = self.whole_list("list", d, o);
        for (var, from) in [
            (LIST_LENGTH, Extract::ItemCount),
            (LISTED, Extract::ItemIds),
            (FOUND, Extract::ExistingItemIds(SUITE_PREFIX.to_string())),
        ] {
            whole.bind.push(Bind {
                var: var.to_string(),
                from,
            });
        }
        s.steps.push(whole);
        let param =
            |name: &str| crate::api::paging_param(self.op(d, o), name).map(|p| p.name.clone());
        let (mut walk, _) = match (param("skip"), param("count")) {
            (Some(skip), Some(count)) => {
                let (mut walk, g) = self.step("walk", Phase::Test, d, o, None);
                walk.repeat = Some(Repeat::Pages {
                    skip,
                    count,
                    sized_by: LIST_LENGTH.to_string(),
                    cap: WALK_CAP,
                    into: WALKED.to_string(),
                });
                (walk, g)
            }
            // No paging documented: one list is the walk.
            _ => {
                let (mut walk, g) = self.whole_list("walk", d, o);
                walk.bind.push(Bind {
                    var: WALKED.to_string(),
                    from: Extract::ItemIds,
                });
                (walk, g)
            }
        };
        walk.expect.claims = vec![Claim::Complete {
            listed: LISTED.to_string(),
            walked: WALKED.to_string(),
            created: id.clone(),
        }];
        s.steps.push(walk);
        if let Some(get) = r.get {
            let (mut read, _) = self.step("read listed item", Phase::Test, get.doc, get.op, None);
            read.repeat = Some(Repeat::Each {
                var: FOUND.to_string(),
                param: id.clone(),
                len: 1,
                cap: READ_CAP,
                with: None,
            });
            read.expect.claims = vec![Claim::Readable { var: id }];
            s.steps.push(read);
        }
        Ok(self.case(d, o, CaseKind::ListComplete, s.steps))
    }

    /// For every parent the suite can list (the ones it did not make, and
    /// one it makes now, with no children): the whole child list, then
    /// the count.
    fn counts_agree(
        &mut self,
        d: usize,
        o: usize,
        list: crate::api::OpKey,
        parent: &str,
        owner: usize,
    ) -> Result<TestCase, Unmet> {
        let mut s = Steps::default();
        let key = Self::key(d, o);
        self.provide(key, &[parent], false, &mut s)?;
        let pops = self.ops_of(owner, d);
        let fresh = format!("{parent}Fresh");
        let made = !self.cfg.read_only && pops.create.is_some() && pops.delete.is_some();
        if made {
            self.create(&pops, "create parent", &fresh, Phase::Setup, &mut s)?;
        }
        let plist = pops
            .list
            .ok_or_else(|| format!("`{}` has no list", pops.key))?;
        self.provide(plist, &[], false, &mut s)?;
        let (mut parents, _) = self.whole_list("list parents", plist.doc, plist.op);
        parents.phase = Phase::Setup;
        parents.bind.push(Bind {
            var: FOUND.to_string(),
            from: Extract::ExistingItemIds(SUITE_PREFIX.to_string()),
        });
        s.steps.push(parents);
        let (mut children, _) = self.whole_list("list", list.doc, list.op);
        children.bind.push(Bind {
            var: LIST_LENGTH.to_string(),
            from: Extract::ItemCount,
        });
        children.repeat = Some(Repeat::Each {
            var: FOUND.to_string(),
            param: parent.to_string(),
            len: 2,
            cap: PARENT_CAP,
            with: made.then_some(fresh),
        });
        s.steps.push(children);
        let (mut count, _) = self.step("count", Phase::Test, d, o, None);
        count.expect.claims = vec![Claim::CountEquals {
            var: LIST_LENGTH.to_string(),
        }];
        s.steps.push(count);
        Ok(self.case(d, o, CaseKind::CountsAgree, s.steps))
    }

    /// A parent made now, then its child collection listed and counted.
    fn empty_children(
        &mut self,
        d: usize,
        o: usize,
        parent: &str,
        owner: usize,
    ) -> Result<TestCase, Unmet> {
        let mut s = Steps::default();
        let key = Self::key(d, o);
        let model = self.api.op(key);
        let r = model.resource;
        // Items callers create start at none. Objects known elsewhere (a
        // community's roles) or attached to it (its users and clients: the
        // creator may be one) may be there from the start; the collection
        // still answers.
        let claims = if self.api.resources[r].kind == Kind::Owned {
            vec![Claim::Empty]
        } else {
            vec![Claim::Present]
        };
        let pops = self.ops_of(owner, d);
        self.create(&pops, "create parent", parent, Phase::Test, &mut s)?;
        self.provide(key, &[parent], false, &mut s)?;
        let (mut list, _) = self.whole_list("list", d, o);
        list.expect.claims = claims.clone();
        s.steps.push(list);
        if let Some(count) = self.ops_of(r, d).count {
            let (mut step, _) = self.step("count", Phase::Test, count.doc, count.op, None);
            step.expect.claims = claims;
            s.steps.push(step);
        }
        Ok(self.case(d, o, CaseKind::EmptyChildren, s.steps))
    }
}

#[cfg(test)]
mod tests {
    use crate::plan::model::{CaseKind, Claim, Repeat, TestCase};
    use crate::plan::{generate, PlanConfig};

    fn cases() -> Vec<TestCase> {
        let specs =
            crate::spec::load_all(&[concat!(env!("CARGO_MANIFEST_DIR"), "/specs")]).expect("specs");
        let cfg = PlanConfig {
            params: vec![
                "tenantId".into(),
                "identityProviderId".into(),
                "groupId".into(),
            ],
            nonce: "t".into(),
            ..PlanConfig::default()
        };
        generate(&specs, &cfg)
    }

    fn find<'a>(cases: &'a [TestCase], op: &str, kind: CaseKind) -> &'a TestCase {
        cases
            .iter()
            .find(|c| c.operation.id == op && c.kind == kind)
            .unwrap_or_else(|| panic!("no {kind:?} case for {op}"))
    }

    fn walk(c: &TestCase) -> Vec<&str> {
        c.steps.iter().map(|s| s.name.as_str()).collect()
    }

    #[test]
    fn a_list_is_walked_page_by_page_under_its_own_lock() {
        let cases = cases();
        let c = find(&cases, "Roles_List Roles", CaseKind::ListComplete);
        // Two items of its own: a second page exists whatever else is there.
        assert_eq!(
            walk(c),
            [
                "create",
                "create another",
                "list",
                "walk",
                "read listed item"
            ]
        );
        assert!(
            matches!(c.steps[3].repeat, Some(Repeat::Pages { ref skip, .. }) if skip == "skip")
        );
        assert!(matches!(
            c.steps[3].expect.claims[0],
            Claim::Complete { .. }
        ));
        assert!(matches!(
            c.steps[4].repeat,
            Some(Repeat::Each { len: 1, .. })
        ));
        assert_eq!(
            c.counts(),
            ["tenants/{}/roles"],
            "the case holds its collection"
        );
    }

    #[test]
    fn counts_are_compared_under_every_parent_one_made_included() {
        let cases = cases();
        let c = find(
            &cases,
            "Roles_Get Total Count of Users for a Given Role",
            CaseKind::CountsAgree,
        );
        assert_eq!(walk(c), ["create parent", "list parents", "list", "count"]);
        let Some(Repeat::Each {
            param, len, with, ..
        }) = &c.steps[2].repeat
        else {
            panic!("the list and count repeat per parent");
        };
        assert_eq!((param.as_str(), *len), ("roleId", 2));
        assert_eq!(with.as_deref(), Some("roleIdFresh"));
    }

    #[test]
    fn emptiness_is_claimed_only_where_callers_add_the_items() {
        let cases = cases();
        let groups = find(
            &cases,
            "CommunityGroups_Get all groups for a given community",
            CaseKind::EmptyChildren,
        );
        assert_eq!(walk(groups), ["create parent", "list", "count"]);
        // Groups are attached to a community, not created in it: the
        // list must answer, its items are not claimed.
        assert_eq!(groups.steps[1].expect.claims, [Claim::Present]);
        assert!(groups.steps[1].expect.status.contains(&200));
        let users = find(
            &cases,
            "Roles_List Users for a Given Role",
            CaseKind::EmptyChildren,
        );
        assert_eq!(
            users.steps[1].expect.claims,
            [Claim::Present],
            "users are known elsewhere"
        );
        assert_eq!(users.steps[1].expect.status, [200], "but the list is there");
    }

    #[test]
    fn a_create_claims_its_id_and_the_read_its_values() {
        let cases = cases();
        let c = find(&cases, "Roles_Create Role on Tenant", CaseKind::Addressable);
        assert_eq!(walk(c), ["create", "get"]);
        assert!(c.steps[0].expect.claims.contains(&Claim::Addressable {
            pointer: "/Id".into()
        }));
        assert!(c.steps[1].expect.claims.contains(&Claim::SameAs {
            var: "roleIdCreated".into()
        }));
    }
}
