//! The documents of a run, split into what can run and what their errors
//! leave out. `run` and `mock` both start here, so the suite and the
//! embedded server agree on which operations exist.

use std::path::Path;

use crate::report::LeftOut;
use crate::spec::{self, Contract, Diagnostic, Severity, SpecError};

/// The documents of a run.
#[derive(Debug, Clone)]
pub struct Documents {
    /// Every document as read, errors and all.
    pub all: Vec<Contract>,
    /// The documents with at least one sound operation, each holding only
    /// its sound operations (and every definition): what is planned and
    /// served.
    pub usable: Vec<Contract>,
    /// The operations errors touch, and the documents left with no
    /// operation, in document order.
    pub left_out: Vec<LeftOut>,
    /// The documents that are not API references (a README, an overview):
    /// no operation and no error. They are named once, as a note; nothing
    /// of theirs is a case not run.
    pub not_references: Vec<String>,
}

impl Documents {
    /// Reads every document the paths name and splits them.
    pub fn load<P: AsRef<Path>>(paths: &[P]) -> Result<Documents, SpecError> {
        Ok(Documents::new(spec::load_all(paths)?))
    }

    /// Splits read documents into the usable part and what is left out.
    pub fn new(all: Vec<Contract>) -> Documents {
        let mut usable = Vec::new();
        let mut left_out = Vec::new();
        let mut not_references = Vec::new();
        for contract in &all {
            let (sound, unsound) = contract.sound_part();
            left_out.extend(unsound.iter().map(|u| LeftOut::operation(contract, u)));
            if !sound.operations.is_empty() {
                usable.push(sound);
            } else if !contract.operations.is_empty() {
                // A document whose every operation is unsound is listed
                // by them.
            } else if contract
                .diagnostics
                .iter()
                .any(|d| d.severity == Severity::Error)
            {
                // Operations the reader could not make out: the document
                // itself is what did not run.
                left_out.push(LeftOut::document(contract));
            } else {
                not_references.push(contract.source.clone());
            }
        }
        Documents {
            all,
            usable,
            left_out,
            not_references,
        }
    }

    /// Every error-severity diagnostic of every document, in order.
    pub fn errors(&self) -> Vec<&Diagnostic> {
        self.all
            .iter()
            .flat_map(|c| &c.diagnostics)
            .filter(|d| d.severity == Severity::Error)
            .collect()
    }

    /// The paths of the documents with no operation to run.
    pub fn unusable(&self) -> Vec<&str> {
        self.all
            .iter()
            .filter(|c| !self.usable.iter().any(|u| u.source == c.source))
            .map(|c| c.source.as_str())
            .collect()
    }

    /// Every path and query parameter name the usable documents use, in
    /// the order first met: the names `--param` may give.
    pub fn parameter_names(&self) -> Vec<&str> {
        let mut known: Vec<&str> = Vec::new();
        for op in self.usable.iter().flat_map(|c| &c.operations) {
            let query = op.query_params.iter().map(|p| p.name.as_str());
            for name in op.path.params().chain(query) {
                if !known.contains(&name) {
                    known.push(name);
                }
            }
        }
        known
    }

    /// How many operations can run.
    pub fn operations(&self) -> usize {
        self.usable.iter().map(|c| c.operations.len()).sum()
    }

    /// The names and reasons of what is left out, for listings.
    pub fn listing(&self) -> Vec<(String, String)> {
        self.left_out
            .iter()
            .map(|l| (l.name.clone(), l.reason.clone()))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::parse_str;

    const SOUND: &str = "# T\n\n## `Get thing`\n\n<a id=\"opIdThings_Get thing\"></a>\n\n\
        ```text\nGET /things\n```\n\n### Response\n\n\
        | Status Code | Body Type | Description |\n|---|---|---|\n| 200 | string | ok |\n";

    /// `SOUND` with a second operation whose status table is missing.
    fn half_broken() -> String {
        format!("{SOUND}\n## `Delete thing`\n\n```text\nDELETE /things\n```\n")
    }

    #[test]
    fn usable_documents_keep_their_sound_operations_and_list_the_rest() {
        let d = Documents::new(vec![
            parse_str("a/overview.md", "# Overview\n\nNothing to call.\n"),
            parse_str("a/things.md", &half_broken()),
        ]);
        assert_eq!(d.usable.len(), 1);
        assert_eq!(d.usable[0].operations.len(), 1);
        assert_eq!(d.operations(), 1);
        let names: Vec<&str> = d.left_out.iter().map(|l| l.name.as_str()).collect();
        assert_eq!(names, ["things::T_Delete thing"]);
        assert_eq!(d.unusable(), ["a/overview.md"]);
        assert_eq!(
            d.not_references,
            ["a/overview.md"],
            "a note, not a case not run"
        );
        assert_eq!(d.errors().len(), 1);
        assert!(d.listing()[0].1.contains("error[missing-status-table]"));
    }

    #[test]
    fn a_document_whose_operations_the_reader_dropped_is_listed_whole() {
        // Anchored headings are operations even without a request.
        let text =
            "# T\n\n## `Get thing`\n\n<a id=\"opIdT_Get thing\"></a>\n\nNo request here.\n\n\
                    ## `Put thing`\n\n<a id=\"opIdT_Put thing\"></a>\n\nNor here.\n";
        let d = Documents::new(vec![parse_str("a/t.md", text)]);
        assert!(d.usable.is_empty());
        assert_eq!(d.left_out.len(), 1);
        assert!(
            d.left_out[0].reason.contains("error[missing-request]")
                && d.left_out[0].reason.ends_with("(and 1 more error)"),
            "{}",
            d.left_out[0].reason
        );
    }

    #[test]
    fn a_document_whose_every_operation_is_unsound_is_listed_by_them() {
        let text = half_broken().replace(
            "### Response\n\n| Status Code | Body Type | Description |\n|---|---|---|\n| 200 | string | ok |\n",
            "",
        );
        let d = Documents::new(vec![parse_str("a/t.md", &text)]);
        assert!(d.usable.is_empty());
        assert_eq!(d.unusable(), ["a/t.md"]);
        assert_eq!(d.left_out.len(), 2, "{:?}", d.left_out);
        assert!(d.left_out.iter().all(|l| l.operation.is_some()));
    }
}
