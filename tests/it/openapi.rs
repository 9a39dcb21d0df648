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

/// Every example of an export, as (where, the example's JSON pointer, the
/// pointer of the schema it illustrates).
fn examples(doc: &Value) -> Vec<(String, String, String)> {
    let token = |t: &str| t.replace('~', "~0").replace('/', "~1");
    let mut out = Vec::new();
    for (name, schema) in doc["components"]["schemas"].as_object().unwrap() {
        let at = format!("/components/schemas/{}", token(name));
        for i in 0..schema["examples"].as_array().map_or(0, Vec::len) {
            out.push((name.clone(), format!("{at}/examples/{i}"), at.clone()));
        }
    }
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let at = format!("/paths/{}/{method}", token(path));
            let mut media: Vec<_> = op["requestBody"]["content"]
                .as_object()
                .into_iter()
                .flatten()
                .map(|m| ("requestBody".to_string(), m))
                .collect();
            for (status, r) in op["responses"].as_object().into_iter().flatten() {
                let kind = format!("responses/{status}");
                media.extend(
                    r["content"]
                        .as_object()
                        .into_iter()
                        .flatten()
                        .map(|m| (kind.clone(), m)),
                );
            }
            for (kind, (name, m)) in media {
                if m.get("example").is_some() {
                    let base = format!("{at}/{kind}/content/{}", token(name));
                    out.push((
                        format!("{method} {path} {kind}"),
                        format!("{base}/example"),
                        format!("{base}/schema"),
                    ));
                }
            }
        }
    }
    out
}

/// Closes every object schema that says nothing about
/// `additionalProperties`, as OpenAPI linters read it; walks only the
/// keywords holding subschemas, since a property may be named `type`.
fn close(schema: &mut Value) {
    let Value::Object(map) = schema else { return };
    let object = map.contains_key("properties")
        || map.get("type").is_some_and(|t| {
            t == "object" || t.as_array().is_some_and(|l| l.contains(&"object".into()))
        });
    if object && !map.contains_key("additionalProperties") {
        map.insert("additionalProperties".into(), Value::Bool(false));
    }
    for (key, child) in map.iter_mut() {
        match key.as_str() {
            "properties" => child
                .as_object_mut()
                .into_iter()
                .flatten()
                .for_each(|(_, c)| close(c)),
            "anyOf" | "oneOf" | "allOf" => {
                child.as_array_mut().into_iter().flatten().for_each(close)
            }
            "items" | "additionalProperties" => close(child),
            _ => {}
        }
    }
}

/// Every example of `doc` that contradicts its schema, judged with the
/// `jsonschema` crate: the document is one resource, so each schema's
/// `$ref`s resolve within it; formats are asserted and objects closed
/// where the schema is silent, as linters judge examples.
fn contradictions(doc: &Value) -> Vec<String> {
    const BASE: &str = "https://conform.invalid/export.json";
    let mut strict = doc.clone();
    for (_, _, schema_at) in examples(doc) {
        close(strict.pointer_mut(&schema_at).unwrap());
    }
    let registry = jsonschema::Registry::new()
        .draft(jsonschema::Draft::Draft202012)
        .add(BASE, strict.clone())
        .unwrap()
        .prepare()
        .unwrap();
    let mut bad = Vec::new();
    for (at, example_at, schema_at) in examples(doc) {
        let fragment: String =
            percent_encoding::utf8_percent_encode(&schema_at, FRAGMENT).to_string();
        let validator = jsonschema::draft202012::options()
            .should_validate_formats(true)
            .with_registry(&registry)
            .build(&serde_json::json!({"$ref": format!("{BASE}#{fragment}")}))
            .unwrap_or_else(|e| panic!("{at}: schema compiles: {e}"));
        let example = doc.pointer(&example_at).unwrap();
        for e in validator.iter_errors(example) {
            bad.push(format!("{at}: {} at {}", e.masked(), e.instance_path()));
        }
    }
    bad
}

/// What a JSON pointer must escape to be a URI fragment.
const FRAGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'/')
    .remove(b'~')
    .remove(b'-')
    .remove(b'.')
    .remove(b'_');

fn export_of(dirs: &[&str]) -> Value {
    let roots: Vec<String> = dirs
        .iter()
        .map(|d| format!("{}/{d}", env!("CARGO_MANIFEST_DIR")))
        .collect();
    let contracts = spec::load_all(&roots).expect("documents read");
    export::openapi(&contracts).document
}

#[test]
fn every_example_is_valid_for_its_exported_schema() {
    // Every folder of the corpus, each exported on its own.
    for (dirs, at_least) in [
        (&["specs"][..], 20),
        (&["fixtures/corpus/identity"], 20),
        (&["fixtures/corpus/family"], 20),
        (&["fixtures/corpus/handwritten"], 20),
        (&["fixtures/corpus/history"], 20),
        (&["fixtures/corpus/originals"], 1),
    ] {
        let doc = export_of(dirs);
        let n = examples(&doc).len();
        assert!(n >= at_least, "{dirs:?} has {n} examples to judge");
        let bad = contradictions(&doc);
        assert!(
            bad.is_empty(),
            "{dirs:?}: {} invalid:\n{}",
            bad.len(),
            bad.join("\n")
        );
    }
}

#[test]
fn the_example_judge_finds_an_example_that_contradicts_its_schema() {
    let mut doc = export_of(&["specs"]);
    assert!(contradictions(&doc).is_empty());
    let (_, example_at, _) = examples(&doc)
        .into_iter()
        .find(|(_, e, _)| e.starts_with("/paths/") && doc.pointer(e).unwrap().is_object())
        .expect("an object example under a path");
    // A member of the wrong type and a member the schema does not declare.
    let example = doc
        .pointer_mut(&example_at)
        .unwrap()
        .as_object_mut()
        .unwrap();
    let first = example.keys().next().unwrap().clone();
    example.insert(
        first,
        serde_json::json!({"not": ["what", "the", "schema", "says"]}),
    );
    let bad = contradictions(&doc);
    assert!(!bad.is_empty(), "the judge accepted a broken example");
}

/// Regression: the family's examples wrote enumeration members by name
/// (`"State": "Active"`) under integer enumerations, and the export shipped
/// them as they were, contradicting its own schemas.
#[test]
fn regression_enumeration_names_in_examples_contradicted_the_export() {
    let doc = export_of(&["fixtures/corpus/family/event-type-store"]);
    // Response examples only: a request body the docs give no definition
    // for has the empty schema, which any example satisfies.
    let responses: Vec<String> = examples(&doc)
        .into_iter()
        .filter(|(at, _, _)| at.contains("responses/"))
        .map(|(_, e, _)| doc.pointer(&e).unwrap().to_string())
        .collect();
    assert!(responses.len() > 5);
    let text = responses.join("\n");
    assert!(
        !text.contains(r#""State":"Active""#),
        "a name left in an example"
    );
    assert!(text.contains(r#""State":"#), "the member is kept");
}

#[test]
fn an_example_that_cannot_be_repaired_is_left_out_with_a_diagnostic_at_its_line() {
    let root = format!(
        "{}/fixtures/corpus/family/data-views",
        env!("CARGO_MANIFEST_DIR")
    );
    let contracts = spec::load_all(&[root]).expect("documents read");
    let out = export::openapi(&contracts);
    let dropped: Vec<_> = out
        .diagnostics
        .iter()
        .filter(|d| d.code == "export-example-dropped")
        .collect();
    assert!(!dropped.is_empty(), "{:?}", out.diagnostics);
    for d in &dropped {
        assert!(d.file.ends_with(".md") && d.line > 0, "{d}");
        assert!(d.message.contains("left out of the export"), "{d}");
    }
    assert!(contradictions(&out.document).is_empty());
}

#[test]
fn a_glued_placeholder_is_a_path_parameter_and_an_operation_without_client_errors_gets_4xx() {
    let a = spec::parse_str(
        "glued.md",
        "# A\n\n## List Joins\n\n<a id=\"opIdA_List Joins\"></a>\n\n### Request\n```text\nGET /t/{tenantId}/Namespaces{namespaceId}/Joins\n?mode={mode}\n```\n\n#### Parameters\n\n`string tenantId`\n<br/>t<br/>`string namespaceId`\n<br/>n<br/>`[optional] string mode`\n<br/>m<br/>\n\n### Response\n\n|Status Code|Body Type|Description|\n|---|---|---|\n|200|None|ok|\n",
    );
    assert_eq!(a.operations.len(), 1, "{:?}", a.diagnostics);
    let out = export::openapi(&[a]);
    let op = &out.document["paths"]["/t/{tenantId}/Namespaces{namespaceId}/Joins"]["get"];
    let params: Vec<(String, String)> = op["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["name"].as_str().unwrap().into(),
                p["in"].as_str().unwrap().into(),
            )
        })
        .collect();
    let names: Vec<(&str, &str)> = params
        .iter()
        .map(|(n, l)| (n.as_str(), l.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            ("tenantId", "path"),
            ("namespaceId", "path"),
            ("mode", "query")
        ]
    );
    let responses = op["responses"].as_object().unwrap();
    assert_eq!(responses.keys().collect::<Vec<_>>(), ["200", "4XX"]);
    assert!(
        responses["4XX"].get("content").is_none(),
        "no body is invented"
    );
    let tag = &out.document["tags"][0];
    assert!(
        tag["description"]
            .as_str()
            .is_some_and(|d| d.contains("glued")),
        "{tag}"
    );
}

/// The export named the documents by the paths given, absolute ones
/// included (`/home/me/docs/...`), and took `--server "not a url"`.
#[test]
fn regression_the_export_showed_local_paths_and_took_any_server() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/specs");
    let (code, stdout, stderr) = crate::common::conform(&["export", "openapi", dir]);
    assert_eq!(code, 0, "{stderr}");
    let doc: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
    let description = doc["info"]["description"].as_str().expect("description");
    assert!(
        description.starts_with("Exported by Conform from 000_a2f21fb7a461d36e.txt, "),
        "{description}"
    );
    assert!(
        !description.contains(env!("CARGO_MANIFEST_DIR")),
        "{description}"
    );
    let (code, _, stderr) =
        crate::common::conform(&["export", "openapi", "specs/", "--server", "not a url"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("invalid value 'not a url' for '--server <URL>'"),
        "{stderr}"
    );
    for ok in ["https://x.example/api", "/api", "https://{host}"] {
        let (code, stdout, stderr) =
            crate::common::conform(&["export", "openapi", "specs/", "--server", ok]);
        assert_eq!(code, 0, "{ok}: {stderr}");
        assert!(stdout.contains(&format!("\"url\": \"{ok}\"")), "{ok}");
    }
}
