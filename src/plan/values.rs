//! Request bodies built from the documented examples: placeholders
//! (`"string"`, `0`, sample GUIDs) become fresh, unique, type-correct
//! values; members naming a known parameter (`TenantId`) are filled from
//! the case's variables at run time; and deliberately broken variants for
//! the negative cases.

use std::hash::{DefaultHasher, Hash, Hasher};

use serde_json::{Map, Value};

use crate::spec::{
    format_date_time, Contract, Definition, DefinitionKind, Format, JsonType, Property, Scalar,
    TypeRef, Unique,
};

/// A source of fresh values, unique within one plan and, through the
/// nonce, across runs. Deterministic for a given nonce so that plans can
/// be compared in tests.
#[derive(Debug, Clone)]
pub struct Fresh {
    nonce: String,
    counter: u64,
}

impl Fresh {
    /// Starts a sequence for `nonce`.
    pub fn new(nonce: &str) -> Fresh {
        Fresh {
            nonce: nonce.to_string(),
            counter: 0,
        }
    }

    fn next(&mut self) -> u64 {
        self.counter += 1;
        self.counter
    }

    /// A unique string such as `conform-1a2b-7`.
    pub fn string(&mut self) -> String {
        let n = self.next();
        format!("{}{n}", made_by_suite(&self.nonce))
    }

    /// A unique e-mail address.
    pub fn email(&mut self) -> String {
        let n = self.next();
        format!("{}{n}@example.com", made_by_suite(&self.nonce))
    }

    /// A unique positive integer.
    pub fn integer(&mut self) -> i64 {
        (self.next() % 100_000) as i64 + 1
    }

    /// A unique version-4-shaped GUID derived from the nonce and counter.
    pub fn guid(&mut self) -> String {
        let n = self.next();
        let mut bytes = [0u8; 16];
        for (half, chunk) in bytes.chunks_mut(8).enumerate() {
            let mut h = DefaultHasher::new();
            (&self.nonce, n, half).hash(&mut h);
            chunk.copy_from_slice(&h.finish().to_le_bytes());
        }
        uuid::Builder::from_random_bytes(bytes)
            .into_uuid()
            .to_string()
    }
}

/// Fresh values of any scalar type (`Scalar::fresh`) come from the same
/// sequence, so they are unique and deterministic too.
impl Unique for Fresh {
    fn text(&mut self) -> String {
        self.string()
    }

    fn integer(&mut self) -> i64 {
        Fresh::integer(self)
    }

    fn guid(&mut self) -> String {
        Fresh::guid(self)
    }

    /// A second of 2020 (UTC) picked by the counter: the docs show no
    /// instant a create must carry, and a fixed clock keeps plans comparable.
    fn date_time(&mut self) -> String {
        const START_OF_2020: u64 = 1_577_836_800;
        format_date_time(START_OF_2020 + self.next() % 31_536_000)
    }
}

/// The prefix of every string any run of the suite makes up: how items
/// made by a run (this one, a concurrent one, or one that crashed) are
/// told from those that existed before.
pub const SUITE_PREFIX: &str = "conform-";

/// The prefix of every string the suite makes up in a run with `nonce`.
pub fn made_by_suite(nonce: &str) -> String {
    format!("{SUITE_PREFIX}{nonce}-")
}

/// A generated JSON body.
#[derive(Debug, Clone, PartialEq)]
pub struct Generated {
    /// The body.
    pub body: Value,
    /// Members to fill from variables at run time: (JSON pointer, variable).
    pub vars: Vec<(String, String)>,
    /// Top-level members given fresh string values: what a later read must
    /// show after an update, and what a duplicate must repeat.
    pub fresh: Map<String, Value>,
}

/// What a request body may be filled from.
pub struct BodyContext<'a> {
    /// The contract the body belongs to.
    pub contract: &'a Contract,
    /// The definition the body follows, if the docs let it be inferred.
    pub definition: Option<&'a str>,
    /// Variables a member may be bound to, matched by name ignoring case
    /// (`TenantId` ← `tenantId`).
    pub vars: &'a [String],
    /// The variable the body's own `Id` must carry (an update of an item).
    pub id_var: Option<&'a str>,
}

/// A valid body from the documented example: every placeholder replaced.
pub fn valid_body(cx: &BodyContext, example: &Value, fresh: &mut Fresh) -> Generated {
    let mut out = Generated {
        body: Value::Null,
        vars: Vec::new(),
        fresh: Map::new(),
    };
    let Value::Object(members) = example else {
        out.body = fill(cx.contract, "", None, false, example, fresh);
        return out;
    };
    let def = cx.definition.and_then(|d| cx.contract.definition(d));
    let mut body = Map::new();
    for (name, value) in members {
        let prop = def.and_then(|d| d.property(name));
        let bound = if name == "Id" && cx.id_var.is_some() {
            cx.id_var.map(str::to_string)
        } else {
            cx.vars
                .iter()
                .find(|v| v.eq_ignore_ascii_case(name))
                .cloned()
        };
        if let Some(var) = bound {
            out.vars.push((format!("/{}", escape_pointer(name)), var));
            body.insert(name.clone(), value.clone());
            continue;
        }
        let ty = prop.map(|p| &p.ty);
        let nullable = prop.is_some_and(|p| p.nullable);
        let v = fill(cx.contract, name, ty, nullable, value, fresh);
        if v.is_string() && is_plain_string(cx.contract, name, ty, value) {
            out.fresh.insert(name.clone(), v.clone());
        }
        body.insert(name.clone(), v);
    }
    out.body = Value::Object(body);
    out
}

/// Escapes a member name for a JSON pointer.
pub fn escape_pointer(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}

fn enum_values<'a>(contract: &'a Contract, ty: Option<&TypeRef>) -> Option<Vec<&'a Value>> {
    let name = match ty? {
        TypeRef::Ref(name) => name,
        _ => return None,
    };
    match &contract.definition(name)?.kind {
        DefinitionKind::Enum { values } => Some(values.iter().map(|v| &v.value).collect()),
        DefinitionKind::Object { .. } => None,
    }
}

/// The type table's row for a declared scalar type.
fn scalar(ty: Option<&TypeRef>) -> Option<&'static Scalar> {
    ty.and_then(TypeRef::scalar)
}

/// Whether a member holds free text the suite can make unique (a name, a
/// description), as opposed to an id, an e-mail, a date or an enum.
fn is_plain_string(contract: &Contract, name: &str, ty: Option<&TypeRef>, example: &Value) -> bool {
    example.is_string()
        && enum_values(contract, ty).is_none()
        && !name.ends_with("Id")
        && scalar(ty).is_none_or(Scalar::is_free_text)
        && !example.as_str().is_some_and(|s| s.contains('@'))
}

/// The fresh value for one member, following its type where known and its
/// example otherwise.
fn fill(
    contract: &Contract,
    name: &str,
    ty: Option<&TypeRef>,
    nullable: bool,
    example: &Value,
    fresh: &mut Fresh,
) -> Value {
    if let Some(values) = enum_values(contract, ty) {
        return if values.contains(&example) || values.is_empty() {
            example.clone()
        } else {
            values[0].clone()
        };
    }
    let declared = scalar(ty);
    if let Some(s) = declared {
        // The declared type decides; an example of another type (the
        // generator's `"string"` for a date, `0` for a text) is replaced.
        if s.json == JsonType::Any {
            return example.clone();
        }
        let fits = s.accepts(example) || (example.is_null() && nullable);
        if !fits {
            return s.fresh(fresh);
        }
    }
    let format = declared.and_then(|s| s.format);
    match example {
        Value::String(s) => {
            if format == Some(Format::Uuid) || name == "Id" {
                Value::String(fresh.guid())
            } else if name.ends_with("Id") && format.is_none() {
                if nullable {
                    Value::Null
                } else {
                    Value::String(fresh.guid())
                }
            } else if format == Some(Format::Email) || (format.is_none() && s.contains('@')) {
                Value::String(fresh.email())
            } else if format.is_some() {
                // A valid example of a formatted type (a date-time, a URI)
                // is kept: the docs chose it.
                example.clone()
            } else if let Some(d) = declared.filter(|d| !d.is_free_text()) {
                // A time or a span: any string passed the JSON type, but
                // only the table's values are sure to be one.
                d.fresh(fresh)
            } else {
                Value::String(fresh.string())
            }
        }
        Value::Number(_) => match declared.map(|d| d.json) {
            Some(JsonType::Number) => example.clone(),
            _ => Value::from(fresh.integer()),
        },
        Value::Array(items) => {
            let inner = match ty {
                Some(TypeRef::Array(inner)) => Some(inner.as_ref()),
                _ => None,
            };
            Value::Array(
                items
                    .iter()
                    .map(|item| fill(contract, name, inner, false, item, fresh))
                    .collect(),
            )
        }
        Value::Object(members) => {
            let def: Option<&Definition> = ty
                .and_then(TypeRef::referenced)
                .and_then(|n| contract.definition(n));
            let mut out = Map::new();
            for (k, v) in members {
                let prop: Option<&Property> = def.and_then(|d| d.property(k));
                out.insert(
                    k.clone(),
                    fill(
                        contract,
                        k,
                        prop.map(|p| &p.ty),
                        prop.is_some_and(|p| p.nullable),
                        v,
                        fresh,
                    ),
                );
            }
            Value::Object(out)
        }
        Value::Bool(_) | Value::Null => example.clone(),
    }
}

/// One documented input rule broken by one member of a body.
#[derive(Debug, Clone, PartialEq)]
pub struct Broken {
    /// The member; for a member of a member's definition, its dotted path
    /// (`Client.Name`, see [`super::rules`]).
    pub member: String,
    /// The rule broken (`wrong type`, `out of enum`, `empty`,
    /// `whitespace`, `null`, `missing`), for case names.
    pub rule: &'static str,
    /// The value to send; `None` leaves the member out.
    pub value: Option<Value>,
}

/// Every documented input rule of the definition, each broken by one
/// member alone: a wrong JSON type, a value outside its enumeration (one
/// past the largest integer of an integer enum), an empty and a
/// whitespace-only string where it may not be blank, `null` where it is
/// not nullable, and the member left out where it is required.
pub fn input_breaks(contract: &Contract, definition: &str, example: &Value) -> Vec<Broken> {
    let Some(def) = contract.definition(definition) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for p in def.properties() {
        let mut add = |rule, value| {
            out.push(Broken {
                member: p.name.clone(),
                rule,
                value,
            })
        };
        let sample = example.get(&p.name).cloned().unwrap_or(Value::Null);
        let wrong = wrong_value(contract, Some(&p.ty), &sample);
        if wrong != sample {
            add("wrong type", Some(wrong));
        }
        if let Some(values) = enum_values(contract, Some(&p.ty)) {
            let ints: Vec<i64> = values.iter().filter_map(|v| v.as_i64()).collect();
            if !values.is_empty() && ints.len() == values.len() {
                let past = ints.iter().max().map_or(0, |m| m + 1);
                add("out of enum", Some(Value::from(past)));
            } else if values.iter().all(|v| v.is_string()) {
                add("out of enum", Some(Value::from("conform-not-in-set")));
            }
        }
        if crate::api::must_not_be_blank(p) {
            // The empty string and a whitespace-only one are two rules: a
            // server may check for the one and forget the other.
            add("empty", Some(Value::from("")));
            add("whitespace", Some(Value::from("  ")));
        }
        if !p.nullable {
            add("null", Some(Value::Null));
        }
        if p.required {
            add("missing", None);
        }
    }
    out
}

/// The body with every top-level member given a value of the wrong JSON
/// type for its declared type (a number for a string, a string for a
/// number, and so on).
pub fn wrong_types(contract: &Contract, definition: Option<&str>, example: &Value) -> Value {
    let Value::Object(members) = example else {
        return Value::from(12345);
    };
    let def = definition.and_then(|d| contract.definition(d));
    let mut out = Map::new();
    for (name, value) in members {
        let ty = def.and_then(|d| d.property(name)).map(|p| &p.ty);
        out.insert(name.clone(), wrong_value(contract, ty, value));
    }
    Value::Object(out)
}

fn wrong_value(contract: &Contract, ty: Option<&TypeRef>, example: &Value) -> Value {
    if let Some(values) = enum_values(contract, ty) {
        return if values.iter().any(|v| v.is_number()) {
            Value::from("not-a-number")
        } else {
            Value::from(12345)
        };
    }
    match ty {
        Some(TypeRef::Array(_)) => return Value::from("not-an-array"),
        Some(TypeRef::Ref(_)) => return Value::from("not-an-object"),
        Some(TypeRef::Scalar(_)) => {
            if let Some(s) = scalar(ty) {
                // `any` has no wrong value: the example stays, valid.
                return s.wrong().unwrap_or_else(|| example.clone());
            }
        }
        _ => {}
    }
    // An unknown word or no declaration: break the example's own type.
    let seen = match example {
        Value::Number(_) => JsonType::Number,
        Value::Bool(_) => JsonType::Boolean,
        Value::Array(_) => JsonType::Array,
        Value::Object(_) => JsonType::Object,
        Value::String(_) | Value::Null => JsonType::String,
    };
    seen.wrong().unwrap_or_else(|| Value::from(12345))
}

/// Text that starts like a JSON body and breaks off: not JSON at all.
pub fn malformed_json(fresh: &mut Fresh) -> String {
    format!("{{\"Name\": \"{}", fresh.string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn roles_doc() -> Contract {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/specs/004_a50be14b8577b9a8.txt"
        );
        crate::spec::load(std::path::Path::new(path)).expect("roles doc")
    }

    #[test]
    fn placeholders_become_fresh_type_correct_values() {
        let c = roles_doc();
        let example = c.operations[2]
            .request_body
            .as_ref()
            .and_then(|b| b.example.clone())
            .expect("create role example");
        let vars = vec!["tenantId".to_string()];
        let cx = BodyContext {
            contract: &c,
            definition: Some("Role"),
            vars: &vars,
            id_var: None,
        };
        let mut fresh = Fresh::new("n1");
        let g = valid_body(&cx, &example, &mut fresh);
        let b = &g.body;
        assert!(uuid::Uuid::parse_str(b["Id"].as_str().unwrap()).is_ok());
        assert!(b["Name"].as_str().unwrap().starts_with("conform-n1-"));
        assert_ne!(b["Name"], b["Description"]);
        assert_eq!(b["RoleScope"], json!(0), "an enum keeps its valid example");
        assert_eq!(
            b["CommunityId"],
            Value::Null,
            "unbound nullable ids are null"
        );
        assert_eq!(g.vars, vec![("/TenantId".into(), "tenantId".into())]);
        assert_eq!(
            g.fresh.keys().collect::<Vec<_>>(),
            vec!["Name", "Description"]
        );
        let again = valid_body(&cx, &example, &mut fresh);
        assert_ne!(again.body["Name"], b["Name"], "each body is unique");
    }

    #[test]
    fn an_update_carries_the_item_id_from_its_variable() {
        let c = roles_doc();
        let example = json!({"Id": "string", "Name": "string"});
        let cx = BodyContext {
            contract: &c,
            definition: Some("Role"),
            vars: &[],
            id_var: Some("roleId"),
        };
        let g = valid_body(&cx, &example, &mut Fresh::new("x"));
        assert_eq!(g.vars, vec![("/Id".into(), "roleId".into())]);
    }

    #[test]
    fn wrong_types_break_every_member() {
        let c = roles_doc();
        let example = json!({"Id": "string", "Name": "string", "RoleScope": 0});
        let b = wrong_types(&c, Some("Role"), &example);
        assert_eq!(b["Name"], json!(12345));
        assert_eq!(b["RoleScope"], json!("not-a-number"));
        let untyped = wrong_types(&c, None, &json!({"A": true, "B": [1]}));
        assert_eq!(untyped, json!({"A": "not-a-boolean", "B": "not-an-array"}));
    }

    #[test]
    fn malformed_json_does_not_parse() {
        let text = malformed_json(&mut Fresh::new("m"));
        assert!(serde_json::from_str::<Value>(&text).is_err());
    }

    #[test]
    fn guids_are_unique_and_deterministic() {
        let (mut a, mut b) = (Fresh::new("s"), Fresh::new("s"));
        let (x, y) = (a.guid(), a.guid());
        assert_ne!(x, y);
        assert_eq!(x, b.guid());
        assert_ne!(Fresh::new("t").guid(), x);
    }
}
