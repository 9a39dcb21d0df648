//! JSON values against the contract's definitions: checking request bodies,
//! and shaping stored objects into the definition a response documents.
//!
//! Shaping is what keeps every body valid against its derived schema: it
//! keeps the members the definition names, in its order, converts nested
//! objects the same way, and fills a member the object lacks (or holds with
//! the wrong type) with `null` where nullable, else a typed default.

use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value};

use crate::spec::{Contract, DefinitionKind, Format, Scalar, TypeRef, Unique};

/// Nesting depth beyond which shaping stops, for self-referencing definitions.
const MAX_DEPTH: usize = 12;

/// Whether values of `ty` are JSON integers, by the type table.
pub(crate) fn is_integer(ty: &TypeRef) -> bool {
    ty.scalar()
        .is_some_and(|s| s.json == crate::spec::JsonType::Integer)
}

/// Whether `v` is an instance of `ty` (nulls are the caller's business).
/// Objects are checked member by member, enums by membership.
pub(crate) fn conforms(v: &Value, ty: &TypeRef, contract: &Contract) -> bool {
    check(v, ty, contract, "", 0).is_ok()
}

/// Checks a value against a type; the error names the JSON pointer.
pub(crate) fn check(
    v: &Value,
    ty: &TypeRef,
    contract: &Contract,
    at: &str,
    depth: usize,
) -> Result<(), String> {
    let fail = |what: &str| Err(format!("`{}` must be {what}", pointer(at)));
    match ty {
        TypeRef::Inline => Ok(()),
        TypeRef::Scalar(word) => {
            // A word the table does not know was reported when the schema
            // was derived; like its schema, it accepts anything.
            if ty.scalar().is_none_or(|s| s.accepts(v)) {
                Ok(())
            } else {
                fail(&format!("of type {word}"))
            }
        }
        TypeRef::Array(inner) => {
            let Some(items) = v.as_array() else {
                return fail("an array");
            };
            for (i, item) in items.iter().enumerate() {
                if item.is_null() {
                    return fail_at(&format!("{at}/{i}"), "an item, not null");
                }
                check(item, inner, contract, &format!("{at}/{i}"), depth + 1)?;
            }
            Ok(())
        }
        TypeRef::Ref(name) => {
            let Some(def) = contract.definition(name) else {
                return Ok(());
            };
            match &def.kind {
                DefinitionKind::Enum { values } => {
                    if values.iter().any(|e| &e.value == v) {
                        Ok(())
                    } else {
                        fail(&format!("one of the {name} values"))
                    }
                }
                DefinitionKind::Object { properties } => {
                    let Some(map) = v.as_object() else {
                        return fail(&format!("a {name} object"));
                    };
                    if depth >= MAX_DEPTH {
                        return Ok(());
                    }
                    for p in properties {
                        let here = format!("{at}/{}", p.name);
                        match map.get(&p.name) {
                            None if p.required => {
                                return fail_at(&here, "present");
                            }
                            None => {}
                            Some(Value::Null) if p.nullable => {}
                            Some(Value::Null) => return fail_at(&here, "not null"),
                            Some(m) => check(m, &p.ty, contract, &here, depth + 1)?,
                        }
                    }
                    Ok(())
                }
            }
        }
    }
}

fn fail_at(at: &str, what: &str) -> Result<(), String> {
    Err(format!("`{}` must be {what}", pointer(at)))
}

fn pointer(at: &str) -> &str {
    if at.is_empty() {
        "/"
    } else {
        at
    }
}

/// Shapes `v` into an instance of `ty`; see the module docs.
pub(crate) fn shape(v: Option<&Value>, ty: &TypeRef, nullable: bool, contract: &Contract) -> Value {
    shape_at(v, ty, nullable, contract, 0)
}

fn shape_at(
    v: Option<&Value>,
    ty: &TypeRef,
    nullable: bool,
    contract: &Contract,
    depth: usize,
) -> Value {
    match v {
        Some(Value::Null) | None => return default(ty, nullable, contract, depth),
        Some(v) if !conforms_shallow(v, ty, contract) => {
            return default(ty, nullable, contract, depth)
        }
        Some(_) => {}
    }
    let v = v.unwrap_or(&Value::Null);
    match ty {
        TypeRef::Array(inner) => match v.as_array() {
            Some(items) if depth < MAX_DEPTH => Value::Array(
                items
                    .iter()
                    .map(|i| shape_at(Some(i), inner, false, contract, depth + 1))
                    .collect(),
            ),
            _ => Value::Array(Vec::new()),
        },
        TypeRef::Ref(name) => match contract.definition(name).map(|d| &d.kind) {
            Some(DefinitionKind::Object { properties }) if depth < MAX_DEPTH => {
                let empty = Map::new();
                let map = v.as_object().unwrap_or(&empty);
                Value::Object(
                    properties
                        .iter()
                        .map(|p| {
                            let member =
                                shape_at(map.get(&p.name), &p.ty, p.nullable, contract, depth + 1);
                            (p.name.clone(), member)
                        })
                        .collect(),
                )
            }
            _ => v.clone(),
        },
        TypeRef::Scalar(_) | TypeRef::Inline => v.clone(),
    }
}

/// Like [`conforms`], but for objects only the kind is checked: their
/// members are shaped one by one.
fn conforms_shallow(v: &Value, ty: &TypeRef, contract: &Contract) -> bool {
    match ty {
        TypeRef::Array(_) => v.is_array(),
        TypeRef::Ref(name) => match contract.definition(name).map(|d| &d.kind) {
            Some(DefinitionKind::Object { .. }) => v.is_object(),
            _ => conforms(v, ty, contract),
        },
        _ => conforms(v, ty, contract),
    }
}

/// A valid value of a type for a member the object lacks.
fn default(ty: &TypeRef, nullable: bool, contract: &Contract, depth: usize) -> Value {
    if nullable {
        return Value::Null;
    }
    match ty {
        TypeRef::Inline => Value::Object(Map::new()),
        TypeRef::Array(_) => Value::Array(Vec::new()),
        TypeRef::Scalar(_) => ty.scalar().map_or(Value::from(""), Scalar::sample),
        TypeRef::Ref(name) => match contract.definition(name).map(|d| &d.kind) {
            Some(DefinitionKind::Enum { values }) => {
                values.first().map_or(Value::Null, |e| e.value.clone())
            }
            Some(DefinitionKind::Object { .. }) => shape_at(
                Some(&Value::Object(Map::new())),
                ty,
                false,
                contract,
                depth + 1,
            ),
            None => Value::Null,
        },
    }
}

/// A fresh value for a non-nullable member of a new object: new GUIDs and
/// the current time where a fixed default would repeat across objects.
/// Other types keep their sample (see [`shape`]).
pub(crate) fn fresh(ty: &TypeRef) -> Option<Value> {
    let s = ty.scalar()?;
    matches!(s.format, Some(Format::Uuid | Format::DateTime)).then(|| s.fresh(&mut Random))
}

/// The server's source of unique values: random GUIDs and the clock.
struct Random;

impl Unique for Random {
    fn text(&mut self) -> String {
        uuid::Uuid::new_v4().simple().to_string()
    }

    fn integer(&mut self) -> i64 {
        // 52 random bits: positive, and exact as a JSON number.
        (uuid::Uuid::new_v4().as_u128() >> 76) as i64 + 1
    }

    fn guid(&mut self) -> String {
        uuid::Uuid::new_v4().to_string()
    }

    fn date_time(&mut self) -> String {
        now()
    }
}

// Tests of the handlers check stored times with the table's own rule.
#[cfg(test)]
pub(crate) use crate::spec::is_date_time;

/// The current UTC time as RFC 3339, to the second.
pub(crate) fn now() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    crate::spec::format_date_time(secs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn roles() -> Contract {
        crate::spec::load(std::path::Path::new("specs/004_a50be14b8577b9a8.txt")).unwrap()
    }

    fn role() -> TypeRef {
        TypeRef::Ref("Role".into())
    }

    #[test]
    fn time_formats_as_rfc3339() {
        assert!(is_date_time(&now()));
        assert!(is_date_time("2019-08-24T14:15:22.123+02:00"));
        assert!(!is_date_time("2019-08-24 14:15:22Z"));
        assert!(!is_date_time("2019-08-24T14:15:22"));
        assert!(!is_date_time("yesterday"));
    }

    #[test]
    fn checks_name_the_member_that_breaks_the_definition() {
        let c = roles();
        assert!(check(&json!({"Name": "x", "RoleScope": 1}), &role(), &c, "", 0).is_ok());
        assert!(check(&json!({"Name": null}), &role(), &c, "", 0).is_ok());
        let e = check(&json!({"Name": 5}), &role(), &c, "", 0).unwrap_err();
        assert!(e.contains("`/Name`") && e.contains("string"), "{e}");
        let e = check(&json!({"RoleScope": 9}), &role(), &c, "", 0).unwrap_err();
        assert!(e.contains("RoleScope"), "{e}");
        let e = check(&json!([1]), &role(), &c, "", 0).unwrap_err();
        assert!(e.contains("Role object"), "{e}");
        let user = TypeRef::Ref("User".into());
        let e = check(&json!({"Id": "not-a-guid"}), &user, &c, "", 0).unwrap_err();
        assert!(e.contains("`/Id`") && e.contains("guid"), "{e}");
        let e = check(&json!({"RoleIds": ["a", 3]}), &user, &c, "", 0).unwrap_err();
        assert!(e.contains("`/RoleIds/1`"), "{e}");
        let error = TypeRef::Ref("ErrorResponse".into());
        let e = check(&json!({"Error": "x"}), &error, &c, "", 0).unwrap_err();
        assert!(e.contains("`/OperationId` must be present"), "{e}");
    }

    #[test]
    fn shaping_keeps_documented_members_and_fills_the_rest() {
        let c = roles();
        let stored = json!({"Id": "r1", "Name": 7, "Extra": true, "RoleScope": 2});
        let out = shape(Some(&stored), &role(), false, &c);
        assert_eq!(
            out,
            json!({"Id": "r1", "Name": null, "Description": null, "RoleScope": 2,
                   "TenantId": null, "CommunityId": null, "RoleTypeId": null})
        );
        let user = shape(Some(&json!({})), &TypeRef::Ref("User".into()), false, &c);
        assert_eq!(user["Id"], json!(uuid::Uuid::nil().to_string()));
        assert_eq!(user["RoleIds"], Value::Null);
        let list = shape(
            Some(&json!([{"Name": "a"}, 3])),
            &TypeRef::Array(Box::new(role())),
            false,
            &c,
        );
        assert_eq!(list[0]["Name"], "a");
        assert_eq!(list[1]["Name"], Value::Null);
        assert!(conforms(&list, &TypeRef::Array(Box::new(role())), &c));
    }
}
