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
        (Value::Array(x), Value::Array(y)) => x
            .iter()
            .zip(y)
            .enumerate()
            .find_map(|(i, (p, q))| first_difference(p, q, format!("{at}/{i}")))
            .or_else(|| {
                (x.len() != y.len()).then(|| format!("{at}: {} items vs {}", x.len(), y.len()))
            }),
        _ if a == b => None,
        _ => {
            let short = |v: &Value| v.to_string().chars().take(300).collect::<String>();
            Some(format!("{at}: {} vs {}", short(a), short(b)))
        }
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

/// Flattens a markdown document the way the web scraper flattened seeds 001
/// and 003: markup dropped, headings and labels as plain lines, parameter
/// declarations run together with the previous description, padded tables,
/// bullets for list items, and JSON without fences.
fn flatten(markdown: &str) -> String {
    fn inline(s: &str) -> String {
        // `[text](#link)` → text; backticks and tags dropped.
        let mut out = String::new();
        let mut rest = s;
        while let Some(open) = rest.find('[') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            match after.find("](") {
                Some(close) if !after[..close].contains('[') || after[..close].starts_with('[') => {
                    let target_end = after[close + 2..]
                        .find(')')
                        .map(|e| close + 2 + e + 1)
                        .unwrap_or(after.len());
                    out.push_str(&after[..close]);
                    rest = &after[target_end..];
                }
                _ => {
                    out.push('[');
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        let mut plain = String::new();
        let mut in_tag = false;
        for c in out.replace(['`', '*'], "").chars() {
            match c {
                '<' => in_tag = true,
                '>' if in_tag => in_tag = false,
                _ if !in_tag => plain.push(c),
                _ => {}
            }
        }
        plain
    }
    let mut out = Vec::new();
    let mut lines = markdown.lines().peekable();
    if lines.peek() == Some(&"---") {
        lines.next();
        for l in lines.by_ref() {
            if l == "---" {
                break;
            }
        }
    }
    let mut in_fence = false;
    for line in lines {
        let t = line.trim();
        if t.starts_with("```") {
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            out.push(t.to_string());
            continue;
        }
        if t.is_empty()
            || t == "---"
            || t.starts_with("<a id=")
            || t == "<ul>"
            || t == "</ul>"
            || t == "[[_TOC_]]"
        {
            continue;
        }
        if let Some(item) = t.strip_prefix("<li>") {
            out.push(format!("- {}", inline(item)));
        } else if t.starts_with('#') {
            out.push(inline(t.trim_start_matches('#').trim()));
        } else if let Some(label) = t.strip_prefix("> ") {
            out.push(inline(label));
        } else if t.starts_with('|') {
            let cells: Vec<String> = t
                .trim_matches('|')
                .split('|')
                .map(|c| inline(c).trim().to_string())
                .collect();
            out.push(format!("| {} |", cells.join(" | ")));
        } else if t.starts_with('`') || t.starts_with("<br/>") {
            // Parameter paragraphs: "<br/>desc<br/><br/>`decl`" runs the
            // next declaration into the description.
            let joined = t
                .replace("<br/><br/>", "\u{1}")
                .replace("<br/>", "\n")
                .replace('\u{1}', "");
            for part in joined.split('\n') {
                let part = inline(part);
                if !part.trim().is_empty() {
                    out.push(part.trim().to_string());
                }
            }
        } else {
            out.push(inline(t));
        }
    }
    out.join("\n") + "\n"
}

#[test]
fn the_flattener_reproduces_the_seeds() {
    // The test's own flattener must turn each original into its seed's
    // contract, or the corpus-wide comparison below proves nothing.
    for (original, seed) in [
        (
            "fixtures/corpus/originals/communities.2023-01-20.md",
            "specs/001_4ff6fbce2b62a5ae.txt",
        ),
        (
            "fixtures/corpus/originals/community-groups.2023-08-23.md",
            "specs/003_99419b29eeac7fd1.txt",
        ),
    ] {
        let md =
            std::fs::read_to_string(format!("{}/{original}", env!("CARGO_MANIFEST_DIR"))).unwrap();
        let flat = spec::parse_str("flattened.txt", &flatten(&md));
        assert_eq!(flat.dialect, Dialect::Flat);
        let seed = load(seed);
        if let Some(diff) = first_difference(&normalized(&seed), &normalized(&flat), String::new())
        {
            panic!(
                "{original} flattened differs from {seed:?} at {diff}",
                seed = seed.source
            );
        }
    }
}

#[test]
fn every_corpus_document_reads_the_same_flattened() {
    let root = format!("{}/fixtures/corpus/identity", env!("CARGO_MANIFEST_DIR"));
    let mut compared = 0;
    for path in spec::documents(std::path::Path::new(&root)).unwrap() {
        let md = spec::load(&path).unwrap();
        if md.operations.is_empty() {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let flat = spec::parse_str("flattened.txt", &flatten(&text));
        assert_eq!(flat.dialect, Dialect::Flat, "{}", path.display());
        let (mut a, mut b) = (normalized(&md), normalized(&flat));
        // Operation ids come from anchors the flat text no longer has, and
        // the title from a front matter it drops.
        for v in [&mut a, &mut b] {
            v["title"] = Value::Null;
            for op in v["operations"].as_array_mut().unwrap() {
                op["id"] = Value::Null;
            }
        }
        if let Some(diff) = first_difference(&a, &b, String::new()) {
            panic!("{} read flattened differs at {diff}", path.display());
        }
        compared += 1;
    }
    assert!(compared >= 25, "compared {compared} documents");
}
