//! From request paths to operations: every documented path template
//! ([`crate::spec::PathTemplate`]) matched against the request path.
//! What the operation then means (its resource, scope and id) is the
//! shared [`crate::api::Api`] model's.
//!
//! The table is a [`matchit`] router (axum's) built from the templates'
//! segments, one route per path shape: literals lower-cased, parameters
//! named by position, so templates that differ only in parameter names
//! share a route and the same path of two documents (or versions) is one
//! entry. A hit names a shape; its candidates are the operations of that
//! shape and of every shape that can match the same paths (`/a/{x}/c` and
//! `/a/b/{y}`), and [`PathTemplate::matches`](crate::spec::PathTemplate::matches)
//! on the request path as sent decides among them, so the rules stay the
//! template's: literals without regard to ASCII case, the most literals
//! winning, the operation hint breaking ties.
//!
//! matchit cannot express two of those rules, so a linear scan over every
//! template remains behind it: a path holding `%` (a literal may arrive
//! percent-encoded, `Namespaces%7BnamespaceId%7D`, and matchit compares
//! bytes), and a path matchit finds nothing for (no backtracking is
//! assumed, so a miss is confirmed before answering 404). Shapes matchit
//! refuses to hold (a literal it reads as syntax) are scanned with every
//! lookup.
//!
//! The segments a hit hands back are as sent: the path is split on `/`
//! before anything is decoded, so an encoded `%2F` stays inside its value,
//! and the handlers decode each segment once
//! ([`crate::spec::decode_segments`]).

use crate::api::{Api, OpKey};
use crate::spec::{Method, PathTemplate, Segment};

/// One operation, ready to match requests.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Route {
    /// The operation.
    pub key: OpKey,
    /// The documented method.
    pub method: Method,
}

/// What became of matching a request path.
pub(crate) enum Match<'a> {
    /// The route and the request's path segments, as sent (still
    /// percent-encoded).
    Found(Route, Vec<&'a str>),
    /// The path is documented, but not for this method.
    WrongMethod(Vec<Method>),
    /// No operation has this path.
    NotFound,
}

/// Every operation's route, and the table that finds them.
#[derive(Debug)]
pub(crate) struct Routes {
    routes: Vec<Route>,
    /// The route indices, ascending, that can match a path of each shape.
    candidates: Vec<Vec<usize>>,
    /// Lower-cased shape to its index in `candidates`.
    table: matchit::Router<usize>,
    /// [`crate::run::operation_hint`] values to their operations.
    hints: std::collections::HashMap<String, OpKey>,
}

impl Routes {
    /// One route per operation of the model.
    pub fn new(api: &Api) -> Routes {
        let routes: Vec<Route> = api
            .keys()
            .map(|key| Route {
                key,
                method: api.operation(key).method,
            })
            .collect();
        // One entry per shape, in first-seen order.
        let mut shapes: Vec<(&PathTemplate, Vec<usize>)> = Vec::new();
        let mut by_key = std::collections::HashMap::new();
        for (i, route) in routes.iter().enumerate() {
            let path = &api.operation(route.key).path;
            let at = *by_key.entry(path.shape_key()).or_insert_with(|| {
                shapes.push((path, Vec::new()));
                shapes.len() - 1
            });
            shapes[at].1.push(i);
        }
        let mut table = matchit::Router::new();
        let mut unheld = Vec::new();
        for (index, (path, own)) in shapes.iter().enumerate() {
            if table.insert(route_of(path), index).is_err() {
                unheld.extend_from_slice(own);
            }
        }
        let candidates = shapes
            .iter()
            .map(|(path, _)| {
                let mut ids: Vec<usize> = shapes
                    .iter()
                    .filter(|(other, _)| overlap(path, other))
                    .flat_map(|(_, own)| own.iter().copied())
                    .chain(unheld.iter().copied())
                    .collect();
                ids.sort_unstable();
                ids.dedup();
                ids
            })
            .collect();
        let hints = api
            .keys()
            .map(|key| {
                let contract = &api.contracts[key.doc];
                let id = &api.operation(key).id;
                (crate::run::operation_hint(contract, id), key)
            })
            .collect();
        Routes {
            routes,
            candidates,
            table,
            hints,
        }
    }

    /// The operation an [`crate::run::OPERATION_HINT`] value names.
    pub fn hinted(&self, value: &str) -> Option<OpKey> {
        self.hints.get(value).copied()
    }

    /// Finds the route for a request. Literals match without regard to
    /// ASCII case, and one trailing slash is no part of the path (as the
    /// services read it); where several templates match, the one with the
    /// most literals wins, and among equals the operation `hint` names (the
    /// runner's [`crate::run::OPERATION_HINT`]), else the first.
    pub fn find<'a>(
        &self,
        api: &Api,
        method: Option<Method>,
        path: &'a str,
        hint: Option<OpKey>,
    ) -> Match<'a> {
        let path = match path.strip_suffix('/') {
            Some(p) if !p.is_empty() && !p.ends_with('/') => p,
            _ => path,
        };
        if !path.contains('%') {
            if let Ok(hit) = self.table.at(&path.to_ascii_lowercase()) {
                let ids = &self.candidates[*hit.value];
                return self.pick(api, method, path, hint, ids.iter().copied());
            }
        }
        self.pick(api, method, path, hint, 0..self.routes.len())
    }

    /// The best of the `ids` routes for the request, by the rules of
    /// [`find`](Self::find); `ids` ascending, so "first" is document order.
    fn pick<'a>(
        &self,
        api: &Api,
        method: Option<Method>,
        path: &'a str,
        hint: Option<OpKey>,
        ids: impl Iterator<Item = usize>,
    ) -> Match<'a> {
        let mut best: Option<(Route, crate::spec::PathMatch<'a>)> = None;
        let mut allowed = Vec::new();
        for route in ids.map(|i| &self.routes[i]) {
            let Some(m) = api.operation(route.key).path.matches(path) else {
                continue;
            };
            if Some(route.method) != method {
                if !allowed.contains(&route.method) {
                    allowed.push(route.method);
                }
                continue;
            }
            let better = best.as_ref().is_none_or(|(b, bm)| {
                m.literals > bm.literals
                    || (m.literals == bm.literals && Some(route.key) == hint && b.key != route.key)
            });
            if better {
                best = Some((*route, m));
            }
        }
        match best {
            Some((route, m)) => Match::Found(route, m.parts),
            None if !allowed.is_empty() => {
                allowed.sort();
                Match::WrongMethod(allowed)
            }
            None => Match::NotFound,
        }
    }
}

/// The matchit route of a template's shape: lower-cased literals with
/// matchit's braces escaped, parameters named by position.
fn route_of(path: &PathTemplate) -> String {
    let mut out = String::new();
    for (i, segment) in path.segments().iter().enumerate() {
        out.push('/');
        match segment {
            Segment::Literal(l) => {
                for c in l.chars() {
                    match c {
                        '{' => out.push_str("{{"),
                        '}' => out.push_str("}}"),
                        c => out.push(c.to_ascii_lowercase()),
                    }
                }
            }
            Segment::Param(_) => out.push_str(&format!("{{p{i}}}")),
        }
    }
    if out.is_empty() {
        out.push('/');
    }
    out
}

/// Whether some concrete path can match both templates: as many segments,
/// and at every position a parameter on either side or the same literal.
fn overlap(a: &PathTemplate, b: &PathTemplate) -> bool {
    a.segments().len() == b.segments().len()
        && a.segments()
            .iter()
            .zip(b.segments())
            .all(|pair| match pair {
                (Segment::Literal(x), Segment::Literal(y)) => x.eq_ignore_ascii_case(y),
                _ => true,
            })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The linear scan the table replaced, as the reference.
    fn scan<'a>(
        routes: &Routes,
        api: &Api,
        method: Option<Method>,
        path: &'a str,
        hint: Option<OpKey>,
    ) -> Match<'a> {
        routes.pick(api, method, path, hint, 0..routes.routes.len())
    }

    fn same(a: &Match, b: &Match) -> bool {
        match (a, b) {
            (Match::Found(x, xs), Match::Found(y, ys)) => x.key == y.key && xs == ys,
            (Match::WrongMethod(x), Match::WrongMethod(y)) => x == y,
            (Match::NotFound, Match::NotFound) => true,
            _ => false,
        }
    }

    #[test]
    fn the_table_finds_what_the_linear_scan_finds_for_every_corpus_path() {
        // Every document of the corpus, the older hand-written pages with
        // their odd paths (`Namespaces{namespaceId}`, `%7B`) included.
        let docs = ["specs", "fixtures/corpus"];
        let api = Api::new(crate::spec::load_all(&docs).unwrap());
        let routes = Routes::new(&api);
        let mut compared = 0;
        // Versions of one page repeat their paths: each path once.
        let mut seen = std::collections::HashSet::new();
        for key in api.keys() {
            let op = api.operation(key);
            let Ok(parts) = op.path.fill(|p| Some(format!("v-{p}"))) else {
                continue;
            };
            let path = format!("/{}", parts.join("/"));
            if !seen.insert(path.clone()) {
                continue;
            }
            if !path.contains('%') {
                let lower = path.to_ascii_lowercase();
                assert!(routes.table.at(&lower).is_ok(), "the table misses {path}");
            }
            let variants = [
                path.clone(),
                path.to_ascii_uppercase(),
                format!("{path}/extra"),
                path.replace("/v-", "//"),
                path.replacen('{', "%7B", 1).replacen('}', "%7D", 1),
            ];
            for p in &variants {
                for method in [Some(op.method), Some(Method::Patch), None] {
                    for hint in [None, Some(key)] {
                        let fast = routes.find(&api, method, p, hint);
                        let slow = scan(&routes, &api, method, p, hint);
                        assert!(same(&fast, &slow), "{:?} {p}", method);
                        compared += 1;
                    }
                }
            }
        }
        assert!(compared > 1000, "{compared}");
    }

    #[test]
    fn shapes_differing_only_in_parameter_names_share_a_route() {
        let a = PathTemplate::parse("/api/v1/Tenants/{tenantId}/Roles/{roleId}");
        let b = PathTemplate::parse("/api/v1/tenants/{id}/roles/{role}");
        assert_eq!(route_of(&a), route_of(&b));
        assert_eq!(route_of(&a), "/api/v1/tenants/{p3}/roles/{p5}");
        let braces = PathTemplate::parse("/Namespaces{namespaceId}/x");
        assert_eq!(route_of(&braces), "/namespaces{{namespaceid}}/x");
        assert!(overlap(
            &PathTemplate::parse("/a/{x}/c"),
            &PathTemplate::parse("/A/b/{y}")
        ));
        assert!(!overlap(
            &PathTemplate::parse("/a/{x}/c"),
            &PathTemplate::parse("/a/b/d")
        ));
    }

    #[test]
    fn matching_reports_wrong_methods_and_unknown_paths() {
        let api = Api::new(crate::spec::load_all(&["specs"]).unwrap());
        let routes = Routes::new(&api);
        match routes.find(
            &api,
            Some(Method::Patch),
            "/api/v1-preview/Communities/x",
            None,
        ) {
            Match::WrongMethod(m) => assert_eq!(m, [Method::Get, Method::Put, Method::Delete]),
            _ => panic!("expected a wrong method"),
        }
        assert!(matches!(
            routes.find(&api, Some(Method::Get), "/nowhere", None),
            Match::NotFound
        ));
        assert!(matches!(
            routes.find(&api, None, "/api/v1-preview/Communities", None),
            Match::WrongMethod(_)
        ));
        assert!(matches!(
            routes.find(
                &api,
                Some(Method::Get),
                "/api/v1-preview/Communities//Roles",
                None
            ),
            Match::NotFound
        ));
        let Match::Found(v1, _) = routes.find(
            &api,
            Some(Method::Get),
            "/api/v1/tenants/t/Communities/x",
            None,
        ) else {
            panic!("v1 path not found")
        };
        let Match::Found(preview, _) = routes.find(
            &api,
            Some(Method::Get),
            "/api/v1-preview/communities/x",
            None,
        ) else {
            panic!("preview path not found")
        };
        assert_eq!(api.op(v1.key).resource, api.op(preview.key).resource);
        assert_ne!(v1.key.doc, preview.key.doc);
    }
}
