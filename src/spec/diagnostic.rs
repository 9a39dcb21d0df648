//! Problems found in a document: collected, never fatal, printed like a compiler.

use std::fmt;

use serde::{Deserialize, Serialize};

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; the contract is as the docs say.
    Info,
    /// The docs are damaged or odd; the contract holds a best guess.
    Warning,
    /// Part of the document could not be read into the contract.
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// Defines a table of diagnostic codes: an enum whose every variant has a
/// stable kebab-case name, a severity and a one-line explanation. The
/// parser's codes and later stages' codes share this one shape.
macro_rules! code_table {
    ($(#[$meta:meta])* $enum:ident { $($variant:ident = $name:literal, $severity:ident, $doc:literal;)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $enum {
            $(#[doc = $doc] $variant,)*
        }

        impl $enum {
            /// Every code, in table order.
            pub const ALL: &'static [$enum] = &[$($enum::$variant,)*];

            /// The stable kebab-case name printed in brackets.
            pub fn name(self) -> &'static str {
                match self { $($enum::$variant => $name,)* }
            }

            /// The severity a diagnostic with this code has.
            pub fn severity(self) -> $crate::spec::Severity {
                match self { $($enum::$variant => $crate::spec::Severity::$severity,)* }
            }

            /// One line saying what the code means.
            pub fn explain(self) -> &'static str {
                match self { $($enum::$variant => $doc,)* }
            }

            /// Looks a code up by its name.
            pub fn from_name(name: &str) -> Option<$enum> {
                $enum::ALL.iter().copied().find(|c| c.name() == name)
            }
        }
    };
}
pub(crate) use code_table;

code_table! {
    /// A stable diagnostic code of the document readers.
    Code {
        InvalidUtf8 = "invalid-utf8", Warning, "the file is not valid UTF-8; invalid bytes were replaced";
        NoOperations = "no-operations", Info, "the document documents no operation";
        MissingRequest = "missing-request", Error, "an operation has no readable request line (method and path)";
        BadRequestLine = "bad-request-line", Error, "a request line does not start with an HTTP method and a path";
        MissingStatusTable = "missing-status-table", Error, "an operation has no response status table";
        DuplicateOperation = "duplicate-operation", Error, "two operations share a method and path";
        DuplicateOperationId = "duplicate-operation-id", Warning, "two operations share an id; the later one is qualified with its method and path";
        DuplicateStatus = "duplicate-status", Warning, "a status table lists the same status twice";
        BadStatus = "bad-status", Warning, "a status table row has no valid HTTP status code";
        TableRowShort = "table-row-short", Warning, "a table row has fewer cells than its header and could not be repaired";
        TableRowLong = "table-row-long", Warning, "a table row has more cells than its header";
        TableRowRepaired = "table-row-repaired", Warning, "a damaged table row was repaired from context";
        UnknownTable = "unknown-table", Warning, "a table whose header the reader does not know";
        BadType = "bad-type", Warning, "a type cell cannot be read as a type";
        BadBool = "bad-bool", Warning, "a Required or Nullable cell is neither true nor false";
        UndefinedType = "undefined-type", Warning, "a type names a definition the document does not define";
        InvalidJson = "invalid-json", Error, "an example body is not valid JSON";
        UnclosedFence = "unclosed-fence", Error, "a code fence or bracketed example is never closed";
        OrphanExample = "orphan-example", Warning, "an example has no response label or no place in an operation";
        ExampleStatusUndocumented = "example-status-undocumented", Warning, "an example is labelled with a status the table does not list";
        ExampleTypeMismatch = "example-type-mismatch", Warning, "an example label names another body type than the status table";
        ParamNotInPath = "param-not-in-path", Warning, "a required parameter is neither in the path template nor in the query line";
        PathParamUndocumented = "path-param-undocumented", Warning, "a path template placeholder has no parameter declaration";
        QueryParamUndocumented = "query-param-undocumented", Warning, "a query line names a parameter with no declaration";
        DuplicateParam = "duplicate-param", Warning, "a parameter is declared twice";
        BadParam = "bad-param", Warning, "a parameter declaration is not `[optional] type name`";
        DuplicateDefinition = "duplicate-definition", Error, "two definitions share a name";
        DuplicateProperty = "duplicate-property", Warning, "a property table lists a name twice";
        EmptyDefinition = "empty-definition", Warning, "a definition has neither properties nor enumerated values";
        EmptyRoles = "empty-roles", Warning, "an Authorization section lists no roles";
        StraySection = "stray-section", Warning, "a section heading appears outside an operation or definition";
        StrayContent = "stray-content", Info, "content the reader skipped because it belongs to no section it knows";
        RequestBodyUnmatched = "request-body-unmatched", Info, "no definition has exactly the members of a request body example";
        ElidedExample = "elided-example", Warning, "an example body leaves content out with `...` and is not read";
        MergeConflict = "merge-conflict", Error, "git merge-conflict markers were committed into the document; the first side is read";
        FenceRepaired = "fence-repaired", Warning, "a closing code fence was glued to the next line and was split off";
        JsonRepaired = "json-repaired", Warning, "an example body had trailing commas or comments, which were removed to read it";
        InferredStatus = "inferred-status", Info, "a status was taken from an example's `HTTP/1.1 NNN` line or the response prose, not from a status table";
        UntypedParam = "untyped-param", Info, "a parameter is declared by name only; its type is taken as string";
        RequestLineRepaired = "request-line-repaired", Info, "a request line was read with a repair: a leading `/` added, or a path broken over two lines joined";
        RepeatedRequest = "repeated-request", Info, "a request without an `opId` anchor is shown again (a walkthrough step); its statuses join the first";
        ProseSection = "prose-section", Info, "a heading with no request under it was read as prose, not as an operation";
    }
}

/// One problem in one document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// How bad it is.
    pub severity: Severity,
    /// The stable code name (`table-row-repaired`).
    pub code: String,
    /// What is wrong, as a lowercase sentence fragment.
    pub message: String,
    /// The document's path.
    pub file: String,
    /// The 1-based line the problem is on.
    pub line: usize,
}

impl Diagnostic {
    /// A diagnostic with the code's own severity.
    pub fn new(code: Code, file: &str, line: usize, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: code.severity(),
            code: code.name().to_string(),
            message: message.into(),
            file: file.to_string(),
            line,
        }
    }

    /// Renders the diagnostic with the offending source line and a caret,
    /// as compilers do. `source` is the whole document.
    pub fn render(&self, source: &str) -> String {
        self.render_line(source.lines().nth(self.line.saturating_sub(1)))
    }

    /// [`Diagnostic::render`] with the document already split into lines,
    /// so that rendering every diagnostic of a document stays linear.
    pub fn render_with(&self, lines: &[&str]) -> String {
        self.render_line(lines.get(self.line.saturating_sub(1)).copied())
    }

    fn render_line(&self, line: Option<&str>) -> String {
        let mut out = format!("{self}\n");
        if let Some(text) = line {
            let gutter = self.line.to_string().len();
            let shown: String = text.chars().take(160).collect();
            let indent = shown.len() - shown.trim_start().len();
            out.push_str(&format!("{:gutter$} |\n", ""));
            out.push_str(&format!("{} | {shown}\n", self.line));
            out.push_str(&format!(
                "{:gutter$} | {}{}\n",
                "",
                " ".repeat(indent),
                "^".repeat(shown.trim().chars().count().clamp(1, 80))
            ));
        }
        out
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: {}[{}]: {}",
            self.file, self.line, self.severity, self.code, self.message
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_names_are_unique_and_round_trip() {
        let mut seen = std::collections::HashSet::new();
        for code in Code::ALL {
            assert!(seen.insert(code.name()), "duplicate name {}", code.name());
            assert_eq!(Code::from_name(code.name()), Some(*code));
            assert!(!code.explain().is_empty());
        }
    }

    #[test]
    fn prints_like_a_compiler() {
        let d = Diagnostic::new(
            Code::TableRowRepaired,
            "specs/x.txt",
            2,
            "inferred type `email`",
        );
        assert_eq!(
            d.to_string(),
            "specs/x.txt:2: warning[table-row-repaired]: inferred type `email`"
        );
        let rendered = d.render("a\n  | x | y |\n");
        assert!(rendered.contains("2 |   | x | y |"), "{rendered}");
        assert!(rendered.contains("^^^^^^^^^"), "{rendered}");
    }
}
