//! Input rules the docs state in a definition's table beyond its JSON
//! Schema: which string members may not be blank, and which query
//! parameters page a list. The planner breaks them and the reference
//! server enforces them, so both read them from here.

use crate::spec::{Operation, Param, Property};

/// The names of the paging parameters: `skip` items, then at most
/// `count`.
pub const PAGING: [&str; 2] = ["skip", "count"];

/// The operation's query parameter `name` (`skip` or `count`, any letter
/// case) when it pages: a paging parameter is known by its name, since
/// older documents name `count` in the request line and declare no type
/// for it. Its values are non-negative integers whatever type is written.
pub fn paging_param<'a>(op: &'a Operation, name: &str) -> Option<&'a Param> {
    op.query_params
        .iter()
        .find(|p| p.name.eq_ignore_ascii_case(name) && is_paging(p))
}

/// Whether a query parameter pages (see [`paging_param`]).
pub fn is_paging(p: &Param) -> bool {
    PAGING.iter().any(|n| p.name.eq_ignore_ascii_case(n))
}

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
