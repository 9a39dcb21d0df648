//! From request paths to operations: every documented path template
//! ([`crate::spec::PathTemplate`]) matched against the request path.
//! What the operation then means (its resource, scope and id) is the
//! shared [`crate::api::Api`] model's.

use crate::api::{Api, OpKey};
use crate::spec::Method;

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
    /// The route and the request's path segments.
    Found(Route, Vec<&'a str>),
    /// The path is documented, but not for this method.
    WrongMethod(Vec<Method>),
    /// No operation has this path.
    NotFound,
}

/// Every operation's route.
#[derive(Debug)]
pub(crate) struct Routes {
    routes: Vec<Route>,
}

impl Routes {
    /// One route per operation of the model.
    pub fn new(api: &Api) -> Routes {
        Routes {
            routes: api
                .keys()
                .map(|key| Route {
                    key,
                    method: api.operation(key).method,
                })
                .collect(),
        }
    }

    /// Finds the route for a request. Literals match without regard to
    /// ASCII case; where several templates match, the one with the most
    /// literals wins, and among equals the operation `hint` names (the
    /// runner's [`crate::run::OPERATION_HINT`]), else the first.
    pub fn find<'a>(
        &self,
        api: &Api,
        method: Option<Method>,
        path: &'a str,
        hint: Option<OpKey>,
    ) -> Match<'a> {
        let mut best: Option<(Route, crate::spec::PathMatch<'a>)> = None;
        let mut allowed = Vec::new();
        for route in &self.routes {
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

#[cfg(test)]
mod tests {
    use super::*;

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
