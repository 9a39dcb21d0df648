//! Bearer tokens and the documented role lists.
//!
//! A request needs `Authorization: Bearer <token>` with a fixture token, and
//! where an operation lists "Allowed for these roles", the token must hold at
//! least one of them (names compare trimmed, without regard to ASCII case).
//! An operation that lists no roles admits any valid token.

use std::collections::HashMap;

use super::fixture::Fixture;
use crate::spec::Operation;

/// Why a request was turned away.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Denied {
    /// No token, a malformed header, or a token the fixture does not know.
    Unauthenticated,
    /// A known token holding none of the operation's roles.
    Forbidden,
}

/// Tokens and their roles, looked up per request.
#[derive(Debug, Default)]
pub(crate) struct Auth {
    roles: HashMap<String, Vec<String>>,
    /// Under the `allowed-role-refused` fault, the one token that passes
    /// role lists.
    only: Option<String>,
}

fn normal(role: &str) -> String {
    role.trim().to_ascii_lowercase()
}

impl Auth {
    /// Indexes the fixture's tokens.
    pub fn new(fixture: &Fixture) -> Auth {
        let roles = fixture
            .tokens()
            .iter()
            .map(|t| (t.token.clone(), t.roles.iter().map(|r| normal(r)).collect()))
            .collect();
        Auth { roles, only: None }
    }

    /// The same tokens, with role lists passed by the administrator token
    /// alone (the `allowed-role-refused` fault).
    pub fn administrator_only(mut self, fixture: &Fixture) -> Auth {
        self.only = fixture.admin_token().map(str::to_string);
        self
    }

    /// Decides on a request given its `Authorization` header value (if any
    /// and if readable). `anonymous_ok` and `roles_ignored` are the faults
    /// that skip each step.
    pub fn decide(
        &self,
        header: Option<&[u8]>,
        op: &Operation,
        anonymous_ok: bool,
        roles_ignored: bool,
    ) -> Result<(), Denied> {
        let token = header.and_then(bearer);
        let held = token.and_then(|t| self.roles.get(t));
        let Some(held) = held else {
            return if anonymous_ok {
                Ok(())
            } else {
                Err(Denied::Unauthenticated)
            };
        };
        if op.roles.is_empty() || roles_ignored {
            return Ok(());
        }
        if self.only.is_some() && self.only.as_deref() != token {
            return Err(Denied::Forbidden);
        }
        if op.roles.iter().any(|r| held.contains(&normal(r))) {
            Ok(())
        } else {
            Err(Denied::Forbidden)
        }
    }
}

/// The token of a `Bearer` header value.
fn bearer(value: &[u8]) -> Option<&str> {
    let value = std::str::from_utf8(value).ok()?.trim();
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op(roles: &[&str]) -> Operation {
        Operation {
            id: "x".into(),
            summary: String::new(),
            description: None,
            method: crate::spec::Method::Get,
            path: "/x".into(),
            path_params: Vec::new(),
            query_params: Vec::new(),
            request_body: None,
            responses: Vec::new(),
            roles: roles.iter().map(|r| r.to_string()).collect(),
            line: 1,
        }
    }

    fn auth() -> (Auth, String, String) {
        let f = Fixture::builtin();
        let admin = f.admin_token().unwrap().to_string();
        let member = f
            .tokens()
            .iter()
            .find(|t| t.token != admin)
            .unwrap()
            .token
            .clone();
        (Auth::new(&f), admin, member)
    }

    #[test]
    fn tokens_and_roles_decide() {
        let (a, admin, member) = auth();
        let h = |t: &str| format!("Bearer {t}").into_bytes();
        let admin_only = op(&["Tenant Administrator"]);
        assert_eq!(
            a.decide(Some(&h(&admin)), &admin_only, false, false),
            Ok(())
        );
        assert_eq!(
            a.decide(Some(&h(&member)), &admin_only, false, false),
            Err(Denied::Forbidden)
        );
        assert_eq!(a.decide(Some(&h(&member)), &op(&[]), false, false), Ok(()));
        assert_eq!(
            a.decide(Some(&h(&member)), &op(&["  tenant member "]), false, false),
            Ok(())
        );
        assert_eq!(
            a.decide(None, &op(&[]), false, false),
            Err(Denied::Unauthenticated)
        );
        assert_eq!(
            a.decide(Some(b"Bearer nope"), &op(&[]), false, false),
            Err(Denied::Unauthenticated)
        );
        assert_eq!(
            a.decide(Some(admin.as_bytes()), &op(&[]), false, false),
            Err(Denied::Unauthenticated)
        );
        assert_eq!(
            a.decide(Some(b"Bearer \xff"), &op(&[]), false, false),
            Err(Denied::Unauthenticated)
        );
    }

    #[test]
    fn faults_skip_their_step() {
        let (a, _, member) = auth();
        let admin_only = op(&["Tenant Administrator"]);
        assert_eq!(a.decide(None, &admin_only, true, false), Ok(()));
        let h = format!("bearer {member}").into_bytes();
        assert_eq!(a.decide(Some(&h), &admin_only, false, true), Ok(()));
    }
}
