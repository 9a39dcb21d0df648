//! Compilation and validation: one compiled document per contract, every
//! definition and response body a subschema looked up by its pointer.

use jsonschema::error::ValidationErrorKind;
use jsonschema::ValidationError;
use jsonschema::ValidatorMap;
use serde_json::Value;

use super::SchemaError;

/// At most this many errors are reported per instance, so that a huge
/// wrong body cannot make a huge report.
pub const MAX_ERRORS: usize = 64;

/// What kind of rule an instance broke, as far as the placeholder
/// recognition and the lint codes need to know.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// The value has another JSON type.
    Type,
    /// The value is outside an enumeration; `options` are the allowed values.
    Enum {
        /// The enumeration's values.
        options: Value,
    },
    /// A required member is missing.
    Required,
    /// A string does not match its `format`.
    Format(String),
    /// Members that no property declares, where none are allowed.
    Undeclared(Vec<String>),
    /// Anything else (a branch of `anyOf` that no alternative took, ...).
    Other,
}

/// One validation error with its kind.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// What the public API reports.
    pub error: SchemaError,
    /// What rule was broken.
    pub kind: Kind,
}

/// The compiled validators of one contract.
pub struct Compiled {
    map: ValidatorMap,
}

impl std::fmt::Debug for Compiled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Compiled")
            .field("subschemas", &self.map.len())
            .finish()
    }
}

impl Compiled {
    /// Compiles a whole schema document once; `formats` turns assertion of
    /// the `format` keyword on. References outside the document are refused
    /// rather than fetched.
    pub fn new(document: &Value, formats: bool) -> Result<Compiled, String> {
        let map = jsonschema::draft202012::options()
            .should_validate_formats(formats)
            .should_ignore_unknown_formats(true)
            .build_map(document)
            .map_err(|e| e.to_string())?;
        Ok(Compiled { map })
    }

    /// Validates `instance` against the subschema at `pointer` (`#/$defs/Role`).
    /// An unknown pointer is reported as one finding, never a panic.
    pub fn check(&self, pointer: &str, instance: &Value) -> Vec<Finding> {
        let Some(validator) = self.map.get(pointer) else {
            return vec![Finding {
                error: SchemaError {
                    instance_path: String::new(),
                    schema_path: pointer.to_string(),
                    message: format!("no compiled schema at {pointer}"),
                },
                kind: Kind::Other,
            }];
        };
        let mut out = Vec::new();
        for e in validator.iter_errors(instance) {
            collect(&e, &mut out);
            if out.len() >= MAX_ERRORS {
                out.truncate(MAX_ERRORS);
                break;
            }
        }
        out
    }
}

/// Converts one error, looking through the `anyOf` that makes a reference
/// nullable: a non-null value that breaks the referenced schema is reported
/// by what it breaks there (an enum, a type), not as "no alternative matched".
fn collect(e: &ValidationError<'_>, out: &mut Vec<Finding>) {
    if let ValidationErrorKind::AnyOf { context } = e.kind() {
        if let [branch, null] = context.as_slice() {
            let null_only = !null.is_empty()
                && null
                    .iter()
                    .all(|n| matches!(n.kind(), ValidationErrorKind::Type { .. }));
            if null_only && !branch.is_empty() {
                for inner in branch {
                    collect(inner, out);
                }
                return;
            }
        }
    }
    let kind = match e.kind() {
        ValidationErrorKind::Type { .. } => Kind::Type,
        ValidationErrorKind::Enum { options } => Kind::Enum {
            options: Value::clone(options),
        },
        ValidationErrorKind::Required { .. } => Kind::Required,
        ValidationErrorKind::Format { format } => Kind::Format(format.clone()),
        ValidationErrorKind::AdditionalProperties { unexpected } => {
            Kind::Undeclared(unexpected.clone())
        }
        _ => Kind::Other,
    };
    out.push(Finding {
        error: SchemaError {
            instance_path: e.instance_path().as_str().to_string(),
            schema_path: e.schema_path().as_str().to_string(),
            // Masked: a response may carry secrets, and a message must
            // never repeat them.
            message: e.masked().to_string(),
        },
        kind,
    });
}
