//! Every real document of the family under `fixtures/corpus/` parses with
//! no error diagnostics, and its operation and definition counts match an
//! independent count of the generator's anchors (`opId…`, `schema_…`).

use conform::spec::{self, Severity};

/// Error diagnostics the corpus really deserves, by (file suffix, code).
/// Empty: every error would be a parser bug.
const EXPLAINED_ERRORS: &[(&str, &str)] = &[];

/// Warnings the real documents deserve, each read in the document.
const EXPLAINED_WARNINGS: &[(&str, &str, usize)] = &[
    // "List Communities a Tenant is Joined to 1" and four more operations on
    // the v1-preview paths declare a `tenantId` their paths do not have.
    (
        "history/communities/2022-07-25.6cfb58639.md",
        "param-not-in-path",
        5,
    ),
    (
        "history/communities/2022-07-28.36aab96a0.md",
        "param-not-in-path",
        5,
    ),
];

fn anchors(text: &str, prefix: &str) -> usize {
    let mut ids: Vec<&str> = text
        .match_indices(prefix)
        .map(|(at, _)| {
            let rest = &text[at + prefix.len()..];
            &rest[..rest.find('"').unwrap_or(0)]
        })
        .collect();
    ids.sort();
    ids.dedup();
    ids.len()
}

#[test]
fn every_corpus_document_parses_and_counts_match_its_anchors() {
    let root = format!("{}/fixtures/corpus", env!("CARGO_MANIFEST_DIR"));
    // The generated Identity documents; the family's areas and their
    // hand-written versions have tests of their own.
    let files: Vec<_> = ["identity", "originals", "history"]
        .iter()
        .flat_map(|dir| spec::documents(&std::path::Path::new(&root).join(dir)).unwrap())
        .collect();
    assert!(
        files.len() >= 33,
        "the corpus has 26 + 2 + 7 documents, found {}",
        files.len()
    );
    let (mut total_ops, mut total_defs) = (0, 0);
    println!("{:<60} {:>4} {:>5}", "document", "ops", "defs");
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let c = spec::parse_str(&file.display().to_string(), &text);
        let name = file.strip_prefix(&root).unwrap().display().to_string();
        println!(
            "{name:<60} {:>4} {:>5}",
            c.operations.len(),
            c.definitions.len()
        );
        assert_eq!(
            c.operations.len(),
            anchors(&text, "<a id=\"opId"),
            "{name}: operations"
        );
        assert_eq!(
            c.definitions.len(),
            anchors(&text, "<a id=\"schema_"),
            "{name}: definitions"
        );
        for d in &c.diagnostics {
            let explained = match d.severity {
                Severity::Error => EXPLAINED_ERRORS
                    .iter()
                    .any(|(f, code)| name.ends_with(f) && d.code == *code),
                Severity::Warning => EXPLAINED_WARNINGS
                    .iter()
                    .any(|(f, code, _)| name.ends_with(f) && d.code == *code),
                Severity::Info => true,
            };
            assert!(explained, "unexplained diagnostic: {d}");
        }
        for (f, code, n) in EXPLAINED_WARNINGS {
            if name.ends_with(f) {
                let got = c.diagnostics.iter().filter(|d| d.code == *code).count();
                assert_eq!(got, *n, "{name}: {code}");
            }
        }
        for op in &c.operations {
            assert!(
                op.path.as_str().starts_with("/api/"),
                "{name}: {} {}",
                op.method,
                op.path
            );
            assert!(!op.responses.is_empty(), "{name}: {} has statuses", op.id);
        }
        total_ops += c.operations.len();
        total_defs += c.definitions.len();
    }
    println!(
        "{total_ops} operations, {total_defs} definitions in {} documents",
        files.len()
    );
    assert!(total_ops > 200);
}
