//! Every answer of the mock, over a scripted walk of every operation of
//! `specs/`, uses a documented status and validates against the schema
//! derived for that status, in default and in strict mode. The same walk
//! against a server with a shape fault must find schema errors, so the
//! walk can fail.

use std::collections::{BTreeSet, HashMap};

use conform::mock::{self, Fault, Fixture, MockOptions};
use conform::schema::{SchemaOptions, Schemas};
use conform::spec::{self, Contract, Method, Operation, PathTemplate};
use serde_json::Value;

/// One request of the walk and what came back.
struct Exchange {
    contract: usize,
    operation: String,
    request: String,
    status: u16,
    body: String,
    content_type: Option<String>,
}

/// Path templates with the item parameter each collection's items go by,
/// from pairs of a collection path and its item path.
fn item_params(contracts: &[Contract]) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for c in contracts {
        for op in &c.operations {
            if let (Some(collection), Some(name)) = (op.path.parent(), op.path.last_param()) {
                out.insert(collection.to_string(), name.to_string());
            }
        }
    }
    out
}

fn fill(path: &PathTemplate, values: &HashMap<String, String>) -> Option<String> {
    let segments = path.fill(|name| values.get(name).cloned()).ok()?;
    Some(segments.iter().map(|s| format!("/{s}")).collect())
}

fn fill_unknown(path: &PathTemplate, values: &HashMap<String, String>) -> String {
    let mut with_unknown = values.clone();
    for name in path.params() {
        with_unknown
            .entry(name.to_string())
            .or_insert_with(|| "99999999-8888-7777-6666-555555555555".to_string());
    }
    fill(path, &with_unknown).unwrap_or_else(|| path.to_string())
}

/// Order of the walk: creates (parents first), then reads, updates and
/// attachments, then deletes (children first).
fn phase(op: &Operation) -> (u8, isize) {
    let depth = op.path.segments().len() as isize;
    match op.method {
        Method::Post => (0, depth),
        Method::Delete => (2, -depth),
        _ => (1, depth),
    }
}

async fn walk(dir: &str, faults: Vec<Fault>) -> (Vec<Contract>, Vec<Exchange>) {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let contracts = spec::load_all(&[dir]).expect("documents load");
    let fixture = Fixture::builtin();
    let admin = fixture.admin_token().expect("admin").to_string();
    let member = fixture
        .tokens()
        .iter()
        .find(|t| t.token != admin)
        .expect("member")
        .token
        .clone();
    // Ids a contract's own creates gave, over the latest id of any create,
    // over the fixture's values: each version deletes what it created.
    let mut values: HashMap<String, String> = fixture.params().into_iter().collect();
    let mut own: HashMap<usize, HashMap<String, String>> = HashMap::new();
    let clean = faults.is_empty();
    let items = item_params(&contracts);
    let options = MockOptions {
        faults,
        ..MockOptions::default()
    };
    let server = mock::start(contracts.clone(), fixture, options)
        .await
        .expect("server starts");
    let client = reqwest::Client::new();

    let mut order: Vec<(usize, &Operation)> = contracts
        .iter()
        .enumerate()
        .flat_map(|(c, contract)| contract.operations.iter().map(move |op| (c, op)))
        .collect();
    order.sort_by_key(|(_, op)| phase(op));

    let mut out = Vec::new();
    for (n, (c, op)) in order.into_iter().enumerate() {
        let mut known = values.clone();
        known.extend(own.get(&c).cloned().unwrap_or_default());
        let path = match fill(&op.path, &known) {
            Some(path) => path,
            // A faulty server may hide the ids the walk needs.
            None if !clean => continue,
            // Parameters nothing creates (a user id) get an id that exists
            // nowhere: the answer must still be a documented refusal.
            None if dir != "specs" => fill_unknown(&op.path, &known),
            None => panic!("cannot fill {} with {known:?}", op.path),
        };
        let body = op
            .request_body
            .as_ref()
            .and_then(|b| b.example.clone())
            .map(|mut ex| {
                if let Some(map) = ex.as_object_mut() {
                    if map.contains_key("Name") {
                        map.insert("Name".into(), Value::from(format!("walk {n}")));
                    }
                    if map.get("RoleScope").is_some() {
                        map.insert("RoleScope".into(), Value::from(1));
                    }
                }
                ex.to_string()
            });
        let missing = "11111111-2222-3333-4444-555555555555";
        let unknown = path
            .rsplit_once('/')
            .filter(|_| op.path.last_param().is_some())
            .map(|(head, _)| format!("{head}/{missing}"));
        // The documented call, then an anonymous one, a member's, one with
        // an unknown id and one with a broken body.
        let mut tries: Vec<(String, Option<&str>, Option<String>)> = vec![
            (path.clone(), Some(admin.as_str()), body.clone()),
            (path.clone(), None, body.clone()),
            (path.clone(), Some(member.as_str()), body.clone()),
        ];
        if let Some(u) = unknown {
            tries.push((u, Some(admin.as_str()), body.clone()));
        }
        if body.is_some() {
            tries.push((
                path.clone(),
                Some(admin.as_str()),
                Some("{\"Name\": 5".into()),
            ));
        }
        for (i, (p, token, b)) in tries.into_iter().enumerate() {
            let method = reqwest::Method::from_bytes(op.method.as_str().as_bytes()).unwrap();
            let mut req = client.request(method, format!("{}{p}", server.url()));
            if let Some(t) = token {
                req = req.bearer_auth(t);
            }
            if let Some(b) = b {
                req = req.header("content-type", "application/json").body(b);
            }
            let resp = req.send().await.expect("request completes");
            let status = resp.status().as_u16();
            let content_type = resp
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .map(str::to_string);
            let text = resp.text().await.expect("body");
            if i == 0 && op.method == Method::Post && status == 201 {
                let created: Value = serde_json::from_str(&text).expect("created JSON");
                if let (Some(name), Some(id)) =
                    (items.get(op.path.as_str()), created["Id"].as_str())
                {
                    values.insert(name.clone(), id.to_string());
                    own.entry(c)
                        .or_default()
                        .insert(name.clone(), id.to_string());
                }
            }
            out.push(Exchange {
                contract: c,
                operation: op.id.clone(),
                request: format!("{} {p} (try {i})", op.method),
                status,
                body: text,
                content_type,
            });
        }
    }
    server.shutdown().await;
    (contracts, out)
}

/// Every departure of the exchanges from the docs, one line each.
fn problems(contracts: &[Contract], exchanges: &[Exchange], strict: bool) -> Vec<String> {
    let options = SchemaOptions {
        strict,
        ..SchemaOptions::default()
    };
    let schemas: Vec<Schemas> = contracts
        .iter()
        .map(|c| Schemas::derive(c, options))
        .collect();
    let mut out = Vec::new();
    for x in exchanges {
        let op = contracts[x.contract]
            .operation(&x.operation)
            .expect("operation");
        let Some(documented) = op.response(x.status) else {
            out.push(format!("{}: undocumented status {}", x.request, x.status));
            continue;
        };
        // HEAD answers never carry a body on the wire.
        if documented.body.is_none() || x.request.starts_with("HEAD ") {
            if !x.body.is_empty() {
                out.push(format!("{}: a body where the docs say None", x.request));
            }
            continue;
        }
        if x.body.is_empty() {
            out.push(format!("{}: no body for {}", x.request, x.status));
            continue;
        }
        if !x
            .content_type
            .as_deref()
            .is_some_and(|c| c.starts_with("application/json"))
        {
            out.push(format!("{}: content type {:?}", x.request, x.content_type));
        }
        let Ok(instance) = serde_json::from_str::<Value>(&x.body) else {
            out.push(format!("{}: body is not JSON", x.request));
            continue;
        };
        if let Err(errors) =
            schemas[x.contract].validate_response(&x.operation, x.status, &instance)
        {
            for e in errors {
                out.push(format!(
                    "{} -> {}: {} {}",
                    x.request, x.status, e.instance_path, e.message
                ));
            }
        }
    }
    out
}

#[tokio::test]
async fn every_answer_of_a_walk_over_all_operations_matches_its_schema() {
    let (contracts, exchanges) = walk("specs", Vec::new()).await;
    let ops: usize = contracts.iter().map(|c| c.operations.len()).sum();
    let walked: BTreeSet<(usize, &str)> = exchanges
        .iter()
        .map(|x| (x.contract, x.operation.as_str()))
        .collect();
    assert_eq!(walked.len(), ops, "every operation is called");
    // The walk reaches successes, not only refusals.
    let statuses: BTreeSet<u16> = exchanges.iter().map(|x| x.status).collect();
    for s in [200, 201, 204, 400, 401, 403, 404, 409] {
        assert!(statuses.contains(&s), "no {s} in {statuses:?}");
    }
    let successes = exchanges
        .iter()
        .filter(|x| (200..300).contains(&x.status))
        .map(|x| (x.contract, x.operation.as_str()))
        .collect::<BTreeSet<_>>();
    assert_eq!(successes.len(), ops, "every operation succeeds once");
    for strict in [false, true] {
        let found = problems(&contracts, &exchanges, strict);
        assert!(found.is_empty(), "strict={strict}:\n{}", found.join("\n"));
    }
}

#[tokio::test]
async fn the_same_walk_catches_a_server_that_breaks_its_schemas() {
    for fault in [
        Fault::WrongFieldType,
        Fault::EnumOutOfSet,
        Fault::NullNotNullable,
        Fault::MissingRequiredField,
        Fault::UndocumentedStatus,
        Fault::WrongContentType,
    ] {
        let (contracts, exchanges) = walk("specs", vec![fault]).await;
        let found = problems(&contracts, &exchanges, false);
        assert!(!found.is_empty(), "{fault} went unnoticed");
    }
}

#[tokio::test]
async fn the_whole_corpus_is_served_with_documented_statuses_and_valid_bodies() {
    let (contracts, exchanges) = walk("fixtures/corpus/identity", Vec::new()).await;
    assert!(exchanges.len() > 500, "{}", exchanges.len());
    let server_errors: Vec<&str> = exchanges
        .iter()
        .filter(|x| x.status >= 500)
        .map(|x| x.request.as_str())
        .collect();
    assert!(server_errors.is_empty(), "{server_errors:?}");
    let found = problems(&contracts, &exchanges, false);
    assert!(found.is_empty(), "{}", found.join("\n"));
}
