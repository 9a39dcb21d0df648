//! Resources inferred from paths: a collection path with an item path below
//! it (`/Roles` and `/Roles/{roleId}`), the operations that create, read,
//! list, count, update and delete its items, and which path parameter
//! names an item. This is how the plan knows that the `Id` a POST answers
//! with feeds `{roleId}` of the item path and of paths nested below it.

use crate::spec::{Contract, Method, Operation, TypeRef};

/// One resource of one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resource {
    /// Index of the contract.
    pub doc: usize,
    /// The collection path template (`/api/v1/Tenants/{tenantId}/Roles`).
    pub collection: String,
    /// The item path template (`.../Roles/{roleId}`).
    pub item: String,
    /// The parameter naming an item (`roleId`).
    pub id_param: String,
    /// `POST collection`.
    pub create: Option<usize>,
    /// `GET collection` answering with a list.
    pub list: Option<usize>,
    /// `HEAD collection`, a count of the list.
    pub count: Option<usize>,
    /// `GET item`.
    pub get: Option<usize>,
    /// `PUT item`: an update when there is a create, else the way items
    /// are added under an id the caller chooses.
    pub put: Option<usize>,
    /// `DELETE item`.
    pub delete: Option<usize>,
}

impl Resource {
    /// Whether the suite can make items itself: by POST, or by PUT under an
    /// id it was given.
    pub fn creatable(&self) -> bool {
        self.create.is_some() || (self.put.is_some() && self.delete.is_some())
    }
}

/// Every resource of every contract, with lookups by path.
#[derive(Debug, Clone, Default)]
pub struct Resources {
    /// All resources, in document then path order.
    pub all: Vec<Resource>,
}

/// Splits a path template into segments, dropping empty ones.
pub fn segments(path: &str) -> Vec<&str> {
    path.split('/').filter(|s| !s.is_empty()).collect()
}

/// The parameter name of a `{name}` segment.
pub fn param_name(segment: &str) -> Option<&str> {
    segment.strip_prefix('{').and_then(|s| s.strip_suffix('}'))
}

/// Whether two path templates name the same path: literal segments equal
/// ignoring ASCII case (the docs spell `Tenants` and `tenants`), parameter
/// segments equal by name.
pub fn same_path(a: &str, b: &str) -> bool {
    let (a, b) = (segments(a), segments(b));
    a.len() == b.len()
        && a.iter()
            .zip(&b)
            .all(|(x, y)| match (param_name(x), param_name(y)) {
                (Some(p), Some(q)) => p == q,
                (None, None) => x.eq_ignore_ascii_case(y),
                _ => false,
            })
}

/// The path template up to and including the segment of parameter `name`.
pub fn prefix_through(path: &str, name: &str) -> Option<String> {
    let segs = segments(path);
    let at = segs.iter().position(|s| param_name(s) == Some(name))?;
    Some(format!("/{}", segs[..=at].join("/")))
}

/// The path template without its last segment.
pub fn parent(path: &str) -> String {
    let segs = segments(path);
    format!("/{}", segs[..segs.len().saturating_sub(1)].join("/"))
}

/// Whether the operation's success answer is a list: an array, or an
/// object whose one array member holds the items (`Results`).
pub fn answers_list(contract: &Contract, op: &Operation) -> bool {
    op.responses
        .iter()
        .filter(|r| (200..300).contains(&r.status))
        .filter_map(|r| r.body.as_ref())
        .any(|body| match body {
            TypeRef::Array(_) => true,
            TypeRef::Ref(name) => contract.results_member(name).is_some(),
            _ => false,
        })
}

impl Resources {
    /// Infers the resources of every contract.
    pub fn infer(contracts: &[Contract]) -> Resources {
        let mut all = Vec::new();
        for (doc, c) in contracts.iter().enumerate() {
            let mut items: Vec<String> = Vec::new();
            for op in &c.operations {
                let segs = segments(&op.path);
                let last_is_param = segs.last().and_then(|s| param_name(s)).is_some();
                if last_is_param && !items.iter().any(|i| same_path(i, &op.path)) {
                    items.push(op.path.to_string());
                }
            }
            for item in items {
                let segs = segments(&item);
                let Some(id_param) = segs.last().and_then(|s| param_name(s)) else {
                    continue;
                };
                let collection = parent(&item);
                let find = |method: Method, path: &str| {
                    c.operations
                        .iter()
                        .position(|o| o.method == method && same_path(&o.path, path))
                };
                let list =
                    find(Method::Get, &collection).filter(|&i| answers_list(c, &c.operations[i]));
                all.push(Resource {
                    doc,
                    id_param: id_param.to_string(),
                    create: find(Method::Post, &collection),
                    list,
                    count: list.and(find(Method::Head, &collection)),
                    get: find(Method::Get, &item),
                    put: find(Method::Put, &item),
                    delete: find(Method::Delete, &item),
                    collection,
                    item,
                });
            }
        }
        Resources { all }
    }

    /// The resource whose item path is the prefix of `path` through the
    /// parameter `name`, looking in every document, preferring `doc`
    /// itself, then resources the suite can create.
    pub fn owning(&self, doc: usize, path: &str, name: &str) -> Option<&Resource> {
        let prefix = prefix_through(path, name)?;
        let mut found: Vec<&Resource> = self
            .all
            .iter()
            .filter(|r| r.id_param == name && same_path(&r.item, &prefix))
            .collect();
        found.sort_by_key(|r| (r.doc != doc, !r.creatable(), r.create.is_none()));
        found.first().copied()
    }

    /// The resource whose collection or item path is `path` in `doc`.
    pub fn at(&self, doc: usize, path: &str) -> Option<&Resource> {
        self.all
            .iter()
            .find(|r| r.doc == doc && (same_path(&r.collection, path) || same_path(&r.item, path)))
    }
}

/// The list operation (in any document) whose path is the collection that
/// holds the items named by `name` in `path`: how an existing id is found.
pub fn discovery(contracts: &[Contract], path: &str, name: &str) -> Option<(usize, usize)> {
    let collection = parent(&prefix_through(path, name)?);
    contracts.iter().enumerate().find_map(|(d, c)| {
        c.operations
            .iter()
            .position(|o| {
                o.method == Method::Get && same_path(&o.path, &collection) && answers_list(c, o)
            })
            .map(|o| (d, o))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seeds() -> Vec<Contract> {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/specs");
        crate::spec::load_all(&[dir]).expect("specs load")
    }

    #[test]
    fn paths_compare_by_segment_ignoring_literal_case() {
        assert!(same_path("/a/Tenants/{t}/Roles", "/a/tenants/{t}/roles"));
        assert!(!same_path("/a/Tenants/{t}/Roles", "/a/Tenants/{x}/Roles"));
        assert!(!same_path("/a/b", "/a/b/c"));
        assert!(!same_path("/a/{b}", "/a/b"));
        assert_eq!(
            prefix_through("/x/{a}/y/{b}/z", "b").as_deref(),
            Some("/x/{a}/y/{b}")
        );
        assert_eq!(prefix_through("/x/{a}", "c"), None);
        assert_eq!(parent("/x/{a}/y"), "/x/{a}");
    }

    #[test]
    fn the_seeds_have_the_expected_resources() {
        let contracts = seeds();
        let r = Resources::infer(&contracts);
        let roles = r
            .all
            .iter()
            .find(|r| r.item == "/api/v1/Tenants/{tenantId}/Roles/{roleId}")
            .expect("tenant roles");
        assert_eq!(roles.id_param, "roleId");
        let ops = &contracts[roles.doc].operations;
        let name = |i: Option<usize>| i.map(|i| ops[i].id.as_str());
        assert_eq!(name(roles.create), Some("Roles_Create Role on Tenant"));
        assert_eq!(name(roles.list), Some("Roles_List Roles"));
        assert_eq!(name(roles.count), Some("Roles_Get Header for Roles"));
        assert_eq!(name(roles.get), Some("Roles_Get Role"));
        assert_eq!(name(roles.put), Some("Roles_Update Role on Tenant"));
        assert_eq!(name(roles.delete), Some("Roles_Delete Tenant Role"));

        let groups = r
            .all
            .iter()
            .find(|r| r.id_param == "groupId")
            .expect("groups");
        assert_eq!(groups.create, None, "groups are added by PUT");
        assert!(groups.creatable());
        assert!(groups.list.is_some(), "Results is the list member");
        assert!(groups.count.is_some());
    }

    #[test]
    fn nested_parameters_are_owned_across_documents() {
        let contracts = seeds();
        let r = Resources::infer(&contracts);
        let doc = contracts
            .iter()
            .position(|c| c.title.as_deref() == Some("Identity/communities-roles"))
            .expect("communities-roles");
        let path = &contracts[doc].operations[0].path;
        let owner = r.owning(doc, path, "communityId").expect("owner");
        assert_ne!(
            owner.doc, doc,
            "the community is created by another document"
        );
        assert_eq!(owner.item, "/api/v1-preview/Communities/{communityId}");
        assert!(owner.create.is_some());
        assert_eq!(r.owning(doc, path, "tenantId"), None);
    }

    #[test]
    fn existing_ids_are_found_through_the_collection_list() {
        let contracts = seeds();
        let users = "/api/v1/Tenants/{tenantId}/Roles/{roleId}/users";
        let (d, o) = discovery(&contracts, users, "roleId").expect("list roles");
        assert_eq!(contracts[d].operations[o].id, "Roles_List Roles");
        assert_eq!(discovery(&contracts, users, "tenantId"), None);
    }
}
