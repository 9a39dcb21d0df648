//! Dialect equivalence: the markdown originals of seeds 001 and 003 and
//! their flattened web-page text must read into the same contract
//! (descriptions compared after white-space normalisation). This is the
//! proof that the flat reader and the row repair work.

use conform::spec::{self, normalize_ws, Contract, Dialect};
use serde_json::Value;

fn load(rel: &str) -> Contract {
    let path = format!("{}/{rel}", env!("CARGO_MANIFEST_DIR"));
    spec::load(std::path::Path::new(&path)).expect("document reads")
}

/// The semantic contract with every `description` white-space-normalised.
fn normalized(c: &Contract) -> Value {
    fn walk(v: &mut Value) {
        match v {
            Value::Object(map) => {
                for (k, child) in map.iter_mut() {
                    match (k.as_str(), &mut *child) {
                        ("description", Value::String(s)) => *s = normalize_ws(s),
                        ("example", _) => {}
                        _ => walk(child),
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(walk),
            _ => {}
        }
    }
    let mut v = c.semantic_json();
    walk(&mut v);
    v
}

/// The first JSON pointer where two values differ, for a readable failure.
fn first_difference(a: &Value, b: &Value, at: String) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for k in x.keys().chain(y.keys()) {
                match (x.get(k), y.get(k)) {
                    (Some(p), Some(q)) => {
                        if let Some(d) = first_difference(p, q, format!("{at}/{k}")) {
                            return Some(d);
                        }
                    }
                    (p, q) => return Some(format!("{at}/{k}: {p:?} vs {q:?}")),
                }
            }
            None
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .find_map(|(i, (p, q))| first_difference(p, q, format!("{at}/{i}"))),
        _ if a == b => None,
        _ => Some(format!("{at}: {a} vs {b}")),
    }
}

fn assert_equivalent(original: &str, flat: &str) {
    let md = load(original);
    let txt = load(flat);
    assert_eq!(md.dialect, Dialect::Markdown);
    assert_eq!(txt.dialect, Dialect::Flat);
    assert!(!md.operations.is_empty() && !md.definitions.is_empty());
    let (a, b) = (normalized(&md), normalized(&txt));
    if let Some(diff) = first_difference(&a, &b, String::new()) {
        panic!("{original} and {flat} differ at {diff}");
    }
    assert_eq!(a, b);
}

#[test]
fn communities_original_and_flat_seed_001_are_equal() {
    assert_equivalent(
        "fixtures/corpus/originals/communities.2023-01-20.md",
        "specs/001_4ff6fbce2b62a5ae.txt",
    );
}

#[test]
fn community_groups_original_and_flat_seed_003_are_equal() {
    assert_equivalent(
        "fixtures/corpus/originals/community-groups.2023-08-23.md",
        "specs/003_99419b29eeac7fd1.txt",
    );
}

#[test]
fn the_comparison_sees_a_changed_property_type() {
    // Guards the test itself: a one-cell change in the flat text must show.
    let path = format!(
        "{}/specs/003_99419b29eeac7fd1.txt",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(path).unwrap();
    let broken = text.replacen("| StatusCode | int32 |", "| StatusCode | int64 |", 1);
    assert_ne!(text, broken);
    let original = load("fixtures/corpus/originals/community-groups.2023-08-23.md");
    let flat = spec::parse_str("broken.txt", &broken);
    let diff = first_difference(&normalized(&original), &normalized(&flat), String::new());
    assert!(
        diff.as_deref()
            .is_some_and(|d| d.contains("StatusCode") || d.contains("int")),
        "{diff:?}"
    );
}
