//! The body of a lifecycle's refused update: one member of the wrong JSON
//! type among valid ones. A server that stores what passed its checks
//! before it refuses the request shows it in the next read; one member is
//! also the smallest break the docs' 400 answers.

use serde_json::Value;

use crate::spec::{Contract, TypeRef};

/// The first member of `example` whose declared type the docs make sure
/// a server checks (a known scalar with a wrong value, an enum, an array,
/// a defined object), with its wrong value from `wrong` (the example with
/// every member of the wrong type), members `skip` names aside (those set
/// at run time); `None` where no member qualifies.
pub(super) fn one_wrong_member(
    contract: &Contract,
    definition: &str,
    example: &Value,
    wrong: &Value,
    skip: impl Fn(&str) -> bool,
) -> Option<(String, Value)> {
    let def = contract.definition(definition)?;
    let (Value::Object(example), Value::Object(wrong)) = (example, wrong) else {
        return None;
    };
    example.iter().find_map(|(name, value)| {
        if skip(name) {
            return None;
        }
        let broken = wrong.get(name).filter(|w| *w != value)?;
        let sure = match &def.property(name)?.ty {
            ty @ TypeRef::Scalar(_) => ty.scalar().and_then(|s| s.wrong()).is_some(),
            TypeRef::Ref(n) => contract.definition(n).is_some(),
            TypeRef::Array(_) => true,
            TypeRef::Inline => false,
        };
        sure.then(|| (name.clone(), broken.clone()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::values::wrong_types;

    fn roles_doc() -> Contract {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/specs/004_a50be14b8577b9a8.txt"
        );
        crate::spec::load(std::path::Path::new(path)).expect("roles doc")
    }

    #[test]
    fn breaks_the_first_member_with_a_checked_type() {
        let c = roles_doc();
        let op = c
            .operations
            .iter()
            .find(|o| o.id == "Roles_Update Role on Tenant")
            .expect("an update");
        let body = op.request_body.as_ref().expect("a body");
        let (example, def) = (
            body.example.as_ref().unwrap(),
            body.definition.as_deref().unwrap(),
        );
        let wrong = wrong_types(&c, Some(def), example);
        let none = |_: &str| false;
        let (name, value) = one_wrong_member(&c, def, example, &wrong, none).expect("a member");
        assert_eq!(Some(&value), wrong.get(&name));
        assert_ne!(Some(&value), example.get(&name));
        let other = one_wrong_member(&c, def, example, &wrong, |k| k == name).expect("another");
        assert_ne!(other.0, name, "a skipped member is not broken");
        // No member can be broken in a body whose members are all valid.
        assert_eq!(one_wrong_member(&c, def, example, example, none), None);
    }
}
