//! The embedded target: the mock server's fixture as run settings (its
//! admin token as the main token, its other tokens as role tokens, its
//! parameter values as `--param`s).

use super::engine::{RoleToken, Target};
use crate::mock::Fixture;

/// The target settings that run a suite against a mock serving `fixture`
/// at `url`.
pub fn target(fixture: &Fixture, url: &str) -> Target {
    let admin = fixture.admin_token().map(str::to_string);
    Target {
        base_url: url.to_string(),
        role_tokens: fixture
            .tokens()
            .iter()
            .filter(|t| Some(&t.token) != admin.as_ref())
            .map(|t| RoleToken {
                roles: t.roles.clone(),
                token: t.token.clone(),
            })
            .collect(),
        token: admin,
        params: fixture.params().into_iter().collect(),
        headers: Vec::new(),
    }
}
