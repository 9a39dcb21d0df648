//! One run from resolved settings to reports: the [`RunConfig`] the command
//! line resolves once, the [`Documents`] split into what can run and what
//! their errors leave out, the embedded server started for the run, and the
//! [`Session`] that sets up, executes and reports. This is where the
//! stages meet; each stage stays ignorant of the others.

pub mod config;
pub mod documents;
pub mod embedded;
mod harness;
pub mod preflight;

use std::path::PathBuf;

pub use config::{ClientCredentials, Endpoint, Harness, Reports, RunConfig};
pub use documents::Documents;
pub use harness::{Executed, Session};

use crate::mock::MockError;
use crate::report::baseline::BaselineError;
use crate::report::LeftOut;
use crate::run::http::HttpError;
use crate::run::oauth::OAuthError;
use crate::run::RunError;
use crate::spec::{Diagnostic, SpecError};

/// Failures of a run's setup and reporting (never a failed check).
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    /// A document could not be read.
    #[error(transparent)]
    Spec(#[from] SpecError),
    /// The documents have errors and the run was told to refuse them.
    #[error("the documents have {} {}; see `conform lint`", .0.len(), if .0.len() == 1 { "error" } else { "errors" })]
    DocumentErrors(Vec<Diagnostic>),
    /// No document has an operation to run.
    #[error("{}", no_usable(documents))]
    NoUsableOperation {
        /// The documents' paths.
        documents: Vec<String>,
        /// Why, per operation or document.
        left_out: Vec<LeftOut>,
    },
    /// A `--param` names a parameter no document uses.
    #[error("no document has a parameter named `{name}` (from --param){}", .suggestion.as_ref().map(|s| format!("; did you mean `{s}`?")).unwrap_or_default())]
    UnknownParam {
        /// The name given.
        name: String,
        /// The closest name a document uses.
        suggestion: Option<String>,
    },
    /// The preflight request showed the target cannot be tested.
    #[error(transparent)]
    Preflight(#[from] preflight::PreflightError),
    /// The baseline could not be read or written.
    #[error(transparent)]
    Baseline(#[from] BaselineError),
    /// The async runtime could not start.
    #[error("failed to start the async runtime: {0}")]
    Runtime(std::io::Error),
    /// The embedded server could not start.
    #[error(transparent)]
    Mock(#[from] MockError),
    /// The OAuth token could not be fetched.
    #[error(transparent)]
    OAuth(#[from] OAuthError),
    /// The HTTP client could not be built.
    #[error(transparent)]
    Http(#[from] HttpError),
    /// The engine could not be prepared.
    #[error(transparent)]
    Run(#[from] RunError),
    /// The JUnit report could not be rendered.
    #[error("failed to render JUnit XML: {0}")]
    Junit(quick_junit::SerializeError),
    /// The JSON report could not be rendered.
    #[error("failed to render the JSON report: {0}")]
    Json(serde_json::Error),
    /// A report file could not be written.
    #[error("failed to write {}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
}

/// `a.md has no usable operation`, or the list of them.
fn no_usable(documents: &[String]) -> String {
    match documents {
        [one] => format!("{one} has no usable operation; see `conform lint`"),
        many => format!(
            "none of the {} documents has a usable operation: {}; see `conform lint`",
            many.len(),
            many.join(", ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_the_documents() {
        let e = SessionError::NoUsableOperation {
            documents: vec!["a/x.md".into()],
            left_out: Vec::new(),
        };
        assert_eq!(
            e.to_string(),
            "a/x.md has no usable operation; see `conform lint`"
        );
        let e = SessionError::NoUsableOperation {
            documents: vec!["a.md".into(), "b.md".into()],
            left_out: Vec::new(),
        };
        assert!(
            e.to_string().contains("none of the 2 documents")
                && e.to_string().contains("a.md, b.md")
        );
        let d = crate::spec::parse_str(
            "t.md",
            "# T\n\n## `X`\n\n<a id=\"opIdT_X\"></a>\n\nno request\n",
        );
        let e = SessionError::DocumentErrors(
            d.diagnostics
                .into_iter()
                .filter(|d| d.severity == crate::spec::Severity::Error)
                .collect(),
        );
        assert_eq!(
            e.to_string(),
            "the documents have 1 error; see `conform lint`"
        );
    }
}
