//! Schemas derived from the docs: a JSON Schema (2020-12) for every
//! definition and every documented response body, compiled once per
//! contract and reused for every validation.
//!
//! [`Schemas::derive`] maps the contract's types (see [`derive`]) into
//! fragments, gathers them into one document whose `$defs` hold every
//! definition and every response body, and compiles that document exactly
//! once. Validation looks the compiled subschema up by its pointer. The
//! module also checks the docs' own examples against these schemas
//! ([`check_examples`]), knowing the placeholders the docs' generator fills
//! examples with ([`placeholder`]).

mod codes;
mod compile;
pub mod derive;
mod examples;
mod locate;
pub mod placeholder;

use std::collections::HashMap;

use serde::Serialize;
use serde_json::{json, Map, Value};

use crate::spec::{Contract, Diagnostic, TypeRef};

pub use codes::SchemaCode;
pub use examples::check_examples;

use compile::{Compiled, Finding};
use derive::{Deriver, DIALECT};

/// How schemas are derived and validated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SchemaOptions {
    /// Reject members a definition does not declare. Objects whose own
    /// example shows the generator's `property1`/`property2` sample members
    /// stay open: the docs say so.
    pub strict: bool,
    /// Declare and assert `format` (uuid, date-time, email). Without it the
    /// schemas carry no `format` keyword at all.
    pub formats: bool,
}

impl Default for SchemaOptions {
    fn default() -> Self {
        SchemaOptions {
            strict: false,
            formats: true,
        }
    }
}

/// One way an instance departs from its schema.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SchemaError {
    /// JSON pointer into the instance (`/Tenants/0/Status`; empty for the root).
    pub instance_path: String,
    /// JSON pointer into the schema, to the keyword that failed.
    pub schema_path: String,
    /// A short message; never repeats the instance's values.
    pub message: String,
}

impl SchemaError {
    /// The errors as one line for people: the first `shown`, each as
    /// "at `/pointer`: message", then how many more there are.
    pub fn summary(errors: &[SchemaError], shown: usize) -> String {
        let mut parts: Vec<String> = errors
            .iter()
            .take(shown)
            .map(|e| {
                let path = if e.instance_path.is_empty() {
                    "(root)"
                } else {
                    e.instance_path.as_str()
                };
                format!("at `{path}`: {}", e.message)
            })
            .collect();
        if errors.len() > shown {
            parts.push(format!("and {} more", errors.len() - shown));
        }
        parts.join("; ")
    }
}

/// The schema of one response body type.
#[derive(Debug)]
struct Body {
    /// The standalone schema document.
    document: Value,
    /// Where its compiled validator sits.
    pointer: String,
}

/// Every schema of one contract, with its compiled validators.
#[derive(Debug)]
pub struct Schemas {
    options: SchemaOptions,
    source: String,
    diagnostics: Vec<Diagnostic>,
    /// Standalone documents by definition name, in document order.
    definitions: Map<String, Value>,
    /// Pointers of the definitions' compiled validators.
    definition_pointers: HashMap<String, String>,
    /// One entry per distinct body type.
    bodies: Vec<Body>,
    /// (operation id, status) to its body, `None` for a documented status
    /// without a body.
    responses: HashMap<(String, u16), Option<usize>>,
    compiled: Option<Compiled>,
    compilations: usize,
}

/// Where a definition's fragment sits in the compiled document.
fn def_pointer(name: &str) -> String {
    format!("#/$defs/{}", escape_pointer(name))
}

/// JSON-pointer escaping of one reference token.
pub(crate) fn escape_pointer(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

impl Schemas {
    /// Derives every schema of `contract` and compiles them, once.
    pub fn derive(contract: &Contract, options: SchemaOptions) -> Schemas {
        let refs = |name: &str| def_pointer(name);
        let mut deriver = Deriver::new(contract, options, &refs);

        let mut fragments = Map::new();
        for def in &contract.definitions {
            if !fragments.contains_key(&def.name) {
                let fragment = deriver.definition(def);
                fragments.insert(def.name.clone(), fragment);
            }
        }

        let mut body_keys: HashMap<String, usize> = HashMap::new();
        let mut body_types: Vec<(TypeRef, Value)> = Vec::new();
        let mut responses = HashMap::new();
        for op in &contract.operations {
            for r in &op.responses {
                let Some(ty) = &r.body else {
                    responses.insert((op.id.clone(), r.status), None);
                    continue;
                };
                let key = ty.to_string();
                let index = match body_keys.get(&key) {
                    Some(&i) => i,
                    None => {
                        let what = format!("response {} of `{}`", r.status, op.id);
                        let fragment = deriver.type_schema(ty, &what, r.line);
                        body_types.push((ty.clone(), fragment));
                        body_keys.insert(key, body_types.len() - 1);
                        body_types.len() - 1
                    }
                };
                responses
                    .entry((op.id.clone(), r.status))
                    .or_insert(Some(index));
            }
        }
        let mut diagnostics = deriver.into_diagnostics();

        let standalone = |fragment: &Value, roots: &[&str]| -> Value {
            let mut doc = Map::new();
            doc.insert("$schema".into(), json!(DIALECT));
            if let Value::Object(f) = fragment {
                doc.extend(f.clone());
            }
            let defs: Map<String, Value> = derive::closure(contract, roots)
                .into_iter()
                .filter_map(|d| Some((d.name.clone(), fragments.get(&d.name)?.clone())))
                .collect();
            if !defs.is_empty() {
                doc.insert("$defs".into(), Value::Object(defs));
            }
            Value::Object(doc)
        };

        let mut definitions = Map::new();
        let mut definition_pointers = HashMap::new();
        for (name, fragment) in &fragments {
            let refs: Vec<&str> = contract
                .definition(name)
                .map(|d| {
                    d.properties()
                        .iter()
                        .filter_map(|p| p.ty.referenced())
                        .collect()
                })
                .unwrap_or_default();
            definitions.insert(name.clone(), standalone(fragment, &refs));
            definition_pointers.insert(name.clone(), def_pointer(name));
        }

        let mut all = fragments.clone();
        let mut bodies = Vec::new();
        for (ty, fragment) in &body_types {
            let named = ty.referenced().filter(|n| fragments.contains_key(*n));
            let pointer = match (ty, named) {
                (TypeRef::Ref(name), Some(_)) => def_pointer(name),
                _ => {
                    let key = format!("body:{ty}");
                    let pointer = def_pointer(&key);
                    all.insert(key, fragment.clone());
                    pointer
                }
            };
            let document = match (ty, named) {
                (TypeRef::Ref(name), Some(_)) => definitions.get(name).cloned(),
                _ => None,
            };
            let roots: Vec<&str> = named.into_iter().collect();
            bodies.push(Body {
                document: document.unwrap_or_else(|| standalone(fragment, &roots)),
                pointer,
            });
        }

        let document = json!({"$schema": DIALECT, "$defs": all});
        let mut compilations = 0;
        let compiled = Compiled::new(&document, options.formats);
        compilations += 1;
        let compiled = match compiled {
            Ok(c) => Some(c),
            Err(e) => {
                diagnostics.push(SchemaCode::SchemaNotCompiled.diagnostic(
                    &contract.source,
                    1,
                    format!("the derived schemas do not compile: {e}"),
                ));
                None
            }
        };

        Schemas {
            options,
            source: contract.source.clone(),
            diagnostics,
            definitions,
            definition_pointers,
            bodies,
            responses,
            compiled,
            compilations,
        }
    }

    /// Problems met while deriving, such as type words the mapping does not know.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// The options the schemas were derived with.
    pub fn options(&self) -> SchemaOptions {
        self.options
    }

    /// How many times a validator was compiled for this contract: always
    /// one, whatever the number of validations since.
    pub fn compilations(&self) -> usize {
        self.compilations
    }

    /// The standalone JSON Schema (2020-12) of a definition, with the
    /// definitions it refers to under `$defs`.
    pub fn definition(&self, name: &str) -> Option<&Value> {
        self.definitions.get(name)
    }

    /// Every definition's schema, in document order.
    pub fn definitions(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.definitions.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// The standalone schema of a response body; `None` when the operation
    /// or status is undocumented or the status has no body.
    pub fn response(&self, operation_id: &str, status: u16) -> Option<&Value> {
        let index = (*self.responses.get(&(operation_id.to_string(), status))?)?;
        self.bodies.get(index).map(|b| &b.document)
    }

    /// Validates a response body. An undocumented operation or status is an
    /// error; a documented status without a body accepts anything (whether a
    /// body may be there is another check's business).
    pub fn validate_response(
        &self,
        operation_id: &str,
        status: u16,
        instance: &Value,
    ) -> Result<(), Vec<SchemaError>> {
        to_result(self.check_response(operation_id, status, instance))
    }

    /// Validates an instance of a definition. An unknown name is an error.
    pub fn validate_definition(
        &self,
        name: &str,
        instance: &Value,
    ) -> Result<(), Vec<SchemaError>> {
        to_result(self.check_definition(name, instance))
    }

    pub(crate) fn check_response(
        &self,
        operation_id: &str,
        status: u16,
        instance: &Value,
    ) -> Vec<Finding> {
        match self.responses.get(&(operation_id.to_string(), status)) {
            None => vec![unanswerable(format!(
                "status {status} of `{operation_id}` is not documented in {}",
                self.source
            ))],
            Some(None) => Vec::new(),
            Some(Some(index)) => match self.bodies.get(*index) {
                Some(body) => self.check(&body.pointer, instance),
                None => vec![unanswerable(format!("no schema for `{operation_id}`"))],
            },
        }
    }

    pub(crate) fn check_definition(&self, name: &str, instance: &Value) -> Vec<Finding> {
        match self.definition_pointers.get(name) {
            Some(pointer) => self.check(pointer, instance),
            None => vec![unanswerable(format!(
                "`{name}` is not a definition of {}",
                self.source
            ))],
        }
    }

    fn check(&self, pointer: &str, instance: &Value) -> Vec<Finding> {
        match &self.compiled {
            Some(c) => c.check(pointer, instance),
            None => vec![unanswerable(format!(
                "the schemas of {} did not compile",
                self.source
            ))],
        }
    }
}

fn unanswerable(message: String) -> Finding {
    Finding {
        error: SchemaError {
            instance_path: String::new(),
            schema_path: String::new(),
            message,
        },
        kind: compile::Kind::Other,
    }
}

fn to_result(findings: Vec<Finding>) -> Result<(), Vec<SchemaError>> {
    if findings.is_empty() {
        Ok(())
    } else {
        Err(findings.into_iter().map(|f| f.error).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shared<T: Send + Sync>() {}

    #[test]
    fn schemas_can_be_shared_between_server_tasks() {
        shared::<Schemas>();
    }

    #[test]
    fn pointers_escape_tilde_and_slash() {
        assert_eq!(escape_pointer("a/b~c"), "a~1b~0c");
        assert_eq!(def_pointer("body:Role[]"), "#/$defs/body:Role[]");
    }
}
