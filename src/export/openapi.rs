//! OpenAPI 3.1 export: paths, parameters, request bodies, every documented
//! response with its schema and example, components from the definitions,
//! a bearer security scheme, and each operation's allowed roles.
//!
//! Operations whose docs list no client error get a `4XX` response without
//! a body, since any request can be refused; tags say which document they
//! come from; components nothing uses are left out and `enum`s list each
//! value once ([`super::tidy`]); examples are repaired or, where they
//! contradict their schemas, left out ([`super::examples`],
//! [`super::verify`]).
//!
//! Several documents go into one export. Documents may share a definition
//! name with different shapes (`Community` of two API versions), so every
//! component is named after its document: `<document key>.<Name>`, the key
//! being the file name without extension.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde_json::{json, Map, Value};

use super::examples::{escape, repair_with, EnumNames, Repairs};
use super::{tidy, verify};
use crate::schema::derive::Deriver;
use crate::schema::{SchemaCode, SchemaOptions};
use crate::spec::{Contract, DefinitionKind, Diagnostic, Operation, Param, PathTemplate};

/// The extension member listing an operation's allowed roles.
pub const ROLES_EXTENSION: &str = "x-allowed-roles";
/// The extension member keeping the docs' own operation id, which may hold
/// characters an `operationId` should not.
pub const ID_EXTENSION: &str = "x-conform-id";
/// The name of the bearer security scheme.
pub const SECURITY_SCHEME: &str = "bearer";

/// An OpenAPI document and what was met while writing it.
#[derive(Debug, Clone)]
pub struct OpenApi {
    /// The OpenAPI 3.1 document.
    pub document: Value,
    /// Unknown types, clashing operations, examples left out.
    pub diagnostics: Vec<Diagnostic>,
    /// What was done to the docs' examples to make them valid.
    pub repairs: Repairs,
    /// The components left out because nothing exported uses them.
    pub unused: Vec<String>,
}

/// What the `info` and `servers` of an export say, where the documents do
/// not say it.
#[derive(Debug, Clone, Default)]
pub struct ExportOptions {
    /// `info.title`; by default the document's title, or "Conform export"
    /// for several documents.
    pub title: Option<String>,
    /// `info.version`; by default the document's version, or "unversioned".
    pub version: Option<String>,
    /// Server URLs; by default one `https://{host}` with a variable.
    pub servers: Vec<String>,
    /// An SPDX licence identifier (`Apache-2.0`) for `info.license`.
    pub license: Option<String>,
}

/// Exports `contracts` as one OpenAPI 3.1 document.
pub fn openapi(contracts: &[Contract]) -> OpenApi {
    openapi_with(contracts, &ExportOptions::default())
}

/// Exports `contracts` as one OpenAPI 3.1 document with these `info` and
/// `servers` settings. Generator placeholders in examples are repaired
/// ([`super::examples::repair_with`]); an example that still contradicts its
/// schema is left out with an `export-example-dropped` diagnostic.
pub fn openapi_with(contracts: &[Contract], options: &ExportOptions) -> OpenApi {
    let keys = document_keys(contracts);
    let mut diagnostics = Vec::new();
    let mut paths: BTreeMap<String, Map<String, Value>> = BTreeMap::new();
    // Templates that differ only in placeholder names are one path to
    // OpenAPI; the first spelling seen is kept.
    let mut shapes: HashMap<String, PathTemplate> = HashMap::new();
    let mut ids: HashSet<String> = HashSet::new();
    let mut schemas = Map::new();
    let mut tags: Vec<Value> = Vec::new();
    // Where each example came from, to point a diagnostic at it if it has
    // to go: (document, line, what it illustrates) by its JSON pointer.
    let mut origins: HashMap<String, (String, usize, String)> = HashMap::new();
    let mut names = EnumNames::new();

    for (contract, key) in contracts.iter().zip(&keys) {
        let refs = |name: &str| format!("#/components/schemas/{}", component(key, name));
        let mut deriver = Deriver::new(contract, SchemaOptions::default(), &refs);
        let tag = contract.title.clone().unwrap_or_else(|| key.clone());
        if !tags.iter().any(|t| t["name"] == tag.as_str()) {
            let mut t = json!({"name": tag});
            t["description"] = match &contract.description {
                Some(d) => json!(d),
                None => json!(format!("The operations of `{key}`.")),
            };
            tags.push(t);
        }
        for def in &contract.definitions {
            let name = component(key, &def.name);
            if schemas.contains_key(&name) {
                continue;
            }
            let mut schema = deriver.definition(def);
            let at = format!("/components/schemas/{}", escape(&name));
            if let (Some(example), Value::Object(map)) = (&def.example, &mut schema) {
                map.insert("examples".into(), json!([example]));
                let what = format!("the example of `{}`", def.name);
                origins.insert(
                    format!("{at}/examples/0"),
                    (contract.source.clone(), def.line, what),
                );
            }
            if let DefinitionKind::Enum { values } = &def.kind {
                let table = values.iter().map(|v| (v.name.clone(), v.value.clone()));
                names.insert(at, table.collect());
            }
            schemas.insert(name, schema);
        }
        for op in &contract.operations {
            let (path, renames) = path_key(&op.path, &mut shapes);
            let item = paths.entry(path.clone()).or_default();
            let method = op.method.as_str().to_ascii_lowercase();
            if item.contains_key(&method) {
                diagnostics.push(SchemaCode::ExportOperationClash.diagnostic(
                    &contract.source,
                    op.line,
                    format!(
                        "`{}` is {} {path} again, already exported from another document; left out",
                        op.id, op.method
                    ),
                ));
                continue;
            }
            let mut id = url_safe(&op.id);
            if ids.contains(&id) {
                id = format!("{key}.{id}");
            }
            ids.insert(id.clone());
            let operation = operation(&mut deriver, key, op, &id, &tag, &renames);
            let at = format!("/paths/{}/{method}", escape(&path));
            const MEDIA: &str = "content/application~1json/example";
            for r in op.responses.iter().filter(|r| r.example.is_some()) {
                let what = format!("the {} example of `{}`", r.status, op.id);
                let pointer = format!("{at}/responses/{}/{MEDIA}", r.status);
                origins.insert(pointer, (contract.source.clone(), r.line, what));
            }
            if let Some(body) = op.request_body.as_ref().filter(|b| b.example.is_some()) {
                let what = format!("the request body example of `{}`", op.id);
                let pointer = format!("{at}/requestBody/{MEDIA}");
                origins.insert(pointer, (contract.source.clone(), body.line, what));
            }
            item.insert(method, operation);
        }
        diagnostics.extend(deriver.into_diagnostics());
    }

    let title = options.title.clone().unwrap_or_else(|| match contracts {
        [one] => one.title.clone().unwrap_or_else(|| keys[0].clone()),
        _ => "Conform export".to_string(),
    });
    let version = options
        .version
        .clone()
        .or_else(|| match contracts {
            [one] => one.version.clone(),
            _ => None,
        })
        .unwrap_or_else(|| "unversioned".to_string());
    // File names, not paths: the export says which documents it comes
    // from, not where they sat on the machine that exported them.
    let sources: Vec<String> = contracts
        .iter()
        .map(|c| {
            std::path::Path::new(&c.source)
                .file_name()
                .map_or_else(|| c.source.clone(), |n| n.to_string_lossy().into_owned())
        })
        .collect();
    let servers = if options.servers.is_empty() {
        json!([{
            "url": "https://{host}",
            "description": "The service under test.",
            "variables": {"host": {"default": "localhost", "description": "Host and port of the service."}},
        }])
    } else {
        Value::Array(options.servers.iter().map(|u| json!({"url": u})).collect())
    };
    let mut document = json!({
        "openapi": "3.1.0",
        "info": {
            "title": title,
            "version": version,
            "description": format!("Exported by Conform from {}.", sources.join(", ")),
        },
        "servers": servers,
        "security": [{SECURITY_SCHEME: []}],
        "tags": tags,
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                SECURITY_SCHEME: {"type": "http", "scheme": "bearer", "description": "A bearer token for a caller holding the operation's roles."},
            },
        },
    });
    if let Some(id) = &options.license {
        document["info"]["license"] = json!({"name": id, "identifier": id});
    }
    let unused = tidy::prune_unused(&mut document);
    tidy::dedupe_enums(&mut document);
    let repairs = repair_with(&mut document, &names);
    match verify::drop_invalid(&mut document) {
        Ok(dropped) => {
            for d in dropped {
                let (file, line, what) = origins
                    .get(&d.at)
                    .cloned()
                    .unwrap_or_else(|| (String::new(), 0, format!("the example at `{}`", d.at)));
                diagnostics.push(SchemaCode::ExportExampleDropped.diagnostic(
                    &file,
                    line,
                    format!(
                        "{what} contradicts its schema ({}); left out of the export",
                        d.reason
                    ),
                ));
            }
        }
        Err(e) => diagnostics.push(SchemaCode::SchemaNotCompiled.diagnostic(
            contracts.first().map_or("", |c| c.source.as_str()),
            0,
            format!("the exported schemas do not compile, so examples are unchecked: {e}"),
        )),
    }
    OpenApi {
        document,
        diagnostics,
        repairs,
        unused,
    }
}

/// One operation object.
fn operation(
    deriver: &mut Deriver<'_>,
    key: &str,
    op: &Operation,
    id: &str,
    tag: &str,
    renames: &HashMap<String, String>,
) -> Value {
    let mut out = Map::new();
    out.insert("operationId".into(), json!(id));
    out.insert(ID_EXTENSION.into(), json!(op.id));
    out.insert("summary".into(), json!(op.summary));
    if let Some(d) = &op.description {
        out.insert("description".into(), json!(d));
    }
    out.insert("tags".into(), json!([tag]));

    let mut parameters = Vec::new();
    for name in op.path.params() {
        let declared = op.path_params.iter().find(|p| p.name == name);
        let shown = renames.get(name).map_or(name, String::as_str);
        parameters.push(match declared {
            Some(p) => parameter(deriver, op, p, shown, "path", true),
            None => json!({
                "name": shown, "in": "path", "required": true,
                "description": "Not declared by the docs.",
                "schema": {"type": "string"},
            }),
        });
    }
    // A placeholder the template does not read as one (`Namespaces{id}`,
    // a slash missing in the docs) is still a template expression to
    // OpenAPI, so its parameter is a path parameter there.
    let embedded = |p: &Param| {
        !op.path.has_param(&p.name) && op.path.as_str().contains(&format!("{{{}}}", p.name))
    };
    for p in op.path_params.iter().filter(|p| embedded(p)) {
        parameters.push(parameter(deriver, op, p, &p.name, "path", true));
    }
    // The reader may have listed such a parameter with the query's.
    for p in op.query_params.iter().filter(|p| embedded(p)) {
        if !op.path_params.iter().any(|q| q.name == p.name) {
            parameters.push(parameter(deriver, op, p, &p.name, "path", true));
        }
    }
    for p in &op.query_params {
        if !embedded(p) && !op.path.has_param(&p.name) {
            parameters.push(parameter(deriver, op, p, &p.name, "query", p.required));
        }
    }
    if !parameters.is_empty() {
        out.insert("parameters".into(), json!(parameters));
    }

    if let Some(body) = &op.request_body {
        let schema = match &body.definition {
            Some(name) => json!({"$ref": format!("#/components/schemas/{}", component(key, name))}),
            None => json!({}),
        };
        let mut media = json!({"schema": schema});
        if let Some(example) = &body.example {
            media["example"] = example.clone();
        }
        let mut request = json!({"required": true, "content": {"application/json": media}});
        if let Some(d) = &body.description {
            request["description"] = json!(d);
        }
        out.insert("requestBody".into(), request);
    }

    let mut responses = Map::new();
    for r in &op.responses {
        let mut response = json!({
            "description": r.description.clone().unwrap_or_else(|| format!("Status {}.", r.status)),
        });
        if let Some(ty) = &r.body {
            let what = format!("response {} of `{}`", r.status, op.id);
            let mut media = json!({"schema": deriver.type_schema(ty, &what, r.line)});
            if let Some(example) = &r.example {
                media["example"] = example.clone();
            }
            response["content"] = json!({"application/json": media});
        }
        responses.insert(r.status.to_string(), response);
    }
    if !op.responses.iter().any(|r| (400..500).contains(&r.status)) {
        responses.insert(
            "4XX".into(),
            json!({"description": "A client error. The docs list none for this operation, so its body is not described."}),
        );
    }
    out.insert("responses".into(), Value::Object(responses));
    if !op.roles.is_empty() {
        out.insert(ROLES_EXTENSION.into(), json!(op.roles));
    }
    Value::Object(out)
}

fn parameter(
    deriver: &mut Deriver<'_>,
    op: &Operation,
    p: &Param,
    name: &str,
    location: &str,
    required: bool,
) -> Value {
    let what = format!("parameter `{}` of `{}`", p.name, op.id);
    let mut out = json!({
        "name": name,
        "in": location,
        "required": required,
        "schema": deriver.type_schema(&p.ty, &what, p.line),
    });
    if let Some(d) = &p.description {
        out["description"] = json!(d);
    }
    out
}

/// The path key for a template, and how its placeholders are renamed when
/// an earlier document spelled the same path with other names. The key is
/// the first spelling seen, written canonically (one leading `/`).
fn path_key(
    template: &PathTemplate,
    shapes: &mut HashMap<String, PathTemplate>,
) -> (String, HashMap<String, String>) {
    let first = shapes
        .entry(template.shape_key())
        .or_insert_with(|| template.clone());
    let renames = template
        .params()
        .zip(first.params())
        .filter(|(a, b)| a != b)
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    (first.canonical(), renames)
}

/// The component name of a definition in a document.
fn component(key: &str, name: &str) -> String {
    format!("{key}.{}", sanitize(name))
}

/// Keeps the characters OpenAPI allows in component names.
fn sanitize(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// An operation id with every character a URL would need escaped
/// replaced by `_`.
fn url_safe(id: &str) -> String {
    id.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '~') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// One key per document: its file name without extension, made unique.
fn document_keys(contracts: &[Contract]) -> Vec<String> {
    let mut seen: HashSet<String> = HashSet::new();
    contracts
        .iter()
        .map(|c| {
            let stem = std::path::Path::new(&c.source)
                .file_stem()
                .map(|s| sanitize(&s.to_string_lossy()))
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| "doc".to_string());
            let mut key = stem.clone();
            let mut n = 2;
            while !seen.insert(key.clone()) {
                key = format!("{stem}-{n}");
                n += 1;
            }
            key
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_differing_only_in_placeholder_names_share_the_first_spelling() {
        let mut shapes = HashMap::new();
        let mut key = |raw: &str| path_key(&PathTemplate::parse(raw), &mut shapes);
        let (a, r) = key("/T/{tenantId}/R/{roleId}");
        assert_eq!(a, "/T/{tenantId}/R/{roleId}");
        assert!(r.is_empty());
        let (b, r) = key("/T/{tenantId}/R/{id}");
        assert_eq!(b, "/T/{tenantId}/R/{roleId}");
        assert_eq!(r.get("id").map(String::as_str), Some("roleId"));
        let (c, _) = key("/T/{tenantId}/S/{id}");
        assert_eq!(c, "/T/{tenantId}/S/{id}");
        // Literal case and stray slashes do not make another path.
        let (d, _) = key("t/{x}/r/{y}/");
        assert_eq!(d, "/T/{tenantId}/R/{roleId}");
    }

    #[test]
    fn operation_ids_become_url_safe() {
        assert_eq!(url_safe("Roles_Get Role"), "Roles_Get_Role");
        assert_eq!(url_safe("a/b?c~d"), "a_b_c~d");
    }

    #[test]
    fn component_names_keep_only_allowed_characters() {
        assert_eq!(component("000_ab", "Community"), "000_ab.Community");
        assert_eq!(sanitize("a b/c"), "a_b_c");
    }
}
