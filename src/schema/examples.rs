//! Docs that check themselves: every example body is validated against
//! the schema it illustrates, and each real contradiction becomes a
//! diagnostic at the example's line (at the very member, where it can be
//! found in the text). The generator's placeholders are not reported.

use serde_json::Value;

use crate::spec::{Contract, Diagnostic};

use super::compile::{Finding, Kind};
use super::locate::{self, Located};
use super::placeholder;
use super::{SchemaCode, Schemas};

/// Checks every example of `contract` against `schemas` (derived from it).
/// `text` is the document's text, used only to find the examples' lines.
///
/// Response examples are checked against their status's body schema,
/// request body examples against the definition the reader inferred for
/// them, and each definition's own example against that definition.
/// Examples under a status the table does not list are already reported
/// by the reader (`example-status-undocumented`).
pub fn check_examples(contract: &Contract, schemas: &Schemas, text: &str) -> Vec<Diagnostic> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let first_definition = contract.definitions.iter().map(|d| d.line).min();
    for (i, op) in contract.operations.iter().enumerate() {
        let from = op.line.saturating_sub(1);
        let to = contract
            .operations
            .get(i + 1)
            .map(|next| next.line)
            .into_iter()
            .chain(first_definition)
            .filter(|&l| l > op.line)
            .min()
            .map_or(lines.len(), |l| l - 1);
        for r in &op.responses {
            let (Some(example), Some(_)) = (&r.example, &r.body) else {
                continue;
            };
            let label = locate::find_label(&lines, from, to, &format!("{} Response", r.status));
            let located = locate::find(&lines, label.unwrap_or(from), to, example);
            let findings = schemas.check_response(&op.id, r.status, example);
            let context = format!("the {} example of `{}`", r.status, op.id);
            report(
                &mut out, contract, &context, example, findings, located, r.line,
            );
        }
        if let Some(body) = &op.request_body {
            if let (Some(name), Some(example)) = (&body.definition, &body.example) {
                let located = locate::find(&lines, body.line.saturating_sub(1), to, example);
                let findings = schemas.check_definition(name, example);
                let context = format!("the request body example of `{}` ({name})", op.id);
                report(
                    &mut out, contract, &context, example, findings, located, body.line,
                );
            }
        }
    }
    for (i, def) in contract.definitions.iter().enumerate() {
        let Some(example) = &def.example else {
            continue;
        };
        let to = contract
            .definitions
            .get(i + 1)
            .map(|next| next.line)
            .filter(|&l| l > def.line)
            .map_or(lines.len(), |l| l - 1);
        let located = locate::find(&lines, def.line.saturating_sub(1), to, example);
        let findings = schemas.check_definition(&def.name, example);
        let context = format!("the example of `{}`", def.name);
        report(
            &mut out, contract, &context, example, findings, located, def.line,
        );
    }
    out
}

/// Turns findings into diagnostics, dropping what the placeholders explain.
fn report(
    out: &mut Vec<Diagnostic>,
    contract: &Contract,
    context: &str,
    example: &Value,
    findings: Vec<Finding>,
    located: Option<Located>,
    fallback_line: usize,
) {
    let line_of = |pointer: &str| {
        located
            .as_ref()
            .map_or(fallback_line, |l| l.line_of(pointer))
    };
    for f in findings {
        let pointer = f.error.instance_path.as_str();
        let value = example.pointer(pointer).unwrap_or(&Value::Null);
        let at = if pointer.is_empty() {
            "the top level".to_string()
        } else {
            format!("`{pointer}`")
        };
        let with_value = || match f.error.message.strip_prefix("value") {
            Some(rest) => format!("{}{rest}", render(value)),
            None => f.error.message.clone(),
        };
        let (code, line, message) = match &f.kind {
            Kind::Format(_) if placeholder::is_format_placeholder(value) => continue,
            Kind::Enum { options } if placeholder::is_enum_placeholder(value, options) => continue,
            Kind::Undeclared(names) => {
                let real: Vec<&String> = names
                    .iter()
                    .filter(|n| !placeholder::is_sample_member(n))
                    .collect();
                let Some(first) = real.first() else {
                    continue;
                };
                let listed: Vec<String> = real.iter().map(|n| format!("`{n}`")).collect();
                let member_line = line_of(&format!("{pointer}/{}", super::escape_pointer(first)));
                (
                    SchemaCode::ExampleUndeclaredMember,
                    member_line,
                    if real.len() == 1 {
                        format!("member {} is not declared by the definition", listed[0])
                    } else {
                        format!(
                            "members {} are not declared by the definition",
                            listed.join(", ")
                        )
                    },
                )
            }
            Kind::Format(_) => (SchemaCode::ExampleFormat, line_of(pointer), with_value()),
            Kind::Enum { .. } => (
                SchemaCode::ExampleEnumOutside,
                line_of(pointer),
                with_value(),
            ),
            Kind::Type => (SchemaCode::ExampleTypeWrong, line_of(pointer), with_value()),
            Kind::Required => (
                SchemaCode::ExampleMissingRequired,
                line_of(pointer),
                f.error.message.clone(),
            ),
            Kind::Other => (SchemaCode::ExampleMismatch, line_of(pointer), with_value()),
        };
        out.push(code.diagnostic(
            &contract.source,
            line,
            format!("{context}: at {at}: {message}"),
        ));
    }
}

/// A value as JSON, cut short: messages stay one line.
fn render(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 60 {
        let cut: String = text.chars().take(57).collect();
        format!("{cut}...")
    } else {
        text
    }
}
