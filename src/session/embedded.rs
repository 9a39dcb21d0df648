//! The embedded target: the reference server started for a run, and its
//! fixture as run settings (its admin token as the main token, its other
//! tokens as role tokens, its parameter values as `--param`s). This is the
//! one place where a run meets [`crate::mock`].

use std::sync::Arc;

use crate::api::Api;
use crate::mock::{self, Fault, Fixture, Limits, MockError, MockOptions, MockServer};
use crate::run::{RoleToken, Target};

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
        public_headers: Vec::new(),
        operation_hints: true,
        change_given: true,
    }
}

/// The target settings a run against the embedded server would plan with,
/// without starting it: for listing the cases, which touches no network.
pub fn planned(api: &Api) -> Target {
    target(&Fixture::builtin().completed(api), "http://127.0.0.1:0/")
}

/// Starts the reference server with the built-in fixture on an ephemeral
/// port, serving `api` (the sound operations of the documents), and
/// returns it with the target settings that reach it: the fixture as the
/// server completed it for these documents.
pub async fn start(
    api: Arc<Api>,
    faults: Vec<Fault>,
    count_header: String,
) -> Result<(MockServer, Target), MockError> {
    let options = MockOptions {
        faults,
        count_header,
        ..MockOptions::default()
    };
    let server = mock::serve_api(api, Fixture::builtin(), options, Limits::default()).await?;
    let target = target(server.fixture(), server.url());
    Ok((server, target))
}
