//! The parser never panics and never hangs: random and mutated documents
//! built from the seeds and from the family's hand-written documents
//! (truncations, deleted, swapped and duplicated lines, random bytes)
//! always come back as a contract with sane diagnostics.

use conform::spec::{self, Contract};
use proptest::prelude::*;

fn seeds() -> Vec<String> {
    let dir = format!("{}/specs", env!("CARGO_MANIFEST_DIR"));
    spec::documents(std::path::Path::new(&dir))
        .unwrap()
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect()
}

/// The hand-written documents, read once: every case picks one.
fn handwritten() -> &'static [Vec<u8>] {
    static DOCS: std::sync::OnceLock<Vec<Vec<u8>>> = std::sync::OnceLock::new();
    DOCS.get_or_init(|| {
        let dir = format!("{}/fixtures/corpus/handwritten", env!("CARGO_MANIFEST_DIR"));
        spec::documents(std::path::Path::new(&dir))
            .unwrap()
            .iter()
            .map(|p| std::fs::read(p).unwrap())
            .collect()
    })
}

/// Lines as the readers count them: CRLF, CR and LF each end one.
fn line_count(bytes: &[u8]) -> usize {
    String::from_utf8_lossy(bytes)
        .replace("\r\n", "\n")
        .replace('\r', "\n")
        .lines()
        .count()
}

/// Invariants every parse must keep, whatever the input.
fn sane(c: &Contract, text_lines: usize) {
    for d in &c.diagnostics {
        assert!(
            d.line >= 1 && d.line <= text_lines + 1,
            "diagnostic line {} of {text_lines}: {d}",
            d.line
        );
    }
    for op in &c.operations {
        assert!(op.path.as_str().starts_with('/'));
        assert!(op.line >= 1 && op.line <= text_lines + 1);
        let mut statuses: Vec<u16> = op.responses.iter().map(|r| r.status).collect();
        statuses.dedup();
        assert_eq!(
            statuses.len(),
            op.responses.len(),
            "no duplicate statuses survive"
        );
    }
    let _ = serde_json::to_string(c).expect("every contract serializes");
}

#[derive(Debug, Clone)]
enum Mutation {
    Truncate(usize),
    DeleteLine(usize),
    SwapLines(usize, usize),
    DuplicateLine(usize),
    InsertBytes(usize, Vec<u8>),
    FlipByte(usize, u8),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<usize>().prop_map(Mutation::Truncate),
        any::<usize>().prop_map(Mutation::DeleteLine),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
        any::<usize>().prop_map(Mutation::DuplicateLine),
        (any::<usize>(), prop::collection::vec(any::<u8>(), 1..16))
            .prop_map(|(a, b)| Mutation::InsertBytes(a, b)),
        (any::<usize>(), any::<u8>()).prop_map(|(a, b)| Mutation::FlipByte(a, b)),
    ]
}

fn apply(doc: &[u8], m: &Mutation) -> Vec<u8> {
    let mut lines: Vec<Vec<u8>> = doc
        .split_inclusive(|b| *b == b'\n')
        .map(<[u8]>::to_vec)
        .collect();
    let n = lines.len().max(1);
    match m {
        Mutation::Truncate(at) => return doc[..at % (doc.len() + 1)].to_vec(),
        Mutation::DeleteLine(i) if !lines.is_empty() => {
            lines.remove(i % n);
        }
        Mutation::SwapLines(a, b) if !lines.is_empty() => lines.swap(a % n, b % n),
        Mutation::DuplicateLine(i) if !lines.is_empty() => {
            let l = lines[i % n].clone();
            lines.insert(i % n, l);
        }
        Mutation::InsertBytes(at, bytes) => {
            let mut out = doc.to_vec();
            let at = at % (out.len() + 1);
            out.splice(at..at, bytes.iter().copied());
            return out;
        }
        Mutation::FlipByte(at, b) if !doc.is_empty() => {
            let mut out = doc.to_vec();
            out[at % doc.len()] = *b;
            return out;
        }
        _ => {}
    }
    lines.concat()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, timeout: 10_000, ..ProptestConfig::default() })]

    #[test]
    fn mutated_seeds_parse(which in 0usize..5, muts in prop::collection::vec(mutation(), 1..8)) {
        let seeds = seeds();
        let mut doc = seeds[which % seeds.len()].clone().into_bytes();
        for m in &muts {
            doc = apply(&doc, m);
        }
        let c = spec::parse_bytes("mutated", &doc);
        sane(&c, line_count(&doc));
    }

    #[test]
    fn mutated_handwritten_documents_parse(which in any::<usize>(), muts in prop::collection::vec(mutation(), 1..8)) {
        let docs = handwritten();
        let mut doc = docs[which % docs.len()].clone();
        for m in &muts {
            doc = apply(&doc, m);
        }
        let c = spec::parse_bytes("mutated", &doc);
        sane(&c, line_count(&doc));
    }

    #[test]
    fn random_bytes_parse(bytes in prop::collection::vec(any::<u8>(), 0..4096)) {
        let c = spec::parse_bytes("random", &bytes);
        sane(&c, line_count(&bytes));
    }

    #[test]
    fn random_lines_of_section_words_parse(lines in prop::collection::vec(prop::sample::select(vec![
        "Request", "Parameters", "Request Body", "Response", "Example response body", "Authorization",
        "Definitions", "Properties", "Enumerated Values", "GET /a/{b}", "?x={x}", "{", "}", "[", "]",
        "\"a\": 1,", "| Status Code | Body Type | Description |", "|---|---|---|", "| 200 | X | ok |",
        "| false | true | d |", "200 Response (X)", "- Role", "string b", "[optional] integer x",
        "## Op", "### Request", "```text", "```json", "```", "<h3>Response</h3>", "# Definitions", "## X",
        "<ul>", "<li>Role</li>", "</ul>", "> 200 Response", "`string b`", "<br/>", "", "---",
        // The hand-written documents' constructs.
        "GET api/a/{b}?skip={skip}", "    GET api/a/", "        b?x={x}", "HTTP/1.1 200", "HTTP 201 Created",
        "Content-Type: application/json", "[Optional] `int skip`", "`tenantId`", "| 200 OK | `X` | ok |",
        "| status code | response type | description |", "|--|--|--|", "```> 400 Response", "#### Action",
        "##### Example request", "returns 200 OK", "\"a\": 1, // note", "...", "<<<<<<< HEAD", "=======",
        ">>>>>>> abc", "\u{feff}", "\r", "\t```text",
    ]), 0..120)) {
        let text = lines.join("\n");
        let c = spec::parse_str("lines", &text);
        sane(&c, line_count(text.as_bytes()));
    }
}

/// Regression: the check for an elided example (`…`) sliced the text at a
/// byte inside a multi-byte character (a U+202F narrow no-break space in
/// an example's indentation) and panicked.
#[test]
fn regression_an_ellipsis_check_sliced_inside_a_multibyte_character() {
    let text = "# T\n\n## Get X\n\n### Request\n```text\nGET /x\n```\n\n### Response\n| Status Code | Body Type | Description |\n|---|---|---|\n| 200 | X | ok |\n\n#### Example response body\n> 200 Response\n\n```json\n{\n\u{202f} \"a\": 1 x\n}\n```\n";
    let c = spec::parse_str("t.md", text);
    assert_eq!(c.operations.len(), 1);
    assert!(
        c.diagnostics.iter().any(|d| d.code == "invalid-json"),
        "{:?}",
        c.diagnostics
    );
}
