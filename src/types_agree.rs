//! Tests that every stage reads a docs type word the way the type table
//! ([`crate::spec::SCALARS`]) says: the derived schema, the reference
//! server's values and checks, the planner's valid and wrong-type bodies,
//! diff's type equivalence and the OpenAPI export. They build one contract
//! with a property and a query parameter of every word (and of its
//! capitalised spelling), and put it through each stage.

use serde_json::{json, Map, Value};

use crate::diff::{self, ChangeKind, DiffOptions};
use crate::mock::values as mock;
use crate::plan::values::{valid_body, wrong_types, BodyContext, Fresh};
use crate::schema::{derive, SchemaOptions, Schemas};
use crate::spec::{
    self, Contract, Definition, DefinitionKind, Dialect, JsonType, Method, Operation, Param,
    Property, RequestBody, Response, Scalar, TypeRef, SCALARS,
};

/// Every spelling the table knows, and the same capitalised (`Int32`,
/// `Date-time`), with the row it must mean.
fn spellings() -> Vec<(String, &'static Scalar)> {
    let mut out = Vec::new();
    for s in SCALARS {
        for w in s.words() {
            out.push((w.to_string(), s));
            let mut capital = w.to_string();
            capital[..1].make_ascii_uppercase();
            out.push((capital, s));
        }
    }
    out
}

/// A member name for a spelling: distinct for `int32` and `Int32`.
fn member(word: &str) -> String {
    let case = if word.starts_with(|c: char| c.is_ascii_uppercase()) {
        "U"
    } else {
        "L"
    };
    format!("{case}_{}", word.replace('-', "_"))
}

/// What the docs' generator writes in an example for a type.
fn placeholder(s: &Scalar) -> Value {
    match s.json {
        JsonType::String | JsonType::Any => json!("string"),
        JsonType::Integer | JsonType::Number => json!(0),
        JsonType::Boolean => json!(true),
        JsonType::Object => json!({}),
        JsonType::Array => json!(["string"]),
    }
}

/// A contract whose `Sample` definition has one required, non-nullable
/// property per spelling, created by a POST that also takes a query
/// parameter of each.
fn contract(words: &[(String, &'static Scalar)]) -> Contract {
    let properties = words
        .iter()
        .map(|(w, _)| Property {
            name: member(w),
            ty: TypeRef::parse(w).expect("a type"),
            required: true,
            nullable: false,
            description: None,
            line: 1,
        })
        .collect();
    let query_params = words
        .iter()
        .map(|(w, _)| Param {
            name: format!("q{}", member(w)),
            ty: TypeRef::parse(w).expect("a type"),
            required: false,
            description: None,
            line: 1,
        })
        .collect();
    let example: Map<String, Value> = words
        .iter()
        .map(|(w, s)| (member(w), placeholder(s)))
        .collect();
    Contract {
        source: "types.md".into(),
        dialect: Dialect::Markdown,
        title: Some("Types".into()),
        version: None,
        description: None,
        operations: vec![Operation {
            id: "Samples_Create".into(),
            summary: "Create a sample".into(),
            description: None,
            method: Method::Post,
            path: "/api/v1/Samples".into(),
            path_params: Vec::new(),
            query_params,
            request_body: Some(RequestBody {
                description: None,
                example: Some(Value::Object(example)),
                definition: Some("Sample".into()),
                line: 1,
            }),
            responses: vec![Response {
                status: 200,
                body: Some(TypeRef::Ref("Sample".into())),
                description: None,
                example: None,
                inferred: false,
                line: 1,
            }],
            roles: Vec::new(),
            line: 1,
        }],
        definitions: vec![Definition {
            name: "Sample".into(),
            description: None,
            kind: DefinitionKind::Object { properties },
            example: None,
            line: 1,
        }],
        diagnostics: Vec::new(),
    }
}

/// The `type` and `format` a schema fragment declares.
fn type_and_format(schema: &Value) -> (Option<&str>, Option<&str>) {
    (schema["type"].as_str(), schema["format"].as_str())
}

/// The `type` and `format` the table promises.
fn promised(s: &Scalar) -> (Option<&'static str>, Option<&'static str>) {
    (s.json.as_str(), s.format.map(|f| f.as_str()))
}

fn valid_member(schemas: &Schemas, body: &Value, name: &str, value: Value) -> bool {
    let mut body = body.clone();
    body[name] = value;
    schemas.validate_definition("Sample", &body).is_ok()
}

#[test]
fn every_word_maps_the_same_way_in_every_stage() {
    let words = spellings();
    let c = contract(&words);
    for (w, s) in &words {
        assert_eq!(TypeRef::parse(w).and_then(|t| t.scalar()), Some(*s), "{w}");
    }

    // schema: the type and format of the table, and no unknown-type warning.
    let schemas = Schemas::derive(&c, SchemaOptions::default());
    assert!(
        schemas.diagnostics().is_empty(),
        "{:?}",
        schemas.diagnostics()
    );
    let derived = schemas.definition("Sample").expect("derived");
    for (w, s) in &words {
        let p = &derived["properties"][member(w)];
        assert_eq!(type_and_format(p), promised(s), "schema of {w}");
        assert_eq!(derive::scalar(w, true).as_ref(), Some(&s.schema(true)));
    }

    // export: properties and query parameters alike.
    let exported = crate::export::openapi(std::slice::from_ref(&c));
    assert!(
        exported.diagnostics.is_empty(),
        "{:?}",
        exported.diagnostics
    );
    let doc = exported.document;
    let props = &doc["components"]["schemas"]["types.Sample"]["properties"];
    let params = doc["paths"]["/api/v1/Samples"]["post"]["parameters"]
        .as_array()
        .expect("parameters");
    for (w, s) in &words {
        assert_eq!(
            type_and_format(&props[member(w)]),
            promised(s),
            "export of {w}"
        );
        let q = params
            .iter()
            .find(|p| p["name"] == format!("q{}", member(w)))
            .expect("parameter exported");
        assert_eq!(type_and_format(&q["schema"]), promised(s), "parameter {w}");
    }

    // mock: its fill-in values validate, and its request check agrees.
    let sample = TypeRef::Ref("Sample".into());
    let shaped = mock::shape(None, &sample, false, &c);
    assert!(
        schemas.validate_definition("Sample", &shaped).is_ok(),
        "{shaped}: {:?}",
        schemas.validate_definition("Sample", &shaped)
    );
    assert!(mock::conforms(&shaped, &sample, &c));
    for (w, s) in &words {
        let ty = TypeRef::parse(w).expect("a type");
        if let Some(v) = mock::fresh(&ty) {
            assert!(
                valid_member(&schemas, &shaped, &member(w), v.clone()),
                "mock fresh {w}: {v}"
            );
        }
        if let Some(bad) = s.wrong() {
            let mut body = shaped.clone();
            body[member(w)] = bad;
            assert!(
                !mock::conforms(&body, &sample, &c),
                "mock accepts a wrong {w}"
            );
        }
    }

    // plan: a valid body validates; each wrong member alone breaks it.
    let example = c.operations[0]
        .request_body
        .as_ref()
        .unwrap()
        .example
        .clone()
        .unwrap();
    let cx = BodyContext {
        contract: &c,
        definition: Some("Sample"),
        vars: &[],
        id_var: None,
    };
    let valid = valid_body(&cx, &example, &mut Fresh::new("types")).body;
    assert!(
        schemas.validate_definition("Sample", &valid).is_ok(),
        "{valid}: {:?}",
        schemas.validate_definition("Sample", &valid)
    );
    let wrong = wrong_types(&c, Some("Sample"), &example);
    for (w, s) in &words {
        let m = member(w);
        let breaks = !valid_member(&schemas, &valid, &m, wrong[&m].clone());
        assert_eq!(
            breaks,
            s.json != JsonType::Any,
            "plan wrong value of {w}: {}",
            wrong[&m]
        );
    }
}

/// A contract whose one property has type `word`.
fn one(word: &str) -> Contract {
    let s = spec::scalar(word).expect("a table word");
    contract(&[(word.to_string(), s)])
}

#[test]
fn diff_equates_aliases_and_changes_on_another_json_type_or_format() {
    let words = spellings();
    for (a, sa) in &words {
        for (b, sb) in &words {
            let old = one(a);
            let mut new = one(a);
            // Same member name on both sides; only the type differs.
            let ty = TypeRef::parse(b).expect("a type");
            match &mut new.definitions[0].kind {
                DefinitionKind::Object { properties } => properties[0].ty = ty.clone(),
                DefinitionKind::Enum { .. } => unreachable!(),
            }
            new.operations[0].query_params[0].ty = ty;
            let changes = diff::compare(&old, &new, &DiffOptions::default());
            let kinds: Vec<ChangeKind> = changes.iter().map(|c| c.kind).collect();
            if sa.same_wire(sb) {
                assert!(kinds.is_empty(), "{a} -> {b}: {kinds:?}");
            } else {
                assert!(
                    kinds.contains(&ChangeKind::ParamTypeChanged),
                    "{a} -> {b}: {kinds:?}"
                );
                assert!(
                    kinds.contains(&ChangeKind::RequestFieldTypeChanged)
                        && kinds.contains(&ChangeKind::ResponsePropertyTypeChanged),
                    "{a} -> {b}: {kinds:?}"
                );
            }
        }
    }
}

/// Regression: `long` was anything to the schema, an integer to the mock,
/// equal to `integer` in diff, and the wrong-type generator sent it 12345,
/// a valid long, so that negative test asserted a false failure.
#[test]
fn long_is_an_integer_in_every_stage() {
    let c = one("long");
    let schemas = Schemas::derive(&c, SchemaOptions::default());
    assert!(
        schemas.diagnostics().is_empty(),
        "{:?}",
        schemas.diagnostics()
    );
    let derived = schemas.definition("Sample").expect("derived");
    assert_eq!(derived["properties"]["L_long"], json!({"type": "integer"}));

    let example = json!({"L_long": 0});
    let wrong = wrong_types(&c, Some("Sample"), &example);
    assert!(!wrong["L_long"].is_number(), "{wrong}");
    assert!(schemas.validate_definition("Sample", &wrong).is_err());

    let shaped = mock::shape(None, &TypeRef::Ref("Sample".into()), false, &c);
    assert!(shaped["L_long"].is_i64(), "{shaped}");

    let mut as_int64 = c.clone();
    match &mut as_int64.definitions[0].kind {
        DefinitionKind::Object { properties } => {
            properties[0].ty = TypeRef::parse("int64").unwrap()
        }
        DefinitionKind::Enum { .. } => unreachable!(),
    }
    as_int64.operations[0].query_params[0].ty = TypeRef::parse("integer").unwrap();
    assert_eq!(
        diff::compare(&c, &as_int64, &DiffOptions::default()),
        vec![]
    );
}

/// The rows the README's schema table must begin with, one per table row.
fn readme_rows() -> String {
    let mut out = String::new();
    for s in SCALARS {
        let words: Vec<String> = s.words().map(|w| format!("`{w}`")).collect();
        let schema = match (s.json.as_str(), s.format) {
            (None, _) => "`{}`".to_string(),
            (Some(ty), None) => format!("`{{\"type\": \"{ty}\"}}`"),
            (Some(ty), Some(f)) => {
                format!("`{{\"type\": \"{ty}\", \"format\": \"{}\"}}`", f.as_str())
            }
        };
        out.push_str(&format!(
            "| {} | {schema} | {} |\n",
            words.join(", "),
            s.meaning
        ));
    }
    out
}

#[test]
fn the_readme_lists_every_type_word_as_the_table_maps_it() {
    let readme = include_str!("../README.md");
    let header = "| docs type | schema | meaning |\n|---|---|---|\n";
    let expected = format!("{header}{}", readme_rows());
    assert!(
        readme.contains(&expected),
        "the README's schema table must begin with these rows:\n{expected}"
    );
}
