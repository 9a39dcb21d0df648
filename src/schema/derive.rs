//! The type mapping: contract types to JSON Schema 2020-12 fragments.
//! Scalar words take their JSON type and format from the type table
//! ([`crate::spec::SCALARS`]); the rest (arrays, references, enums,
//! nullability) is decided here.
//!
//! A fragment refers to other definitions through a caller-chosen spelling
//! (`#/$defs/Role` for standalone schemas, `#/components/schemas/…` for
//! OpenAPI), so the one mapping serves validation and export alike.

use std::collections::HashSet;

use serde_json::{json, Map, Value};

use crate::spec::{Contract, Definition, DefinitionKind, Diagnostic, Property, TypeRef};

use super::codes::SchemaCode;
use super::SchemaOptions;

/// The JSON Schema dialect every derived schema declares.
pub const DIALECT: &str = "https://json-schema.org/draft/2020-12/schema";

/// The member names the docs' generator invents to show that an object
/// accepts members beyond its declared ones.
pub const OPEN_OBJECT_SAMPLES: &[&str] = &["property1", "property2"];

/// The schema of a scalar type word from the type table, or `None` when
/// the word is unknown. Without `formats` the `format` keyword is left out.
pub fn scalar(word: &str, formats: bool) -> Option<Value> {
    crate::spec::scalar(word).map(|s| s.schema(formats))
}

/// Adds `null` to what a schema accepts: into its `type` where it has one,
/// else by an `anyOf` (a `$ref` cannot take a sibling type). A schema that
/// already accepts anything is left alone.
pub fn nullable(schema: Value) -> Value {
    let Value::Object(mut map) = schema else {
        return schema;
    };
    if map.is_empty() {
        return Value::Object(map);
    }
    match map.get_mut("type") {
        Some(Value::String(ty)) => {
            let ty = std::mem::take(ty);
            if ty != "null" {
                map.insert("type".into(), json!([ty, "null"]));
            }
            Value::Object(map)
        }
        Some(Value::Array(types)) => {
            if !types.iter().any(|t| t == "null") {
                types.push(json!("null"));
            }
            Value::Object(map)
        }
        _ => json!({"anyOf": [Value::Object(map), {"type": "null"}]}),
    }
}

/// Whether a definition's own example shows the generator's sample members
/// (`property1`, `property2`) it does not declare: the docs' way of saying
/// the object is open, so it stays open even under `--strict`.
pub fn declares_open(def: &Definition) -> bool {
    let Some(Value::Object(example)) = &def.example else {
        return false;
    };
    OPEN_OBJECT_SAMPLES
        .iter()
        .any(|m| example.contains_key(*m) && def.property(m).is_none())
}

/// Derives fragments for one contract, collecting diagnostics on the way.
pub struct Deriver<'a> {
    contract: &'a Contract,
    options: SchemaOptions,
    ref_to: &'a dyn Fn(&str) -> String,
    diagnostics: Vec<Diagnostic>,
}

impl<'a> Deriver<'a> {
    /// A deriver spelling a reference to definition `name` as `ref_to(name)`.
    pub fn new(
        contract: &'a Contract,
        options: SchemaOptions,
        ref_to: &'a dyn Fn(&str) -> String,
    ) -> Self {
        Deriver {
            contract,
            options,
            ref_to,
            diagnostics: Vec::new(),
        }
    }

    /// What was found odd while deriving (unknown type words).
    pub fn into_diagnostics(self) -> Vec<Diagnostic> {
        self.diagnostics
    }

    /// The schema of a type as written in the docs. `what` and `line` name
    /// the place for a diagnostic when the type is unknown.
    pub fn type_schema(&mut self, ty: &TypeRef, what: &str, line: usize) -> Value {
        match ty {
            TypeRef::Scalar(word) => match scalar(word, self.options.formats) {
                Some(schema) => schema,
                None => {
                    self.diagnostics.push(SchemaCode::UnknownType.diagnostic(
                        &self.contract.source,
                        line,
                        format!(
                            "{what} has type `{word}`, which the type table does not know; any value is accepted"
                        ),
                    ));
                    json!({})
                }
            },
            // An undefined name is already reported by the reader
            // (`undefined-type`); a dangling `$ref` would not compile.
            TypeRef::Ref(name) => match self.contract.definition(name) {
                Some(_) => json!({"$ref": (self.ref_to)(name)}),
                None => json!({}),
            },
            TypeRef::Array(inner) => {
                json!({"type": "array", "items": self.type_schema(inner, what, line)})
            }
            TypeRef::Inline => json!({"type": "object"}),
        }
    }

    /// The fragment of one definition: an object with its properties, or
    /// an enumeration of its values.
    pub fn definition(&mut self, def: &Definition) -> Value {
        let mut schema = Map::new();
        schema.insert("title".into(), json!(def.name));
        if let Some(text) = &def.description {
            schema.insert("description".into(), json!(text));
        }
        match &def.kind {
            DefinitionKind::Object { properties } => {
                schema.insert("type".into(), json!("object"));
                let mut props = Map::new();
                for p in properties {
                    if !props.contains_key(&p.name) {
                        let s = self.property(def, p);
                        props.insert(p.name.clone(), s);
                    }
                }
                schema.insert("properties".into(), Value::Object(props));
                let mut required: Vec<&str> = Vec::new();
                for p in properties.iter().filter(|p| p.required) {
                    if !required.contains(&p.name.as_str()) {
                        required.push(&p.name);
                    }
                }
                if !required.is_empty() {
                    schema.insert("required".into(), json!(required));
                }
                if self.options.strict && !declares_open(def) {
                    schema.insert("additionalProperties".into(), json!(false));
                }
            }
            DefinitionKind::Enum { values } => {
                let values: Vec<&Value> = values.iter().map(|v| &v.value).collect();
                if values.iter().all(|v| v.is_i64() || v.is_u64()) {
                    schema.insert("type".into(), json!("integer"));
                } else if values.iter().all(|v| v.is_string()) {
                    schema.insert("type".into(), json!("string"));
                }
                schema.insert("enum".into(), json!(values));
            }
        }
        Value::Object(schema)
    }

    fn property(&mut self, def: &Definition, p: &Property) -> Value {
        let what = format!("property `{}.{}`", def.name, p.name);
        let mut schema = self.type_schema(&p.ty, &what, p.line);
        if p.nullable {
            schema = nullable(schema);
        }
        if let (Some(text), Value::Object(map)) = (&p.description, &mut schema) {
            map.insert("description".into(), json!(text));
        }
        schema
    }
}

/// The definitions a type needs, transitively, in document order.
pub fn closure<'c>(contract: &'c Contract, roots: &[&str]) -> Vec<&'c Definition> {
    let mut seen: HashSet<&str> = HashSet::new();
    let mut out: Vec<&Definition> = Vec::new();
    let mut queue: Vec<&str> = roots.to_vec();
    while let Some(name) = queue.pop() {
        let Some(def) = contract.definition(name) else {
            continue;
        };
        if !seen.insert(def.name.as_str()) {
            continue;
        }
        out.push(def);
        for p in def.properties() {
            if let Some(next) = p.ty.referenced() {
                queue.push(next);
            }
        }
    }
    out.sort_by_key(|d| {
        contract
            .definitions
            .iter()
            .position(|x| std::ptr::eq(x, *d))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn on() -> SchemaOptions {
        SchemaOptions::default()
    }

    fn contract(text: &str) -> Contract {
        crate::spec::parse_str("t.md", text)
    }

    fn ty(text: &str) -> TypeRef {
        TypeRef::parse(text).expect("a type")
    }

    fn derive_one(c: &Contract, t: &str) -> (Value, Vec<Diagnostic>) {
        let refs = |n: &str| format!("#/$defs/{n}");
        let mut d = Deriver::new(c, on(), &refs);
        let s = d.type_schema(&ty(t), "property `X.y`", 3);
        (s, d.into_diagnostics())
    }

    #[test]
    fn each_scalar_word_maps_as_documented() {
        let c = contract("# Empty\n");
        let cases = [
            ("string", json!({"type": "string"})),
            ("guid", json!({"type": "string", "format": "uuid"})),
            (
                "date-time",
                json!({"type": "string", "format": "date-time"}),
            ),
            ("email", json!({"type": "string", "format": "email"})),
            ("integer", json!({"type": "integer"})),
            ("int32", json!({"type": "integer"})),
            ("int64", json!({"type": "integer"})),
            ("number", json!({"type": "number"})),
            ("double", json!({"type": "number"})),
            ("boolean", json!({"type": "boolean"})),
            ("object", json!({"type": "object"})),
            ("array", json!({"type": "array"})),
            ("any", json!({})),
            ("long", json!({"type": "integer"})),
            ("url", json!({"type": "string", "format": "uri"})),
            ("DateTime", json!({"type": "string", "format": "date-time"})),
            ("Inline", json!({"type": "object"})),
            (
                "string[]",
                json!({"type": "array", "items": {"type": "string"}}),
            ),
            (
                "[guid]",
                json!({"type": "array", "items": {"type": "string", "format": "uuid"}}),
            ),
        ];
        for (word, expected) in cases {
            let (schema, diags) = derive_one(&c, word);
            assert_eq!(schema, expected, "{word}");
            assert!(diags.is_empty(), "{word}: {diags:?}");
        }
    }

    #[test]
    fn formats_can_be_left_out() {
        assert_eq!(scalar("guid", false), Some(json!({"type": "string"})));
        assert_eq!(scalar("date-time", false), Some(json!({"type": "string"})));
    }

    #[test]
    fn an_unknown_word_is_a_diagnostic_and_accepts_anything() {
        let c = contract("# Empty\n");
        let (schema, diags) = derive_one(&c, "money");
        assert_eq!(schema, json!({}));
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].code, "unknown-type");
        assert_eq!(diags[0].line, 3);
        assert!(diags[0].message.contains("`money`"), "{}", diags[0].message);
    }

    #[test]
    fn references_use_the_callers_spelling_and_dangling_ones_accept_anything() {
        let c = contract(
            "# T\n\n# Definitions\n\n## Role\n\n### Properties\n\n|Property Name|Data Type|Required|Nullable|Description|\n|---|---|---|---|---|\n|Id|string|false|false|x|\n",
        );
        assert!(c.definition("Role").is_some(), "{:?}", c.diagnostics);
        let refs = |n: &str| format!("#/components/schemas/doc.{n}");
        let mut d = Deriver::new(&c, on(), &refs);
        assert_eq!(
            d.type_schema(&ty("[Role]"), "x", 1),
            json!({"type": "array", "items": {"$ref": "#/components/schemas/doc.Role"}})
        );
        assert_eq!(d.type_schema(&ty("Missing"), "x", 1), json!({}));
    }

    #[test]
    fn nullable_adds_null_to_types_and_wraps_references() {
        assert_eq!(
            nullable(json!({"type": "string"})),
            json!({"type": ["string", "null"]})
        );
        assert_eq!(
            nullable(json!({"type": "array", "items": {}})),
            json!({"type": ["array", "null"], "items": {}})
        );
        assert_eq!(
            nullable(json!({"$ref": "#/$defs/A"})),
            json!({"anyOf": [{"$ref": "#/$defs/A"}, {"type": "null"}]})
        );
        assert_eq!(nullable(json!({})), json!({}));
    }
}
