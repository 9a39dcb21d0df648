//! A value the user (or the embedded server) configures for a path
//! parameter is shared by every case and every document: the namespace
//! all other items live in, a tenant. Cases that add, change and delete
//! items of that very resource work on items of their own, under fresh
//! ids, so that they never change or delete the shared one.

use conform::api::Api;
use conform::mock::Fixture;
use conform::plan::{self, Extract, PlanConfig};
use conform::spec::Method;

const NAMESPACES: &str = "fixtures/corpus/family/tenant/tenant-namespaces.md";
const TAGS: &str = "fixtures/corpus/family/event-type-store/event-type-store-authorization-tags.md";

/// The plan of `docs` with the parameters the embedded server configures.
fn plan_of(docs: &[&str]) -> (Vec<plan::TestCase>, Vec<String>) {
    let contracts = conform::spec::load_all(docs).expect("documents");
    let fixture = Fixture::builtin().completed(&Api::new(contracts.clone()));
    let params: Vec<String> = fixture.params().into_iter().map(|(k, _)| k).collect();
    let cfg = PlanConfig {
        params: params.clone(),
        nonce: "shared".into(),
        ..PlanConfig::default()
    };
    (plan::generate(&contracts, &cfg), params)
}

/// `Namespace_Delete::happy` deleted the configured namespace that every
/// other case of the run created its items in: their items vanished
/// under them (false failures at 64 concurrent cases), and against a
/// staging server with `--param namespaceId=…` the run would have deleted
/// the user's namespace.
#[test]
fn regression_deleting_a_namespace_deleted_the_one_every_case_shares() {
    // Types are added by a "Get Or Create" POST to the item's own path.
    let types = "fixtures/corpus/family/sequential-data-store/sds-types.md";
    let (cases, params) = plan_of(&[NAMESPACES, TAGS, types]);
    for shared in ["namespaceId", "id", "typeId"] {
        assert!(params.iter().any(|p| p == shared), "{shared} is configured");
    }
    let mut writes = 0;
    for case in cases.iter().filter(|c| c.ignored.is_none()) {
        for step in &case.steps {
            let method = step.request.method;
            let writes_item = matches!(
                method,
                Method::Put | Method::Patch | Method::Delete | Method::Post
            );
            let Some(id) = step.item_id.as_deref().filter(|_| writes_item) else {
                continue;
            };
            if !params.iter().any(|p| p == id) || !step.request.path.params().any(|p| p == id) {
                continue;
            }
            writes += 1;
            assert!(
                case.given.iter().any(|(k, _)| k == id),
                "{} step `{}` {method} writes the configured `{id}`",
                case.name,
                step.name
            );
        }
    }
    assert!(writes >= 10, "only {writes} writes of namespaces and tags");
    // The cases still run: each adds its own item first.
    for name in [
        "sds-types::Type_Delete Type::happy",
        "tenant-namespaces::Namespace_Delete::happy",
        "tenant-namespaces::Namespace_Update::happy",
        "event-type-store-authorization-tags::AuthorizationTags_Delete Authorization Tag::happy",
    ] {
        let case = cases.iter().find(|c| c.name == name).expect(name);
        assert!(case.ignored.is_none(), "{name}: {:?}", case.ignored);
        assert_eq!(case.steps[0].name, "add", "{name}");
        assert!(
            case.steps[0].creates.is_some(),
            "{name}: the added item is cleaned up"
        );
    }
    let create = cases
        .iter()
        .find(|c| c.name == "tenant-namespaces::Namespace_Create::happy")
        .expect("create");
    assert_eq!(create.steps.len(), 1);
    assert!(
        create.steps[0].creates.is_some(),
        "the created namespace is cleaned up"
    );
}

/// The configured `id` of one document filled the body `Id` of another
/// document's creates (Assets), so concurrent creates all carried one id.
#[test]
fn regression_a_configured_id_filled_the_body_id_of_other_documents() {
    let (cases, params) = plan_of(&[TAGS, "fixtures/corpus/family/assets/assets-assets.md"]);
    assert!(params.iter().any(|p| p == "id"));
    let creates: Vec<_> = cases
        .iter()
        .filter(|c| c.document == "assets-assets")
        .flat_map(|c| &c.steps)
        .filter(|s| s.request.method == Method::Post)
        .collect();
    assert!(!creates.is_empty());
    for step in creates {
        assert!(
            !step.request.body_vars.iter().any(|(_, v)| v == "id"),
            "{}: {:?}",
            step.name,
            step.request.body_vars
        );
    }
}

/// Run against the embedded server, the two documents pass with every
/// case at once: no case loses its items to another.
#[test]
fn namespaces_and_their_children_pass_together_at_full_concurrency() {
    let (code, stdout, stderr) = crate::common::conform(&[
        "run",
        NAMESPACES,
        "fixtures/corpus/family/event-type-store/",
        "--test-threads",
        "512",
        "-q",
    ]);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(stdout.contains(" 0 failed"), "{stdout}");
}

/// The reference server adds an item under the id a POST to its own path
/// names (`Namespace_Create`) and under the id of a "Create Or Update"
/// PUT, where the docs give the collection no create by POST; before, both
/// answered that the item was not found, so a suite could only reuse the
/// one namespace everybody shares.
#[tokio::test]
async fn the_reference_server_adds_items_under_the_id_the_path_names() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let contracts = conform::spec::load_all(&[NAMESPACES, TAGS]).expect("documents");
    let fixture = Fixture::builtin();
    let admin = fixture.admin_token().expect("admin").to_string();
    let server = conform::mock::start(contracts, fixture, conform::mock::MockOptions::default())
        .await
        .expect("server starts");
    let tenant = server
        .fixture()
        .params()
        .into_iter()
        .find(|(k, _)| k == "tenantId")
        .expect("tenant")
        .1;
    let namespace = server
        .fixture()
        .params()
        .into_iter()
        .find(|(k, _)| k == "namespaceId")
        .expect("namespace")
        .1;
    let client = reqwest::Client::new();
    let send = |method: reqwest::Method, path: String, body: Option<&str>| {
        let mut req = client
            .request(method, format!("{}{path}", server.url()))
            .bearer_auth(&admin);
        if let Some(b) = body {
            req = req
                .header("content-type", "application/json")
                .body(b.to_string());
        }
        async move {
            let r = req.send().await.expect("answer");
            (r.status().as_u16(), r.text().await.unwrap_or_default())
        }
    };
    let fresh = "5f0c0d2e-8d1b-4c57-9a54-3a0f6f1f0a11";
    let ns = format!("/api/v1/Tenants/{tenant}/Namespaces/{fresh}");
    let (status, body) = send(reqwest::Method::GET, ns.clone(), None).await;
    assert_ne!(status, 200, "not there yet: {body}");
    let (status, body) = send(
        reqwest::Method::POST,
        ns.clone(),
        Some(r#"{"Id":"x","Description":"mine"}"#),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    assert!(
        body.contains(fresh),
        "the item carries the path's id: {body}"
    );
    let (status, body) = send(reqwest::Method::GET, ns.clone(), None).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("mine"), "{body}");
    let (status, _) = send(reqwest::Method::DELETE, ns.clone(), None).await;
    assert!((200..300).contains(&status), "{status}");
    // The shared namespace is untouched.
    let shared = format!("/api/v1/Tenants/{tenant}/Namespaces/{namespace}");
    let (status, _) = send(reqwest::Method::GET, shared, None).await;
    assert_eq!(status, 200);
    // A Create Or Update PUT at a new id adds the tag.
    let tag = format!("/api/v1/Tenants/{tenant}/Namespaces/{namespace}/AuthorizationTags/{fresh}");
    let (status, body) = send(
        reqwest::Method::PUT,
        tag.clone(),
        Some(&format!(r#"{{"Id":"{fresh}","Description":"d"}}"#)),
    )
    .await;
    assert!((200..300).contains(&status), "{status} {body}");
    let (status, body) = send(reqwest::Method::GET, tag, None).await;
    assert_eq!(status, 200, "{body}");
    server.shutdown().await;
}

/// Against a server of its own, a run sent `PUT …/Streams/{streamId}/Data`,
/// replaced the access list of the `--param` namespace and the roles of
/// the `--param` user, and updated the `--param` tenant: items the user
/// gave, which the docs give the suite no way to make. Such cases are now
/// left unrun, naming `--allow-param-changes`; every case that runs
/// changes only what it made or was given.
#[test]
fn regression_a_run_changed_the_items_its_params_named() {
    let docs = [
        "fixtures/corpus/family/sequential-data-store/",
        "fixtures/corpus/family/tenant/",
        "fixtures/corpus/identity/",
    ];
    let contracts = conform::spec::load_all(&docs).expect("documents");
    let api = Api::new(contracts.clone());
    let fixture = Fixture::builtin().completed(&api);
    let params: Vec<String> = fixture.params().into_iter().map(|(k, _)| k).collect();
    let cfg = |keep_given| PlanConfig {
        params: params.clone(),
        nonce: "kept".into(),
        keep_given,
        ..PlanConfig::default()
    };
    let kept = plan::generate(&contracts, &cfg(true));
    let reason = conform::plan::keeps_given("streamId");
    assert!(
        kept.iter()
            .any(|c| c.ignored.as_deref() == Some(reason.as_str())),
        "stream data writes are not run"
    );
    let mut checked = 0;
    for case in kept.iter().filter(|c| c.ignored.is_none()) {
        // What the case made (the id a create answered) or was given (a
        // fresh id, an unknown one): not what was found or configured.
        let made: Vec<&str> = case
            .steps
            .iter()
            .flat_map(|s| &s.bind)
            .filter(|b| matches!(b.from, Extract::Id | Extract::IdAt(_)))
            .map(|b| b.var.as_str())
            .chain(case.given.iter().map(|(v, _)| v.as_str()))
            .collect();
        for step in case.steps.iter().filter(|s| s.request.method.is_write()) {
            let key = conform::api::OpKey {
                doc: step.operation.doc,
                op: step.operation.op,
            };
            if api.resource_of(key).create.contains(&key) {
                continue;
            }
            checked += 1;
            assert!(
                step.request.path.params().any(|p| made.contains(&p)),
                "{} step `{}` {} {} changes only what the run did not make",
                case.name,
                step.name,
                step.request.method,
                step.request.path
            );
        }
    }
    assert!(checked > 100, "only {checked} writes");
    // With the user's leave, they run.
    let allowed = plan::generate(&contracts, &cfg(false));
    let unrun = |cases: &[plan::TestCase]| cases.iter().filter(|c| c.ignored.is_some()).count();
    assert!(unrun(&allowed) < unrun(&kept));
    let stream_data = |cases: &[plan::TestCase]| {
        cases
            .iter()
            .find(|c| c.name == "sds-stream-data::StreamData_Remove Values::happy")
            .map(|c| c.ignored.is_none())
    };
    assert_eq!(stream_data(&kept), Some(false));
    assert_eq!(stream_data(&allowed), Some(true));
}

/// Against a server given by `--base-url`, the run names the setting that
/// would run the cases it keeps from changing given items; with it, they
/// run.
#[test]
fn a_remote_run_names_allow_param_changes_and_runs_them_with_it() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let docs = "fixtures/corpus/family/sequential-data-store/sds-stream-data.md";
    let contracts = conform::spec::load_all(&[docs]).expect("document");
    let server = rt
        .block_on(conform::mock::start(
            contracts,
            Fixture::builtin(),
            conform::mock::MockOptions::default(),
        ))
        .expect("server starts");
    let target = conform::session::embedded::target(server.fixture(), server.url());
    let mut args: Vec<String> = vec![
        "run".into(),
        docs.into(),
        "--base-url".into(),
        server.url().into(),
        "--token".into(),
        target.token.clone().expect("admin"),
    ];
    // The parameters the document uses (the fixture names more).
    for k in ["tenantId", "namespaceId", "streamId"] {
        let v = &target.params[k];
        args.extend(["--param".to_string(), format!("{k}={v}")]);
    }
    let run = |extra: &[&str]| {
        let mut all: Vec<&str> = args.iter().map(String::as_str).collect();
        all.extend(extra);
        crate::common::conform(&all)
    };
    let (code, stdout, stderr) = run(&[]);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(
        stdout.contains("to run the cases not run, pass: --allow-param-changes ("),
        "{stdout}"
    );
    let (code, stdout, stderr) = run(&["--allow-param-changes"]);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(!stdout.contains("--allow-param-changes ("), "{stdout}");
    assert!(
        stdout.lines().any(|l| l
            .starts_with("test sds-stream-data::StreamData_Remove Values::happy ")
            && l.ends_with("... ok")),
        "{stdout}"
    );
    rt.block_on(server.shutdown());
}
