//! What success looks like for an operation: the documented 2xx statuses,
//! the one a server answers by default, its body, and whether that body is
//! a list (an array, or an object whose one array member holds the items).

use crate::spec::{Contract, Method, Operation, TypeRef};

/// The success answer of one operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Success {
    /// The first documented 2xx status, else the usual one for the method
    /// (201 for POST, 204 for DELETE, 200 otherwise).
    pub status: u16,
    /// Whether the docs list `status` (false where no 2xx is documented).
    pub documented: bool,
    /// The documented body type of that status.
    pub body: Option<TypeRef>,
    /// Whether the body is a list of items.
    pub list: bool,
}

/// The documented 2xx statuses of an operation, in table order.
pub fn success_statuses(op: &Operation) -> Vec<u16> {
    op.responses
        .iter()
        .map(|r| r.status)
        .filter(|s| (200..300).contains(s))
        .collect()
}

/// The success answer of `op` in `contract`.
pub fn success(contract: &Contract, op: &Operation) -> Success {
    let documented = op.responses.iter().find(|r| (200..300).contains(&r.status));
    let status = documented.map(|r| r.status).unwrap_or(match op.method {
        Method::Post => 201,
        Method::Delete => 204,
        _ => 200,
    });
    let body = documented.and_then(|r| r.body.clone());
    Success {
        status,
        documented: documented.is_some(),
        list: body
            .as_ref()
            .is_some_and(|b| is_list(contract, b, op.path.last_param().is_some())),
        body,
    }
}

/// Whether a body is a list: an array, or an object wrapping one. On an
/// item path an object with one array member is usually the item itself
/// (a community and its tenants), so there only a page's own member names
/// (`Results`, `Items`) make it a list.
fn is_list(contract: &Contract, body: &TypeRef, item: bool) -> bool {
    match body {
        TypeRef::Array(_) => true,
        TypeRef::Ref(name) => list_member(contract, name).is_some_and(|(member, _)| {
            !item
                || ["Results", "Items"]
                    .iter()
                    .any(|w| member.eq_ignore_ascii_case(w))
        }),
        _ => false,
    }
}

/// The array member of a results wrapper (`Results` of
/// `IdentityProviderResultsOfIdentityProviderGroup`) and its element type.
pub fn list_member<'c>(contract: &'c Contract, wrapper: &str) -> Option<(&'c str, &'c TypeRef)> {
    contract
        .results_member(wrapper)
        .map(|(p, inner)| (p.name.as_str(), inner))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seeds_success_answers() {
        let c = crate::spec::load(std::path::Path::new("specs/004_a50be14b8577b9a8.txt")).unwrap();
        let list = c.operation("Roles_List Roles").unwrap();
        let s = success(&c, list);
        assert_eq!((s.status, s.documented, s.list), (200, true, true));
        let get = c.operation("Roles_Get Role").unwrap();
        assert!(!success(&c, get).list);
        assert_eq!(success_statuses(get), [200]);
    }
}
