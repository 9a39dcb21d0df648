//! What a run leaves out because its documents have errors: an operation an
//! error touches (see [`Contract::unsound_operations`]), or a document with
//! no operation left to run. Every report lists these as not run, with the
//! error as the reason.

use serde::{Deserialize, Serialize};

use crate::spec::{Contract, Diagnostic, Severity, Unsound};

/// An operation, or a whole document, left out of a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LeftOut {
    /// How listings name it: `<document>::<operation>`, or `<document>`
    /// for a whole document.
    pub name: String,
    /// The document's path.
    pub source: String,
    /// The document's file stem.
    pub document: String,
    /// The operation id; `None` for a whole document.
    pub operation: Option<String>,
    /// `GET /path`, for an operation.
    pub request: Option<String>,
    /// The operation's documented statuses, in table order.
    pub statuses: Vec<u16>,
    /// The operation's heading line; 0 for a whole document.
    pub line: usize,
    /// Why, as one line: the first error (`file:line: error[code]:
    /// message`), or what the document lacks.
    pub reason: String,
    /// Every error behind it.
    pub diagnostics: Vec<Diagnostic>,
}

impl LeftOut {
    /// The operation of `contract` that `unsound` names.
    pub fn operation(contract: &Contract, unsound: &Unsound) -> LeftOut {
        let document = crate::plan::document_name(contract);
        let op = &contract.operations[unsound.op];
        LeftOut {
            name: format!("{document}::{}", op.id),
            source: contract.source.clone(),
            document,
            operation: Some(op.id.clone()),
            request: Some(format!("{} {}", op.method, op.path)),
            statuses: op.responses.iter().map(|r| r.status).collect(),
            line: op.line,
            reason: with_more(unsound.reason(), unsound.diagnostics.len()),
            diagnostics: unsound.diagnostics.clone(),
        }
    }

    /// A document none of whose operations could be read into its
    /// contract (or that documents none).
    pub fn document(contract: &Contract) -> LeftOut {
        let document = crate::plan::document_name(contract);
        let errors: Vec<Diagnostic> = contract
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .cloned()
            .collect();
        let reason = match errors.first() {
            Some(first) => with_more(first, errors.len()),
            None => format!("{}: the document documents no operation", contract.source),
        };
        LeftOut {
            name: document.clone(),
            source: contract.source.clone(),
            document,
            operation: None,
            request: None,
            statuses: Vec::new(),
            line: 0,
            reason,
            diagnostics: errors,
        }
    }
}

/// The first error, and how many more there are.
fn with_more(first: &Diagnostic, count: usize) -> String {
    match count {
        0 | 1 => first.to_string(),
        2 => format!("{first} (and 1 more error)"),
        n => format!("{first} (and {} more errors)", n - 1),
    }
}

/// `4 operations and 1 document`, or `None` when nothing is left out: the
/// count the summary lines carry.
pub fn count(left_out: &[LeftOut]) -> Option<String> {
    let ops = left_out.iter().filter(|l| l.operation.is_some()).count();
    let docs = left_out.len() - ops;
    let noun = |n: usize, one: &str| {
        if n == 1 {
            format!("1 {one}")
        } else {
            format!("{n} {one}s")
        }
    };
    match (ops, docs) {
        (0, 0) => None,
        (n, 0) => Some(noun(n, "operation")),
        (0, m) => Some(noun(m, "document")),
        (n, m) => Some(format!(
            "{} and {}",
            noun(n, "operation"),
            noun(m, "document")
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::parse_str;

    const BROKEN: &str = "# T\n\n## `Get thing`\n\n<a id=\"opIdThings_Get thing\"></a>\n\n```text\nGET /things\n```\n";

    #[test]
    fn an_operation_is_named_after_its_document_and_id_with_the_error_as_reason() {
        let c = parse_str("docs/things.md", BROKEN);
        let unsound = c.unsound_operations();
        let l = LeftOut::operation(&c, &unsound[0]);
        assert_eq!(l.name, "things::Things_Get thing");
        assert_eq!(l.request.as_deref(), Some("GET /things"));
        assert_eq!(
            l.reason,
            "docs/things.md:3: error[missing-status-table]: operation `Get thing` has no response status table"
        );
    }

    #[test]
    fn a_document_names_its_first_error_or_its_emptiness() {
        let c = parse_str("docs/overview.md", "# Overview\n\nNothing to call here.\n");
        let l = LeftOut::document(&c);
        assert_eq!(l.name, "overview");
        assert_eq!(
            l.reason,
            "docs/overview.md: the document documents no operation"
        );
        let c = parse_str("docs/x.md", &BROKEN.replace("GET /things", "GET things"));
        assert!(LeftOut::document(&c)
            .reason
            .contains("error[bad-request-line]"));
    }

    #[test]
    fn counts_say_operations_and_documents() {
        let c = parse_str("docs/things.md", BROKEN);
        let op = LeftOut::operation(&c, &c.unsound_operations()[0]);
        let doc = LeftOut::document(&c);
        assert_eq!(count(&[]), None);
        assert_eq!(count(std::slice::from_ref(&op)).unwrap(), "1 operation");
        assert_eq!(
            count(&[op.clone(), op, doc]).unwrap(),
            "2 operations and 1 document"
        );
    }
}
