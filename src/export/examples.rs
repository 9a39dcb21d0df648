//! Examples the export can stand behind. The docs' generator fills examples
//! with placeholders (`"string"` for a GUID, `0` for an integer
//! enumeration, `property1`/`property2` members for an open object); copied
//! as they are, they contradict the schemas beside them and every OpenAPI
//! linter says so. Each placeholder is replaced by a value valid for its
//! schema (the format's own sample, the enumeration's first value), and an
//! object whose example shows the sample members is marked open
//! (`additionalProperties: true`), which is what the generator meant.
//! Nothing else in an example is touched: a real mistake in the docs stays
//! visible.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::schema::placeholder::{is_enum_placeholder, is_format_placeholder, is_sample_member};
use crate::spec::Format;

/// What [`repair`] changed.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Repairs {
    /// Placeholder values replaced by valid ones.
    pub values: usize,
    /// Schemas marked open because their examples show sample members.
    pub opened: usize,
}

/// Repairs every example of an OpenAPI document in place: components'
/// `examples`, and the `example` of every request and response body.
pub fn repair(document: &mut Value) -> Repairs {
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
    let mut repairs = Repairs::default();
    let mut open = BTreeSet::new();
    for (example_at, schema_at) in sites {
        let Some(mut example) = document.pointer(&example_at).cloned() else {
            continue;
        };
        let mut walk = Walk {
            doc: document,
            open: &mut open,
            replaced: 0,
        };
        walk.fix(&mut example, &schema_at, 0);
        let replaced = walk.replaced;
        if replaced > 0 {
            repairs.values += replaced;
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
fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

struct Walk<'a> {
    doc: &'a Value,
    open: &'a mut BTreeSet<String>,
    replaced: usize,
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
                for (name, value) in members.iter_mut() {
                    if declared.and_then(|p| p.get(name)).is_some() {
                        self.fix(
                            value,
                            &format!("{at}/properties/{}", escape(name)),
                            depth + 1,
                        );
                    } else if is_sample_member(name) {
                        self.open.insert(at.to_string());
                    }
                }
            }
            _ => {}
        }
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
                    },
                    "examples": [{
                        "Id": "string", "When": "string", "Scope": 0,
                        "Tags": {"property1": "a", "property2": "b"},
                        "Name": "string",
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
                values: 3,
                opened: 1
            }
        );
        let thing = &doc["components"]["schemas"]["d.Thing"];
        let example = &thing["examples"][0];
        assert_eq!(example["Id"], sample(Format::Uuid));
        assert_eq!(example["When"], sample(Format::DateTime));
        assert_eq!(example["Scope"], 1);
        assert_eq!(example["Name"], "string", "free text is no placeholder");
        assert_eq!(thing["properties"]["Tags"]["additionalProperties"], true);
        // A real mistake is no placeholder: it stays for the docs to fix.
        let listed = &doc["paths"]["/t"]["get"]["responses"]["200"]["content"]["application/json"];
        assert_eq!(listed["example"][0]["Id"], "not-a-guid");
    }
}
