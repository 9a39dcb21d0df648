//! Which operations of a document are sound enough to run and to serve.
//!
//! A document with errors still yields every operation no error touches;
//! `run` and `mock` use those and list the rest with the error as the
//! reason. This file is the one place that decides what an error touches.
//! An error touches the operation whose section holds its line (from the
//! operation's heading up to the next operation's heading or the first
//! definition). An error inside a definition (from its heading up to the
//! next heading) touches every operation whose request or response body
//! uses that definition, directly or through other definitions. An error
//! anywhere else (the preamble, or an operation the reader had to leave out
//! of the contract altogether) touches nothing that remains.

use std::collections::{BTreeMap, BTreeSet};

use super::diagnostic::{Code, Diagnostic, Severity};
use super::model::{Contract, Operation};

/// An operation that an error touches, with every error that touches it.
#[derive(Debug, Clone, PartialEq)]
pub struct Unsound {
    /// Index of the operation in [`Contract::operations`].
    pub op: usize,
    /// The error diagnostics that touch it, in line order; never empty.
    pub diagnostics: Vec<Diagnostic>,
}

impl Unsound {
    /// The first error that touches the operation: the reason it is left
    /// out, printed as `file:line: error[code]: message`.
    pub fn reason(&self) -> &Diagnostic {
        &self.diagnostics[0]
    }
}

/// Whom the lines of a section belong to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Owner<'c> {
    /// Nothing in the contract: the preamble, or an operation the reader
    /// left out.
    Nobody,
    /// The operation with this index.
    Operation(usize),
    /// The definition with this name.
    Definition(&'c str),
}

impl Contract {
    /// The operations an error-severity diagnostic touches, in operation
    /// order, each with the errors that touch it.
    pub fn unsound_operations(&self) -> Vec<Unsound> {
        let errors: Vec<&Diagnostic> = self
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .collect();
        if errors.is_empty() {
            return Vec::new();
        }
        let sections = self.sections();
        let mut uses: Vec<Option<BTreeSet<&str>>> = vec![None; self.operations.len()];
        let mut touched: BTreeMap<usize, Vec<Diagnostic>> = BTreeMap::new();
        for d in errors {
            match owner(&sections, d.line) {
                Owner::Nobody => {}
                Owner::Operation(i) => touched.entry(i).or_default().push(d.clone()),
                Owner::Definition(name) => {
                    for (i, op) in self.operations.iter().enumerate() {
                        let used = uses[i].get_or_insert_with(|| self.definitions_used(op));
                        if used.contains(name) {
                            touched.entry(i).or_default().push(d.clone());
                        }
                    }
                }
            }
        }
        touched
            .into_iter()
            .map(|(op, mut diagnostics)| {
                diagnostics.sort_by_key(|d| d.line);
                Unsound { op, diagnostics }
            })
            .collect()
    }

    /// This contract without its unsound operations (definitions and
    /// diagnostics stay), and the operations left out, by their index in
    /// `self`.
    pub fn sound_part(&self) -> (Contract, Vec<Unsound>) {
        let unsound = self.unsound_operations();
        let mut sound = self.clone();
        if !unsound.is_empty() {
            sound.operations = self
                .operations
                .iter()
                .enumerate()
                .filter(|(i, _)| !unsound.iter().any(|u| u.op == *i))
                .map(|(_, op)| op.clone())
                .collect();
        }
        (sound, unsound)
    }

    /// Where each section starts and whom it belongs to, by line.
    fn sections(&self) -> Vec<(usize, Owner<'_>)> {
        let mut starts: Vec<(usize, Owner<'_>)> = Vec::new();
        for (i, op) in self.operations.iter().enumerate() {
            starts.push((op.line, Owner::Operation(i)));
        }
        for def in &self.definitions {
            starts.push((def.line, Owner::Definition(&def.name)));
        }
        // What the reader left out of the contract still has a section of
        // its own, so that its errors do not fall to its neighbour.
        for d in &self.diagnostics {
            let owner = match Code::from_name(&d.code) {
                Some(Code::MissingRequest | Code::BadRequestLine | Code::DuplicateOperation) => {
                    Owner::Nobody
                }
                Some(Code::DuplicateDefinition) => match self.duplicated_definition(d) {
                    Some(name) => Owner::Definition(name),
                    None => Owner::Nobody,
                },
                _ => continue,
            };
            starts.push((d.line, owner));
        }
        starts.sort_by_key(|(line, _)| *line);
        starts
    }

    /// The kept definition a `duplicate-definition` diagnostic names (its
    /// message names it first, in backticks): a second, ignored definition
    /// of a name leaves the first in doubt.
    fn duplicated_definition(&self, d: &Diagnostic) -> Option<&str> {
        let name = d.message.split('`').nth(1)?;
        self.definition(name).map(|def| def.name.as_str())
    }

    /// The definitions an operation's request and response bodies use,
    /// directly or through the properties of other definitions.
    fn definitions_used(&self, op: &Operation) -> BTreeSet<&str> {
        let mut todo: Vec<&str> = op
            .request_body
            .iter()
            .filter_map(|b| b.definition.as_deref())
            .chain(
                op.responses
                    .iter()
                    .filter_map(|r| r.body.as_ref()?.referenced()),
            )
            .collect();
        let mut seen = BTreeSet::new();
        while let Some(name) = todo.pop() {
            let Some(def) = self.definition(name) else {
                continue;
            };
            if seen.insert(def.name.as_str()) {
                todo.extend(def.properties().iter().filter_map(|p| p.ty.referenced()));
            }
        }
        seen
    }
}

/// The owner of the last section starting at or before `line`.
fn owner<'c>(sections: &[(usize, Owner<'c>)], line: usize) -> Owner<'c> {
    let at = sections.partition_point(|(start, _)| *start <= line);
    match at {
        0 => Owner::Nobody,
        _ => sections[at - 1].1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::parse_str;

    /// Two operations and a definition; `get` and `list` are the example
    /// bodies of the operations and `def` the definition's example.
    fn doc(get: &str, list: &str, def: &str) -> String {
        format!(
            "# Things\n\n\
             ## `Get thing`\n\n<a id=\"opIdThings_Get thing\"></a>\n\n\
             ```text\nGET /api/things/{{id}}\n```\n\n\
             ### Parameters\n\n`string id`<br/>the id\n\n\
             ### Response\n\n\
             | Status Code | Body Type | Description |\n|---|---|---|\n\
             | 200 | [Thing](#schemathing) | the thing |\n\n\
             > 200 Response\n\n```json\n{get}\n```\n\n\
             ## `List things`\n\n<a id=\"opIdThings_List things\"></a>\n\n\
             ```text\nGET /api/things\n```\n\n\
             ### Response\n\n\
             | Status Code | Body Type | Description |\n|---|---|---|\n\
             | 200 | string[] | the names |\n\n\
             > 200 Response\n\n```json\n{list}\n```\n\n\
             # Definitions\n\n\
             ## Thing\n\n\
             | Property Name | Data Type | Required | Nullable | Description |\n|---|---|---|---|---|\n\
             | Name | string | true | false | its name |\n\n\
             ```json\n{def}\n```\n"
        )
    }

    fn unsound(text: &str) -> Vec<(usize, String)> {
        let c = parse_str("t.md", text);
        c.unsound_operations()
            .iter()
            .map(|u| (u.op, u.reason().code.clone()))
            .collect()
    }

    #[test]
    fn a_sound_document_leaves_nothing_out() {
        let text = doc("{\"Name\": \"a\"}", "[\"a\"]", "{\"Name\": \"a\"}");
        assert!(parse_str("t.md", &text).diagnostics.is_empty());
        assert!(unsound(&text).is_empty());
    }

    #[test]
    fn an_error_in_an_operation_touches_only_that_operation() {
        let text = doc("{\"Name\": \"a\"}", "[\"a\",,]", "{\"Name\": \"a\"}");
        assert_eq!(unsound(&text), vec![(1, "invalid-json".to_string())]);
        let (sound, out) = parse_str("t.md", &text).sound_part();
        assert_eq!(sound.operations.len(), 1);
        assert_eq!(sound.operations[0].id, "Things_Get thing");
        assert_eq!(out[0].reason().line, 44);
    }

    #[test]
    fn an_error_in_a_definition_touches_the_operations_using_it() {
        let text = doc("{\"Name\": \"a\"}", "[\"a\"]", "{\"Name\": }");
        assert_eq!(unsound(&text), vec![(0, "invalid-json".to_string())]);
    }

    #[test]
    fn an_error_in_an_operation_the_reader_left_out_touches_no_neighbour() {
        // The second operation's request line is unreadable, so it is not
        // in the contract; its broken example must not fall to the first.
        let text = doc("{\"Name\": \"a\"}", "[\"a\",,]", "{\"Name\": \"a\"}")
            .replace("GET /api/things\n", "FETCH /api/things\n");
        let c = parse_str("t.md", &text);
        assert_eq!(c.operations.len(), 1);
        assert!(c.has_errors());
        assert!(c.unsound_operations().is_empty(), "{:?}", c.diagnostics);
    }

    #[test]
    fn a_missing_status_table_leaves_its_operation_out() {
        let text = "# T\n\n## `Get thing`\n\n<a id=\"opIdThings_Get thing\"></a>\n\n```text\nGET /things\n```\n";
        assert_eq!(unsound(text), vec![(0, "missing-status-table".to_string())]);
    }

    #[test]
    fn a_second_definition_of_a_name_touches_the_operations_using_it() {
        let text = doc("{\"Name\": \"a\"}", "[\"a\"]", "{\"Name\": \"a\"}")
            + "\n## Thing\n\n| Property Name | Data Type | Required | Nullable | Description |\n\
               |---|---|---|---|---|\n| Id | guid | true | false | its id |\n";
        assert_eq!(
            unsound(&text),
            vec![(0, "duplicate-definition".to_string())]
        );
    }

    fn corpus(path: &str) -> Contract {
        let full = format!("{}/fixtures/corpus/{path}", env!("CARGO_MANIFEST_DIR"));
        crate::spec::load(std::path::Path::new(&full)).unwrap()
    }

    fn left_out(c: &Contract) -> Vec<(&str, usize)> {
        c.unsound_operations()
            .iter()
            .map(|u| (c.operations[u.op].id.as_str(), u.reason().line))
            .collect()
    }

    #[test]
    fn broken_examples_of_data_views_leave_out_their_operations_only() {
        // Unquoted enum names in three examples (`"AccessType": Allowed`).
        let c = corpus("family/data-views/data-views-access-control.md");
        let out = left_out(&c);
        let lines: Vec<usize> = out.iter().map(|(_, l)| *l).collect();
        assert_eq!(lines, vec![107, 242, 373], "{out:?}");
        assert!(c.operations.len() > out.len() + 2, "{out:?}");
    }

    #[test]
    fn examples_the_reader_repairs_leave_out_nothing() {
        // Its broken example (text after the body) is repaired, with a warning.
        let c = corpus("family/sequential-data-store/sds-streams.md");
        assert!(left_out(&c).is_empty(), "{:?}", left_out(&c));
        assert!(c.operations.len() > 5);
    }

    #[test]
    fn a_repeated_operation_leaves_out_nothing_that_remains() {
        // The second `GET /usage` is already dropped by the reader; the
        // first stays sound.
        let c = corpus("family/operations/operations-usage.md");
        assert!(c.has_errors());
        assert!(left_out(&c).is_empty());
    }

    #[test]
    fn a_document_without_operations_has_nothing_to_leave_out() {
        let c = corpus("identity/identity-and-access-management.md");
        assert!(c.operations.is_empty());
        let (sound, out) = c.sound_part();
        assert!(sound.operations.is_empty() && out.is_empty());
    }
}
