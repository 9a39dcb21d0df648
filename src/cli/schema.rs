//! `conform schema`: the derived JSON Schemas, as JSON.

use std::path::PathBuf;

use anyhow::{bail, Context as _};
use conform::schema::{SchemaOptions, Schemas};
use conform::spec;
use serde_json::{json, Map, Value};

use super::exit::{Exit, SUCCESS};

/// Arguments of `conform schema`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A document, or a directory of `.md` and `.txt` documents.
    path: PathBuf,
    /// Print only the schema of this definition.
    #[arg(long, value_name = "NAME", conflicts_with = "operation")]
    definition: Option<String>,
    /// Print only the response body schema of this operation (with --status).
    #[arg(long, value_name = "ID", requires = "status")]
    operation: Option<String>,
    /// The response status whose body schema --operation prints.
    #[arg(long, value_name = "N", requires = "operation")]
    status: Option<u16>,
    /// Reject members a definition does not declare (`additionalProperties: false`).
    #[arg(long)]
    strict: bool,
    /// Leave out `format` keywords (uuid, date-time, email).
    #[arg(long)]
    no_formats: bool,
}

pub fn run(args: Args) -> anyhow::Result<Exit> {
    let options = SchemaOptions {
        strict: args.strict,
        formats: !args.no_formats,
    };
    let contracts = spec::load_all(std::slice::from_ref(&args.path))?;
    let derived: Vec<(String, Schemas)> = contracts
        .iter()
        .map(|c| (c.source.clone(), Schemas::derive(c, options)))
        .collect();
    for (_, s) in &derived {
        for d in s.diagnostics() {
            eprintln!("{d}");
        }
    }

    let output = if let Some(name) = &args.definition {
        let found: Vec<(&str, &Value)> = derived
            .iter()
            .filter_map(|(src, s)| Some((src.as_str(), s.definition(name)?)))
            .collect();
        pick(&found, &format!("definition `{name}`"))?
    } else if let (Some(id), Some(status)) = (&args.operation, args.status) {
        let documented: Vec<(&str, Option<&Value>)> = contracts
            .iter()
            .zip(&derived)
            .filter(|(c, _)| c.operation(id).and_then(|o| o.response(status)).is_some())
            .map(|(c, (_, s))| (c.source.as_str(), s.response(id, status)))
            .collect();
        let null = Value::Null;
        let found: Vec<(&str, &Value)> = documented
            .iter()
            .map(|(src, v)| (*src, v.unwrap_or(&null)))
            .collect();
        pick(&found, &format!("status {status} of operation `{id}`"))?
    } else {
        let documents: Vec<Value> = contracts
            .iter()
            .zip(&derived)
            .map(|(c, (_, s))| {
                let definitions: Map<String, Value> = s
                    .definitions()
                    .map(|(n, v)| (n.to_string(), v.clone()))
                    .collect();
                let responses: Map<String, Value> = c
                    .operations
                    .iter()
                    .map(|op| {
                        let by_status: Map<String, Value> = op
                            .responses
                            .iter()
                            .map(|r| {
                                let schema = s.response(&op.id, r.status).cloned();
                                (r.status.to_string(), schema.unwrap_or(Value::Null))
                            })
                            .collect();
                        (op.id.clone(), Value::Object(by_status))
                    })
                    .collect();
                json!({"source": c.source, "definitions": definitions, "responses": responses})
            })
            .collect();
        json!({ "documents": documents })
    };
    let text = serde_json::to_string_pretty(&output).context("failed to print the schema")?;
    super::emit(&(text + "\n"))?;
    Ok(SUCCESS)
}

/// The one schema found, or an error naming why there is not exactly one.
fn pick(found: &[(&str, &Value)], what: &str) -> anyhow::Result<Value> {
    match found {
        [] => bail!("no document defines {what}"),
        [(_, v)] => Ok((*v).clone()),
        [(_, first), rest @ ..] if rest.iter().all(|(_, v)| v == first) => Ok((*first).clone()),
        many => {
            let sources: Vec<&str> = many.iter().map(|(s, _)| *s).collect();
            bail!(
                "{what} differs between documents ({}); name one file",
                sources.join(", ")
            )
        }
    }
}
