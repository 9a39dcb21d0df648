//! The last word on an export's examples. After [`super::examples`] has
//! translated what it can, every example is validated against its schema
//! the way OpenAPI linters validate it: formats asserted, and an object
//! schema that says nothing about `additionalProperties` taken as closed
//! (their default, stricter than Conform's). An example that still fails is
//! a mistake of the docs; it is removed from the export, which must not
//! contradict itself, and returned so the caller can say so.

use serde_json::{json, Map, Value};

use super::examples::sites;

/// An example left out of the export, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dropped {
    /// The JSON pointer the example had in the document.
    pub at: String,
    /// The first contradiction found, with the member it is at.
    pub reason: String,
}

/// Validates every example of `document` against its schema and removes
/// each one that contradicts it. The schemas' own `$ref`s resolve within
/// the document. Returns what was removed, in document order; an error if
/// the schemas do not compile (then nothing is removed).
pub fn drop_invalid(document: &mut Value) -> Result<Vec<Dropped>, String> {
    let found = invalid(document)?;
    // Later indices first, so that removing an element of an `examples`
    // list does not shift the ones still to remove.
    for d in found.iter().rev() {
        remove(document, &d.at);
    }
    Ok(found)
}

/// Every example of `document` that contradicts its schema, judged as
/// [`drop_invalid`] judges it, without changing anything.
pub fn invalid(document: &Value) -> Result<Vec<Dropped>, String> {
    let sites = sites(document);
    if sites.is_empty() {
        return Ok(Vec::new());
    }
    let mut defs = Map::new();
    for (i, (_, schema_at)) in sites.iter().enumerate() {
        let schema = if schema_at.starts_with("/components/schemas/") {
            // Component names are kept to URI-safe characters.
            json!({"$ref": format!("#{schema_at}")})
        } else {
            let mut s = document.pointer(schema_at).cloned().unwrap_or(json!({}));
            close(&mut s);
            s
        };
        defs.insert(format!("s{i}"), schema);
    }
    let mut components = document
        .pointer("/components/schemas")
        .cloned()
        .unwrap_or_else(|| json!({}));
    if let Value::Object(map) = &mut components {
        for schema in map.values_mut() {
            if let Value::Object(s) = schema {
                s.remove("examples");
            }
            close(schema);
        }
    }
    let root = json!({"$defs": defs, "components": {"schemas": components}});
    let validators = jsonschema::draft202012::options()
        .should_validate_formats(true)
        .should_ignore_unknown_formats(true)
        .build_map(&root)
        .map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    for (i, (example_at, _)) in sites.iter().enumerate() {
        let (Some(validator), Some(example)) = (
            validators.get(&format!("#/$defs/s{i}")),
            document.pointer(example_at),
        ) else {
            continue;
        };
        if let Some(e) = validator.iter_errors(example).next() {
            // Masked: the message names the rule broken, not the whole
            // (possibly long) example value again.
            let member = e.instance_path().as_str().to_string();
            let reason = if member.is_empty() {
                e.masked().to_string()
            } else {
                format!("at `{member}`: {}", e.masked())
            };
            out.push(Dropped {
                at: example_at.clone(),
                reason,
            });
        }
    }
    Ok(out)
}

/// Closes every object schema silent on `additionalProperties`, walking
/// only the keywords that hold subschemas (a property may be called
/// `type` or `properties`).
fn close(schema: &mut Value) {
    let Value::Object(map) = schema else { return };
    let object = map.contains_key("properties")
        || match map.get("type") {
            Some(Value::Array(types)) => types.iter().any(|t| t == "object"),
            Some(ty) => ty == "object",
            None => false,
        };
    if object && !map.contains_key("additionalProperties") {
        map.insert("additionalProperties".into(), Value::Bool(false));
    }
    for (key, child) in map.iter_mut() {
        match (key.as_str(), child) {
            ("properties" | "$defs" | "patternProperties", Value::Object(children)) => {
                children.values_mut().for_each(close);
            }
            ("anyOf" | "oneOf" | "allOf" | "prefixItems", Value::Array(children)) => {
                children.iter_mut().for_each(close);
            }
            ("items" | "additionalProperties" | "not", child) => close(child),
            _ => {}
        }
    }
}

/// Removes the value at `pointer`: a member of an object or an element of
/// an `examples` list, which goes too once empty.
fn remove(document: &mut Value, pointer: &str) {
    let Some((parent, last)) = pointer.rsplit_once('/') else {
        return;
    };
    match document.pointer_mut(parent) {
        Some(Value::Object(map)) => {
            map.remove(&last.replace("~1", "/").replace("~0", "~"));
        }
        Some(Value::Array(list)) => {
            if let Ok(i) = last.parse::<usize>() {
                if i < list.len() {
                    list.remove(i);
                }
            }
            if list.is_empty() {
                remove(document, parent);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_example_contradicting_its_schema_is_dropped_and_a_valid_one_kept() {
        let mut doc = json!({
            "components": {"schemas": {
                "d.Thing": {
                    "type": "object",
                    "properties": {"Id": {"type": "string", "format": "uuid"}},
                    "examples": [{"Id": "not-a-guid"}],
                },
            }},
            "paths": {"/t": {"get": {"responses": {
                "200": {"content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/d.Thing"},
                    "example": {"Id": "497f6eca-6276-4993-bfeb-53cbbbba6f08"},
                }}},
                "201": {"content": {"application/json": {
                    "schema": {"type": "array", "items": {"$ref": "#/components/schemas/d.Thing"}},
                    "example": [{"Id": "497f6eca-6276-4993-bfeb-53cbbbba6f08", "Extra": 1}],
                }}},
            }}}},
        });
        let dropped = drop_invalid(&mut doc).unwrap();
        let at: Vec<&str> = dropped.iter().map(|d| d.at.as_str()).collect();
        assert_eq!(
            at,
            [
                "/components/schemas/d.Thing/examples/0",
                "/paths/~1t/get/responses/201/content/application~1json/example",
            ]
        );
        assert!(dropped[0].reason.contains("/Id"), "{}", dropped[0].reason);
        assert!(dropped[1].reason.contains("Extra"), "{}", dropped[1].reason);
        assert!(doc["components"]["schemas"]["d.Thing"]
            .get("examples")
            .is_none());
        let ok = &doc["paths"]["/t"]["get"]["responses"]["200"]["content"]["application/json"];
        assert!(ok.get("example").is_some(), "a valid example stays");
        let listed = &doc["paths"]["/t"]["get"]["responses"]["201"]["content"]["application/json"];
        assert!(listed.get("example").is_none());
    }

    #[test]
    fn only_object_schemas_are_closed_and_properties_named_like_keywords_stay_properties() {
        let mut s = json!({
            "type": ["object", "null"],
            "properties": {
                "properties": {"type": "object", "properties": {}},
                "type": {"type": "string"},
            },
            "anyOf": [{"type": "string"}],
        });
        close(&mut s);
        assert_eq!(s["additionalProperties"], false);
        assert_eq!(s["properties"]["properties"]["additionalProperties"], false);
        assert!(s["properties"].get("additionalProperties").is_none());
        assert!(s["properties"]["type"]
            .get("additionalProperties")
            .is_none());
        assert!(s["anyOf"][0].get("additionalProperties").is_none());
    }
}
