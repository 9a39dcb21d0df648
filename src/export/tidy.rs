//! Tidying the components of an export. A values table may list one value
//! under two names (`Default` and `Continuous` both `0`); the `enum` keeps
//! each value once, which means the same. A document may define what no
//! exported operation uses (a definition only the prose mentions, or the
//! components of a document whose operations all clashed with another's);
//! such components describe nothing in the export and are left out.

use std::collections::{BTreeSet, HashSet};

use serde_json::Value;

/// Keeps each value of every component's `enum` once, in first-seen order.
/// Returns how many enumerations changed.
pub fn dedupe_enums(document: &mut Value) -> usize {
    let mut changed = 0;
    let Some(Value::Object(schemas)) = document.pointer_mut("/components/schemas") else {
        return 0;
    };
    for schema in schemas.values_mut() {
        if let Some(Value::Array(values)) = schema.get_mut("enum") {
            let before = values.len();
            let mut kept: Vec<Value> = Vec::with_capacity(before);
            for v in values.drain(..) {
                if !kept.contains(&v) {
                    kept.push(v);
                }
            }
            if kept.len() != before {
                changed += 1;
            }
            *values = kept;
        }
    }
    changed
}

/// Removes every component schema that nothing outside the components
/// refers to, directly or through other components. Returns the names
/// removed, sorted.
pub fn prune_unused(document: &mut Value) -> Vec<String> {
    const PREFIX: &str = "#/components/schemas/";
    let mut used: HashSet<String> = HashSet::new();
    let mut queue: Vec<String> = Vec::new();
    if let Value::Object(top) = &*document {
        for (key, value) in top {
            if key != "components" {
                refs(value, &mut queue);
            }
        }
    }
    while let Some(r) = queue.pop() {
        let Some(name) = r.strip_prefix(PREFIX) else {
            continue;
        };
        let name = name.replace("~1", "/").replace("~0", "~");
        if !used.insert(name.clone()) {
            continue;
        }
        if let Some(schema) = document
            .pointer("/components/schemas")
            .and_then(|s| s.get(&name))
        {
            refs(schema, &mut queue);
        }
    }
    let Some(Value::Object(schemas)) = document.pointer_mut("/components/schemas") else {
        return Vec::new();
    };
    let unused: BTreeSet<String> = schemas
        .keys()
        .filter(|k| !used.contains(*k))
        .cloned()
        .collect();
    for name in &unused {
        schemas.remove(name);
    }
    unused.into_iter().collect()
}

/// Every `$ref` under `value`, examples excepted: they are data.
fn refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                match (key.as_str(), child) {
                    ("$ref", Value::String(r)) => out.push(r.clone()),
                    ("example" | "examples", _) => {}
                    _ => refs(child, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|i| refs(i, out)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn duplicate_enum_values_are_kept_once_in_order() {
        let mut doc = json!({"components": {"schemas": {
            "d.Mode": {"enum": [0, 0, 1, 2, 1]},
            "d.Name": {"enum": ["A", "B"]},
        }}});
        assert_eq!(dedupe_enums(&mut doc), 1);
        assert_eq!(
            doc["components"]["schemas"]["d.Mode"]["enum"],
            json!([0, 1, 2])
        );
        assert_eq!(
            doc["components"]["schemas"]["d.Name"]["enum"],
            json!(["A", "B"])
        );
    }

    #[test]
    fn components_reachable_from_the_paths_stay_and_the_rest_go() {
        let mut doc = json!({
            "paths": {"/t": {"get": {"responses": {"200": {"content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/d.A"},
                "example": {"$ref": "#/components/schemas/d.C"},
            }}}}}}},
            "components": {"schemas": {
                "d.A": {"properties": {"b": {"$ref": "#/components/schemas/d.B"}}},
                "d.B": {"enum": [1]},
                "d.C": {"type": "object"},
                "d.D": {"properties": {"a": {"$ref": "#/components/schemas/d.A"}}},
            }},
        });
        assert_eq!(prune_unused(&mut doc), ["d.C", "d.D"]);
        let left: Vec<&String> = doc["components"]["schemas"]
            .as_object()
            .unwrap()
            .keys()
            .collect();
        assert_eq!(left, ["d.A", "d.B"]);
    }
}
