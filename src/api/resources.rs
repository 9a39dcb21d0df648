//! Resources: collections and their items, inferred from the paths of
//! every document at once.
//!
//! A path is read after its prefix (`/api/v1`: an `api` segment and one
//! version segment, [`PathTemplate::base_len`]). A template ending in a
//! parameter is an item path; the rest of it is the collection path.
//! Collection and item paths of the same shape form one resource, keyed by
//! the collection's [`shape key`](PathTemplate::shape_key).
//!
//! Scopes that another version leaves out: when a collection path starts
//! with a literal-and-parameter pair (`tenants/{tenantId}`) and what
//! follows is itself the collection path of another operation
//! (`communities`), the pair is dropped, repeatedly. Both then name one
//! resource; the dropped parameters are still checked but no longer
//! select a collection. A pair is kept where no other operation names the
//! rest (`tenants/{tenantId}/roles` stays as it is).
//!
//! A resource whose key extends another's item path (`communities/{}/…`)
//! is nested under it: its items live under the parent item and go with it.

use std::collections::{HashMap, HashSet};

use super::existence::{existence, Existence};
use super::success::{list_member, success, Success};
use crate::spec::{shape_key, Contract, Method, Operation, PathTemplate, Segment, TypeRef};

/// Names one operation: the index of its contract and its index there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OpKey {
    /// Index of the contract.
    pub doc: usize,
    /// Index of the operation in its contract.
    pub op: usize,
}

/// How the items of a resource come to exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// POST creates them.
    Owned,
    /// No POST, but PUT on an item path adds one under an id the caller
    /// chooses (an existing object attached, or a new one stored).
    Attached,
    /// Read only: the items are objects known elsewhere.
    View,
}

/// A collection and its items, shared by every operation that names it.
#[derive(Debug, Clone)]
pub struct Resource {
    /// The collection's shape key after its prefix and dropped scopes
    /// (`communities/{}/roles`).
    pub key: String,
    /// The definition of one item, where an operation names it.
    pub item_type: Option<String>,
    /// The resource this one is nested under.
    pub parent: Option<usize>,
    /// Resources nested under this one, at any depth.
    pub descendants: Vec<usize>,
    /// How items come to exist.
    pub kind: Kind,
    /// Parameter names of the collection's scope, in order (from the first
    /// operation that names it).
    pub scope_names: Vec<String>,
    /// `POST collection`.
    pub create: Vec<OpKey>,
    /// `GET collection` answering with a list.
    pub list: Vec<OpKey>,
    /// `HEAD collection`, a count of a list.
    pub count: Vec<OpKey>,
    /// `GET item`.
    pub get: Vec<OpKey>,
    /// `PUT item`: an update where items are created by POST, else the way
    /// items are added under an id the caller chooses.
    pub put: Vec<OpKey>,
    /// `DELETE item`.
    pub delete: Vec<OpKey>,
}

impl Resource {
    /// Whether a suite can make items itself and remove them again: by
    /// POST, or by PUT under an id it was given.
    pub fn creatable(&self) -> bool {
        !self.delete.is_empty() && (!self.create.is_empty() || !self.put.is_empty())
    }

    /// The first of `ops` in `doc`, else the first of all.
    pub fn pick(ops: &[OpKey], doc: usize) -> Option<OpKey> {
        ops.iter()
            .find(|k| k.doc == doc)
            .or_else(|| ops.first())
            .copied()
    }
}

/// One operation as the model sees it.
#[derive(Debug, Clone)]
pub struct OpModel {
    /// The resource the operation acts on.
    pub resource: usize,
    /// Segment positions of the resource's scope values.
    pub scope: Vec<usize>,
    /// Segment position of the item id, for item paths.
    pub id: Option<usize>,
    /// Segment positions and names of every parameter except the item id.
    pub checked: Vec<(usize, String)>,
    /// What success looks like.
    pub success: Success,
    /// What the docs say of path ids that name nothing.
    pub existence: Vec<Existence>,
    /// For a create: the JSON pointer of the new item's id in the answer,
    /// `/Id`, or `/Client/Id` where the answer wraps the item in a member.
    pub created_id: Option<String>,
}

impl OpModel {
    /// The name of the item id parameter, for item paths.
    pub fn id_param<'o>(&self, op: &'o Operation) -> Option<&'o str> {
        self.id
            .and_then(|i| op.path.segments().get(i))
            .and_then(Segment::param)
    }

    /// The documented statuses that answer a value of `param` naming
    /// nothing; empty where the docs do not say.
    pub fn missing(&self, param: &str) -> &[u16] {
        self.existence
            .iter()
            .find(|e| e.param == param)
            .map_or(&[], |e| e.statuses.as_slice())
    }
}

/// The served API: contracts, their resources and every operation's model.
#[derive(Debug)]
pub struct Api {
    /// The documents, in the order given.
    pub contracts: Vec<Contract>,
    /// Resources by index.
    pub resources: Vec<Resource>,
    /// The model of every operation, by document then operation.
    ops: Vec<Vec<OpModel>>,
    /// Resources by the shape key of a collection path after its prefix,
    /// before scopes are dropped: how a path prefix finds its resource.
    by_collection: HashMap<String, usize>,
}

/// An operation placed in its resource: its key, the resource, the scope
/// positions, the id position and the checked parameters.
type Placed = (
    OpKey,
    usize,
    Vec<usize>,
    Option<usize>,
    Vec<(usize, String)>,
);

/// An operation's path parts: prefix length, whether it is an item path,
/// and the collection segments.
struct Shape<'p> {
    segments: &'p [Segment],
    base: usize,
    item: bool,
    collection_len: usize,
}

impl<'p> Shape<'p> {
    fn of(path: &'p PathTemplate) -> Shape<'p> {
        let segments = path.segments();
        let base = path.base_len();
        let rel = &segments[base..];
        let item = !rel.is_empty() && path.last_param().is_some() && rel.len() >= 2;
        let collection_len = if item { rel.len() - 1 } else { rel.len() };
        Shape {
            segments,
            base,
            item,
            collection_len,
        }
    }

    fn collection(&self) -> &'p [Segment] {
        &self.segments[self.base..self.base + self.collection_len]
    }
}

fn param_positions(segments: &[Segment], offset: usize) -> Vec<(usize, String)> {
    segments
        .iter()
        .enumerate()
        .filter_map(|(i, s)| s.param().map(|n| (offset + i, n.to_string())))
        .collect()
}

impl Api {
    /// Derives the model of the contracts.
    pub fn new(contracts: Vec<Contract>) -> Api {
        let shapes: Vec<(usize, usize, Shape<'_>)> = contracts
            .iter()
            .enumerate()
            .flat_map(|(c, contract)| {
                contract
                    .operations
                    .iter()
                    .enumerate()
                    .map(move |(o, op)| (c, o, Shape::of(&op.path)))
            })
            .collect();
        let named: HashSet<String> = shapes
            .iter()
            .map(|(_, _, s)| shape_key(s.collection()))
            .collect();
        // Collections whose items a POST creates: a scope naming one of
        // their items (`communities/{communityId}`) selects real, distinct
        // collections and is never dropped.
        let created: HashSet<String> = shapes
            .iter()
            .filter(|(c, o, s)| {
                let op = &contracts[*c].operations[*o];
                op.method == Method::Post && !s.item && !is_query(&contracts[*c], op)
            })
            .map(|(_, _, s)| shape_key(s.collection()))
            .collect();

        let mut resources: Vec<Resource> = Vec::new();
        let mut by_collection: HashMap<String, usize> = HashMap::new();
        // Lookups by key keep the derivation linear in the operations.
        let mut by_key: HashMap<String, usize> = HashMap::new();
        let mut placed: Vec<Placed> = Vec::new();
        for (c, o, shape) in &shapes {
            let coll = shape.collection();
            let mut strip = 0;
            while coll.len() - strip > 2
                && matches!(coll[strip], Segment::Literal(_))
                && matches!(coll[strip + 1], Segment::Param(_))
                && named.contains(&shape_key(&coll[strip + 2..]))
                && !created.contains(&shape_key(&coll[..=strip]))
                && !created.contains(&shape_key(&coll[strip..=strip]))
            {
                strip += 2;
            }
            let kept = &coll[strip..];
            let rkey = shape_key(kept);
            let resource = match by_key.get(&rkey) {
                Some(&r) => r,
                None => {
                    by_key.insert(rkey.clone(), resources.len());
                    resources.push(Resource {
                        key: rkey,
                        item_type: None,
                        parent: None,
                        descendants: Vec::new(),
                        kind: Kind::View,
                        scope_names: param_positions(kept, 0)
                            .into_iter()
                            .map(|(_, n)| n)
                            .collect(),
                        create: Vec::new(),
                        list: Vec::new(),
                        count: Vec::new(),
                        get: Vec::new(),
                        put: Vec::new(),
                        delete: Vec::new(),
                    });
                    resources.len() - 1
                }
            };
            by_collection.entry(shape_key(coll)).or_insert(resource);
            let scope = param_positions(kept, shape.base + strip)
                .into_iter()
                .map(|(i, _)| i)
                .collect();
            let id = shape.item.then_some(shape.base + shape.collection_len);
            let checked = param_positions(shape.segments, 0)
                .into_iter()
                .filter(|(i, _)| Some(*i) != id)
                .collect();
            placed.push((OpKey { doc: *c, op: *o }, resource, scope, id, checked));
        }
        drop(shapes);

        for (key, r, _, id, _) in &placed {
            let contract = &contracts[key.doc];
            let op = &contract.operations[key.op];
            let res = &mut resources[*r];
            let lists = success(contract, op).list;
            let role = match (op.method, id.is_some()) {
                (Method::Post, false) if !is_query(contract, op) => Some(&mut res.create),
                (Method::Get, false) if lists => Some(&mut res.list),
                (Method::Get, true) => Some(&mut res.get),
                (Method::Put, true) => Some(&mut res.put),
                (Method::Delete, true) => Some(&mut res.delete),
                _ => None,
            };
            if let Some(role) = role {
                role.push(*key);
            }
        }
        for (key, r, _, id, _) in &placed {
            let op = &contracts[key.doc].operations[key.op];
            if op.method == Method::Head && id.is_none() && !resources[*r].list.is_empty() {
                resources[*r].count.push(*key);
            }
        }
        let mut by_resource: Vec<Vec<usize>> = vec![Vec::new(); resources.len()];
        for (i, p) in placed.iter().enumerate() {
            by_resource[p.1].push(i);
        }
        for (r, resource) in resources.iter_mut().enumerate() {
            // A POST to an item's own path ("Get Or Create") adds under an
            // id the caller chooses, as a PUT does.
            let posts_at_item = by_resource[r].iter().any(|&i| {
                let (key, _, _, id, _) = &placed[i];
                let op = &contracts[key.doc].operations[key.op];
                id.is_some() && op.method == Method::Post && says_it_adds(op)
            });
            resource.kind = if !resource.create.is_empty() {
                Kind::Owned
            } else if !resource.put.is_empty() || posts_at_item {
                Kind::Attached
            } else {
                Kind::View
            };
            // An item read names the item best; a create may answer with a
            // wrapper around it (`HybridClientCreateResponse`).
            let mut mine: Vec<&Placed> = by_resource[r].iter().map(|&i| &placed[i]).collect();
            mine.sort_by_key(|(key, _, _, id, _)| {
                match (contracts[key.doc].operations[key.op].method, id.is_some()) {
                    (Method::Get, true) => 0,
                    (Method::Get, false) => 1,
                    (Method::Put, _) => 2,
                    _ => 3,
                }
            });
            resource.item_type = mine.iter().find_map(|(key, _, _, id, _)| {
                item_type(&contracts[key.doc], key.op, id.is_some())
            });
        }

        // The parent is the longest other key that this one extends by an
        // item id (`communities` for `communities/{}/roles`): each prefix
        // ending before a `/{}/` is looked up, so this stays linear.
        for (r, resource) in resources.iter_mut().enumerate() {
            let key = &resource.key;
            resource.parent = key
                .match_indices("/{}/")
                .map(|(at, _)| &key[..at])
                .filter_map(|prefix| by_key.get(prefix).copied())
                .filter(|&p| p != r)
                .last();
        }
        let mut children: Vec<Vec<usize>> = vec![Vec::new(); resources.len()];
        for (r, resource) in resources.iter().enumerate() {
            if let Some(p) = resource.parent {
                children[p].push(r);
            }
        }
        for r in 0..resources.len() {
            let mut all = Vec::new();
            let mut todo = children[r].clone();
            while let Some(d) = todo.pop() {
                all.push(d);
                todo.extend(&children[d]);
            }
            all.sort_unstable();
            resources[r].descendants = all;
        }

        let mut ops: Vec<Vec<OpModel>> = contracts.iter().map(|_| Vec::new()).collect();
        let owned_ids = owned_id_params(&contracts, &resources, &placed);
        for (key, resource, scope, id, checked) in placed {
            let contract = &contracts[key.doc];
            let op = &contract.operations[key.op];
            let created_id = resources[resource]
                .create
                .contains(&key)
                .then(|| created_id(contract, op, resources[resource].item_type.as_deref()));
            ops[key.doc].push(OpModel {
                created_id,
                resource,
                scope,
                id,
                checked,
                success: success(contract, op),
                existence: existence(op, |p| owned_ids.contains(&(key, p.to_string()))),
            });
        }
        let mut api = Api {
            contracts,
            resources,
            ops,
            by_collection,
        };
        // The id a write adds an item under names nothing beforehand: that
        // is what the write is for, whatever the 404 row says.
        let adds: Vec<OpKey> = api.keys().filter(|k| api.adds_at_id(*k)).collect();
        for k in adds {
            let op = &api.contracts[k.doc].operations[k.op];
            if let Some(p) = api.ops[k.doc][k.op].id_param(op).map(str::to_string) {
                api.ops[k.doc][k.op].existence.retain(|e| e.param != p);
            }
        }
        api
    }

    /// The model of one operation.
    pub fn op(&self, key: OpKey) -> &OpModel {
        &self.ops[key.doc][key.op]
    }

    /// The operation itself.
    pub fn operation(&self, key: OpKey) -> &Operation {
        &self.contracts[key.doc].operations[key.op]
    }

    /// The resource an operation acts on.
    pub fn resource_of(&self, key: OpKey) -> &Resource {
        &self.resources[self.op(key).resource]
    }

    /// The resource whose items the path parameter `name` of `key`'s path
    /// names: the path before `name` is its collection path, in any
    /// document and under any version prefix.
    pub fn owner(&self, key: OpKey, name: &str) -> Option<&Resource> {
        self.owner_index(key, name).map(|r| &self.resources[r])
    }

    /// The index of [`owner`](Self::owner).
    pub fn owner_index(&self, key: OpKey, name: &str) -> Option<usize> {
        let path = &self.operation(key).path;
        let at = path.position(name)?;
        let base = path.base_len();
        let collection = path.segments().get(base..at)?;
        if collection.is_empty() {
            return None;
        }
        self.by_collection.get(&shape_key(collection)).copied()
    }

    /// Path parameters whose items no operation both creates and deletes,
    /// so that a suite cannot make them: values must be given (`tenantId`, or a
    /// `namespaceId` that is only listed). In the order first met.
    pub fn free_params(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for key in self.keys() {
            for name in self.operation(key).path.params() {
                // A suite makes items where it can create and delete them.
                let owned = self
                    .owner(key, name)
                    .is_some_and(|r| !r.create.is_empty() && !r.delete.is_empty());
                if !owned && !out.iter().any(|o| o == name) {
                    out.push(name.to_string());
                }
            }
        }
        out
    }

    /// Whether operation `key` adds an item under the id its path names,
    /// as the docs describe items of a collection with no create by POST:
    /// a POST or PUT to the item's own path that says it makes the item
    /// ([`says_it_adds`]: "Get Or Create", "Create Or Update").
    pub fn adds_at_id(&self, key: OpKey) -> bool {
        let (op, model) = (self.operation(key), self.op(key));
        let resource = &self.resources[model.resource];
        if model.id.is_none() || !resource.create.is_empty() || resource.kind == Kind::View {
            return false;
        }
        matches!(op.method, Method::Post | Method::Put) && says_it_adds(op)
    }

    /// The id parameter of resource `r`'s item paths (`roleId`), as its
    /// first item operation names it.
    pub fn item_param(&self, r: usize) -> Option<&str> {
        let res = &self.resources[r];
        res.get
            .iter()
            .chain(&res.put)
            .chain(&res.delete)
            .find_map(|k| self.op(*k).id_param(self.operation(*k)))
    }

    /// Every operation key, in document then operation order.
    pub fn keys(&self) -> impl Iterator<Item = OpKey> + '_ {
        self.ops
            .iter()
            .enumerate()
            .flat_map(|(doc, ops)| (0..ops.len()).map(move |op| OpKey { doc, op }))
    }
}

/// Whether a write to an item's own path says it makes the item: it
/// documents 201, or its name says it creates ("Get Or Create", "Create
/// Or Update"). A POST that only queries there ("Get Data Items by
/// Query") makes nothing.
fn says_it_adds(op: &Operation) -> bool {
    op.response(201).is_some() || op.id.to_ascii_lowercase().contains("create")
}

/// The (operation, parameter) pairs whose parameter names an item of a
/// resource created by POST: the operation's own item id, or a parent's.
fn owned_id_params(
    contracts: &[Contract],
    resources: &[Resource],
    placed: &[Placed],
) -> HashSet<(OpKey, String)> {
    let mut out = HashSet::new();
    for (key, r, scope, id, _) in placed {
        let segments = contracts[key.doc].operations[key.op].path.segments();
        let name_at = |pos: usize| segments.get(pos).and_then(Segment::param);
        if let Some(name) = id.and_then(name_at) {
            if resources[*r].kind == Kind::Owned {
                out.insert((*key, name.to_string()));
            }
        }
        // Each ancestor's item id is the scope value right after its own
        // scope, as the reference server reads it.
        let mut child = &resources[*r];
        while let Some(p) = child.parent {
            let parent = &resources[p];
            let k = parent.scope_names.len();
            if let Some(name) = scope.get(k).copied().and_then(name_at) {
                if parent.kind == Kind::Owned {
                    out.insert((*key, name.to_string()));
                }
            }
            child = parent;
        }
    }
    out
}

/// Whether a POST on a collection is a query rather than a create: it
/// answers with an array, or with a page of results (`{"Results": [...]}`).
/// An item with one array member (a community and its tenants) is no page.
fn is_query(contract: &Contract, op: &Operation) -> bool {
    match success(contract, op).body {
        Some(TypeRef::Array(_)) => true,
        Some(TypeRef::Ref(name)) => list_member(contract, &name)
            .is_some_and(|(member, _)| member.eq_ignore_ascii_case("Results")),
        _ => false,
    }
}

/// Where a create's answer holds the new item's id: `/Id` of the answer
/// itself, unless the answer is another definition whose `Id` has another
/// type than the item's and one of whose members is the item.
fn created_id(contract: &Contract, op: &Operation, item: Option<&str>) -> String {
    let plain = "/Id".to_string();
    let (Some(item), Some(TypeRef::Ref(answer))) = (item, success(contract, op).body) else {
        return plain;
    };
    if answer == item {
        return plain;
    }
    let (Some(answer_def), Some(item_def)) =
        (contract.definition(&answer), contract.definition(item))
    else {
        return plain;
    };
    let id_type = |d: &crate::spec::Definition| d.property("Id").map(|p| p.ty.clone());
    if id_type(answer_def).is_some() && id_type(answer_def) == id_type(item_def) {
        return plain;
    }
    answer_def
        .properties()
        .iter()
        .find(|p| p.ty.referenced() == Some(item) && !matches!(p.ty, TypeRef::Array(_)))
        .map_or(plain, |p| format!("/{}/Id", p.name))
}

/// The definition of one item, as an operation of the resource names it:
/// the body of an item read, a create or an update, or the element of a
/// list (bare, or inside a results wrapper).
fn item_type(contract: &Contract, op: usize, item: bool) -> Option<String> {
    let op = &contract.operations[op];
    let body = op
        .responses
        .iter()
        .find(|r| (200..300).contains(&r.status))?
        .body
        .as_ref()?;
    match (op.method, item, body) {
        (Method::Get | Method::Put | Method::Post, true, TypeRef::Ref(name))
        | (Method::Post, false, TypeRef::Ref(name)) => Some(name.clone()),
        (Method::Get, false, TypeRef::Array(inner)) => inner.referenced().map(str::to_string),
        (Method::Get, false, TypeRef::Ref(wrapper)) => list_member(contract, wrapper)
            .and_then(|(_, inner)| inner.referenced())
            .map(str::to_string),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seeds() -> Api {
        Api::new(crate::spec::load_all(&["specs"]).unwrap())
    }

    fn resource<'a>(api: &'a Api, key: &str) -> &'a Resource {
        api.resources
            .iter()
            .find(|r| r.key == key)
            .unwrap_or_else(|| panic!("no resource {key}"))
    }

    fn find(api: &Api, id: &str) -> OpKey {
        api.keys()
            .find(|k| api.operation(*k).id == id)
            .unwrap_or_else(|| panic!("no operation {id}"))
    }

    #[test]
    fn seed_documents_form_the_expected_resources() {
        let api = seeds();
        let mut k: Vec<&str> = api.resources.iter().map(|r| r.key.as_str()).collect();
        k.sort();
        assert_eq!(
            k,
            [
                "communities",
                "communities/{}/roles",
                "communities/{}/tenants/{}/identityproviders/{}/groups",
                "tenants/{}/roles",
                "tenants/{}/roles/{}/clientcredentialclients",
                "tenants/{}/roles/{}/users",
            ]
        );
        let communities = resource(&api, "communities");
        assert_eq!(communities.kind, Kind::Owned);
        assert_eq!(communities.item_type.as_deref(), Some("Community"));
        assert_eq!(communities.descendants.len(), 2);

        let groups = resource(
            &api,
            "communities/{}/tenants/{}/identityproviders/{}/groups",
        );
        assert_eq!(groups.kind, Kind::Attached);
        assert!(groups.create.is_empty() && groups.creatable());
        assert!(!groups.list.is_empty(), "Results is the list member");
        assert!(!groups.count.is_empty());
        assert_eq!(
            groups.scope_names,
            ["communityId", "tenantId", "identityProviderId"]
        );
        assert_eq!(api.resources[groups.parent.unwrap()].key, "communities");

        let users = resource(&api, "tenants/{}/roles/{}/users");
        assert_eq!(users.kind, Kind::View);
        assert_eq!(users.item_type.as_deref(), Some("User"));

        let roles = resource(&api, "tenants/{}/roles");
        assert_eq!(roles.kind, Kind::Owned);
        let name = |ops: &[OpKey]| {
            ops.iter()
                .map(|k| api.operation(*k).id.as_str())
                .collect::<Vec<_>>()
        };
        assert_eq!(name(&roles.create), ["Roles_Create Role on Tenant"]);
        assert_eq!(name(&roles.list), ["Roles_List Roles"]);
        assert_eq!(name(&roles.count), ["Roles_Get Header for Roles"]);
        assert_eq!(name(&roles.get), ["Roles_Get Role"]);
        assert_eq!(name(&roles.put), ["Roles_Update Role on Tenant"]);
        assert_eq!(name(&roles.delete), ["Roles_Delete Tenant Role"]);
        assert_eq!(resource(&api, "communities/{}/roles").kind, Kind::View);
    }

    #[test]
    fn both_versions_of_communities_share_a_resource() {
        let api = seeds();
        let communities = resource(&api, "communities");
        let docs: HashSet<usize> = communities.get.iter().map(|k| k.doc).collect();
        assert!(docs.len() >= 2, "v1 and v1-preview documents");
        let v1 = communities
            .get
            .iter()
            .find(|k| api.operation(**k).path.as_str().contains("/v1/"))
            .unwrap();
        let m = api.op(*v1);
        assert!(m.scope.is_empty(), "the tenant scope is dropped");
        assert_eq!(m.checked, [(3, "tenantId".to_string())]);
        assert_eq!(m.id, Some(5));
        assert_eq!(m.id_param(api.operation(*v1)), Some("communityId"));
    }

    #[test]
    fn a_scope_pair_is_kept_when_no_operation_names_the_rest() {
        let mut contract = crate::spec::parse_str("x.md", "");
        let op = |path: &str| Operation {
            id: path.to_string(),
            summary: String::new(),
            description: None,
            method: Method::Get,
            path: path.into(),
            path_params: Vec::new(),
            query_params: Vec::new(),
            request_body: None,
            responses: Vec::new(),
            roles: Vec::new(),
            line: 1,
        };
        contract.operations = vec![
            op("/api/v1/Tenants/{tenantId}/Widgets"),
            op("/api/v1/Gadgets"),
            op("/api/v2/Tenants/{tenantId}/Gadgets/{gadgetId}"),
        ];
        let api = Api::new(vec![contract]);
        let mut k: Vec<&str> = api.resources.iter().map(|r| r.key.as_str()).collect();
        k.sort();
        assert_eq!(k, ["gadgets", "tenants/{}/widgets"]);
    }

    #[test]
    fn owners_are_found_across_documents() {
        let api = seeds();
        let key = find(&api, "Roles_List instanced Roles for a Community");
        let owner = api.owner(key, "communityId").expect("owner");
        assert_eq!(owner.key, "communities");
        assert!(!owner.create.is_empty());
        assert!(api.owner(key, "tenantId").is_none());
    }

    #[test]
    fn a_create_answering_a_wrapper_names_where_the_new_id_is() {
        let docs = crate::spec::load_all(&["fixtures/corpus/identity/identity-hybrid-clients.md"])
            .unwrap();
        let api = Api::new(docs);
        let create = find(&api, "HybridClients_Create Hybrid Client");
        assert_eq!(
            api.resource_of(create).item_type.as_deref(),
            Some("HybridClient")
        );
        assert_eq!(api.op(create).created_id.as_deref(), Some("/Client/Id"));
        let seeds = seeds();
        let roles = find(&seeds, "Roles_Create Role on Tenant");
        assert_eq!(seeds.op(roles).created_id.as_deref(), Some("/Id"));
        assert_eq!(seeds.op(find(&seeds, "Roles_Get Role")).created_id, None);
    }

    #[test]
    fn unknown_ids_are_checked_where_the_docs_say() {
        let api = seeds();
        let get = find(&api, "Roles_Get Role");
        assert_eq!(api.op(get).missing("roleId"), [404]);
        let add = api
            .keys()
            .find(|k| api.operation(*k).summary == "Add Group to a Community")
            .unwrap();
        assert!(api.op(add).missing("groupId").is_empty());
        assert_eq!(api.op(add).missing("communityId"), [404]);
    }

    /// Every POST to an item path was taken for "Get Or Create", so a
    /// query POST (`…/dataitems/{queryId}`) made its collection one the
    /// suite adds to: the server stored a made-up item and runs against a
    /// server of one's own left the query unrun as a write.
    #[test]
    fn regression_a_query_post_to_an_item_path_was_an_add() {
        let api = Api::new(
            crate::spec::load_all(&[
                "fixtures/corpus/family/data-views/data-views-preview-data-views-resolved.md",
                "fixtures/corpus/family/sequential-data-store/sds-types.md",
            ])
            .unwrap(),
        );
        let query = api
            .keys()
            .find(|k| {
                let op = api.operation(*k);
                op.method == Method::Post && op.id.contains("by Query")
            })
            .expect("a query POST");
        assert!(!api.adds_at_id(query));
        assert_eq!(api.resource_of(query).kind, Kind::View);
        let types = find(&api, "Type_Get Or Create Type");
        assert!(api.adds_at_id(types));
        assert_eq!(api.resource_of(types).kind, Kind::Attached);
    }
}
