//! Test helpers: a seed contract, steps and exchanges built by hand.

use std::collections::BTreeMap;

use serde_json::Value;

use super::{Check, Context, Finding, Settings};
use crate::plan::{Claim, Expect, Step};
use crate::run::exchange::{Exchange, Received, SentRequest, TransportError};
use crate::schema::{SchemaOptions, Schemas};
use crate::spec::{Contract, Method};

/// The Roles seed document.
pub fn roles() -> Contract {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/specs/004_a50be14b8577b9a8.txt"
    );
    crate::spec::load(std::path::Path::new(path)).expect("roles doc")
}

/// A test step for operation `op_id` with these expectations.
pub fn step(contract: &Contract, op_id: &str, status: &[u16], claims: Vec<Claim>) -> Step {
    let (i, op) = contract
        .operations
        .iter()
        .enumerate()
        .find(|(_, o)| o.id == op_id)
        .expect("operation");
    Step {
        expect: Expect {
            status: status.to_vec(),
            claims,
        },
        ..Step::plain("request", 0, i, op)
    }
}

/// An answered exchange.
pub fn answer(method: Method, status: u16, headers: &[(&str, &str)], body: &str) -> Exchange {
    Exchange {
        request: SentRequest {
            method,
            url: "http://127.0.0.1:1/x".into(),
            headers: Vec::new(),
            body: None,
        },
        response: Ok(Received {
            status,
            headers: headers
                .iter()
                .map(|(k, v)| (k.to_ascii_lowercase(), v.to_string()))
                .collect(),
            body: body.as_bytes().to_vec(),
        }),
        attempts: 1,
        millis: 1,
        hops: Vec::new(),
    }
}

/// A JSON answer.
pub fn json(method: Method, status: u16, body: Value) -> Exchange {
    answer(
        method,
        status,
        &[("content-type", "application/json")],
        &body.to_string(),
    )
}

/// An exchange that got no answer.
pub fn failed(method: Method, error: TransportError) -> Exchange {
    let mut ex = answer(method, 200, &[], "");
    ex.response = Err(error);
    ex
}

/// Runs `check` as the runner would: `None` when it does not apply.
pub fn verdict(
    check: &dyn Check,
    contract: &Contract,
    step: &Step,
    ex: &Exchange,
    vars: &[(&str, &str)],
) -> Option<Result<(), Finding>> {
    let vars: BTreeMap<String, String> = vars
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let settings = Settings::default();
    let schemas = Schemas::derive(contract, SchemaOptions::default());
    let cx = Context {
        schemas: Some(&schemas),
        contract,
        operation: &contract.operations[step.operation.op],
        step,
        vars: &vars,
        settings: &settings,
    };
    check.applies(ex, &cx).then(|| check.run(ex, &cx))
}
