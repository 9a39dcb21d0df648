//! Input rules the docs state in a definition's table beyond its JSON
//! Schema: which string members may not be blank. The planner breaks them
//! and the reference server enforces them, so both read them from here.

use crate::spec::Property;

/// Whether the docs say the string member may not be empty or blank: it is
/// required, or its description says it "cannot be empty" (or "must not
/// be empty", "can not be empty", "may not be empty"). Only free-text
/// members count; ids and dates have their own formats.
pub fn must_not_be_blank(p: &Property) -> bool {
    if !p.ty.scalar().is_some_and(|s| s.is_free_text()) {
        return false;
    }
    let said = p.description.as_deref().is_some_and(|d| {
        let d = d.to_ascii_lowercase();
        [
            "cannot be empty",
            "can not be empty",
            "must not be empty",
            "may not be empty",
        ]
        .iter()
        .any(|w| d.contains(w))
    });
    p.required || said
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::TypeRef;

    fn prop(ty: &str, required: bool, description: &str) -> Property {
        Property {
            name: "Name".into(),
            ty: TypeRef::Scalar(ty.into()),
            required,
            nullable: false,
            description: Some(description.into()),
            line: 1,
        }
    }

    #[test]
    fn required_or_said_free_text_may_not_be_blank() {
        assert!(must_not_be_blank(&prop("string", true, "")));
        assert!(must_not_be_blank(&prop(
            "string",
            false,
            "Name. Cannot be empty."
        )));
        assert!(!must_not_be_blank(&prop("string", false, "Name.")));
        assert!(!must_not_be_blank(&prop("guid", true, "Id.")));
    }
}
