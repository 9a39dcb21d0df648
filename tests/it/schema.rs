//! Derived schemas on the seeds: for every seed definition a valid
//! instance is accepted and broken ones are rejected, each for the reason
//! it was broken; plus the type-mapping rules the seeds exercise, the
//! options, the API's edges and one snapshot of every seed's schemas.
//!
//! Instances are built from the contract model by this file's own reading
//! of the docs' types, not from the derived schemas.

use conform::schema::{SchemaOptions, Schemas};
use conform::spec::{self, Contract, Definition, DefinitionKind, Property, TypeRef};
use serde_json::{json, Value};

const SEEDS: &[&str] = &[
    "000_a2f21fb7a461d36e.txt",
    "001_4ff6fbce2b62a5ae.txt",
    "002_2560443aab952a1d.txt",
    "003_99419b29eeac7fd1.txt",
    "004_a50be14b8577b9a8.txt",
];

const UUID: &str = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";
const WHEN: &str = "2023-01-20T08:30:00Z";

fn load(name: &str) -> Contract {
    let path = format!("{}/specs/{name}", env!("CARGO_MANIFEST_DIR"));
    spec::load(std::path::Path::new(&path)).expect("seed reads")
}

fn seeds() -> Vec<Contract> {
    SEEDS.iter().map(|s| load(s)).collect()
}

fn formats(on: bool) -> SchemaOptions {
    SchemaOptions {
        strict: false,
        formats: on,
    }
}

/// A valid value of a documented type.
fn valid(c: &Contract, ty: &TypeRef, depth: usize) -> Value {
    match ty {
        TypeRef::Scalar(word) => match word.as_str() {
            "string" => json!("some text"),
            "guid" => json!(UUID),
            "date-time" => json!(WHEN),
            "email" => json!("someone@example.org"),
            "integer" | "int32" | "int64" => json!(42),
            "number" | "double" => json!(1.5),
            "boolean" => json!(false),
            "object" => json!({"anything": [1, "two"]}),
            other => panic!("the seeds use no type word `{other}`"),
        },
        TypeRef::Ref(name) => {
            let def = c.definition(name).expect("seed references resolve");
            instance(c, def, depth + 1)
        }
        TypeRef::Array(inner) if depth < 3 => json!([valid(c, inner, depth + 1)]),
        TypeRef::Array(_) => json!([]),
        TypeRef::Inline => json!({}),
    }
}

/// A valid instance of a definition: every property present.
fn instance(c: &Contract, def: &Definition, depth: usize) -> Value {
    match &def.kind {
        DefinitionKind::Object { properties } => Value::Object(
            properties
                .iter()
                .map(|p| (p.name.clone(), valid(c, &p.ty, depth)))
                .collect(),
        ),
        DefinitionKind::Enum { values } => values.last().expect("values").value.clone(),
    }
}

/// A value of another JSON type than the documented one.
fn wrong_type(c: &Contract, ty: &TypeRef) -> Value {
    match ty {
        TypeRef::Scalar(word) if matches!(word.as_str(), "integer" | "int32" | "int64") => {
            json!("12")
        }
        TypeRef::Scalar(word) if word == "boolean" => json!("true"),
        TypeRef::Ref(name) => match &c.definition(name).expect("resolves").kind {
            DefinitionKind::Enum { values } if values[0].value.is_string() => json!(3),
            _ => json!("text"),
        },
        TypeRef::Array(_) | TypeRef::Scalar(_) if ty.to_string() == "object" => json!([1]),
        TypeRef::Array(_) => json!({"not": "a list"}),
        _ => json!(12345),
    }
}

/// The distinct instance paths of the errors, in order.
fn errors_at(schemas: &Schemas, def: &str, instance: &Value) -> Vec<String> {
    let mut paths: Vec<String> = match schemas.validate_definition(def, instance) {
        Ok(()) => Vec::new(),
        Err(errors) => errors.into_iter().map(|e| e.instance_path).collect(),
    };
    paths.dedup();
    paths
}

fn with(instance: &Value, name: &str, value: Value) -> Value {
    let mut i = instance.clone();
    i[name] = value;
    i
}

#[test]
fn the_seeds_define_27_definitions() {
    let n: usize = seeds().iter().map(|c| c.definitions.len()).sum();
    assert_eq!(n, 27);
}

#[test]
fn every_seed_definition_accepts_a_valid_instance() {
    for c in seeds() {
        let s = Schemas::derive(&c, SchemaOptions::default());
        assert!(s.diagnostics().is_empty(), "{:?}", s.diagnostics());
        for def in &c.definitions {
            let ok = instance(&c, def, 0);
            assert_eq!(
                s.validate_definition(&def.name, &ok),
                Ok(()),
                "{} {}: {ok}",
                c.source,
                def.name
            );
            // Only the declared members, none of them: still valid, unless required.
            if def.properties().iter().all(|p| !p.required) && !def.properties().is_empty() {
                assert_eq!(s.validate_definition(&def.name, &json!({})), Ok(()));
            }
        }
    }
}

#[test]
fn every_seed_definition_rejects_each_broken_instance_at_the_broken_member() {
    let mut checked = 0;
    for c in seeds() {
        let s = Schemas::derive(&c, SchemaOptions::default());
        for def in &c.definitions {
            let ok = instance(&c, def, 0);
            let at = format!("{} {}", c.source, def.name);
            // The wrong JSON type for the whole instance.
            let not_it = if ok.is_object() {
                json!("text")
            } else {
                json!({})
            };
            assert!(!errors_at(&s, &def.name, &not_it).is_empty(), "{at}");
            if let DefinitionKind::Enum { values } = &def.kind {
                let outside = if values[0].value.is_string() {
                    json!("Bogus")
                } else {
                    json!(7)
                };
                assert_eq!(errors_at(&s, &def.name, &outside), vec![""], "{at}");
                assert!(!errors_at(&s, &def.name, &Value::Null).is_empty(), "{at}");
                checked += 1;
                continue;
            }
            for p in def.properties() {
                let ptr = format!("/{}", p.name);
                let bad = with(&ok, &p.name, wrong_type(&c, &p.ty));
                assert_eq!(
                    errors_at(&s, &def.name, &bad),
                    vec![ptr.clone()],
                    "{at} {bad}"
                );
                let null = with(&ok, &p.name, Value::Null);
                if p.nullable {
                    assert_eq!(
                        errors_at(&s, &def.name, &null),
                        Vec::<String>::new(),
                        "{at}"
                    );
                } else {
                    assert_eq!(errors_at(&s, &def.name, &null), vec![ptr.clone()], "{at}");
                }
                if p.required {
                    let mut missing = ok.clone();
                    missing.as_object_mut().unwrap().shift_remove(&p.name);
                    assert_eq!(
                        errors_at(&s, &def.name, &missing),
                        vec![""],
                        "{at} {}",
                        p.name
                    );
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 100, "checked {checked}");
}

fn guid_and_date_properties(c: &Contract) -> Vec<(&Definition, &Property)> {
    c.definitions
        .iter()
        .flat_map(|d| d.properties().iter().map(move |p| (d, p)))
        .filter(|(_, p)| matches!(p.ty.to_string().as_str(), "guid" | "date-time" | "email"))
        .collect()
}

#[test]
fn malformed_uuids_dates_and_emails_are_rejected_only_while_formats_are_asserted() {
    let mut seen = std::collections::BTreeSet::new();
    for c in seeds() {
        let on = Schemas::derive(&c, formats(true));
        let off = Schemas::derive(&c, formats(false));
        for (def, p) in guid_and_date_properties(&c) {
            seen.insert(p.ty.to_string());
            let ok = instance(&c, def, 0);
            for bad in [
                "string",
                "2023-13-45",
                "3f2504e0-4f89-41d3-9a0c",
                "user at example",
            ] {
                let broken = with(&ok, &p.name, json!(bad));
                assert_eq!(
                    errors_at(&on, &def.name, &broken),
                    vec![format!("/{}", p.name)],
                    "{} {}.{} = {bad}",
                    c.source,
                    def.name,
                    p.name
                );
                assert_eq!(off.validate_definition(&def.name, &broken), Ok(()));
            }
        }
    }
    let seen: Vec<String> = seen.into_iter().collect();
    assert_eq!(seen, ["date-time", "email", "guid"]);
}

#[test]
fn without_formats_the_schemas_carry_no_format_keyword() {
    let c = load("001_4ff6fbce2b62a5ae.txt");
    let on = Schemas::derive(&c, formats(true));
    let off = Schemas::derive(&c, formats(false));
    let community_on = on.definition("Community").unwrap().to_string();
    let community_off = off.definition("Community").unwrap().to_string();
    assert!(community_on.contains("\"format\":\"uuid\""));
    assert!(community_on.contains("\"format\":\"date-time\""));
    assert!(!community_off.contains("\"format\""), "{community_off}");
}

#[test]
fn errors_carry_the_json_pointer_schema_path_and_a_message_without_the_value() {
    let c = load("001_4ff6fbce2b62a5ae.txt");
    let s = Schemas::derive(&c, SchemaOptions::default());
    let body = json!([{"Tenants": [{"Status": "s3cr3t-token-value"}]}]);
    let errors = s
        .validate_response(
            "Communities_List Communities a Tenant is Joined to",
            200,
            &body,
        )
        .unwrap_err();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].instance_path, "/0/Tenants/0/Status");
    assert!(errors[0].schema_path.ends_with("/enum"), "{errors:?}");
    assert!(errors[0].message.contains("\"Paused\""), "{errors:?}");
    assert!(!errors[0].message.contains("s3cr3t"), "{errors:?}");
}

#[test]
fn validators_are_compiled_once_per_contract_however_often_they_validate() {
    let c = load("001_4ff6fbce2b62a5ae.txt");
    let s = Schemas::derive(&c, SchemaOptions::default());
    assert_eq!(s.compilations(), 1);
    let example = c.definition("Community").unwrap().example.clone().unwrap();
    for _ in 0..200 {
        let _ = s.validate_definition("Community", &example);
        let _ = s.validate_response("Communities_Get a Community by Id", 200, &example);
        let _ = s.validate_response("Communities_Get a Community by Id", 400, &json!({}));
    }
    assert_eq!(s.compilations(), 1);
}

#[test]
fn enumerations_keep_their_value_types_and_differ_per_document() {
    let s000 = Schemas::derive(&load(SEEDS[0]), SchemaOptions::default());
    let s001 = Schemas::derive(&load(SEEDS[1]), SchemaOptions::default());
    let status = |s: &Schemas| s.definition("CommunityTenantStatus").unwrap().clone();
    assert_eq!(status(&s000)["type"], "string");
    assert_eq!(
        status(&s000)["enum"],
        json!([
            "Undefined",
            "AwaitingConfirmation",
            "Paused",
            "Active",
            "Remove"
        ])
    );
    assert_eq!(status(&s001)["enum"], json!(["None", "Paused", "Active"]));
    let scope = s001.definition("RoleScope").unwrap();
    assert_eq!(scope["type"], "integer");
    assert_eq!(scope["enum"], json!([0, 1, 2, 3]));
    assert!(s001.validate_definition("RoleScope", &json!(2)).is_ok());
    assert!(s001.validate_definition("RoleScope", &json!("2")).is_err());
    assert!(s000
        .validate_definition("CommunityTenantStatus", &json!("AwaitingConfirmation"))
        .is_ok());
    assert!(s001
        .validate_definition("CommunityTenantStatus", &json!("AwaitingConfirmation"))
        .is_err());
}

#[test]
fn nullable_references_and_required_members_follow_the_tables() {
    let s = Schemas::derive(&load(SEEDS[1]), SchemaOptions::default());
    let role = s.definition("Role").unwrap();
    assert_eq!(
        role["properties"]["RoleScope"]["anyOf"],
        json!([{"$ref": "#/$defs/RoleScope"}, {"type": "null"}])
    );
    assert!(s
        .validate_definition("Role", &json!({"RoleScope": null}))
        .is_ok());
    let error = s.definition("ErrorResponse").unwrap();
    assert_eq!(
        error["required"],
        json!(["OperationId", "Error", "Reason", "Resolution"])
    );
    assert_eq!(
        error["properties"]["DynamicProperties"]["type"],
        json!(["object", "null"])
    );
}

#[test]
fn the_repaired_email_rows_are_strings_with_format_email() {
    let s001 = Schemas::derive(&load(SEEDS[1]), SchemaOptions::default());
    assert_eq!(
        s001.definition("CreateCommunityInput").unwrap()["properties"]["ContactEmail"]["format"],
        "email"
    );
    let s003 = Schemas::derive(&load(SEEDS[3]), SchemaOptions::default());
    let email = &s003.definition("IdentityProviderGroup").unwrap()["properties"]["Email"];
    assert_eq!(email["type"], json!(["string", "null"]));
    assert_eq!(email["format"], "email");
}

#[test]
fn strict_rejects_undeclared_members_except_where_the_docs_show_an_open_object() {
    for seed in SEEDS {
        let c = load(seed);
        let open = Schemas::derive(&c, SchemaOptions::default());
        let strict = Schemas::derive(
            &c,
            SchemaOptions {
                strict: true,
                formats: true,
            },
        );
        for def in c.definitions.iter().filter(|d| !d.properties().is_empty()) {
            let extra = with(&instance(&c, def, 0), "NotInTheDocs", json!(1));
            assert_eq!(open.validate_definition(&def.name, &extra), Ok(()));
            // ErrorResponse's and MultiStatusResponseChildError's own
            // examples show `property1`/`property2` members beside their
            // declared ones: the generator's sign of an open object.
            let result = strict.validate_definition(&def.name, &extra);
            if def.name == "ErrorResponse" || def.name == "MultiStatusResponseChildError" {
                assert_eq!(result, Ok(()), "{seed}");
            } else {
                assert!(result.is_err(), "{seed} {}", def.name);
            }
        }
    }
}

#[test]
fn responses_map_statuses_to_body_schemas() {
    let c = load(SEEDS[4]);
    let s = Schemas::derive(&c, SchemaOptions::default());
    let list = s.response("Roles_List Roles", 200).expect("a body");
    assert_eq!(list["type"], "array");
    assert_eq!(list["items"], json!({"$ref": "#/$defs/Role"}));
    assert!(list["$defs"]["RoleScope"].is_object());
    assert_eq!(
        s.response("Roles_Get Role", 404),
        s.definition("ErrorResponse")
    );
    // Documented without a body; undocumented status; unknown operation.
    assert!(s.response("Roles_Delete Tenant Role", 204).is_none());
    assert!(s
        .validate_response("Roles_Delete Tenant Role", 204, &json!("x"))
        .is_ok());
    assert!(s.response("Roles_Get Role", 418).is_none());
    let err = s
        .validate_response("Roles_Get Role", 418, &json!({}))
        .unwrap_err();
    assert!(err[0].message.contains("418"), "{err:?}");
    assert!(s
        .validate_response("No such operation", 200, &json!({}))
        .is_err());
    assert!(s
        .validate_definition("NoSuchDefinition", &json!({}))
        .is_err());
    let roles = json!([{"Id": "r", "RoleScope": 1}]);
    assert!(s.validate_response("Roles_List Roles", 200, &roles).is_ok());
    assert!(s
        .validate_response("Roles_List Roles", 200, &json!({}))
        .is_err());
}

#[test]
fn an_unknown_type_word_is_a_diagnostic_and_accepts_anything() {
    let text = "# Money\n\n# Definitions\n\n## Price\n\n### Properties\n\n|Property Name|Data Type|Required|Nullable|Description|\n|---|---|---|---|---|\n|Amount|decimal128|true|false|How much.|\n";
    let c = spec::parse_str("money.md", text);
    let s = Schemas::derive(&c, SchemaOptions::default());
    assert_eq!(s.diagnostics().len(), 1, "{:?}", s.diagnostics());
    let d = &s.diagnostics()[0];
    assert_eq!((d.code.as_str(), d.line), ("unknown-type", 11));
    assert!(d.message.contains("`decimal128`"), "{}", d.message);
    assert_eq!(
        s.definition("Price").unwrap()["properties"]["Amount"],
        json!({"description": "How much."})
    );
    for v in [json!(1), json!("x"), json!(null), json!([])] {
        assert!(s
            .validate_definition("Price", &json!({"Amount": v}))
            .is_ok());
    }
    assert!(s.validate_definition("Price", &json!({})).is_err());
}

#[test]
fn inline_bodies_are_objects() {
    let path = format!(
        "{}/fixtures/corpus/identity/identity-tenants-users.md",
        env!("CARGO_MANIFEST_DIR")
    );
    let c = spec::load(std::path::Path::new(&path)).unwrap();
    let s = Schemas::derive(&c, SchemaOptions::default());
    let op = c
        .operations
        .iter()
        .find(|o| o.responses.iter().any(|r| r.body == Some(TypeRef::Inline)))
        .expect("an Inline body");
    let status = op
        .responses
        .iter()
        .find(|r| r.body == Some(TypeRef::Inline))
        .unwrap()
        .status;
    let schema = s.response(&op.id, status).unwrap();
    assert_eq!(schema["type"], "object");
    assert!(s
        .validate_response(&op.id, status, &json!({"Theme": "dark"}))
        .is_ok());
    assert!(s.validate_response(&op.id, status, &json!([1])).is_err());
}

#[test]
fn every_corpus_document_derives_and_compiles() {
    let root = format!("{}/fixtures/corpus", env!("CARGO_MANIFEST_DIR"));
    let dirs: Vec<String> = ["identity", "family", "originals", "history"]
        .iter()
        .map(|d| format!("{root}/{d}"))
        .collect();
    for c in spec::load_all(&dirs).unwrap() {
        let s = Schemas::derive(&c, SchemaOptions::default());
        assert!(
            s.diagnostics().is_empty(),
            "{}: {:?}",
            c.source,
            s.diagnostics()
        );
        for def in &c.definitions {
            assert!(
                s.definition(&def.name).is_some(),
                "{} {}",
                c.source,
                def.name
            );
        }
    }
}

#[test]
fn snapshots_of_every_seed_definition_schema() {
    insta::with_settings!({snapshot_path => "../../snapshots", prepend_module_to_snapshot => false}, {
        insta::glob!("../../specs", "*.txt", |path| {
            let c = spec::load(path).unwrap();
            let s = Schemas::derive(&c, SchemaOptions::default());
            let doc: serde_json::Map<String, Value> = s
                .definitions()
                .map(|(name, schema)| (name.to_string(), schema.clone()))
                .collect();
            insta::assert_json_snapshot!("schemas", doc);
        });
    });
}

#[test]
fn a_definition_that_contains_itself_derives_and_validates_at_any_depth() {
    let text = "# Tree\n\n# Definitions\n\n## Node\n\n### Properties\n\n|Property Name|Data Type|Required|Nullable|Description|\n|---|---|---|---|---|\n|Name|string|true|false|x|\n|Children|[Node]|false|true|y|\n";
    let c = spec::parse_str("tree.md", text);
    let s = Schemas::derive(&c, SchemaOptions::default());
    assert!(s.diagnostics().is_empty(), "{:?}", s.diagnostics());
    let node = s.definition("Node").unwrap();
    assert_eq!(
        node["properties"]["Children"]["items"]["$ref"],
        "#/$defs/Node"
    );
    assert!(node["$defs"]["Node"].is_object());
    let ok = json!({"Name": "a", "Children": [{"Name": "b", "Children": [{"Name": "c"}]}]});
    assert_eq!(s.validate_definition("Node", &ok), Ok(()));
    let bad = json!({"Name": "a", "Children": [{"Name": "b", "Children": [{"Name": 3}]}]});
    assert_eq!(
        errors_at(&s, "Node", &bad),
        vec!["/Children/0/Children/0/Name"]
    );
}

#[test]
fn a_huge_wrong_body_yields_a_bounded_number_of_errors() {
    let s = Schemas::derive(&load(SEEDS[4]), SchemaOptions::default());
    let body = Value::Array(vec![json!({"Name": 1, "RoleScope": "x"}); 10_000]);
    let errors = s
        .validate_response("Roles_List Roles", 200, &body)
        .unwrap_err();
    assert!(!errors.is_empty() && errors.len() <= 64, "{}", errors.len());
}
