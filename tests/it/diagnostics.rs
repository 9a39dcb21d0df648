//! Each kind of damage in a document becomes a diagnostic with its stable
//! code and the line it is on; reading carries on past it.

use conform::spec::{self, Contract, Severity};

const OP: &str = "## Get Thing

<a id=\"opIdThings_Get Thing\"></a>

### Request
```text
GET /api/things/{thingId}
```

#### Parameters

`string thingId`
<br/>Thing id.<br/><br/>

### Response

|Status Code|Body Type|Description|
|---|---|---|
|200|[Thing](#schemathing)|OK|
|404|None|Not found|

#### Example response body
> 200 Response

```json
{\"Id\": \"string\"}
```
";

const DEFS: &str = "# Definitions

## Thing

### Properties

|Property Name|Data Type|Required|Nullable|Description|
|---|---|---|---|---|
|Id|string|false|false|The id.|
";

fn doc(ops: &str, defs: &str) -> String {
    format!("---\ntitle: Test/things v1\n---\n\n# Things\nThings.\n\n{ops}\n---\n{defs}")
}

fn parse(text: &str) -> Contract {
    spec::parse_str("t.md", text)
}

/// The (code, line) pairs of a contract's diagnostics.
fn codes(c: &Contract) -> Vec<(String, usize)> {
    c.diagnostics
        .iter()
        .map(|d| (d.code.clone(), d.line))
        .collect()
}

fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .expect("needle in text")
        + 1
}

#[test]
fn the_clean_document_has_no_diagnostics() {
    let c = parse(&doc(OP, DEFS));
    assert_eq!(codes(&c), vec![]);
    assert_eq!(c.operations.len(), 1);
    assert_eq!(
        c.operations[0]
            .response(200)
            .unwrap()
            .example
            .as_ref()
            .unwrap()["Id"],
        "string"
    );
}

#[test]
fn short_and_malformed_table_rows() {
    let text = doc(
        &OP.replace("|404|None|Not found|", "|404|\n|abc|None|x|"),
        &DEFS.replace(
            "|Id|string|false|false|The id.|",
            "|Id|string|maybe|The id.|",
        ),
    );
    let c = parse(&text);
    let got = codes(&c);
    assert!(
        got.contains(&("table-row-short".into(), line_of(&text, "|404|"))),
        "{got:?}"
    );
    assert!(
        got.contains(&("bad-status".into(), line_of(&text, "|abc|"))),
        "{got:?}"
    );
    assert!(
        got.contains(&(
            "table-row-short".into(),
            line_of(&text, "|Id|string|maybe|")
        )),
        "{got:?}"
    );
    assert_eq!(
        c.operations[0].responses.len(),
        2,
        "the short row is kept, the bad status is not"
    );
}

#[test]
fn undefined_types_are_reported_where_named() {
    let text = doc(
        &OP.replace("[Thing](#schemathing)", "[Gadget](#schemagadget)"),
        DEFS,
    );
    let c = parse(&text);
    assert_eq!(
        codes(&c),
        vec![("undefined-type".into(), line_of(&text, "|200|[Gadget]"))]
    );
    assert!(c.diagnostics[0].message.contains("Gadget"));
}

#[test]
fn invalid_json_is_reported_at_its_line_and_reading_goes_on() {
    let text = doc(
        &OP.replace("{\"Id\": \"string\"}", "{\n\"Id\": \"string\",,\n}"),
        DEFS,
    );
    let c = parse(&text);
    assert_eq!(
        codes(&c),
        vec![("invalid-json".into(), line_of(&text, ",,"))]
    );
    assert_eq!(c.diagnostics[0].severity, Severity::Error);
    assert_eq!(
        c.definitions.len(),
        1,
        "definitions after the bad example are still read"
    );
    assert!(c.operations[0].response(200).unwrap().example.is_none());
}

#[test]
fn an_operation_without_a_status_table() {
    let cut = OP.split("### Response").next().unwrap();
    let text = doc(cut, DEFS);
    let c = parse(&text);
    assert_eq!(
        codes(&c),
        vec![(
            "missing-status-table".into(),
            line_of(&text, "## Get Thing")
        )]
    );
}

#[test]
fn duplicate_operations_keep_the_first() {
    let second = OP.replace("Get Thing", "Get Thing Again");
    let text = doc(&format!("{OP}\n{second}"), DEFS);
    let c = parse(&text);
    assert_eq!(
        codes(&c),
        vec![(
            "duplicate-operation".into(),
            line_of(&text, "## Get Thing Again")
        )]
    );
    assert_eq!(c.operations.len(), 1);
}

#[test]
fn an_unclosed_fence_is_an_error_at_the_fence() {
    let text = doc(OP, DEFS).replace(
        "```json\n{\"Id\": \"string\"}\n```",
        "```json\n{\"Id\": \"string\"}\n",
    );
    let c = parse(&text);
    let got = codes(&c);
    assert!(
        got.contains(&("unclosed-fence".into(), line_of(&text, "```json"))),
        "{got:?}"
    );
}

#[test]
fn undocumented_path_placeholders_and_example_statuses() {
    let text = doc(
        &OP.replace("`string thingId`\n<br/>Thing id.<br/><br/>", "")
            .replace("> 200 Response", "> 201 Response"),
        DEFS,
    );
    let c = parse(&text);
    let got = codes(&c);
    assert!(
        got.contains(&("path-param-undocumented".into(), line_of(&text, "GET /api"))),
        "{got:?}"
    );
    assert!(
        got.contains(&(
            "example-status-undocumented".into(),
            line_of(&text, "{\"Id\"")
        )),
        "{got:?}"
    );
    assert_eq!(c.operations[0].path_params[0].name, "thingId");
}

#[test]
fn a_missing_request_line_drops_the_operation_with_an_error() {
    let text = doc(
        &OP.replace("GET /api/things/{thingId}", "FETCH things"),
        DEFS,
    );
    let c = parse(&text);
    assert_eq!(
        codes(&c),
        vec![
            ("no-operations".into(), 1),
            ("bad-request-line".into(), line_of(&text, "FETCH"))
        ]
    );
    assert!(c.operations.is_empty() && c.has_errors());
}

#[test]
fn duplicate_definitions_keep_the_first() {
    let text = doc(OP, &format!("{DEFS}\n## Thing\n\n### Properties\n\n|Property Name|Data Type|Required|Nullable|Description|\n|---|---|---|---|---|\n|Other|string|false|false|x|\n"));
    let c = parse(&text);
    assert_eq!(
        codes(&c),
        vec![(
            "duplicate-definition".into(),
            text.lines()
                .collect::<Vec<_>>()
                .iter()
                .rposition(|l| *l == "## Thing")
                .unwrap()
                + 1
        )]
    );
    assert_eq!(c.definitions[0].properties()[0].name, "Id");
}

#[test]
fn invalid_utf8_is_replaced_and_reported() {
    let mut bytes = doc(OP, DEFS).into_bytes();
    let at = bytes.iter().position(|b| *b == b'O').unwrap();
    bytes[at] = 0xFF;
    let c = spec::parse_bytes("t.md", &bytes);
    assert_eq!(c.diagnostics[0].code, "invalid-utf8");
    assert_eq!(c.operations.len(), 1);
}

#[test]
fn flat_text_rows_that_cannot_be_repaired_say_so() {
    // No example shows which member the nameless row is.
    let text = "Things\nThings.\nGet Thing\nRequest\nGET /api/things\nResponse\n| Status Code | Body Type | Description |\n|---|---|---|\n| 200 | Thing | OK |\nDefinitions\nThing\nProperties\n| Property Name | Data Type | Required | Nullable | Description |\n|---|---|---|---|---|\n| Id | string | false | false | x |\n| false | true | lost |\n";
    let c = parse(text);
    assert_eq!(codes(&c), vec![("table-row-short".into(), 16)]);
    assert_eq!(c.definitions[0].properties().len(), 1);
}

#[test]
fn required_and_nullable_cells_must_be_booleans() {
    let text = doc(
        OP,
        &DEFS.replace(
            "|Id|string|false|false|The id.|",
            "|Id|string|maybe|false|The id.|",
        ),
    );
    let c = parse(&text);
    assert_eq!(
        codes(&c),
        vec![("bad-bool".into(), line_of(&text, "|Id|string|maybe|"))]
    );
    let id = &c.definitions[0].properties()[0];
    assert!(!id.required && !id.nullable);
}

#[test]
fn an_operation_heading_without_a_request() {
    // With its `opId` anchor it is an operation whose request was lost.
    let text = doc(
        &format!("## Orphan heading\n\n<a id=\"opIdThings_Orphan\"></a>\n\nNothing here.\n\n{OP}"),
        DEFS,
    );
    let c = parse(&text);
    assert_eq!(
        codes(&c),
        vec![(
            "missing-request".into(),
            line_of(&text, "## Orphan heading")
        )]
    );
    assert_eq!(c.operations.len(), 1);
}

#[test]
fn a_heading_with_neither_request_nor_anchor_is_prose() {
    let text = doc(&format!("## Overview\n\nNothing here.\n\n{OP}"), DEFS);
    let c = parse(&text);
    assert_eq!(
        codes(&c),
        vec![("prose-section".into(), line_of(&text, "## Overview"))]
    );
    assert_eq!(c.operations.len(), 1);
    assert!(!c.has_errors());
}

#[test]
fn sections_outside_operations_and_empty_role_lists() {
    let text = doc(&OP.replace("#### Example response body", "### Authorization\n\nAllowed for these roles: \n<ul>\n</ul>\n\n#### Example response body"), DEFS)
        .replace("# Things\nThings.", "# Things\nThings.\n\n### Response\n");
    let c = parse(&text);
    let got = codes(&c);
    assert!(
        got.contains(&("stray-section".into(), line_of(&text, "### Response"))),
        "{got:?}"
    );
    assert!(c.operations[0].roles.is_empty());
}

#[test]
fn duplicate_statuses_and_mislabelled_examples() {
    let text = doc(
        &OP.replace(
            "|404|None|Not found|",
            "|404|None|Not found|\n|200|None|Again|",
        )
        .replace("> 200 Response", "> 200 Response ([Gadget](#schemagadget))"),
        DEFS,
    );
    let c = parse(&text);
    let got = codes(&c);
    assert!(
        got.contains(&(
            "duplicate-status".into(),
            line_of(&text, "|200|None|Again|")
        )),
        "{got:?}"
    );
    assert!(
        got.contains(&("example-type-mismatch".into(), line_of(&text, "{\"Id\""))),
        "{got:?}"
    );
    assert_eq!(c.operations[0].responses.len(), 2);
}

#[test]
fn query_lines_naming_undeclared_parameters() {
    let text = doc(
        &OP.replace(
            "GET /api/things/{thingId}",
            "GET /api/things/{thingId}\n?skip={skip}",
        ),
        DEFS,
    );
    let c = parse(&text);
    assert_eq!(
        codes(&c),
        vec![(
            "query-param-undocumented".into(),
            line_of(&text, "GET /api")
        )]
    );
    assert_eq!(c.operations[0].query_params[0].name, "skip");
    assert!(!c.operations[0].query_params[0].required);
}

#[test]
fn operations_sharing_an_id_are_both_kept_with_the_later_qualified() {
    let second = OP.replace("GET /api/things/{thingId}", "DELETE /api/things/{thingId}");
    let text = doc(&format!("{OP}\n{second}"), DEFS);
    let c = parse(&text);
    let second_heading = text
        .lines()
        .enumerate()
        .filter(|(_, l)| *l == "## Get Thing")
        .nth(1)
        .unwrap()
        .0
        + 1;
    assert_eq!(
        codes(&c),
        vec![("duplicate-operation-id".into(), second_heading)]
    );
    let ids: Vec<&str> = c.operations.iter().map(|o| o.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "Things_Get Thing",
            "Things_Get Thing (DELETE /api/things/{thingId})"
        ]
    );
}

#[test]
fn the_readme_lists_every_diagnostic_code() {
    let readme =
        std::fs::read_to_string(format!("{}/README.md", env!("CARGO_MANIFEST_DIR"))).unwrap();
    for code in spec::Code::ALL {
        let row = format!(
            "| `{}` | {} | {} |",
            code.name(),
            code.severity(),
            code.explain()
        );
        assert!(readme.contains(&row), "README lacks the row {row}");
    }
}

/// `Error` is also a word of the type table (an error body hand-written
/// pages leave undefined). A document that defines its own `Error` meant
/// that definition, and its members were not checked.
#[test]
fn regression_a_defined_error_type_was_read_as_the_table_word() {
    let ops = OP.replace(
        "|404|None|Not found|",
        "|404|[Error](#schemaerror)|Not found|",
    );
    let defs = format!(
        "{DEFS}
## Error

### Properties

|Property Name|Data Type|Required|Nullable|Description|
|---|---|---|---|---|
|Message|string|true|false|What went wrong.|
|Inner|[Error]|false|true|Causes.|
"
    );
    let c = parse(&doc(&ops, &defs));
    assert_eq!(codes(&c), vec![]);
    let body = c.operations[0].response(404).unwrap().body.clone();
    assert_eq!(body, Some(spec::TypeRef::Ref("Error".into())));
    let error = c.definitions.iter().find(|d| d.name == "Error").unwrap();
    assert_eq!(
        error.property("Inner").unwrap().ty,
        spec::TypeRef::Array(Box::new(spec::TypeRef::Ref("Error".into())))
    );
    // Without a definition of its own, the word stays the table's.
    let c = parse(&doc(&ops, DEFS));
    let body = c.operations[0].response(404).unwrap().body.clone();
    assert_eq!(body, Some(spec::TypeRef::Scalar("Error".into())));
}

/// Hand-written pages say a parameter may be left out in its description
/// ("Optional value specifying ..."): 440 of 1,391 query parameters of
/// the older pages were read as required, and the validation proxy
/// reported a list request without `count` as breaking the docs.
#[test]
fn regression_a_parameter_described_as_optional_was_required() {
    let ops = OP.replace(
        "`string thingId`\n<br/>Thing id.<br/><br/>",
        "`string thingId`\n<br/>Thing id.<br/><br/>`integer count`\n<br/>Optional value specifying the maximum number.<br/><br/>`integer skip`\n<br/>The number to skip.<br/><br/>",
    );
    let ops = ops.replace(
        "GET /api/things/{thingId}",
        "GET /api/things/{thingId}?count={count}&skip={skip}",
    );
    let c = parse(&doc(&ops, DEFS));
    let op = &c.operations[0];
    let required = |name: &str| {
        op.query_params
            .iter()
            .find(|p| p.name == name)
            .unwrap_or_else(|| panic!("{name} in {:?}", op.query_params))
            .required
    };
    assert!(!required("count"), "its description says optional");
    assert!(required("skip"), "nothing says so");
}
