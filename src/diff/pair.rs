//! Pairing: which old operation is which new one, and which old document is
//! which new one.

use std::collections::HashSet;

use crate::spec::{Contract, Operation, PathTemplate};

use super::DiffError;

/// `OLD_PREFIX=NEW_PREFIX`: old paths starting with the old prefix are
/// rewritten to start with the new one before operations are paired.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathMap {
    /// The prefix as the old document writes it, canonically spelled,
    /// parsed once.
    pub from: PathTemplate,
    /// The prefix as the new document writes it, canonically spelled.
    pub to: PathTemplate,
}

impl PathMap {
    /// Reads `OLD_PREFIX=NEW_PREFIX`; both sides must be paths.
    pub fn parse(text: &str) -> Result<PathMap, DiffError> {
        let bad = |why: &str| DiffError::BadPathMap {
            text: text.to_string(),
            why: why.to_string(),
        };
        let (from, to) = text
            .split_once('=')
            .ok_or_else(|| bad("expected OLD_PREFIX=NEW_PREFIX"))?;
        let (from, to) = (from.trim(), to.trim());
        if !from.starts_with('/') || !to.starts_with('/') {
            return Err(bad("both prefixes must start with `/`"));
        }
        Ok(PathMap {
            from: PathTemplate::parse(&PathTemplate::parse(from).canonical()),
            to: PathTemplate::parse(&PathTemplate::parse(to).canonical()),
        })
    }

    /// The template rewritten, when the prefix covers whole segments of it.
    /// Literal segments compare without case (the services route that way)
    /// and any placeholder matches any placeholder.
    pub fn apply(&self, path: &PathTemplate) -> Option<PathTemplate> {
        path.rebase(&self.from, &self.to)
    }
}

/// How two operations were found to be the same.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PairedBy {
    /// Same method and template, placeholder names aside.
    Template,
    /// Same method and template once the old path went through a path map.
    PathMap {
        /// The old path after rewriting.
        mapped: String,
    },
    /// Same operation id; the templates differ.
    Id,
}

/// One row of the pairing.
#[derive(Debug)]
pub enum OperationPair<'a> {
    /// Present in both documents.
    Both {
        /// The old operation.
        old: &'a Operation,
        /// The new operation.
        new: &'a Operation,
        /// How they were paired.
        by: PairedBy,
    },
    /// Only in the old document.
    Removed(&'a Operation),
    /// Only in the new document.
    Added(&'a Operation),
}

/// Pairs operations: by method and template (names normalised, after the
/// first path map that applies), then by operation id. New-document order,
/// with removed operations last in old-document order.
pub fn operations<'a>(
    old: &'a Contract,
    new: &'a Contract,
    maps: &[PathMap],
) -> Vec<OperationPair<'a>> {
    let mapped: Vec<Option<PathTemplate>> = old
        .operations
        .iter()
        .map(|o| maps.iter().find_map(|m| m.apply(&o.path)))
        .collect();
    // Placeholder names aside: renaming one does not unpair an operation.
    let pairs = |i: usize, n: &Operation| {
        let o = &old.operations[i];
        o.method == n.method && mapped[i].as_ref().unwrap_or(&o.path).same_shape(&n.path)
    };
    let mut taken: HashSet<usize> = HashSet::new();
    let mut partner: Vec<Option<(usize, PairedBy)>> = vec![None; new.operations.len()];
    for (j, n) in new.operations.iter().enumerate() {
        if let Some(i) = (0..old.operations.len()).find(|i| !taken.contains(i) && pairs(*i, n)) {
            taken.insert(i);
            let by = match &mapped[i] {
                Some(m) => PairedBy::PathMap {
                    mapped: m.to_string(),
                },
                None => PairedBy::Template,
            };
            partner[j] = Some((i, by));
        }
    }
    for (j, n) in new.operations.iter().enumerate() {
        if partner[j].is_some() {
            continue;
        }
        let found = old
            .operations
            .iter()
            .enumerate()
            .find(|(i, o)| !taken.contains(i) && o.id == n.id && o.method == n.method);
        if let Some((i, _)) = found {
            taken.insert(i);
            partner[j] = Some((i, PairedBy::Id));
        }
    }
    let mut out = Vec::new();
    for (j, n) in new.operations.iter().enumerate() {
        out.push(match partner[j].take() {
            Some((i, by)) => OperationPair::Both {
                old: &old.operations[i],
                new: n,
                by,
            },
            None => OperationPair::Added(n),
        });
    }
    for (i, o) in old.operations.iter().enumerate() {
        if !taken.contains(&i) {
            out.push(OperationPair::Removed(o));
        }
    }
    out
}

/// The title as a pairing key: the part after the last `/`, lower case,
/// letters and digits only, so `Identity/communities` meets `Communities`.
fn title_key(c: &Contract) -> Option<String> {
    let title = c.title.as_deref()?;
    let last = title.rsplit('/').next().unwrap_or(title);
    let key: String = last
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    (!key.is_empty()).then_some(key)
}

fn file_key(c: &Contract) -> String {
    std::path::Path::new(&c.source)
        .file_stem()
        .map(|s| s.to_string_lossy().to_lowercase())
        .unwrap_or_default()
}

/// A way to name a document for pairing.
type KeyFn<'k> = &'k dyn Fn(&Contract) -> Option<String>;

/// Pairs documents by title, then by file name. A single document on each
/// side is always a pair. Unpaired documents come back alone, new-side order
/// first, then the old-only ones.
pub fn documents<'a>(
    old: &'a [Contract],
    new: &'a [Contract],
) -> Vec<(Option<&'a Contract>, Option<&'a Contract>)> {
    if old.len() == 1 && new.len() == 1 {
        return vec![(Some(&old[0]), Some(&new[0]))];
    }
    let mut taken: HashSet<usize> = HashSet::new();
    let mut partner: Vec<Option<usize>> = vec![None; new.len()];
    let passes: [KeyFn; 2] = [&title_key, &|c: &Contract| Some(file_key(c))];
    for pass in passes {
        for (j, n) in new.iter().enumerate() {
            if partner[j].is_some() {
                continue;
            }
            let Some(want) = pass(n) else { continue };
            if let Some(i) = (0..old.len())
                .find(|i| !taken.contains(i) && pass(&old[*i]).as_ref() == Some(&want))
            {
                taken.insert(i);
                partner[j] = Some(i);
            }
        }
    }
    let mut out: Vec<(Option<&Contract>, Option<&Contract>)> = new
        .iter()
        .zip(&partner)
        .map(|(n, p)| (p.map(|i| &old[i]), Some(n)))
        .collect();
    out.extend(
        old.iter()
            .enumerate()
            .filter(|(i, _)| !taken.contains(i))
            .map(|(_, o)| (Some(o), None)),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_maps_parse_and_refuse_junk() {
        let m =
            PathMap::parse("/api/v1/tenants/{tenantId}/Communities=/api/v1-preview/Communities/")
                .unwrap();
        assert_eq!(m.from.as_str(), "/api/v1/tenants/{tenantId}/Communities");
        assert_eq!(m.to.as_str(), "/api/v1-preview/Communities");
        assert!(PathMap::parse("/a/b").is_err());
        assert!(PathMap::parse("a=/b").is_err());
        assert!(PathMap::parse("/a=").is_err());
    }

    #[test]
    fn path_maps_cover_whole_segments_only() {
        let m =
            PathMap::parse("/api/v1/tenants/{tenantId}/Communities=/api/v1-preview/Communities")
                .unwrap();
        let apply = |p: &str| m.apply(&PathTemplate::parse(p)).map(|t| t.to_string());
        assert_eq!(
            apply("/api/v1/tenants/{tenantId}/Communities/{communityId}").as_deref(),
            Some("/api/v1-preview/Communities/{communityId}")
        );
        assert_eq!(
            apply("/api/v1/Tenants/{id}/communities").as_deref(),
            Some("/api/v1-preview/Communities")
        );
        assert_eq!(apply("/api/v1/tenants/{tenantId}/CommunitiesX"), None);
        assert_eq!(apply("/api/v1/tenants"), None);
    }
}
