//! JSON values against the contract's definitions: checking request bodies,
//! and shaping stored objects into the definition a response documents.
//!
//! Shaping is what keeps every body valid against its derived schema: it
//! keeps the members the definition names, in its order, converts nested
//! objects the same way, and fills a member the object lacks (or holds with
//! the wrong type) with `null` where nullable, else a typed default.

use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value};

use crate::spec::{Contract, DefinitionKind, TypeRef};

/// Nesting depth beyond which shaping stops, for self-referencing definitions.
const MAX_DEPTH: usize = 12;

/// What a scalar type word accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scalar {
    String,
    Guid,
    DateTime,
    Integer,
    Number,
    Boolean,
    Object,
    Any,
}

fn scalar(word: &str) -> Scalar {
    match word.to_ascii_lowercase().as_str() {
        "string" | "email" | "uri" | "url" | "byte" | "binary" | "password" | "date" => {
            Scalar::String
        }
        "guid" | "uuid" => Scalar::Guid,
        "date-time" | "datetime" | "datetimeoffset" => Scalar::DateTime,
        "integer" | "int" | "int32" | "int64" | "long" => Scalar::Integer,
        "number" | "double" | "float" | "decimal" => Scalar::Number,
        "boolean" | "bool" => Scalar::Boolean,
        "object" => Scalar::Object,
        _ => Scalar::Any,
    }
}

/// Whether values of `ty` are JSON integers.
pub(crate) fn is_integer(ty: &TypeRef) -> bool {
    matches!(ty, TypeRef::Scalar(word) if scalar(word) == Scalar::Integer)
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
            let ok = match scalar(word) {
                Scalar::String => v.is_string(),
                Scalar::Guid => v.as_str().is_some_and(|s| uuid::Uuid::parse_str(s).is_ok()),
                Scalar::DateTime => v.as_str().is_some_and(is_date_time),
                Scalar::Integer => v.is_i64() || v.is_u64(),
                Scalar::Number => v.is_number(),
                Scalar::Boolean => v.is_boolean(),
                Scalar::Object => v.is_object(),
                Scalar::Any => true,
            };
            if ok {
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
        TypeRef::Scalar(word) => match scalar(word) {
            Scalar::String | Scalar::Any => Value::from(""),
            Scalar::Guid => Value::from(uuid::Uuid::nil().to_string()),
            Scalar::DateTime => Value::from("1970-01-01T00:00:00Z"),
            Scalar::Integer | Scalar::Number => Value::from(0),
            Scalar::Boolean => Value::from(false),
            Scalar::Object => Value::Object(Map::new()),
        },
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
pub(crate) fn fresh(ty: &TypeRef) -> Option<Value> {
    match ty {
        TypeRef::Scalar(word) => match scalar(word) {
            Scalar::Guid => Some(Value::from(uuid::Uuid::new_v4().to_string())),
            Scalar::DateTime => Some(Value::from(now())),
            _ => None,
        },
        _ => None,
    }
}

/// Whether a string looks like an RFC 3339 date-time
/// (`2019-08-24T14:15:22Z`, fractions and offsets allowed).
pub(crate) fn is_date_time(s: &str) -> bool {
    let b = s.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    if b.len() < 20
        || !digits(0..4)
        || b[4] != b'-'
        || !digits(5..7)
        || b[7] != b'-'
        || !digits(8..10)
        || !matches!(b[10], b'T' | b't')
        || !digits(11..13)
        || b[13] != b':'
        || !digits(14..16)
        || b[16] != b':'
        || !digits(17..19)
    {
        return false;
    }
    let mut rest = &s[19..];
    if let Some(frac) = rest.strip_prefix('.') {
        let n = frac.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return false;
        }
        rest = &frac[n..];
    }
    match rest.as_bytes() {
        [b'Z' | b'z'] => true,
        [b'+' | b'-', h1, h2, b':', m1, m2] => [h1, h2, m1, m2].iter().all(|d| d.is_ascii_digit()),
        _ => false,
    }
}

/// The current UTC time as RFC 3339, to the second.
pub(crate) fn now() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    format_time(secs)
}

/// Formats seconds since the Unix epoch as RFC 3339 UTC.
fn format_time(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    // Days to civil date (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
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
        assert_eq!(format_time(0), "1970-01-01T00:00:00Z");
        assert_eq!(format_time(1_566_656_122), "2019-08-24T14:15:22Z");
        assert_eq!(format_time(951_825_600), "2000-02-29T12:00:00Z");
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
