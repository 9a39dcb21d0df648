//! The block stream both dialect readers produce and one assembler consumes.
//!
//! A reader's only job is to say where headings, paragraphs, tables, code,
//! labels, lists and parameter declarations are; what they mean is decided
//! once, in `assemble`, so the two dialects cannot drift apart.

/// One block with the 1-based line it starts on.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Block {
    pub line: usize,
    pub kind: BlockKind,
}

/// What a block is.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum BlockKind {
    /// The raw text between the front-matter fences.
    FrontMatter(String),
    /// A heading; `level` 1 is the document, 2 an operation or Definitions.
    Heading { level: u8, text: String },
    /// An `<a id="...">` anchor.
    Anchor(String),
    /// A paragraph of prose, markup removed.
    Text(String),
    /// Fenced code or a bracket-balanced example. `line` is its first content line.
    Code { lang: String, text: String },
    /// A pipe table.
    Table { header: Vec<String>, rows: Vec<Row> },
    /// An example label such as `200 Response (Community[])`.
    Label(String),
    /// List items (roles, or bullets in prose).
    Items(Vec<String>),
    /// Parameter declarations with their descriptions.
    Params(Vec<RawParam>),
}

/// One table row: its cells' text and its line.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Row {
    pub line: usize,
    pub cells: Vec<String>,
}

/// A parameter declaration as written: `[optional] integer skip` plus the
/// text that follows it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RawParam {
    pub line: usize,
    pub decl: String,
    pub description: String,
}

/// Section words that both dialects use as headings inside operations and
/// definitions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Section {
    Request,
    Parameters,
    RequestBody,
    Response,
    Examples,
    Authorization,
    /// A concrete example of the request (`Example request`): its fences
    /// show values, not the operation's template.
    ExampleRequest,
    /// Request or response headers: nothing the contract models.
    Headers,
    Definitions,
    Properties,
    EnumValues,
}

impl Section {
    /// The table of section words; both readers and the assembler use it.
    const WORDS: &'static [(&'static str, Section)] = &[
        ("request", Section::Request),
        ("parameters", Section::Parameters),
        ("request body", Section::RequestBody),
        ("response", Section::Response),
        ("responses", Section::Response),
        ("example response body", Section::Examples),
        ("example responses", Section::Examples),
        ("authorization", Section::Authorization),
        // The hand-written documents' words for the same sections.
        ("action", Section::Request),
        ("request path parameters", Section::Parameters),
        ("request query parameters", Section::Parameters),
        ("path parameters", Section::Parameters),
        ("query parameters", Section::Parameters),
        ("example request body", Section::RequestBody),
        ("response body", Section::Response),
        ("expected result", Section::Examples),
        ("example response", Section::Examples),
        ("example request", Section::ExampleRequest),
        ("example requests", Section::ExampleRequest),
        ("request headers", Section::Headers),
        ("response headers", Section::Headers),
        ("definitions", Section::Definitions),
        ("properties", Section::Properties),
        ("enumerated values", Section::EnumValues),
    ];

    /// The section a heading's text names, ignoring case and padding.
    pub fn from_heading(text: &str) -> Option<Section> {
        let t = text.trim();
        Section::WORDS
            .iter()
            .find(|(w, _)| t.eq_ignore_ascii_case(w))
            .map(|(_, s)| *s)
    }
}

impl Section {
    /// [`Section::from_heading`], and also headings that name an example
    /// in more words (`` `Outer Join` example request body ``), which the
    /// hand-written documents use as sections of an operation.
    pub fn from_heading_loosely(text: &str) -> Option<Section> {
        Section::from_heading(text).or_else(|| {
            let t = text.to_ascii_lowercase();
            if t.contains("example request body") {
                Some(Section::RequestBody)
            } else if t.contains("example request") {
                Some(Section::ExampleRequest)
            } else if t.contains("example response") {
                Some(Section::Examples)
            } else {
                None
            }
        })
    }
}

/// Splits a declaration into (required, type word, name).
pub(crate) fn parse_decl(decl: &str) -> Option<(bool, &str, &str)> {
    let decl = decl.trim();
    let (required, rest) = match strip_optional(decl) {
        Some(rest) => (false, rest.trim_start()),
        None => (true, decl),
    };
    let mut words = rest.split_whitespace();
    let ty = words.next()?;
    let name = words.next()?;
    if words.next().is_some() || !is_type_word(ty) || !is_identifier(name) {
        return None;
    }
    Some((required, ty, name))
}

/// A declaration that is a bare name (`` `tenantId` ``), with its
/// `[optional]` marker: (required, name).
pub(crate) fn parse_bare(decl: &str) -> Option<(bool, &str)> {
    let decl = decl.trim();
    let (required, name) = match strip_optional(decl) {
        Some(rest) => (false, rest.trim_start()),
        None => (true, decl),
    };
    is_identifier(name).then_some((required, name))
}

/// The text after an `[optional]` marker, in any case.
pub(crate) fn strip_optional(s: &str) -> Option<&str> {
    s.get(..10)
        .filter(|m| m.eq_ignore_ascii_case("[optional]"))
        .map(|_| &s[10..])
}

/// Whether `s` could be a parameter's type word (`string`, `int32`,
/// `string[]`, or a capitalised word the type table knows: `DateTime`).
pub(crate) fn is_type_word(s: &str) -> bool {
    let mut chars = s.chars();
    let shaped = chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '[' | ']' | '_'));
    shaped
        && (s.starts_with(|c: char| c.is_ascii_lowercase())
            || super::types::scalar(s.trim_end_matches("[]")).is_some())
}

/// Whether `s` is a plain identifier.
pub(crate) fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// Collapses every run of white space to one space and trims the ends.
pub fn normalize_ws(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// [`normalize_ws`] that keeps the string when it is already normal, which
/// table cells nearly always are.
pub(crate) fn normalize_owned(s: String) -> String {
    let b = s.as_bytes();
    let clean = !b.first().is_some_and(u8::is_ascii_whitespace)
        && !b.last().is_some_and(u8::is_ascii_whitespace)
        && !b
            .windows(2)
            .any(|w| w[0].is_ascii_whitespace() && (w[1].is_ascii_whitespace() || w[0] != b' '))
        && !b
            .last()
            .is_some_and(|c| *c != b' ' && c.is_ascii_whitespace())
        && s.is_ascii();
    if clean {
        s
    } else {
        normalize_ws(&s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declarations_parse() {
        assert_eq!(
            parse_decl("[optional] integer skip"),
            Some((false, "integer", "skip"))
        );
        assert_eq!(
            parse_decl("string tenantId"),
            Some((true, "string", "tenantId"))
        );
        assert_eq!(parse_decl("tenant id is here"), None);
        assert_eq!(parse_decl("string"), None);
        // Capitalised only where the type table knows the word.
        assert_eq!(
            parse_decl("DateTime start"),
            Some((true, "DateTime", "start"))
        );
        assert_eq!(parse_decl("Get Role"), None);
    }

    #[test]
    fn normalizing_keeps_clean_text_and_folds_the_rest() {
        for s in ["a b", " a  b ", "a\tb", "a\nb", "", "  ", "x", "é  e"] {
            assert_eq!(normalize_owned(s.to_string()), normalize_ws(s), "{s:?}");
        }
        assert_eq!(normalize_ws(" a \n\t b "), "a b");
    }

    #[test]
    fn section_words_ignore_case() {
        assert_eq!(
            Section::from_heading(" Request Body "),
            Some(Section::RequestBody)
        );
        assert_eq!(
            Section::from_heading("Example response body"),
            Some(Section::Examples)
        );
        assert_eq!(Section::from_heading("Community"), None);
    }
}
