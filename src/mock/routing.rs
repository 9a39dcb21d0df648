//! From documented paths to resources, and from request paths to routes.
//!
//! A path template is read as segments after its prefix (`/api/v1`, any
//! `api` segment and one version segment such as `v1` or `v1-preview`). A
//! template ending in a parameter is an item path; the rest of it is the
//! collection path. Collection and item paths with the same collection form
//! one resource, keyed by the collection path with literals lower-cased and
//! parameters written `{}`.
//!
//! Scopes that another version leaves out: when a collection path starts
//! with a literal-and-parameter pair (`tenants/{tenantId}`) and what follows
//! is itself the collection path of another operation (`communities`), the
//! pair is dropped, repeatedly. Both then name one resource and share one
//! store; the dropped parameters are still checked against the fixture but
//! no longer select a collection. A pair is kept where no other operation
//! names the rest (`tenants/{tenantId}/roles` stays as it is).
//!
//! A resource whose key extends another's item path (`communities/{}/…`)
//! is nested under it: its items live under the parent item and go with it.

use std::collections::HashSet;

use crate::spec::{Contract, Method, Operation, TypeRef};

/// One segment of a path template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Segment {
    /// A fixed word, compared without regard to ASCII case.
    Literal(String),
    /// A `{name}` placeholder.
    Param(String),
}

/// How the items of a resource come to exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// POST creates them.
    Owned,
    /// No POST, but PUT on an item path attaches an existing fixture object.
    Attached,
    /// Read only: the items are the known objects of the item type that
    /// name the parent (`RoleIds` containing the `roleId` of the path).
    View,
}

/// A collection and its items, shared by every operation that names it.
#[derive(Debug, Clone)]
pub(crate) struct Resource {
    /// The normalised collection path (`communities/{}/roles`).
    pub key: String,
    /// The definition of one item, where an operation names it.
    pub item_type: Option<String>,
    /// The resource this one is nested under.
    pub parent: Option<usize>,
    /// Resources nested under this one, at any depth.
    pub descendants: Vec<usize>,
    /// How items come to exist.
    pub kind: Kind,
    /// Parameter names of the collection path, in order (from the first
    /// operation that names it).
    pub scope_names: Vec<String>,
}

/// One operation, ready to match requests.
#[derive(Debug, Clone)]
pub(crate) struct Route {
    /// Index of the contract.
    pub contract: usize,
    /// Index of the operation in its contract.
    pub operation: usize,
    /// The documented method.
    pub method: Method,
    /// The whole template.
    pub segments: Vec<Segment>,
    /// The resource the operation acts on.
    pub resource: usize,
    /// Segment positions of the resource's scope values.
    pub scope: Vec<usize>,
    /// Segment position of the item id, for item paths.
    pub id: Option<usize>,
    /// Segment positions and names of every parameter except the item id:
    /// values the fixture may restrict.
    pub checked: Vec<(usize, String)>,
}

/// The served API: contracts, their routes and resources.
#[derive(Debug)]
pub(crate) struct Api {
    /// The loaded documents.
    pub contracts: Vec<Contract>,
    /// One route per operation.
    pub routes: Vec<Route>,
    /// Resources by index.
    pub resources: Vec<Resource>,
}

/// What became of matching a request path.
pub(crate) enum Match<'a> {
    /// The route and the request's path segments.
    Found(&'a Route, Vec<&'a str>),
    /// The path is documented, but not for this method.
    WrongMethod(Vec<Method>),
    /// No operation has this path.
    NotFound,
}

/// Splits a template into segments.
pub(crate) fn template(path: &str) -> Vec<Segment> {
    path.split('/')
        .filter(|s| !s.is_empty())
        .map(
            |s| match s.strip_prefix('{').and_then(|r| r.strip_suffix('}')) {
                Some(name) => Segment::Param(name.to_string()),
                None => Segment::Literal(s.to_string()),
            },
        )
        .collect()
}

/// Whether a literal names an API version: `v1`, `v2.1`, `v1-preview`.
fn is_version(s: &str) -> bool {
    let Some(rest) = s.strip_prefix(['v', 'V']) else {
        return false;
    };
    let digits = rest.chars().take_while(char::is_ascii_digit).count();
    digits > 0 && matches!(rest[digits..].chars().next(), None | Some('-' | '.' | '_'))
}

/// How many leading segments are prefix: `api` and one version segment.
fn prefix_len(segments: &[Segment]) -> usize {
    let mut n = 0;
    if matches!(segments.first(), Some(Segment::Literal(s)) if s.eq_ignore_ascii_case("api")) {
        n = 1;
    }
    if matches!(segments.get(n), Some(Segment::Literal(s)) if is_version(s)) {
        n += 1;
    }
    n
}

/// The key of a run of segments.
fn key(segments: &[Segment]) -> String {
    segments
        .iter()
        .map(|s| match s {
            Segment::Literal(l) => l.to_ascii_lowercase(),
            Segment::Param(_) => "{}".to_string(),
        })
        .collect::<Vec<_>>()
        .join("/")
}

fn param_positions(segments: &[Segment], offset: usize) -> Vec<(usize, String)> {
    segments
        .iter()
        .enumerate()
        .filter_map(|(i, s)| match s {
            Segment::Param(name) => Some((offset + i, name.clone())),
            Segment::Literal(_) => None,
        })
        .collect()
}

/// The operation's parts: template, prefix length, whether it is an item
/// path, and the collection segments.
struct Shape {
    segments: Vec<Segment>,
    base: usize,
    item: bool,
    collection_len: usize,
}

impl Shape {
    fn of(op: &Operation) -> Shape {
        let segments = template(&op.path);
        let base = prefix_len(&segments);
        let rel = &segments[base..];
        let item = rel.len() >= 2 && matches!(rel.last(), Some(Segment::Param(_)));
        let collection_len = if item { rel.len() - 1 } else { rel.len() };
        Shape {
            segments,
            base,
            item,
            collection_len,
        }
    }

    fn collection(&self) -> &[Segment] {
        &self.segments[self.base..self.base + self.collection_len]
    }
}

impl Api {
    /// Reads the contracts into routes and resources.
    pub fn new(contracts: Vec<Contract>) -> Api {
        let mut shapes = Vec::new();
        for (c, contract) in contracts.iter().enumerate() {
            for (o, op) in contract.operations.iter().enumerate() {
                shapes.push((c, o, Shape::of(op)));
            }
        }
        let named: HashSet<String> = shapes.iter().map(|(_, _, s)| key(s.collection())).collect();

        let mut resources: Vec<Resource> = Vec::new();
        let mut routes = Vec::new();
        for (c, o, shape) in shapes {
            let coll = shape.collection();
            let mut strip = 0;
            while coll.len() - strip > 2
                && matches!(coll[strip], Segment::Literal(_))
                && matches!(coll[strip + 1], Segment::Param(_))
                && named.contains(&key(&coll[strip + 2..]))
            {
                strip += 2;
            }
            let kept = &coll[strip..];
            let rkey = key(kept);
            let resource = match resources.iter().position(|r| r.key == rkey) {
                Some(r) => r,
                None => {
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
                    });
                    resources.len() - 1
                }
            };
            let scope_offset = shape.base + strip;
            let scope = param_positions(kept, scope_offset)
                .into_iter()
                .map(|(i, _)| i)
                .collect();
            let id = shape.item.then(|| shape.base + shape.collection_len);
            let checked = param_positions(&shape.segments, 0)
                .into_iter()
                .filter(|(i, _)| Some(*i) != id)
                .collect();
            routes.push(Route {
                contract: c,
                operation: o,
                method: contracts[c].operations[o].method,
                segments: shape.segments.clone(),
                resource,
                scope,
                id,
                checked,
            });
        }

        for (r, resource) in resources.iter_mut().enumerate() {
            let mine: Vec<&Route> = routes.iter().filter(|rt| rt.resource == r).collect();
            let post = mine
                .iter()
                .any(|rt| rt.method == Method::Post && rt.id.is_none());
            let attach = mine
                .iter()
                .any(|rt| rt.method == Method::Put && rt.id.is_some());
            resource.kind = if post {
                Kind::Owned
            } else if attach {
                Kind::Attached
            } else {
                Kind::View
            };
            resource.item_type = mine
                .iter()
                .find_map(|rt| item_type(&contracts[rt.contract], rt));
        }

        let keys: Vec<String> = resources.iter().map(|r| r.key.clone()).collect();
        for (r, resource) in resources.iter_mut().enumerate() {
            resource.parent = keys
                .iter()
                .enumerate()
                .filter(|(p, k)| *p != r && resource.key.starts_with(&format!("{k}/{{}}/")))
                .max_by_key(|(_, k)| k.len())
                .map(|(p, _)| p);
            resource.descendants = keys
                .iter()
                .enumerate()
                .filter(|(d, k)| *d != r && k.starts_with(&format!("{}/{{}}/", resource.key)))
                .map(|(d, _)| d)
                .collect();
        }

        Api {
            contracts,
            routes,
            resources,
        }
    }

    /// The operation a route serves.
    pub fn operation(&self, route: &Route) -> &Operation {
        &self.contracts[route.contract].operations[route.operation]
    }

    /// Finds the route for a request. Literals match without regard to
    /// ASCII case; where several templates match, the one with the most
    /// literals wins.
    pub fn find<'a>(&'a self, method: Option<Method>, path: &'a str) -> Match<'a> {
        // Empty segments are kept so that `a//b` cannot pass for `a/{x}`.
        let parts: Vec<&str> = path.strip_prefix('/').unwrap_or(path).split('/').collect();
        let mut best: Option<(&Route, usize)> = None;
        let mut allowed = Vec::new();
        for route in &self.routes {
            let Some(literals) = matches(&route.segments, &parts) else {
                continue;
            };
            if Some(route.method) != method {
                if !allowed.contains(&route.method) {
                    allowed.push(route.method);
                }
                continue;
            }
            if best.is_none_or(|(_, n)| literals > n) {
                best = Some((route, literals));
            }
        }
        match best {
            Some((route, _)) => Match::Found(route, parts),
            None if !allowed.is_empty() => {
                allowed.sort();
                Match::WrongMethod(allowed)
            }
            None => Match::NotFound,
        }
    }
}

/// How many literals of `segments` the path matches, if it matches at all.
fn matches(segments: &[Segment], parts: &[&str]) -> Option<usize> {
    if segments.len() != parts.len() {
        return None;
    }
    let mut literals = 0;
    for (s, p) in segments.iter().zip(parts) {
        match s {
            Segment::Literal(l) if l.eq_ignore_ascii_case(p) => literals += 1,
            Segment::Literal(_) => return None,
            Segment::Param(_) if p.is_empty() => return None,
            Segment::Param(_) => {}
        }
    }
    Some(literals)
}

/// The definition of one item, as an operation of the resource names it:
/// the body of an item read, a create or an update, or the element of a
/// list (bare, or inside a results wrapper).
fn item_type(contract: &Contract, route: &Route) -> Option<String> {
    let op = &contract.operations[route.operation];
    let body = op
        .responses
        .iter()
        .find(|r| (200..300).contains(&r.status))?
        .body
        .as_ref()?;
    match (route.method, route.id.is_some(), body) {
        (Method::Get | Method::Put | Method::Post, true, TypeRef::Ref(name))
        | (Method::Post, false, TypeRef::Ref(name)) => Some(name.clone()),
        (Method::Get, false, TypeRef::Array(inner)) => inner.referenced().map(str::to_string),
        (Method::Get, false, TypeRef::Ref(wrapper)) => list_member(contract, wrapper)
            .and_then(|(_, inner)| inner.referenced())
            .map(str::to_string),
        _ => None,
    }
}

/// The array member of a results wrapper (`Results` of
/// `IdentityProviderResultsOfIdentityProviderGroup`) and its element type.
pub(crate) fn list_member<'c>(
    contract: &'c Contract,
    wrapper: &str,
) -> Option<(&'c str, &'c TypeRef)> {
    contract
        .results_member(wrapper)
        .map(|(p, inner)| (p.name.as_str(), inner))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seeds() -> Api {
        let contracts = crate::spec::load_all(&["specs"]).unwrap();
        Api::new(contracts)
    }

    fn resource<'a>(api: &'a Api, key: &str) -> &'a Resource {
        api.resources
            .iter()
            .find(|r| r.key == key)
            .unwrap_or_else(|| panic!("no resource {key}: {:?}", keys(api)))
    }

    fn keys(api: &Api) -> Vec<&str> {
        api.resources.iter().map(|r| r.key.as_str()).collect()
    }

    #[test]
    fn versions_are_recognised() {
        for v in ["v1", "V2", "v1-preview", "v2.1", "v10"] {
            assert!(is_version(v), "{v}");
        }
        for v in ["v", "value", "vx1", "1", "Communities"] {
            assert!(!is_version(v), "{v}");
        }
    }

    #[test]
    fn seed_documents_form_the_expected_resources() {
        let api = seeds();
        let mut k = keys(&api);
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
        assert_eq!(groups.item_type.as_deref(), Some("IdentityProviderGroup"));
        assert_eq!(
            groups.scope_names,
            ["communityId", "tenantId", "identityProviderId"]
        );
        assert_eq!(api.resources[groups.parent.unwrap()].key, "communities");

        let users = resource(&api, "tenants/{}/roles/{}/users");
        assert_eq!(users.kind, Kind::View);
        assert_eq!(users.item_type.as_deref(), Some("User"));
        assert_eq!(api.resources[users.parent.unwrap()].key, "tenants/{}/roles");

        assert_eq!(resource(&api, "tenants/{}/roles").kind, Kind::Owned);
        assert_eq!(resource(&api, "communities/{}/roles").kind, Kind::View);
    }

    #[test]
    fn both_versions_of_communities_share_a_resource() {
        let api = seeds();
        let Match::Found(v1, _) = api.find(Some(Method::Get), "/api/v1/tenants/t/Communities/x")
        else {
            panic!("v1 path not found")
        };
        let Match::Found(preview, _) = api.find(Some(Method::Get), "/api/v1-preview/communities/x")
        else {
            panic!("preview path not found")
        };
        assert_eq!(v1.resource, preview.resource);
        assert_ne!(v1.contract, preview.contract);
        // The tenant scope is dropped from the store key but still checked.
        assert!(v1.scope.is_empty());
        assert_eq!(v1.checked, [(3, "tenantId".to_string())]);
        assert_eq!(v1.id, Some(5));
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
        let mut k = keys(&api);
        k.sort();
        assert_eq!(k, ["gadgets", "tenants/{}/widgets"]);
    }

    #[test]
    fn matching_reports_wrong_methods_and_unknown_paths() {
        let api = seeds();
        match api.find(Some(Method::Patch), "/api/v1-preview/Communities/x") {
            Match::WrongMethod(m) => assert_eq!(m, [Method::Get, Method::Put, Method::Delete]),
            _ => panic!("expected a wrong method"),
        }
        assert!(matches!(
            api.find(Some(Method::Get), "/nowhere"),
            Match::NotFound
        ));
        assert!(matches!(
            api.find(None, "/api/v1-preview/Communities"),
            Match::WrongMethod(_)
        ));
        assert!(matches!(
            api.find(Some(Method::Get), "/api/v1-preview/Communities//Roles"),
            Match::NotFound
        ));
    }
}
