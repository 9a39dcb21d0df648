//! The OpenAPI 3.1 export of `specs/`, read back with the `oas3` model:
//! every operation with its method, path, parameters, responses, roles and
//! examples; components per document; the bearer scheme; and no dangling
//! reference. A snapshot holds the whole export.

use std::collections::BTreeSet;

use conform::export;
use conform::spec::{self, Contract};
use oas3::spec::{
    MediaType, MediaTypeExamples, ObjectOrReference, ParameterIn, Schema, SecurityScheme,
};
use serde_json::Value;

fn seeds() -> Vec<Contract> {
    let root = format!("{}/specs", env!("CARGO_MANIFEST_DIR"));
    spec::load_all(&[root]).expect("seeds read")
}

fn key(c: &Contract) -> String {
    std::path::Path::new(&c.source)
        .file_stem()
        .unwrap()
        .to_string_lossy()
        .into_owned()
}

fn exported() -> (Vec<Contract>, Value, oas3::Spec) {
    let contracts = seeds();
    let out = export::openapi(&contracts);
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    let text = serde_json::to_string(&out.document).unwrap();
    let spec = oas3::from_json(&text).expect("the export parses as OpenAPI 3.1");
    (contracts, out.document, spec)
}

fn example_of(media: &MediaType) -> Option<&Value> {
    match &media.examples {
        Some(MediaTypeExamples::Example { example }) => Some(example),
        _ => None,
    }
}

fn schema_type(schema: &Schema) -> String {
    let Schema::Object(obj) = schema else {
        panic!("a boolean schema")
    };
    let ObjectOrReference::Object(obj) = obj.as_ref() else {
        panic!("a reference")
    };
    serde_json::to_value(&obj.schema_type).unwrap().to_string()
}

#[test]
fn the_export_is_openapi_3_1_with_every_operation_where_the_docs_put_it() {
    let (contracts, _, spec) = exported();
    assert_eq!(spec.openapi, "3.1.0");
    assert_eq!(spec.validate_version().unwrap().minor, 1);
    let ops: Vec<_> = spec.operations().collect();
    let total: usize = contracts.iter().map(|c| c.operations.len()).sum();
    assert_eq!(ops.len(), total);
    assert_eq!(total, 26);
    let mut ids = BTreeSet::new();
    for c in &contracts {
        for op in &c.operations {
            // Two seeds share operation ids; the docs' id and the place
            // together find the one exported operation.
            let (path, method, o) = ops
                .iter()
                .filter(|(_, _, o)| {
                    o.extensions.get("conform-id") == Some(&Value::from(op.id.clone()))
                })
                .find(|(path, method, _)| {
                    path.as_str() == op.path.as_str() && method.as_str() == op.method.as_str()
                })
                .unwrap_or_else(|| panic!("{} exported", op.id));
            let at = &op.id;
            assert_eq!(path.as_str(), op.path.as_str(), "{at}");
            assert_eq!(method.as_str(), op.method.as_str(), "{at}");
            assert_eq!(o.summary.as_deref(), Some(op.summary.as_str()), "{at}");
            let id = o.operation_id.clone().unwrap();
            assert!(
                id.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-._~".contains(c)),
                "{id}"
            );
            assert!(ids.insert(id), "{at}: operation ids are unique");

            let params = o.parameters(&spec).unwrap();
            let want: Vec<(String, ParameterIn, bool, String)> = op
                .path_params
                .iter()
                .map(|p| (p.name.clone(), ParameterIn::Path, true, p.ty.to_string()))
                .chain(op.query_params.iter().map(|p| {
                    (
                        p.name.clone(),
                        ParameterIn::Query,
                        p.required,
                        p.ty.to_string(),
                    )
                }))
                .collect();
            assert_eq!(params.len(), want.len(), "{at}");
            for (p, (name, location, required, ty)) in params.iter().zip(&want) {
                assert_eq!(&p.name, name, "{at}");
                assert_eq!(&p.location, location, "{at}");
                assert_eq!(p.required, Some(*required), "{at} {name}");
                let expected = match ty.as_str() {
                    "string" => "\"string\"",
                    "integer" => "\"integer\"",
                    "boolean" => "\"boolean\"",
                    "array" => "\"array\"",
                    other => panic!("{at}: the seeds have no `{other}` parameter"),
                };
                assert_eq!(
                    schema_type(p.schema.as_ref().unwrap()),
                    expected,
                    "{at} {name}"
                );
            }

            let responses = o.responses(&spec);
            let statuses: Vec<String> = op.responses.iter().map(|r| r.status.to_string()).collect();
            assert_eq!(responses.keys().cloned().collect::<Vec<_>>(), {
                let mut s = statuses.clone();
                s.sort();
                s
            });
            for r in &op.responses {
                let got = &responses[&r.status.to_string()];
                let media = got.content.get("application/json");
                assert_eq!(media.is_some(), r.body.is_some(), "{at} {}", r.status);
                if let Some(media) = media {
                    // Placeholders are repaired, so only presence is the
                    // docs'; the values are judged by the exported schemas
                    // (`every_example_is_valid_for_its_exported_schema`).
                    assert_eq!(
                        example_of(media).is_some(),
                        r.example.is_some(),
                        "{at} {}",
                        r.status
                    );
                    let schema = serde_json::to_value(media.schema.as_ref().unwrap()).unwrap();
                    if let Some(name) = r.body.as_ref().and_then(|b| b.referenced()) {
                        let target = format!("#/components/schemas/{}.{name}", key(c));
                        assert!(schema.to_string().contains(&target), "{at}: {schema}");
                    }
                }
            }

            let body = o.request_body(&spec).unwrap();
            assert_eq!(body.is_some(), op.request_body.is_some(), "{at}");
            if let (Some(body), Some(doc)) = (body, &op.request_body) {
                let media = &body.content["application/json"];
                assert_eq!(example_of(media).is_some(), doc.example.is_some(), "{at}");
                if let Some(name) = &doc.definition {
                    let schema = serde_json::to_value(media.schema.as_ref().unwrap()).unwrap();
                    assert_eq!(
                        schema["$ref"],
                        format!("#/components/schemas/{}.{name}", key(c)),
                        "{at}"
                    );
                }
            }

            match o.extensions.get("allowed-roles") {
                Some(roles) => assert_eq!(roles, &serde_json::json!(op.roles), "{at}"),
                None => assert!(op.roles.is_empty(), "{at}"),
            }
        }
    }
}

#[test]
fn each_document_keeps_its_own_community_and_refers_to_it() {
    let (_, doc, spec) = exported();
    let components = spec.components.as_ref().unwrap();
    assert_eq!(components.schemas.len(), 27);
    let members = |name: &str| -> BTreeSet<String> {
        let Schema::Object(obj) = &components.schemas[name] else {
            panic!("{name}")
        };
        let ObjectOrReference::Object(obj) = obj.as_ref() else {
            panic!("{name}")
        };
        obj.properties.keys().cloned().collect()
    };
    let old = members("000_a2f21fb7a461d36e.Community");
    let new = members("001_4ff6fbce2b62a5ae.Community");
    assert!(
        old.contains("Alias") && !old.contains("MemberRoleId"),
        "{old:?}"
    );
    assert!(
        new.contains("MemberRoleId") && !new.contains("Alias"),
        "{new:?}"
    );
    let list_old = &doc["paths"]["/api/v1/tenants/{tenantId}/Communities"]["get"];
    let list_new = &doc["paths"]["/api/v1-preview/Communities"]["get"];
    let items = |op: &Value| {
        op["responses"]["200"]["content"]["application/json"]["schema"]["items"]["$ref"].clone()
    };
    assert_eq!(
        items(list_old),
        "#/components/schemas/000_a2f21fb7a461d36e.Community"
    );
    assert_eq!(
        items(list_new),
        "#/components/schemas/001_4ff6fbce2b62a5ae.Community"
    );
    let status = |name: &str| doc["components"]["schemas"][name]["enum"].clone();
    assert_ne!(
        status("000_a2f21fb7a461d36e.CommunityTenantStatus"),
        status("001_4ff6fbce2b62a5ae.CommunityTenantStatus")
    );
}

#[test]
fn every_reference_resolves_and_operations_need_the_bearer_scheme() {
    let (_, doc, spec) = exported();
    fn refs(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(map) => {
                for (k, child) in map {
                    match (k.as_str(), child) {
                        ("$ref", Value::String(r)) => out.push(r.clone()),
                        // Examples are data, not schemas.
                        ("example" | "examples", _) => {}
                        _ => refs(child, out),
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|i| refs(i, out)),
            _ => {}
        }
    }
    let mut all = Vec::new();
    refs(&doc, &mut all);
    assert!(all.len() > 100, "{}", all.len());
    for r in &all {
        let name = r.strip_prefix("#/components/schemas/").expect(r);
        assert!(
            doc["components"]["schemas"].get(name).is_some(),
            "{r} dangles"
        );
    }
    let components = spec.components.as_ref().unwrap();
    let ObjectOrReference::Object(SecurityScheme::Http { scheme, .. }) =
        &components.security_schemes["bearer"]
    else {
        panic!("an http scheme")
    };
    assert_eq!(scheme, "bearer");
    assert_eq!(spec.security.len(), 1);
    assert_eq!(
        serde_json::to_value(&spec.security[0]).unwrap(),
        serde_json::json!({"bearer": []})
    );
}

#[test]
fn a_path_spelled_with_other_placeholder_names_joins_the_first_spelling() {
    let a = spec::parse_str(
        "a.md",
        "# A\n\n## Get Role\n\n<a id=\"opIdA_Get Role\"></a>\n\n### Request\n```text\nGET /t/{tenantId}/r/{roleId}\n```\n\n#### Parameters\n\n`string tenantId`\n<br/>t<br/>`string roleId`\n<br/>r<br/>\n\n### Response\n\n|Status Code|Body Type|Description|\n|---|---|---|\n|200|None|ok|\n",
    );
    let mut b = a.clone();
    b.source = "b.md".into();
    b.operations[0].id = "B_Delete Role".into();
    b.operations[0].method = spec::Method::Delete;
    b.operations[0].path = "/t/{tenantId}/r/{id}".into();
    b.operations[0].path_params[1].name = "id".into();
    let mut c = b.clone();
    c.source = "c.md".into();
    let out = export::openapi(&[a, b, c]);
    let paths = out.document["paths"].as_object().unwrap();
    assert_eq!(
        paths.keys().collect::<Vec<_>>(),
        ["/t/{tenantId}/r/{roleId}"]
    );
    let delete = &paths["/t/{tenantId}/r/{roleId}"]["delete"];
    assert_eq!(delete["parameters"][1]["name"], "roleId");
    // The third document repeats DELETE on the same path: reported, left out.
    assert_eq!(out.diagnostics.len(), 1, "{:?}", out.diagnostics);
    assert_eq!(out.diagnostics[0].code, "export-operation-clash");
    assert_eq!(out.diagnostics[0].file, "c.md");
}

#[test]
fn snapshot_of_the_export_of_specs() {
    let (_, mut doc, _) = exported();
    // The description names the sources by absolute path.
    doc["info"]["description"] = Value::from("[sources]");
    insta::with_settings!({snapshot_path => "../../snapshots", prepend_module_to_snapshot => false}, {
        insta::assert_json_snapshot!("openapi", doc);
    });
}

/// Every example of an export, as (where, example, schema as a JSON
/// pointer into the document).
fn examples(doc: &Value) -> Vec<(String, Value, String)> {
    let mut out = Vec::new();
    for (name, schema) in doc["components"]["schemas"].as_object().unwrap() {
        let at = format!(
            "/components/schemas/{}",
            name.replace('~', "~0").replace('/', "~1")
        );
        for e in schema["examples"].as_array().into_iter().flatten() {
            out.push((at.clone(), e.clone(), at.clone()));
        }
    }
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let mut media = Vec::new();
            media.extend(
                op["requestBody"]["content"]
                    .as_object()
                    .into_iter()
                    .flatten(),
            );
            for r in op["responses"].as_object().into_iter().flatten() {
                media.extend(r.1["content"].as_object().into_iter().flatten());
            }
            for (_, m) in media {
                if let Some(e) = m.get("example") {
                    out.push((format!("{method} {path}"), e.clone(), String::new()));
                    let last = out.last_mut().unwrap();
                    last.2 = serde_json::to_string(&m["schema"]).unwrap();
                }
            }
        }
    }
    out
}

fn invalid_examples(dirs: &[&str]) -> Vec<String> {
    let roots: Vec<String> = dirs
        .iter()
        .map(|d| format!("{}/{d}", env!("CARGO_MANIFEST_DIR")))
        .collect();
    let contracts = spec::load_all(&roots).expect("documents read");
    let doc = export::openapi(&contracts).document;
    let mut bad = Vec::new();
    for (at, example, schema) in examples(&doc) {
        // Judge each example by its schema with the document's components
        // beside it, so `$ref`s resolve; formats are asserted, as linters
        // assert them.
        let schema: Value = if schema.starts_with('/') {
            doc.pointer(&schema).unwrap().clone()
        } else {
            serde_json::from_str(&schema).unwrap()
        };
        let mut root = schema.clone();
        if let Value::Object(map) = &mut root {
            map.remove("examples");
            map.insert("components".into(), doc["components"].clone());
        } else {
            continue;
        }
        let validator = jsonschema::options()
            .should_validate_formats(true)
            .build(&root)
            .unwrap_or_else(|e| panic!("{at}: schema compiles: {e}"));
        for e in validator.iter_errors(&example) {
            bad.push(format!("{at}: {} at {}", e, e.instance_path()));
        }
    }
    bad
}

#[test]
fn every_example_is_valid_for_its_exported_schema() {
    let bad = invalid_examples(&["specs", "fixtures/corpus/identity"]);
    assert!(bad.is_empty(), "{} invalid:\n{}", bad.len(), bad.join("\n"));
}
