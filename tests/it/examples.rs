//! Docs that check themselves: the seeds' and the identity corpus's examples
//! break their schemas only through the generator's placeholders, which are
//! not reported; real contradictions are, at the offending member's line.

use conform::schema::{check_examples, SchemaOptions, Schemas};
use conform::spec::{self, Contract};

fn read(rel: &str) -> (Contract, String) {
    let path = format!("{}/{rel}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect("readable");
    (spec::parse_str(rel, &text), text)
}

fn strict() -> SchemaOptions {
    SchemaOptions {
        strict: true,
        formats: true,
    }
}

/// Schema errors of every example of a contract, before any placeholder
/// is recognised.
fn raw_errors(c: &Contract, s: &Schemas) -> usize {
    let count = |r: Result<(), Vec<conform::schema::SchemaError>>| r.err().map_or(0, |e| e.len());
    let mut n = 0;
    for op in &c.operations {
        for r in op.responses.iter().filter(|r| r.body.is_some()) {
            if let Some(example) = &r.example {
                n += count(s.validate_response(&op.id, r.status, example));
            }
        }
        if let Some(body) = &op.request_body {
            if let (Some(name), Some(example)) = (&body.definition, &body.example) {
                n += count(s.validate_definition(name, example));
            }
        }
    }
    for def in &c.definitions {
        if let Some(example) = &def.example {
            n += count(s.validate_definition(&def.name, example));
        }
    }
    n
}

#[test]
fn the_seeds_and_the_identity_corpus_break_their_schemas_only_by_placeholders() {
    let mut files: Vec<String> = std::fs::read_dir(format!("{}/specs", env!("CARGO_MANIFEST_DIR")))
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| format!("specs/{}", e.file_name().to_string_lossy()))
        .filter(|f| f.ends_with(".txt"))
        .collect();
    let identity = format!("{}/fixtures/corpus/identity", env!("CARGO_MANIFEST_DIR"));
    files.extend(
        std::fs::read_dir(identity)
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| {
                format!(
                    "fixtures/corpus/identity/{}",
                    e.file_name().to_string_lossy()
                )
            }),
    );
    files.sort();
    let mut raw = 0;
    for file in &files {
        let (c, text) = read(file);
        for options in [SchemaOptions::default(), strict()] {
            let s = Schemas::derive(&c, options);
            raw += raw_errors(&c, &s);
            let found = check_examples(&c, &s, &text);
            assert!(found.is_empty(), "{file}: {found:#?}");
        }
    }
    // The placeholders are there to be recognised: "string" under uuid and
    // date-time formats, property1/property2 under strict.
    println!(
        "{raw} raw schema errors in the examples of {} documents, all placeholders",
        files.len()
    );
    assert!(raw > 100, "only {raw} raw errors");
}

fn broken_001() -> (Contract, String) {
    let (_, text) = read("specs/001_4ff6fbce2b62a5ae.txt");
    let text = text
        .replacen("\"Status\": \"None\"", "\"Status\": \"Bogus\"", 1)
        .replacen("\"IsOwner\": true", "\"IsOwner\": \"yes\"", 1)
        .replacen("\"RoleScope\": 0", "\"RoleScope\": 7", 1)
        .replacen("\"UserCount\": 0,", "\"UserCount\": 0, \"Extra\": 1,", 1)
        .replacen(
            "\"DateCreated\": \"2019-08-24T14:15:22Z\"",
            "\"DateCreated\": \"yesterday\"",
            1,
        )
        .replacen("\"OperationId\": \"string\",", "", 1);
    (spec::parse_str("broken.txt", &text), text)
}

#[test]
fn real_contradictions_are_reported_at_the_members_line_with_their_code() {
    let (c, text) = broken_001();
    let lines: Vec<&str> = text.lines().collect();
    let s = Schemas::derive(&c, strict());
    let found = check_examples(&c, &s, &text);
    let got: Vec<(&str, &str)> = found
        .iter()
        .map(|d| (d.code.as_str(), lines[d.line - 1].trim()))
        .collect();
    assert_eq!(
        got,
        [
            ("example-enum-outside", "\"Status\": \"Bogus\","),
            ("example-type-wrong", "\"IsOwner\": \"yes\","),
            (
                "example-undeclared-member",
                "\"UserCount\": 0, \"Extra\": 1,"
            ),
            ("example-format", "\"DateCreated\": \"yesterday\","),
            ("example-enum-outside", "\"RoleScope\": 7,"),
            ("example-missing-required", "{"),
        ]
    );
    assert!(found.iter().all(|d| d.file == "broken.txt"));
    assert!(
        found[0].message.contains("`/0/Tenants/0/Status`"),
        "{}",
        found[0].message
    );
    assert!(
        found[0].message.contains("\"Bogus\""),
        "{}",
        found[0].message
    );
    assert!(found[2].message.contains("`Extra`"), "{}", found[2].message);
    assert!(
        found[5].message.contains("the example of `ErrorResponse`"),
        "{}",
        found[5].message
    );
    // Without --strict the undeclared member is allowed.
    let open = check_examples(&c, &Schemas::derive(&c, SchemaOptions::default()), &text);
    assert_eq!(open.len(), found.len() - 1);
}

#[test]
fn a_placeholder_where_it_is_no_placeholder_is_reported() {
    // "string" is the generator's sample for any string, but not for an
    // integer: that is a wrong type, not a placeholder.
    let (_, text) = read("specs/001_4ff6fbce2b62a5ae.txt");
    let text = text.replacen("\"ClientCount\": 0,", "\"ClientCount\": \"string\",", 1);
    let c = spec::parse_str("t.txt", &text);
    let found = check_examples(&c, &Schemas::derive(&c, SchemaOptions::default()), &text);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].code, "example-type-wrong");
}
