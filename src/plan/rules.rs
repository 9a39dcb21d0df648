//! The input rules beyond the top-level members of a body: the members of
//! a member's definition (one level of nesting), each broken alone so a
//! failure names its field path (`Client.Name`), and negative values of
//! the documented paging parameters, one parameter at a time.
//!
//! Pure: the planner turns each [`values::Broken`] into a case of its own.

use serde_json::Value;

use super::values::{self, Broken};
use crate::spec::{Contract, DefinitionKind, TypeRef};

/// The rules of the definitions one level down: for every member of
/// `definition` whose type is an object definition and whose example value
/// is an object, each rule [`values::input_breaks`] finds in that
/// definition, named by the dotted path (`Client.Name`). Arrays of
/// definitions are left alone: which item a server judges first, the docs
/// do not say.
pub fn nested_breaks(contract: &Contract, definition: &str, example: &Value) -> Vec<Broken> {
    let Some(def) = contract.definition(definition) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for p in def.properties() {
        let TypeRef::Ref(inner) = &p.ty else {
            continue;
        };
        let is_object = contract
            .definition(inner)
            .is_some_and(|d| matches!(d.kind, DefinitionKind::Object { .. }));
        let Some(sample) = example.get(&p.name).filter(|v| v.is_object()) else {
            continue;
        };
        if !is_object || inner == definition {
            continue;
        }
        out.extend(
            values::input_breaks(contract, inner, sample)
                .into_iter()
                .map(|b| Broken {
                    member: format!("{}.{}", p.name, b.member),
                    ..b
                }),
        );
    }
    out
}

/// Applies a broken rule to a JSON body: sets (or, for `None`, removes)
/// the member at the dotted path. A path through a member the body does
/// not hold as an object changes nothing.
pub fn apply(body: &mut Value, broken: &Broken) {
    let mut names: Vec<&str> = broken.member.split('.').collect();
    let Some(last) = names.pop() else {
        return;
    };
    let mut at = body;
    for name in names {
        match at.get_mut(name) {
            Some(next) if next.is_object() => at = next,
            _ => return,
        }
    }
    let Value::Object(map) = at else {
        return;
    };
    match &broken.value {
        Some(v) => {
            map.insert(last.to_string(), v.clone());
        }
        None => {
            map.shift_remove(last);
        }
    }
}

/// The JSON pointer of a broken member (`/Client/Name`).
pub fn pointer(broken: &Broken) -> String {
    broken
        .member
        .split('.')
        .map(|n| format!("/{}", values::escape_pointer(n)))
        .collect()
}

/// The value that makes a paging parameter negative.
pub const NEGATIVE: &str = "-1";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::{Definition, Property};
    use serde_json::json;

    fn prop(name: &str, ty: TypeRef, required: bool) -> Property {
        Property {
            name: name.into(),
            ty,
            required,
            nullable: false,
            description: None,
            line: 1,
        }
    }

    fn contract() -> Contract {
        let object = |name: &str, properties| Definition {
            name: name.into(),
            description: None,
            kind: DefinitionKind::Object { properties },
            example: None,
            line: 1,
        };
        let mut c = crate::spec::parse_str("nested.md", "# Nested\n");
        c.definitions = vec![
            object(
                "Create",
                vec![
                    prop("Client", TypeRef::Ref("Client".into()), true),
                    prop("Name", TypeRef::Scalar("string".into()), false),
                ],
            ),
            object(
                "Client",
                vec![prop("Name", TypeRef::Scalar("string".into()), true)],
            ),
        ];
        c
    }

    #[test]
    fn members_of_a_members_definition_are_named_by_their_path() {
        let example = json!({"Client": {"Name": "a"}, "Name": "b"});
        let breaks = nested_breaks(&contract(), "Create", &example);
        let names: Vec<String> = breaks
            .iter()
            .map(|b| format!("{} {}", b.member, b.rule))
            .collect();
        assert!(
            names.contains(&"Client.Name missing".to_string()),
            "{names:?}"
        );
        assert!(
            names.contains(&"Client.Name empty".to_string()),
            "{names:?}"
        );
        assert!(names.iter().all(|n| n.starts_with("Client.")), "{names:?}");
        let mut body = example.clone();
        let missing = breaks.iter().find(|b| b.rule == "missing").unwrap();
        apply(&mut body, missing);
        assert_eq!(body, json!({"Client": {}, "Name": "b"}));
        assert_eq!(pointer(missing), "/Client/Name");
    }

    #[test]
    fn a_member_without_an_object_example_is_not_broken_inside() {
        let example = json!({"Client": null, "Name": "b"});
        assert!(nested_breaks(&contract(), "Create", &example).is_empty());
        let mut body = example.clone();
        apply(
            &mut body,
            &Broken {
                member: "Client.Name".into(),
                rule: "null",
                value: Some(Value::Null),
            },
        );
        assert_eq!(body, example);
    }
}
