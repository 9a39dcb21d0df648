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

/// The family's current documents and their hand-written history, checked
/// against a count that shares no code with the parser: every request line
/// in a code fence is an operation, and every status a status table row or
/// an `HTTP/1.1 NNN` line states belongs to the requests above it.
mod family {
    use std::collections::{BTreeMap, BTreeSet};

    use conform::spec::{self, Severity};

    const METHODS: &[&str] = &["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

    type Count = BTreeMap<(String, String), BTreeSet<u16>>;

    /// `METHOD path` (a query may hold spaces), as (method, path without
    /// the query and with a leading `/`).
    fn request(line: &str) -> Option<(String, String)> {
        let line = line.trim();
        let (method, rest) = line.split_once([' ', '\t'])?;
        if !METHODS.contains(&method) {
            return None;
        }
        let rest = rest.trim();
        let first = rest.split_whitespace().next()?;
        if first.len() != rest.len() && !first.contains('?') {
            return None;
        }
        if !first.contains('/')
            || !first.starts_with(|c: char| c == '/' || c == '{' || c.is_ascii_alphabetic())
        {
            return None;
        }
        let path = first.split('?').next().unwrap_or(first);
        let path = if path.starts_with('/') {
            path.to_string()
        } else {
            format!("/{path}")
        };
        Some((method.to_string(), path))
    }

    fn three_digits(s: &str) -> Option<u16> {
        let code = s.get(..3)?;
        let next = s[3..].chars().next();
        (code.bytes().all(|b| b.is_ascii_digit())
            && next.is_none_or(|c| !c.is_ascii_alphanumeric()))
        .then(|| code.parse().ok())
        .flatten()
        .filter(|s| (100..600).contains(s))
    }

    /// The independent count of one document. Fences under a heading that
    /// says "example" show concrete values, and fences before the first
    /// section heading illustrate the document; neither documents a request.
    pub(super) fn count(text: &str) -> Count {
        let text = text
            .trim_start_matches('\u{feff}')
            .replace("\r\n", "\n")
            .replace('\r', "\n");
        let lines: Vec<&str> = text.split('\n').collect();
        let mut ops: Count = BTreeMap::new();
        let (mut in_fence, mut fence_has_request) = (false, false);
        let mut group: Vec<(String, String)> = Vec::new();
        let mut heading = String::new();
        let mut seen_section = false;
        let mut header: Option<Vec<String>> = None;
        let mut i = 0;
        while i < lines.len() {
            let line = lines[i];
            let t = line.trim();
            i += 1;
            if let Some(rest) = t.strip_prefix("```") {
                let rest = rest.trim_start_matches('`').trim();
                if in_fence && (rest.is_empty() || rest.starts_with(['>', '#', '|'])) {
                    in_fence = false;
                } else if !in_fence {
                    in_fence = true;
                    fence_has_request = false;
                }
                continue;
            }
            if in_fence {
                if let Some((method, mut path)) = request(line) {
                    if heading.contains("example") || !seen_section {
                        continue;
                    }
                    // A path broken after a `/` goes on on the next line.
                    if path.ends_with('/') {
                        let next = lines.get(i).map(|l| l.trim()).unwrap_or("");
                        if !next.is_empty()
                            && !next.contains(' ')
                            && next.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '{')
                            && request(next).is_none()
                        {
                            path.push_str(next.split('?').next().unwrap_or(next));
                            i += 1;
                        }
                    }
                    if !fence_has_request {
                        group.clear();
                        fence_has_request = true;
                    }
                    group.push((method.clone(), path.clone()));
                    ops.entry((method, path)).or_default();
                }
                let status = t
                    .strip_prefix("HTTP")
                    .map(|r| {
                        r.trim_start_matches(|c: char| c == '/' || c == '.' || c.is_ascii_digit())
                    })
                    .filter(|r| r.starts_with(' '))
                    .and_then(|r| three_digits(r.trim_start()));
                if let Some(status) = status {
                    for key in &group {
                        ops.entry(key.clone()).or_default().insert(status);
                    }
                }
                continue;
            }
            let hashes = t.bytes().take_while(|b| *b == b'#').count();
            if (1..=6).contains(&hashes) && t[hashes..].starts_with(' ') || t.starts_with("<h") {
                heading = t.to_lowercase();
                if hashes >= 2
                    || t.starts_with("<h2")
                    || t.starts_with("<h3")
                    || t.starts_with("<h4")
                {
                    seen_section = true;
                }
            }
            if !t.starts_with('|') {
                header = None;
                continue;
            }
            let cells: Vec<String> = t
                .trim_matches('|')
                .split('|')
                .map(|c| c.trim().trim_matches('`').to_lowercase())
                .collect();
            let Some(h) = &header else {
                header = Some(cells);
                continue;
            };
            let Some(col) = h.iter().position(|c| c == "status code" || c == "status") else {
                continue;
            };
            if h.iter().any(|c| c == "header") {
                continue;
            }
            if let Some(status) = cells.get(col).and_then(|c| three_digits(c)) {
                for key in &group {
                    ops.entry(key.clone()).or_default().insert(status);
                }
            }
        }
        ops
    }

    /// Error diagnostics that are real defects of the documents, by (file
    /// suffix, code, how many), each kind read in the documents:
    /// - `invalid-json`: enum names left unquoted (`"Type": Role`,
    ///   `"AccessType": Allowed`), a string where a member belongs
    ///   (`{ "a metadata value" }`), a label line (`form=default`) inside
    ///   the JSON, two bodies in one fence, a missing `:` or comma.
    /// - `missing-status-table`: the operation states no status anywhere
    ///   (no table, no `HTTP/1.1` line, prose such as "the response
    ///   includes a status code" without one).
    /// - `missing-request`: `List Streams` and `List Types` carry an `opId`
    ///   anchor but their request section was never written.
    /// - `duplicate-operation`: `GET /api/v1/tenants/{tenantId}/usage` is
    ///   documented twice under two anchors.
    /// - `unclosed-fence`: a fence never closed before the next heading.
    const REAL_DEFECTS: &[(&str, &str, usize)] = &[
        (
            "family/operations/operations-usage.md",
            "duplicate-operation",
            1,
        ),
        (
            "family/data-views/data-views-access-control.md",
            "invalid-json",
            3,
        ),
        (
            "handwritten/assets/Asset-Centric-Data-API.2020-10-09.107d2ef81.md",
            "invalid-json",
            1,
        ),
        (
            "handwritten/assets/asset-centric-data-api.2020-11-04.c7277078b.md",
            "invalid-json",
            1,
        ),
        (
            "handwritten/assets/asset-centric-data-api.2021-02-18.d1fdeaf3f.md",
            "invalid-json",
            2,
        ),
        (
            "handwritten/assets/asset-status-mapping.2020-11-04.048411156.md",
            "invalid-json",
            1,
        ),
        (
            "handwritten/assets/asset-status-mapping.2020-12-30.d9bc298b6.md",
            "invalid-json",
            1,
        ),
        (
            "handwritten/assets/asset-status.2021-02-13.645bd141c.md",
            "invalid-json",
            1,
        ),
        (
            "handwritten/assets/asset-status.2021-03-29.1e48fce62.md",
            "invalid-json",
            1,
        ),
        (
            "handwritten/assets/asset-status.2021-03-31.016a191f5.md",
            "invalid-json",
            1,
        ),
        (
            "handwritten/assets/asset-status.2021-07-02.f35684aea.md",
            "invalid-json",
            1,
        ),
        (
            "handwritten/data-views/Access_Control_API.2020-07-08.6521edce8.md",
            "invalid-json",
            6,
        ),
        (
            "handwritten/data-views/Access_Control_API.2021-01-21.8a9873570.md",
            "invalid-json",
            6,
        ),
        (
            "handwritten/data-views/Quick_Start_Define_a_Data_View.2020-07-09.25521d0c8.md",
            "invalid-json",
            1,
        ),
        (
            "handwritten/data-views/Quick_Start_Define_a_Data_View.2020-08-13.fda70996d.md",
            "invalid-json",
            1,
        ),
        (
            "handwritten/data-views/data-view-acl-api.2021-03-31.9f229ea78.md",
            "invalid-json",
            6,
        ),
        (
            "handwritten/data-views/data-views-access-control-api.2021-11-10.76155998c.md",
            "invalid-json",
            3,
        ),
        (
            "handwritten/data-views/data-views-access-control.2021-05-05.878e6680e.md",
            "invalid-json",
            3,
        ),
        (
            "handwritten/data-views/data-views-access-control.2021-09-10.79a76df67.md",
            "invalid-json",
            3,
        ),
        (
            "handwritten/data-views/data-views-access-control.2021-09-10.f254326d2.md",
            "invalid-json",
            3,
        ),
        (
            "handwritten/sequential-data-store/SdsStreamExtra.2020-07-08.41c6ecfea.md",
            "invalid-json",
            1,
        ),
        (
            "handwritten/sequential-data-store/SdsStreamExtra.2021-01-22.3bf43b3d1.md",
            "invalid-json",
            1,
        ),
        (
            "handwritten/sequential-data-store/sds-streams-dev.2021-07-06.d01aec013.md",
            "missing-request",
            1,
        ),
        (
            "handwritten/sequential-data-store/sds-types-dev.2021-07-06.3217f0b64.md",
            "missing-request",
            1,
        ),
        (
            "handwritten/assets/asset-search-api.2021-06-08.cb4d8f071.md",
            "missing-status-table",
            1,
        ),
        (
            "handwritten/data-views/Quick_Start_Define_a_Data_View.2020-07-08.1215f91f0.md",
            "missing-status-table",
            1,
        ),
        (
            "handwritten/data-views/Quick_Start_Define_a_Data_View.2020-07-09.25521d0c8.md",
            "missing-status-table",
            1,
        ),
        (
            "handwritten/data-views/Quick_Start_Define_a_Data_View.2020-08-13.fda70996d.md",
            "missing-status-table",
            1,
        ),
        (
            "handwritten/data-views/Quick_Start_Define_a_Data_View.2020-08-21.496e973f1.md",
            "missing-status-table",
            1,
        ),
        (
            "handwritten/data-views/Quick_Start_Get_Data_View_Data.2020-07-08.7215d0a34.md",
            "missing-status-table",
            6,
        ),
        (
            "handwritten/data-views/Quick_Start_Get_Data_View_Data.2020-07-09.d210a9fc3.md",
            "missing-status-table",
            6,
        ),
        (
            "handwritten/data-views/Quick_Start_Get_Data_View_Data.2020-08-13.699348d1c.md",
            "missing-status-table",
            6,
        ),
        (
            "handwritten/data-views/Rec_Workflow.2020-09-16.eaabfd241.md",
            "missing-status-table",
            1,
        ),
        (
            "handwritten/data-views/Rec_Workflow.2020-10-20.4167f4ad8.md",
            "missing-status-table",
            1,
        ),
        (
            "handwritten/data-views/Rec_Workflow_Get.2020-09-16.d6996e081.md",
            "missing-status-table",
            6,
        ),
        (
            "handwritten/data-views/Rec_Workflow_Get.2020-09-24.450e0d1f0.md",
            "missing-status-table",
            6,
        ),
        (
            "handwritten/sequential-data-store/Reading_Data.2020-07-08.95667485d.md",
            "missing-status-table",
            2,
        ),
        (
            "handwritten/sequential-data-store/Reading_Data.2020-09-15.f0c066095.md",
            "missing-status-table",
            2,
        ),
        (
            "handwritten/sequential-data-store/Reading_Data_API.2020-07-08.47b5e70bf.md",
            "missing-status-table",
            2,
        ),
        (
            "handwritten/sequential-data-store/Reading_Data_API.2020-12-30.e80521824.md",
            "missing-status-table",
            2,
        ),
        (
            "handwritten/sequential-data-store/SDS_Streams.2020-07-08.963bd35f0.md",
            "missing-status-table",
            11,
        ),
        (
            "handwritten/sequential-data-store/SDS_Streams.2020-08-04.52e1fa342.md",
            "missing-status-table",
            11,
        ),
        (
            "handwritten/sequential-data-store/SDS_Types.2020-07-08.298c77b48.md",
            "missing-status-table",
            8,
        ),
        (
            "handwritten/sequential-data-store/SDS_Types.2021-01-26.7a16f5037.md",
            "missing-status-table",
            6,
        ),
        (
            "handwritten/sequential-data-store/SDS_Views.2020-07-08.0442b18b8.md",
            "missing-status-table",
            10,
        ),
        (
            "handwritten/sequential-data-store/SDS_Views.2020-09-25.2e70296ef.md",
            "missing-status-table",
            9,
        ),
        (
            "handwritten/sequential-data-store/SdsStreamExtra.2020-07-08.41c6ecfea.md",
            "missing-status-table",
            5,
        ),
        (
            "handwritten/sequential-data-store/SdsStreamExtra.2021-01-22.3bf43b3d1.md",
            "missing-status-table",
            5,
        ),
        (
            "handwritten/sequential-data-store/Searching.2020-07-08.aa986fa9e.md",
            "missing-status-table",
            8,
        ),
        (
            "handwritten/sequential-data-store/Searching.2020-12-08.4f83de90c.md",
            "missing-status-table",
            9,
        ),
        (
            "handwritten/sequential-data-store/Units_of_Measure.2020-07-08.cf471b26b.md",
            "missing-status-table",
            10,
        ),
        (
            "handwritten/sequential-data-store/Units_of_Measure.2021-01-22.ab7609e98.md",
            "missing-status-table",
            7,
        ),
        (
            "handwritten/sequential-data-store/Writing_Data_API.2020-07-08.a85d3b0dd.md",
            "missing-status-table",
            6,
        ),
        (
            "handwritten/sequential-data-store/Writing_Data_API.2021-01-22.c2cec1922.md",
            "missing-status-table",
            6,
        ),
        (
            "handwritten/sequential-data-store/sds-read-data-api.2021-03-31.a1eec6ea4.md",
            "missing-status-table",
            2,
        ),
        (
            "handwritten/sequential-data-store/sds-read-data-api.2021-07-08.4bf01e916.md",
            "missing-status-table",
            2,
        ),
        (
            "handwritten/sequential-data-store/sds-read-data.2021-04-30.20dc6e193.md",
            "missing-status-table",
            2,
        ),
        (
            "handwritten/sequential-data-store/sds-search.2021-04-07.9b66e710d.md",
            "missing-status-table",
            9,
        ),
        (
            "handwritten/sequential-data-store/sds-search.2021-04-07.d1d0f7ef5.md",
            "missing-status-table",
            9,
        ),
        (
            "handwritten/sequential-data-store/sds-stream-views.2021-03-31.b3e28f1e1.md",
            "missing-status-table",
            7,
        ),
        (
            "handwritten/sequential-data-store/sds-table-format.2021-03-31.553070208.md",
            "missing-status-table",
            1,
        ),
        (
            "handwritten/sequential-data-store/sds-types.2021-04-23.0ef9e2ce0.md",
            "missing-status-table",
            6,
        ),
        (
            "handwritten/sequential-data-store/sds-uom.2021-04-26.3d0648827.md",
            "missing-status-table",
            7,
        ),
        (
            "handwritten/sequential-data-store/sds-write-data-api.2021-03-31.c1473fb94.md",
            "missing-status-table",
            6,
        ),
        (
            "handwritten/sequential-data-store/sds-write-data-api.2021-07-08.31800b663.md",
            "missing-status-table",
            6,
        ),
        (
            "handwritten/sequential-data-store/sds-write-data-api.2021-07-09.6aea7c021.md",
            "missing-status-table",
            1,
        ),
        (
            "handwritten/assets/asset-centric-data-api.2021-02-18.d1fdeaf3f.md",
            "unclosed-fence",
            1,
        ),
    ];

    #[test]
    fn every_request_and_status_of_the_family_is_read() {
        let root = format!("{}/fixtures/corpus", env!("CARGO_MANIFEST_DIR"));
        let files: Vec<_> = ["handwritten", "family"]
            .iter()
            .flat_map(|dir| spec::documents(&std::path::Path::new(&root).join(dir)).unwrap())
            .collect();
        assert_eq!(files.len(), 269 + 41);
        let (mut want_ops, mut got_ops, mut want_statuses, mut got_statuses) = (0, 0, 0, 0);
        let mut problems = Vec::new();
        let mut errors: BTreeMap<(String, String), usize> = BTreeMap::new();
        let started = std::time::Instant::now();
        let mut contracts = Vec::new();
        for file in &files {
            contracts.push(spec::load(file).unwrap());
        }
        let elapsed = started.elapsed();
        for (file, c) in files.iter().zip(&contracts) {
            let name = file.strip_prefix(&root).unwrap().display().to_string();
            let text = String::from_utf8_lossy(&std::fs::read(file).unwrap()).into_owned();
            let want = count(&text);
            let mut got: Count = BTreeMap::new();
            for op in &c.operations {
                got.entry((op.method.to_string(), op.path.as_str().to_string()))
                    .or_default()
                    .extend(op.responses.iter().map(|r| r.status));
            }
            for (key, statuses) in &want {
                want_ops += 1;
                want_statuses += statuses.len();
                let Some(found) = got.get(key) else {
                    problems.push(format!("{name}: {} {} not read", key.0, key.1));
                    continue;
                };
                got_ops += 1;
                got_statuses += statuses.intersection(found).count();
                for s in statuses.difference(found) {
                    problems.push(format!("{name}: {} {} lacks status {s}", key.0, key.1));
                }
            }
            for key in got.keys().filter(|k| !want.contains_key(*k)) {
                problems.push(format!("{name}: {} {} read but not counted", key.0, key.1));
            }
            for d in c
                .diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error)
            {
                *errors.entry((name.clone(), d.code.clone())).or_default() += 1;
            }
        }
        println!(
            "{got_ops}/{want_ops} operations and {got_statuses}/{want_statuses} statuses of the independent count read from {} documents in {elapsed:?}",
            files.len()
        );
        for ((file, code), n) in &errors {
            let explained = REAL_DEFECTS
                .iter()
                .any(|(f, c, k)| file.ends_with(f) && code == c && n == k);
            if !explained {
                problems.push(format!("unexplained: {file} has {n} {code}"));
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }
}

/// One small fixture per construct of the hand-written documents, under
/// `fixtures/handwritten/`, with the contract it must give.
mod constructs {
    use conform::spec::{self, Contract, Severity};

    fn load(name: &str) -> Contract {
        let path = format!("{}/fixtures/handwritten/{name}", env!("CARGO_MANIFEST_DIR"));
        spec::load(std::path::Path::new(&path)).unwrap()
    }

    fn requests(c: &Contract) -> Vec<String> {
        c.operations
            .iter()
            .map(|o| format!("{} {}", o.method, o.path))
            .collect()
    }

    fn has(c: &Contract, code: &str, line: usize) -> bool {
        c.diagnostics
            .iter()
            .any(|d| d.code == code && d.line == line)
    }

    #[test]
    fn headings_with_and_without_backticks_anchors_or_depth() {
        let c = load("headings.md");
        assert_eq!(
            requests(&c),
            [
                "GET /api/v1/Quantities/{quantityId}",
                "GET /api/v1/Quantities",
                "GET /api/v1/Quantities/{quantityId}/Units/{unitId}"
            ]
        );
        let ids: Vec<&str> = c.operations.iter().map(|o| o.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "Quantities_Get Quantity",
                "Quantities_List Quantities",
                "Quantities_Get Unit"
            ]
        );
        // Headings that own no request are prose, never errors.
        assert!(has(&c, "prose-section", 5) && has(&c, "prose-section", 35));
        assert!(!c.has_errors(), "{:?}", c.diagnostics);
    }

    #[test]
    fn request_fences_without_slash_with_query_broken_and_several() {
        let c = load("requests.md");
        assert_eq!(
            requests(&c),
            [
                "GET /api/v1/Streams",
                "GET /api/v1/Streams/{streamId}/Data/Interpolated",
                "GET /api/v1/Streams/{streamId}/Data/Transform/First",
                "GET /api/v1/Streams/{streamId}/Data/Transform/Last"
            ]
        );
        let q: Vec<&str> = c.operations[0]
            .query_params
            .iter()
            .map(|p| p.name.as_str())
            .collect();
        assert_eq!(q, ["skip", "count"]);
        assert_eq!(c.operations[1].query_params[0].name, "index");
        assert!(
            has(&c, "request-line-repaired", 19),
            "the broken path is said"
        );
        assert_eq!(
            c.operations[2].responses[0].status, 200,
            "lines share the table"
        );
        assert!(!c.has_errors(), "{:?}", c.diagnostics);
    }

    #[test]
    fn parameters_typed_bare_optional_and_tabled() {
        let c = load("params.md");
        let op = &c.operations[0];
        let path: Vec<(&str, String, bool)> = op
            .path_params
            .iter()
            .map(|p| (p.name.as_str(), p.ty.to_string(), p.required))
            .collect();
        assert_eq!(
            path,
            [
                ("tenantId", "string".into(), true),
                ("assetId", "string".into(), true)
            ]
        );
        assert_eq!(
            op.path_params[0].description.as_deref(),
            Some("The tenant identifier")
        );
        let query: Vec<(&str, String, bool)> = op
            .query_params
            .iter()
            .map(|p| (p.name.as_str(), p.ty.to_string(), p.required))
            .collect();
        assert_eq!(
            query,
            [
                ("skip", "int".into(), false),
                ("count", "integer".into(), false),
                ("depth", "int32".into(), false)
            ]
        );
        assert!(has(&c, "untyped-param", 14), "{:?}", c.diagnostics);
        assert!(
            !c.diagnostics
                .iter()
                .any(|d| d.severity >= Severity::Warning && d.code != "undefined-type"),
            "{:?}",
            c.diagnostics
        );
    }

    #[test]
    fn status_tables_in_any_order_with_reasons_multi_line_cells_and_no_delimiter() {
        let c = load("statuses.md");
        let get: Vec<(u16, String, Option<&str>)> = c.operations[0]
            .responses
            .iter()
            .map(|r| {
                (
                    r.status,
                    r.body.as_ref().map(|b| b.to_string()).unwrap_or_default(),
                    r.description.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            get,
            [
                (200, "SdsType".into(), Some("The type")),
                (
                    404,
                    "error".into(),
                    Some("The type is not there, see the body for details")
                )
            ]
        );
        let list: Vec<u16> = c.operations[1].responses.iter().map(|r| r.status).collect();
        assert_eq!(list, [200, 403], "a table without its |---| row");
        assert!(!c.has_errors(), "{:?}", c.diagnostics);
    }

    #[test]
    fn statuses_inferred_from_status_lines_and_prose_never_invented() {
        let c = load("inferred.md");
        let first = &c.operations[0];
        assert_eq!(
            (first.responses[0].status, first.responses[0].inferred),
            (200, true)
        );
        assert_eq!(
            first.responses[0].example,
            Some(serde_json::json!({"Time": "2017-11-23T12:00:00Z", "Value": 1})),
            "headers skipped, trailing comma repaired"
        );
        assert!(has(&c, "inferred-status", 15) && has(&c, "json-repaired", 18));
        let delete = &c.operations[1];
        assert_eq!(
            (delete.responses[0].status, delete.responses[0].inferred),
            (204, true)
        );
        assert!(has(&c, "inferred-status", 32));
        // Nothing states a status for the third: none is made up.
        assert!(c.operations[2].responses.is_empty());
        assert!(has(&c, "missing-status-table", 34));
    }

    #[test]
    fn repairs_glued_fence_comments_merge_conflict_and_unclosed_fence() {
        let c = load("repairs.md");
        assert_eq!(
            requests(&c),
            ["GET /api/things/{id}", "GET /api/others", "GET /api/last"]
        );
        let thing = &c.operations[0];
        assert_eq!(
            thing.response(200).unwrap().example,
            Some(serde_json::json!({"Id": "a"}))
        );
        assert_eq!(
            thing.response(400).unwrap().example,
            Some(serde_json::json!({"Message": "x"}))
        );
        assert!(has(&c, "json-repaired", 20) && has(&c, "fence-repaired", 24));
        // The first side of the conflict is read: 200, not 201.
        let others: Vec<u16> = c.operations[1].responses.iter().map(|r| r.status).collect();
        assert_eq!(others, [200]);
        assert!(has(&c, "merge-conflict", 38));
        // The fence left open closes before the next heading, so the last
        // operation is still read.
        assert!(has(&c, "unclosed-fence", 49));
        assert_eq!(c.operations[2].responses[0].status, 200);
    }

    #[test]
    fn regression_a_bom_on_seed_004_made_a_spurious_missing_request() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/specs/004_a50be14b8577b9a8.txt"
        );
        let text = std::fs::read_to_string(path).unwrap();
        let plain = spec::parse_str("004", &text);
        for variant in [
            format!("\u{feff}{text}"),
            text.replace('\n', "\r\n"),
            text.replace('\n', "\r"),
        ] {
            let c = spec::parse_bytes("004", variant.as_bytes());
            assert_eq!(c.semantic_json(), plain.semantic_json());
            assert_eq!(c.diagnostics, plain.diagnostics);
        }
    }

    #[test]
    fn regression_a_bom_on_a_flat_document_ended_up_in_the_title_and_ids() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/specs/000_a2f21fb7a461d36e.txt"
        );
        let text = std::fs::read_to_string(path).unwrap();
        let c = spec::parse_bytes("000", format!("\u{feff}{text}").as_bytes());
        assert_eq!(
            c.semantic_json(),
            spec::parse_str("000", &text).semantic_json()
        );
        assert!(!c.title.unwrap_or_default().contains('\u{feff}'));
        assert!(c.operations.iter().all(|o| !o.id.contains('\u{feff}')));
    }

    #[test]
    fn regression_several_request_lines_in_one_fence_are_each_an_operation() {
        let c = spec::parse_str(
            "t.md",
            "# T\n\n## Reads\n\n### Request\n```text\nGET /a\nGET /b\n```\n\n### Response\n| Status Code | Body Type | Description |\n|---|---|---|\n| 200 | string | ok |\n",
        );
        assert_eq!(requests(&c), ["GET /a", "GET /b"]);
    }
}
