//! The contract model: what a document promises, independent of its dialect.
//!
//! Every node keeps the 1-based line of the document it came from, so that
//! diagnostics and failed checks can point back at the docs. Lines are
//! serialized (they help scripts) but ignored by [`Contract::semantic_json`],
//! which is what snapshots and dialect comparisons use.

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::diagnostic::Diagnostic;
use super::path::PathTemplate;

/// The dialect a document was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Dialect {
    /// widdershins-style markdown (headings, fences, pipe tables, raw HTML).
    Markdown,
    /// The same content flattened into plain web-page text.
    Flat,
}

/// One parsed document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Contract {
    /// The path the document was read from, as given.
    pub source: String,
    /// The dialect detected from the text.
    pub dialect: Dialect,
    /// The front-matter title without its version (`Identity/communities`),
    /// else the first top-level heading (`Communities`).
    pub title: Option<String>,
    /// The version from the front-matter title (`v20210420.3`), if any.
    pub version: Option<String>,
    /// The paragraph under the top-level heading.
    pub description: Option<String>,
    /// Operations in document order.
    pub operations: Vec<Operation>,
    /// Type definitions in document order.
    pub definitions: Vec<Definition>,
    /// Everything odd met while reading, in document order.
    pub diagnostics: Vec<Diagnostic>,
}

/// An HTTP method the docs can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Method {
    /// `GET`
    Get,
    /// `HEAD`
    Head,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// `PATCH`
    Patch,
    /// `DELETE`
    Delete,
    /// `OPTIONS`
    Options,
}

impl Method {
    /// Every method, in the order used for display.
    pub const ALL: [Method; 7] = [
        Method::Get,
        Method::Head,
        Method::Post,
        Method::Put,
        Method::Patch,
        Method::Delete,
        Method::Options,
    ];

    /// The method's name as sent on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Head => "HEAD",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
        }
    }

    /// Parses an upper-case method name.
    pub fn parse(word: &str) -> Option<Method> {
        Method::ALL.into_iter().find(|m| m.as_str() == word)
    }

    /// Whether the method changes server state.
    pub fn is_write(self) -> bool {
        matches!(
            self,
            Method::Post | Method::Put | Method::Patch | Method::Delete
        )
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One documented operation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Operation {
    /// The `opId` anchor without its prefix (`Communities_Get a Community by Id`);
    /// synthesized as `<Title without spaces>_<summary>` where there is none.
    pub id: String,
    /// The operation heading.
    pub summary: String,
    /// Prose between the heading and the request.
    pub description: Option<String>,
    /// The HTTP method.
    pub method: Method,
    /// The path template, with `{name}` placeholders, parsed once.
    pub path: PathTemplate,
    /// Parameters that fill the path template, in template order.
    pub path_params: Vec<Param>,
    /// Query parameters, in the order of the `?a={a}&b={b}` line.
    pub query_params: Vec<Param>,
    /// The request body, where one is documented.
    pub request_body: Option<RequestBody>,
    /// Documented responses in table order.
    pub responses: Vec<Response>,
    /// Roles listed under "Allowed for these roles".
    pub roles: Vec<String>,
    /// Line of the operation heading.
    pub line: usize,
}

impl Operation {
    /// The documented response for `status`, if any.
    pub fn response(&self, status: u16) -> Option<&Response> {
        self.responses.iter().find(|r| r.status == status)
    }

    /// Every parameter, path parameters first.
    pub fn params(&self) -> impl Iterator<Item = &Param> {
        self.path_params.iter().chain(self.query_params.iter())
    }
}

/// A path or query parameter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Param {
    /// The parameter name as written in the template.
    pub name: String,
    /// Its declared type (`string`, `integer`, `array`, ...).
    #[serde(rename = "type")]
    pub ty: TypeRef,
    /// False where the docs say `[optional]`.
    pub required: bool,
    /// The text under the declaration.
    pub description: Option<String>,
    /// Line of the declaration.
    pub line: usize,
}

/// A documented request body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RequestBody {
    /// The text above the example.
    pub description: Option<String>,
    /// The example body, parsed.
    pub example: Option<Value>,
    /// The definition whose properties are exactly the example's members
    /// (`CreateCommunityInput`), inferred because the docs do not name it.
    pub definition: Option<String>,
    /// Line of the section heading.
    pub line: usize,
}

/// One row of an operation's status table, with its example body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Response {
    /// The HTTP status code.
    pub status: u16,
    /// The body type; `None` where the docs say `None`.
    pub body: Option<TypeRef>,
    /// The description cell; `None` where the docs say `None`.
    pub description: Option<String>,
    /// The example under `> NNN Response`, parsed.
    pub example: Option<Value>,
    /// True where no status table lists the status: it was taken from an
    /// example's `HTTP/1.1 NNN` line or from the response prose.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub inferred: bool,
    /// Line of the table row.
    pub line: usize,
}

/// A type as written in a table cell: `string`, `Role`, `[Role]`, `Role[]`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TypeRef {
    /// A type word as written: one the type table knows (`string`, `guid`,
    /// `date-time`, `Int32`, `any`...), or any other lower-case word.
    Scalar(String),
    /// A reference to a definition by name.
    Ref(String),
    /// An array of the inner type (`[T]` or `T[]`).
    Array(Box<TypeRef>),
    /// A body the generator rendered as `Inline` (a schema it did not name).
    Inline,
}

impl TypeRef {
    /// Parses a cell's text. Links are already reduced to their text.
    pub fn parse(text: &str) -> Option<TypeRef> {
        let t = text.trim();
        if t.is_empty() {
            return None;
        }
        if let Some(inner) = t.strip_suffix("[]") {
            return TypeRef::parse(inner).map(|i| TypeRef::Array(Box::new(i)));
        }
        if let Some(inner) = t.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
            return TypeRef::parse(inner).map(|i| TypeRef::Array(Box::new(i)));
        }
        if t == "Inline" {
            return Some(TypeRef::Inline);
        }
        let valid = t
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.');
        if !valid {
            return None;
        }
        // A capitalised word is a definition's name, unless the type table
        // knows it: hand-written pages spell `String`, `DateTime`, `Int32`.
        if t.starts_with(|c: char| c.is_ascii_uppercase()) && super::types::scalar(t).is_none() {
            Some(TypeRef::Ref(t.to_string()))
        } else {
            Some(TypeRef::Scalar(t.to_string()))
        }
    }

    /// Turns a capitalised type-table word that the document also defines
    /// (`Error`, `Object`) into a reference to that definition: the
    /// document's own definition says more than the table's word.
    pub fn prefer_definition(&mut self, defined: &std::collections::HashSet<&str>) {
        match self {
            TypeRef::Scalar(word)
                if word.starts_with(|c: char| c.is_ascii_uppercase())
                    && defined.contains(word.as_str()) =>
            {
                *self = TypeRef::Ref(std::mem::take(word));
            }
            TypeRef::Array(inner) => inner.prefer_definition(defined),
            _ => {}
        }
    }

    /// The type table's row for a scalar word it knows.
    pub fn scalar(&self) -> Option<&'static super::types::Scalar> {
        match self {
            TypeRef::Scalar(word) => super::types::scalar(word),
            _ => None,
        }
    }

    /// The definition this type names, looking through arrays.
    pub fn referenced(&self) -> Option<&str> {
        match self {
            TypeRef::Ref(name) => Some(name),
            TypeRef::Array(inner) => inner.referenced(),
            TypeRef::Scalar(_) | TypeRef::Inline => None,
        }
    }
}

impl fmt::Display for TypeRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TypeRef::Scalar(s) | TypeRef::Ref(s) => f.write_str(s),
            TypeRef::Array(inner) => write!(f, "{inner}[]"),
            TypeRef::Inline => f.write_str("Inline"),
        }
    }
}

impl Serialize for TypeRef {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for TypeRef {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        TypeRef::parse(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("not a type: {text:?}")))
    }
}

/// A named type from the Definitions section.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Definition {
    /// The definition heading.
    pub name: String,
    /// Prose under the heading.
    pub description: Option<String>,
    /// Object properties or enum values.
    #[serde(flatten)]
    pub kind: DefinitionKind,
    /// The example that follows the table, parsed.
    pub example: Option<Value>,
    /// Line of the definition heading.
    pub line: usize,
}

impl Definition {
    /// The object's properties; empty for an enum.
    pub fn properties(&self) -> &[Property] {
        match &self.kind {
            DefinitionKind::Object { properties } => properties,
            DefinitionKind::Enum { .. } => &[],
        }
    }

    /// The property called `name` (case-sensitive), if this is an object.
    pub fn property(&self, name: &str) -> Option<&Property> {
        self.properties().iter().find(|p| p.name == name)
    }
}

/// What a definition defines.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum DefinitionKind {
    /// An object with a property table.
    Object {
        /// Rows of the property table.
        properties: Vec<Property>,
    },
    /// An enumeration with an `Enumerated Values` table.
    Enum {
        /// Rows of the values table.
        values: Vec<EnumValue>,
    },
}

/// One row of a property table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Property {
    /// The member name, case-sensitive.
    pub name: String,
    /// The declared type.
    #[serde(rename = "type")]
    pub ty: TypeRef,
    /// The `Required` column.
    pub required: bool,
    /// The `Nullable` column.
    pub nullable: bool,
    /// The `Description` column.
    pub description: Option<String>,
    /// Line of the table row.
    pub line: usize,
}

/// One row of an `Enumerated Values` table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnumValue {
    /// The symbolic name (`Community`).
    pub name: String,
    /// The wire value: an integer where the cell is one (`2`), else a string.
    pub value: Value,
    /// The `Description` column, where the table has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Line of the table row.
    pub line: usize,
}

impl Contract {
    /// The definition called `name`, if any.
    pub fn definition(&self, name: &str) -> Option<&Definition> {
        self.definitions.iter().find(|d| d.name == name)
    }

    /// The operation with this id, if any.
    pub fn operation(&self, id: &str) -> Option<&Operation> {
        self.operations.iter().find(|o| o.id == id)
    }

    /// The one array member of the object definition `wrapper`, when it has
    /// exactly one: such a wrapper (`Results` of
    /// `IdentityProviderResultsOfIdentityProviderGroup`) is how the docs
    /// answer some lists. Returns the member and its element type.
    pub fn results_member(&self, wrapper: &str) -> Option<(&Property, &TypeRef)> {
        let mut arrays = self
            .definition(wrapper)?
            .properties()
            .iter()
            .filter_map(|p| match &p.ty {
                TypeRef::Array(inner) => Some((p, inner.as_ref())),
                _ => None,
            });
        let first = arrays.next()?;
        arrays.next().is_none().then_some(first)
    }

    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == super::diagnostic::Severity::Error)
    }

    /// The contract as JSON without `line` members and without `source`,
    /// `dialect` and diagnostics: what the document means, not where it
    /// says it. Snapshots and dialect-equivalence tests compare this.
    pub fn semantic_json(&self) -> Value {
        let mut v = serde_json::to_value(self).unwrap_or(Value::Null);
        if let Value::Object(map) = &mut v {
            map.shift_remove("source");
            map.shift_remove("dialect");
            map.shift_remove("diagnostics");
        }
        strip_lines(&mut v);
        v
    }
}

/// Removes every `line` member from model JSON, leaving example bodies alone.
fn strip_lines(v: &mut Value) {
    match v {
        Value::Object(map) => {
            map.shift_remove("line");
            for (key, child) in map.iter_mut() {
                if key != "example" {
                    strip_lines(child);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(strip_lines),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_refs_parse_both_array_spellings() {
        let a = TypeRef::parse("[CommunityTenant]").unwrap();
        let b = TypeRef::parse("CommunityTenant[]").unwrap();
        assert_eq!(a, b);
        assert_eq!(a.to_string(), "CommunityTenant[]");
        assert_eq!(a.referenced(), Some("CommunityTenant"));
        assert_eq!(
            TypeRef::parse("string[]"),
            Some(TypeRef::Array(Box::new(TypeRef::Scalar("string".into()))))
        );
        assert_eq!(
            TypeRef::parse("date-time"),
            Some(TypeRef::Scalar("date-time".into()))
        );
        assert_eq!(TypeRef::parse("Inline"), Some(TypeRef::Inline));
        assert_eq!(
            TypeRef::parse("DateTime[]"),
            Some(TypeRef::Array(Box::new(TypeRef::Scalar("DateTime".into()))))
        );
        assert_eq!(TypeRef::parse("Role").unwrap().scalar(), None);
        assert_eq!(
            TypeRef::parse("Int32").unwrap().scalar().unwrap().word,
            "int32"
        );
        assert_eq!(TypeRef::parse(""), None);
        assert_eq!(TypeRef::parse("two words"), None);
        assert_eq!(TypeRef::parse("[]"), None);
    }

    #[test]
    fn a_results_wrapper_has_exactly_one_array_member() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/specs/003_99419b29eeac7fd1.txt"
        );
        let c = crate::spec::load(std::path::Path::new(path)).unwrap();
        let (member, item) = c
            .results_member("IdentityProviderResultsOfIdentityProviderGroup")
            .unwrap();
        assert_eq!(
            (member.name.as_str(), item.to_string().as_str()),
            ("Results", "IdentityProviderGroup")
        );
        // Two array members (ChildErrors, Data): no single list in it.
        assert!(c
            .results_member("IdentityProviderGroupsMultiStatusResponse")
            .is_none());
        assert!(c.results_member("IdentityProviderGroup").is_none());
        assert!(c.results_member("Nope").is_none());
    }

    #[test]
    fn semantic_json_drops_lines_but_not_example_members() {
        let r = Response {
            status: 200,
            body: None,
            description: None,
            example: Some(serde_json::json!({"line": 3})),
            inferred: false,
            line: 9,
        };
        let mut v = serde_json::to_value(&r).unwrap();
        strip_lines(&mut v);
        assert_eq!(v["example"]["line"], 3);
        assert!(v.get("line").is_none());
    }
}
