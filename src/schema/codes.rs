//! The diagnostic codes of schema derivation, example checking and export, in one table: the same shape
//! as the reader's own codes (a stable kebab-case name, a severity, one line
//! of explanation), printed the same compiler-style way.

use crate::spec::Diagnostic;

crate::spec::code_table! {
    /// A stable code for a problem found while deriving schemas or
    /// checking the docs' examples against them.
    SchemaCode {
        UnknownType = "unknown-type", Warning, "a type word the type table does not know; its schema accepts anything";
        SchemaNotCompiled = "schema-not-compiled", Error, "the derived schemas could not be compiled into a validator";
        ExampleTypeWrong = "example-type-wrong", Warning, "an example value has another JSON type than its declared type";
        ExampleEnumOutside = "example-enum-outside", Warning, "an example value is not one of its enumeration's values";
        ExampleMissingRequired = "example-missing-required", Warning, "an example lacks a member its definition requires";
        ExampleUndeclaredMember = "example-undeclared-member", Warning, "an example has a member its definition does not declare (strict only)";
        ExampleFormat = "example-format", Warning, "an example string is not a valid uuid, date-time or email, and is no generator placeholder";
        ExampleMismatch = "example-mismatch", Warning, "an example contradicts its schema in some other way";
        ExportOperationClash = "export-operation-clash", Warning, "two documents describe the same method and path; the OpenAPI export keeps the first";
        ExportExampleDropped = "export-example-dropped", Warning, "an example contradicts its schema beyond the generator's placeholders; the OpenAPI export leaves it out";
    }
}

impl SchemaCode {
    /// A diagnostic with this code's severity.
    pub fn diagnostic(self, file: &str, line: usize, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: self.severity(),
            code: self.name().to_string(),
            message: message.into(),
            file: file.to_string(),
            line,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_kebab_case_and_distinct_from_the_readers_codes() {
        let mut seen = std::collections::HashSet::new();
        for code in SchemaCode::ALL {
            assert!(seen.insert(code.name()), "duplicate {}", code.name());
            assert_eq!(SchemaCode::from_name(code.name()), Some(*code));
            assert!(code
                .name()
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '-'));
            assert!(crate::spec::Code::from_name(code.name()).is_none());
            assert!(!code.explain().is_empty());
        }
    }

    #[test]
    fn diagnostics_print_like_the_readers() {
        let d = SchemaCode::UnknownType.diagnostic("a.md", 7, "type `money` is unknown");
        assert_eq!(
            d.to_string(),
            "a.md:7: warning[unknown-type]: type `money` is unknown"
        );
    }
}
