//! Examples the export can stand behind. The docs' generator fills examples
//! with placeholders (`"string"` for a GUID, `0` for an integer
//! enumeration, `property1`/`property2` members for an open object); copied
//! as they are, they contradict the schemas beside them and every OpenAPI
//! linter says so. Each placeholder is replaced by a value valid for its
//! schema (the format's own sample, the enumeration's first value).
//!
//! Two more habits of the docs are translated rather than kept: an
//! enumeration member written by its name (`"State": "Active"` where the
//! values table says `Active` is `1`) becomes its value, the table being the
//! docs' own dictionary; and an object whose example shows members it does
//! not declare (the generator's `property1`/`property2`, or real ones) is
//! marked open (`additionalProperties: true`), which is what Conform's
//! schemas mean anyway: undeclared members are allowed unless `--strict`.
//! Whatever still contradicts its schema after that is the docs' mistake;
//! [`super::verify`] finds it and the example is left out, with a
//! diagnostic, rather than exported as a contradiction. `conform lint`
//! keeps reporting it against the docs.

use std::collections::{BTreeSet, HashMap};

use serde_json::Value;

use crate::schema::placeholder::{is_enum_placeholder, is_format_placeholder, is_sample_member};
use crate::spec::Format;

/// What [`repair`] changed.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Repairs {
    /// Placeholder values replaced by valid ones.
    pub values: usize,
    /// Enumeration members written by name replaced by their values.
    pub names: usize,
    /// Schemas marked open because their examples show undeclared members.
    pub opened: usize,
}

/// The values tables of the exported enumerations: for the JSON pointer of
/// each enumeration's component (`/components/schemas/doc.State`), its
/// members' names and values as the docs list them.
pub type EnumNames = HashMap<String, Vec<(String, Value)>>;

/// Repairs every example of an OpenAPI document in place: components'
/// `examples`, and the `example` of every request and response body.
/// Enumeration members written by name are left alone; see [`repair_with`].
pub fn repair(document: &mut Value) -> Repairs {
    repair_with(document, &EnumNames::new())
}

/// Like [`repair`], and also replaces an enumeration member written by its
/// name with its value, looked up in `names`.
pub fn repair_with(document: &mut Value, names: &EnumNames) -> Repairs {
    let sites = sites(document);
    let mut repairs = Repairs::default();
    let mut open = BTreeSet::new();
    for (example_at, schema_at) in sites {
        let Some(mut example) = document.pointer(&example_at).cloned() else {
            continue;
        };
        let mut walk = Walk {
            doc: document,
            names,
            open: &mut open,
            replaced: 0,
            named: 0,
        };
        walk.fix(&mut example, &schema_at, 0);
        let (replaced, named) = (walk.replaced, walk.named);
        if replaced + named > 0 {
            repairs.values += replaced;
            repairs.names += named;
            if let Some(slot) = document.pointer_mut(&example_at) {
                *slot = example;
            }
        }
    }
    for at in open {
        if let Some(Value::Object(schema)) = document.pointer_mut(&at) {
            if schema.get("additionalProperties") != Some(&Value::Bool(true)) {
                schema.insert("additionalProperties".into(), Value::Bool(true));
                repairs.opened += 1;
            }
        }
    }
    repairs
}

/// Every example of an OpenAPI document with the schema it illustrates, as
/// JSON pointers (example, schema): each component's `examples`, and the
/// `example` of every request and response body.
pub fn sites(document: &Value) -> Vec<(String, String)> {
    let mut sites: Vec<(String, String)> = Vec::new();
    if let Some(Value::Object(schemas)) = document.pointer("/components/schemas") {
        for (name, schema) in schemas {
            let at = format!("/components/schemas/{}", escape(name));
            if let Some(Value::Array(list)) = schema.get("examples") {
                for i in 0..list.len() {
                    sites.push((format!("{at}/examples/{i}"), at.clone()));
                }
            }
        }
    }
    if let Some(Value::Object(paths)) = document.get("paths") {
        for (path, item) in paths {
            let Value::Object(item) = item else { continue };
            for (method, op) in item {
                let at = format!("/paths/{}/{}", escape(path), escape(method));
                media_sites(op, &format!("{at}/requestBody"), &mut sites);
                if let Some(Value::Object(responses)) = op.get("responses") {
                    for status in responses.keys() {
                        let r = format!("{at}/responses/{}", escape(status));
                        let node = document.pointer(&r).unwrap_or(&Value::Null);
                        media_sites_of(node, &r, &mut sites);
                    }
                }
            }
        }
    }
    sites
}

fn media_sites(op: &Value, at: &str, sites: &mut Vec<(String, String)>) {
    if let Some(node) = op.get("requestBody") {
        media_sites_of(node, at, sites);
    }
}

/// The `example` of every media type under a request body or response.
fn media_sites_of(node: &Value, at: &str, sites: &mut Vec<(String, String)>) {
    let Some(Value::Object(content)) = node.get("content") else {
        return;
    };
    for (media, m) in content {
        if m.get("example").is_some() && m.get("schema").is_some() {
            let base = format!("{at}/content/{}", escape(media));
            sites.push((format!("{base}/example"), format!("{base}/schema")));
        }
    }
}

/// A JSON-pointer token.
pub fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

struct Walk<'a> {
    doc: &'a Value,
    names: &'a EnumNames,
    open: &'a mut BTreeSet<String>,
    replaced: usize,
    named: usize,
}

/// Deeper than any real example; a guard against a schema cycle that an
/// example could follow forever (it cannot, being finite, but cheap to say).
const MAX_DEPTH: usize = 64;

impl Walk<'_> {
    fn fix(&mut self, example: &mut Value, at: &str, depth: usize) {
        let Some(schema) = self.doc.pointer(at) else {
            return;
        };
        if depth > MAX_DEPTH {
            return;
        }
        if let Some(target) = schema.get("$ref").and_then(Value::as_str) {
            if let Some(pointer) = target.strip_prefix('#') {
                self.fix(example, pointer, depth + 1);
            }
            return;
        }
        for key in ["anyOf", "oneOf"] {
            if let Some(Value::Array(branches)) = schema.get(key) {
                if example.is_null() {
                    return;
                }
                let nullable = branches
                    .iter()
                    .any(|b| b.get("type") == Some(&"null".into()));
                if nullable && is_recursion_placeholder(example) {
                    *example = Value::Null;
                    self.replaced += 1;
                    return;
                }
                // The derived unions are `T or null`: the example is a T.
                if let Some(i) = branches
                    .iter()
                    .position(|b| b.get("type") != Some(&"null".into()))
                {
                    self.fix(example, &format!("{at}/{key}/{i}"), depth + 1);
                }
                return;
            }
        }
        if let Some(options) = schema.get("enum") {
            let listed = options.as_array().is_some_and(|o| o.contains(example));
            let placeholder = is_enum_placeholder(example, options)
                || (example.is_string() && is_format_placeholder(example));
            if !listed && placeholder {
                if let Some(first) = options.as_array().and_then(|o| o.first()) {
                    *example = first.clone();
                    self.replaced += 1;
                }
            } else if !listed {
                if let Some(value) = self.value_named(at, example) {
                    *example = value;
                    self.named += 1;
                }
            }
            return;
        }
        if is_recursion_placeholder(example) {
            let types = schema.get("type");
            let allows = |t: &str| match types {
                Some(Value::Array(list)) => list.iter().any(|x| x == t),
                Some(one) => one == t,
                None => false,
            };
            if allows("null") {
                *example = Value::Null;
                self.replaced += 1;
            } else if allows("array") && example.as_str().is_some_and(|s| s.starts_with('[')) {
                *example = Value::Array(Vec::new());
                self.replaced += 1;
            }
            return;
        }
        match example {
            Value::String(s) => {
                let format = schema
                    .get("format")
                    .and_then(Value::as_str)
                    .and_then(format_of);
                if let Some(format) = format {
                    if !format.accepts(s) && is_format_placeholder(example) {
                        *example = Value::from(sample(format));
                        self.replaced += 1;
                    }
                }
            }
            Value::Array(items) if schema.get("items").is_some() => {
                for item in items {
                    self.fix(item, &format!("{at}/items"), depth + 1);
                }
            }
            Value::Object(members) => {
                let declared = schema.get("properties");
                // An explicit `additionalProperties` (open or `--strict`)
                // is kept; only an object schema silent on it is opened.
                let closed = schema.get("additionalProperties").is_some() || !is_object(schema);
                for (name, value) in members.iter_mut() {
                    if declared.and_then(|p| p.get(name)).is_some() {
                        self.fix(
                            value,
                            &format!("{at}/properties/{}", escape(name)),
                            depth + 1,
                        );
                    } else if is_sample_member(name) || !closed {
                        // Undeclared members are allowed by Conform's
                        // schemas; the export says so where an example
                        // relies on it, since linters assume the opposite.
                        self.open.insert(at.to_string());
                    }
                }
            }
            _ => {}
        }
    }

    /// The value of the enumeration member `example` names, for the
    /// enumeration at `at`: by its exact name, else by its name in another
    /// case (`active` for `Active`) when only one member is so named.
    fn value_named(&self, at: &str, example: &Value) -> Option<Value> {
        let name = example.as_str()?;
        let table = self.names.get(at)?;
        if let Some((_, value)) = table.iter().find(|(n, _)| n == name) {
            return Some(value.clone());
        }
        let mut folded = table.iter().filter(|(n, _)| n.eq_ignore_ascii_case(name));
        match (folded.next(), folded.next()) {
            (Some((_, value)), None) => Some(value.clone()),
            _ => None,
        }
    }
}

/// Whether a string is the generator's stand-in for a value of a type that
/// contains itself: `"<SdsType>"` for one, `"[<SdsType>]"` for a list. It
/// stops there rather than recurse; the empty value ends the recursion the
/// same way and is valid.
fn is_recursion_placeholder(value: &Value) -> bool {
    let Some(s) = value.as_str() else {
        return false;
    };
    let inner = s
        .strip_prefix('[')
        .and_then(|r| r.strip_suffix(']'))
        .unwrap_or(s);
    inner
        .strip_prefix('<')
        .and_then(|r| r.strip_suffix('>'))
        .is_some_and(|name| {
            !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        })
}

/// Whether a schema describes objects: it declares properties or its type
/// is (or includes) `object`.
fn is_object(schema: &Value) -> bool {
    let object = Value::from("object");
    schema.get("properties").is_some()
        || match schema.get("type") {
            Some(Value::Array(types)) => types.contains(&object),
            Some(ty) => ty == &object,
            None => false,
        }
}

/// The type table's format for a `format` keyword.
fn format_of(keyword: &str) -> Option<Format> {
    [
        Format::Uuid,
        Format::DateTime,
        Format::Date,
        Format::Email,
        Format::Uri,
    ]
    .into_iter()
    .find(|f| f.as_str() == keyword)
}

/// A value of the format: the generator's own sample for it, so a repaired
/// example reads like the rest of the docs.
fn sample(format: Format) -> &'static str {
    match format {
        Format::Uuid => "497f6eca-6276-4993-bfeb-53cbbbba6f08",
        Format::DateTime => "2019-08-24T14:15:22Z",
        Format::Date => "2019-08-24",
        Format::Email => "user@example.com",
        Format::Uri => "http://example.com",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn placeholders_become_valid_values_and_sample_members_open_the_object() {
        let mut doc = json!({
            "components": {"schemas": {
                "d.Thing": {
                    "type": "object",
                    "properties": {
                        "Id": {"type": "string", "format": "uuid"},
                        "When": {"type": ["string", "null"], "format": "date-time"},
                        "Scope": {"$ref": "#/components/schemas/d.Scope"},
                        "Tags": {"type": "object", "properties": {}},
                        "Name": {"type": "string"},
                        "Base": {"anyOf": [{"$ref": "#/components/schemas/d.Thing"}, {"type": "null"}]},
                        "Derived": {"type": ["array", "null"], "items": {"$ref": "#/components/schemas/d.Thing"}},
                        "Parts": {"type": "array", "items": {"$ref": "#/components/schemas/d.Thing"}},
                    },
                    "examples": [{
                        "Id": "string", "When": "string", "Scope": 0,
                        "Tags": {"property1": "a", "property2": "b"},
                        "Name": "string",
                        "Base": "<Thing>", "Derived": "[<Thing>]", "Parts": "[<Thing>]",
                    }],
                },
                "d.Scope": {"enum": [1, 2]},
            }},
            "paths": {"/t": {"get": {"responses": {"200": {"content": {"application/json": {
                "schema": {"type": "array", "items": {"$ref": "#/components/schemas/d.Thing"}},
                "example": [{"Id": "not-a-guid", "When": null}],
            }}}}}}},
        });
        let repairs = repair(&mut doc);
        assert_eq!(
            repairs,
            Repairs {
                values: 6,
                names: 0,
                opened: 1
            }
        );
        let thing = &doc["components"]["schemas"]["d.Thing"];
        let example = &thing["examples"][0];
        assert_eq!(example["Id"], sample(Format::Uuid));
        assert_eq!(example["When"], sample(Format::DateTime));
        assert_eq!(example["Scope"], 1);
        assert_eq!(example["Name"], "string", "free text is no placeholder");
        assert_eq!(example["Base"], Value::Null);
        assert_eq!(example["Derived"], Value::Null);
        assert_eq!(example["Parts"], json!([]));
        assert_eq!(thing["properties"]["Tags"]["additionalProperties"], true);
        // A real mistake is no placeholder: it stays for the docs to fix.
        let listed = &doc["paths"]["/t"]["get"]["responses"]["200"]["content"]["application/json"];
        assert_eq!(listed["example"][0]["Id"], "not-a-guid");
    }

    #[test]
    fn enumeration_members_written_by_name_become_their_values() {
        let mut doc = json!({
            "components": {"schemas": {
                "d.State": {"type": "integer", "enum": [0, 1, 2]},
                "d.Thing": {
                    "type": "object",
                    "properties": {
                        "State": {"$ref": "#/components/schemas/d.State"},
                        "Other": {"$ref": "#/components/schemas/d.State"},
                        "Odd": {"$ref": "#/components/schemas/d.State"},
                    },
                    "examples": [{"State": "Active", "Other": "deleted", "Odd": "Gone", "Extra": 1}],
                },
            }},
        });
        let mut names = EnumNames::new();
        names.insert(
            "/components/schemas/d.State".into(),
            vec![
                ("Inactive".into(), json!(0)),
                ("Active".into(), json!(1)),
                ("Deleted".into(), json!(2)),
            ],
        );
        let repairs = repair_with(&mut doc, &names);
        assert_eq!(
            repairs,
            Repairs {
                values: 0,
                names: 2,
                opened: 1
            }
        );
        let thing = &doc["components"]["schemas"]["d.Thing"];
        assert_eq!(thing["examples"][0]["State"], 1);
        assert_eq!(thing["examples"][0]["Other"], 2, "a name in another case");
        // No member is called so: the docs' mistake stays for the verifier.
        assert_eq!(thing["examples"][0]["Odd"], "Gone");
        // An undeclared member opens the object, as Conform's schemas are.
        assert_eq!(thing["additionalProperties"], true);
    }
}
