//! Comparing two versions of a document: which operations, parameters,
//! statuses, bodies, properties, enum values, definitions and roles changed,
//! each change classed as breaking for clients, breaking for
//! implementations, compatible or informational (see [`ChangeKind`] for the
//! one table of kinds and why each has its class). Operations are paired by
//! method and path template with placeholder names ignored (after any
//! [`PathMap`] rewrites the old path), then by operation id; definitions are
//! compared as the shapes operations send and receive, and by name. Pure:
//! no I/O here; [`render`] turns changes into text.

mod change;
mod compare;
mod kinds;
mod pair;
pub mod render;
mod shapes;

pub use change::{Change, Location};
pub use kinds::{ChangeKind, Class};
pub use pair::{
    documents as pair_documents, operations as pair_operations, OperationPair, PathMap,
};
pub use render::DocumentDiff;

use crate::spec::Contract;

/// Failures of the diff itself (bad options); document problems are
/// diagnostics of the contracts, not errors here.
#[derive(Debug, thiserror::Error)]
pub enum DiffError {
    /// A `--path-map` argument that is not `OLD_PREFIX=NEW_PREFIX`.
    #[error("bad path map {text:?}: {why}")]
    BadPathMap {
        /// The argument as given.
        text: String,
        /// What is wrong with it.
        why: String,
    },
}

/// How to compare.
#[derive(Debug, Clone, Default)]
pub struct DiffOptions {
    /// Prefix rewrites applied to old paths before pairing; the first that
    /// applies wins.
    pub path_map: Vec<PathMap>,
}

/// Every change from `old` to `new`: operations in new-document order
/// (removed ones last), then definitions. Past [`SAME_KIND_MAX`] changes
/// of one kind in one operation (20,000 renamed placeholders), the rest
/// are counted in one last change of that kind.
pub fn compare(old: &Contract, new: &Contract, options: &DiffOptions) -> Vec<Change> {
    collapse(compare::compare(old, new, options))
}

/// How many changes of one kind one operation shows before the rest are
/// summed up.
pub const SAME_KIND_MAX: usize = 20;

fn collapse(changes: Vec<Change>) -> Vec<Change> {
    use std::collections::HashMap;
    let mut seen: HashMap<(Option<String>, ChangeKind), usize> = HashMap::new();
    for c in &changes {
        *seen.entry((c.operation.clone(), c.kind)).or_default() += 1;
    }
    if seen.values().all(|n| *n <= SAME_KIND_MAX) {
        return changes;
    }
    let mut shown: HashMap<(Option<String>, ChangeKind), usize> = HashMap::new();
    let mut out = Vec::new();
    for c in changes {
        let key = (c.operation.clone(), c.kind);
        let total = seen[&key];
        let n = shown.entry(key).or_default();
        *n += 1;
        if *n <= SAME_KIND_MAX {
            out.push(c);
        } else if *n == SAME_KIND_MAX + 1 {
            let more = total - SAME_KIND_MAX;
            let mut summary = c;
            summary.message = format!(
                "and {more} more `{}` changes like the ones above",
                summary.kind.name()
            );
            out.push(summary);
        }
    }
    out
}

/// A contract with nothing in it, standing in for the missing side of an
/// unpaired document so that all its operations show as added or removed.
pub fn empty(like: &Contract) -> Contract {
    Contract {
        source: String::new(),
        dialect: like.dialect,
        title: None,
        version: None,
        description: None,
        operations: Vec::new(),
        definitions: Vec::new(),
        diagnostics: Vec::new(),
    }
}

/// Pairs the documents of both sides and compares each pair.
pub fn compare_all(old: &[Contract], new: &[Contract], options: &DiffOptions) -> Vec<DocumentDiff> {
    pair_documents(old, new)
        .into_iter()
        .filter_map(|(o, n)| {
            let (o_src, n_src) = (o.map(|c| c.source.clone()), n.map(|c| c.source.clone()));
            let changes = match (o, n) {
                (Some(o), Some(n)) => compare(o, n, options),
                (Some(o), None) => compare(o, &empty(o), options),
                (None, Some(n)) => compare(&empty(n), n, options),
                (None, None) => return None,
            };
            Some(DocumentDiff {
                old: o_src,
                new: n_src,
                changes,
            })
        })
        .collect()
}
