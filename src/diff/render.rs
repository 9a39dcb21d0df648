//! Reports: human (grouped by operation, breaking first), markdown (for a
//! pull-request comment, grouped by class) and JSON.

use std::fmt::Write as _;

use serde::Serialize;
use serde_json::{json, Value};

use super::change::Change;
use super::kinds::{ChangeKind, Class};

/// The changes between one old and one new document. A side is `None`
/// when the other side's document has no partner.
#[derive(Debug, Clone, Serialize)]
pub struct DocumentDiff {
    /// The old document's source path.
    pub old: Option<String>,
    /// The new document's source path.
    pub new: Option<String>,
    /// The changes, as [`super::compare`] returns them.
    pub changes: Vec<Change>,
}

impl DocumentDiff {
    fn heading(&self) -> String {
        format!(
            "{} → {}",
            self.old.as_deref().unwrap_or("(none)"),
            self.new.as_deref().unwrap_or("(none)")
        )
    }
}

/// How many changes fall in each class, in [`Class::ALL`] order.
pub fn counts<'a>(changes: impl IntoIterator<Item = &'a Change>) -> [usize; 4] {
    let mut n = [0; 4];
    for c in changes {
        if let Some(i) = Class::ALL.iter().position(|k| *k == c.class) {
            n[i] += 1;
        }
    }
    n
}

fn summary(n: [usize; 4]) -> String {
    let total: usize = n.iter().sum();
    if total == 0 {
        return "no changes".to_string();
    }
    let parts: Vec<String> = Class::ALL
        .iter()
        .zip(n)
        .map(|(c, k)| format!("{k} {}", c.title()))
        .collect();
    format!(
        "{total} change{}: {}",
        if total == 1 { "" } else { "s" },
        parts.join(", ")
    )
}

fn tag(class: Class) -> &'static str {
    match class {
        Class::BreakingForClients => "breaks clients",
        Class::BreakingForImplementations => "breaks implementations",
        Class::Compatible => "compatible",
        Class::Informational => "info",
    }
}

/// The heading a change is grouped under: its operation, else its
/// definition.
fn group_of(c: &Change) -> String {
    match (&c.operation, &c.location.definition) {
        (Some(op), _) => op.clone(),
        (None, Some(d)) => format!("definition {d}"),
        (None, None) => "document".to_string(),
    }
}

/// Groups in order of their most severe change, then of first appearance;
/// changes inside a group most severe first.
fn groups(changes: &[Change]) -> Vec<(String, Vec<&Change>)> {
    let mut out: Vec<(String, Vec<&Change>)> = Vec::new();
    for c in changes {
        let g = group_of(c);
        match out.iter_mut().find(|(name, _)| *name == g) {
            Some((_, list)) => list.push(c),
            None => out.push((g, vec![c])),
        }
    }
    for (_, list) in &mut out {
        list.sort_by_key(|c| c.class);
    }
    out.sort_by_key(|(_, list)| list.iter().map(|c| c.class).min());
    out
}

fn users(list: &[&Change]) -> Vec<String> {
    let mut all: Vec<String> = Vec::new();
    for c in list {
        for u in &c.used_by {
            if !all.contains(u) {
                all.push(u.clone());
            }
        }
    }
    all
}

fn shorten(list: &[String], keep: usize) -> String {
    if list.len() <= keep {
        return list.join(", ");
    }
    format!("{} and {} more", list[..keep].join(", "), list.len() - keep)
}

fn where_(c: &Change) -> String {
    let mut at = vec![c.kind.name().to_string()];
    if let Some(l) = c.old_line {
        at.push(format!("old line {l}"));
    }
    if let Some(l) = c.new_line {
        at.push(format!("new line {l}"));
    }
    at.join(", ")
}

/// The human report: per document pair a summary line, then the changes
/// grouped by operation (definitions after their users), breaking first.
pub fn human(diffs: &[DocumentDiff]) -> String {
    let mut out = String::new();
    for (i, d) in diffs.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let _ = writeln!(out, "{}", d.heading());
        let _ = writeln!(out, "  {}", summary(counts(&d.changes)));
        for (group, list) in groups(&d.changes) {
            out.push('\n');
            let used = users(&list);
            if used.is_empty() {
                let _ = writeln!(out, "  {group}");
            } else {
                let _ = writeln!(out, "  {group} (used by {})", shorten(&used, 3));
            }
            for c in list {
                let _ = writeln!(
                    out,
                    "    {:<24}{}  ({})",
                    tag(c.class),
                    c.message,
                    where_(c)
                );
            }
        }
    }
    let total: Vec<&Change> = diffs.iter().flat_map(|d| &d.changes).collect();
    if diffs.len() > 1 {
        let _ = writeln!(
            out,
            "\n{} document pairs: {}",
            diffs.len(),
            summary(counts(total))
        );
    }
    out
}

fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// The markdown report, meant for a pull-request comment: a count per
/// class, then one table per class with breaking classes first; the
/// informational table is folded away.
pub fn markdown(diffs: &[DocumentDiff]) -> String {
    let mut out = String::new();
    for d in diffs {
        let _ = writeln!(out, "### Contract changes: `{}`\n", d.heading());
        let n = counts(&d.changes);
        let _ = writeln!(out, "{}\n", summary(n));
        for (class, k) in Class::ALL.iter().zip(n) {
            if k == 0 {
                continue;
            }
            let folded = *class == Class::Informational;
            if folded {
                let _ = writeln!(out, "<details><summary>{} ({k})</summary>\n", class.title());
            } else {
                let _ = writeln!(out, "#### {} ({k})\n", capitalise(class.title()));
            }
            let _ = writeln!(out, "| where | change | kind |");
            let _ = writeln!(out, "|---|---|---|");
            for (group, list) in groups(&d.changes) {
                for c in list.iter().filter(|c| c.class == *class) {
                    let _ = writeln!(
                        out,
                        "| `{}` | {} | `{}` |",
                        cell(&group),
                        cell(&c.message),
                        c.kind.name()
                    );
                }
            }
            out.push('\n');
            if folded {
                let _ = writeln!(out, "</details>\n");
            }
        }
    }
    out
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The JSON report: `{"documents": [{"old", "new", "summary", "changes"}],
/// "summary"}`, where a summary counts changes per class name.
pub fn json(diffs: &[DocumentDiff]) -> Value {
    let summary = |n: [usize; 4]| -> Value {
        let mut map = serde_json::Map::new();
        for (class, k) in Class::ALL.iter().zip(n) {
            map.insert(class.name().to_string(), json!(k));
        }
        Value::Object(map)
    };
    let documents: Vec<Value> = diffs
        .iter()
        .map(|d| {
            json!({
                "old": d.old,
                "new": d.new,
                "summary": summary(counts(&d.changes)),
                "changes": d.changes,
            })
        })
        .collect();
    json!({
        "documents": documents,
        "summary": summary(counts(diffs.iter().flat_map(|d| &d.changes))),
    })
}

/// The table of change kinds as markdown rows (`| kind | class | why |`),
/// as the README shows it.
pub fn kinds_table() -> String {
    let mut out = String::from("| kind | class | why |\n|---|---|---|\n");
    for kind in ChangeKind::ALL {
        let _ = writeln!(
            out,
            "| `{}` | {} | {} |",
            kind.name(),
            kind.class().title(),
            cell(kind.explain())
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::change::Location;

    fn sample() -> Vec<DocumentDiff> {
        let changes = vec![
            Change::new(
                ChangeKind::ExampleChanged,
                Location::status(200),
                "status 200 example changed",
            )
            .on("GET /a"),
            Change::new(
                ChangeKind::StatusAdded,
                Location::status(418),
                "status 418 added",
            )
            .on("GET /b"),
            Change::new(
                ChangeKind::StatusRemoved,
                Location::status(408),
                "status 408 | removed",
            )
            .on("GET /a"),
        ];
        vec![DocumentDiff {
            old: Some("old.md".into()),
            new: Some("new.md".into()),
            changes,
        }]
    }

    #[test]
    fn human_puts_the_most_breaking_group_and_change_first() {
        let text = human(&sample());
        let b = text.find("GET /b").unwrap();
        let a = text.find("GET /a").unwrap();
        assert!(b < a, "{text}");
        let removed = text.find("status 408").unwrap();
        let example = text.find("status 200 example").unwrap();
        assert!(removed < example, "{text}");
        assert!(text.contains("3 changes: 1 breaking for clients, 1 breaking for implementations, 0 compatible, 1 informational"));
    }

    #[test]
    fn markdown_escapes_cells_and_folds_information() {
        let md = markdown(&sample());
        assert!(md.contains("status 408 \\| removed"), "{md}");
        assert!(md.contains("<details><summary>informational (1)</summary>"));
        assert!(
            md.find("#### Breaking for clients").unwrap()
                < md.find("#### Breaking for implementations").unwrap()
        );
    }

    #[test]
    fn json_counts_per_class() {
        let v = json(&sample());
        assert_eq!(v["summary"]["breaking-for-clients"], 1);
        assert_eq!(v["documents"][0]["changes"][1]["kind"], "status-added");
        assert_eq!(v["documents"][0]["changes"][1]["location"]["status"], 418);
    }
}
