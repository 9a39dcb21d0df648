//! Parse time against document size: a long property table, a long status
//! table and many operation headings, each at 1×, 10× and 100× its base
//! size, parsed and rendered as `lint` renders them. Each case must grow
//! linearly: 100× the rows in about 100× the time.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

fn properties(n: usize) -> String {
    let mut doc = String::from("# Big\n\n## Get Thing\n\n<a id=\"opIdBig_Get Thing\"></a>\n\n### Request\n```text\nGET /api/things\n```\n\n### Response\n|Status Code|Body Type|Description|\n|---|---|---|\n|200|Thing|ok|\n\n## Definitions\n\n### Thing\n\n#### Properties\n\n|Property Name|Data Type|Required|Nullable|Description|\n|---|---|---|---|---|\n");
    for i in 0..n {
        doc.push_str(&format!("|P{i}|string|false|true|Property {i}|\n"));
    }
    doc
}

fn statuses(n: usize) -> String {
    let mut doc = String::from("# Big\n\n## Get Thing\n\n### Request\n```text\nGET /api/things\n```\n\n### Response\n|Status Code|Body Type|Description|\n|---|---|---|\n");
    for i in 0..n {
        // Most rows repeat a status: every one is a diagnostic to render.
        doc.push_str(&format!("|{}|Thing|row {i}|\n", 200 + i % 300));
    }
    doc
}

fn headings(n: usize) -> String {
    let mut doc = String::from("# Big\n\n");
    for i in 0..n {
        doc.push_str(&format!("## Op {i}\n\n### Request\n```text\nGET /api/things/{i}\n```\n\n### Response\n|Status Code|Body Type|Description|\n|---|---|---|\n|200|string|ok|\n\n"));
    }
    doc
}

/// A case: its name, the document of `n` units, and the 1× unit count.
type Case = (&'static str, fn(usize) -> String, usize);

fn linear(c: &mut Criterion) {
    let cases: [Case; 3] = [
        ("property_rows", properties, 1000),
        ("status_rows", statuses, 1000),
        ("operation_headings", headings, 500),
    ];
    for (name, make, base) in cases {
        let mut group = c.benchmark_group(name);
        group.sample_size(10);
        for scale in [1, 10, 100] {
            let doc = make(base * scale);
            group.throughput(Throughput::Bytes(doc.len() as u64));
            group.bench_with_input(
                BenchmarkId::from_parameter(format!("{scale}x")),
                &doc,
                |b, doc| {
                    b.iter(|| {
                        let c = conform::spec::parse_str("big.md", doc);
                        let lines: Vec<&str> = doc.lines().collect();
                        let rendered: usize = c
                            .diagnostics
                            .iter()
                            .map(|d| d.render_with(&lines).len())
                            .sum();
                        black_box((c, rendered))
                    })
                },
            );
        }
        group.finish();
    }
}

/// Planning against the number of operations: the API model and the
/// cases of 110, 1,100 and 11,000 operations on distinct collections (the
/// planner once took 48 s for 11,000).
fn planning(c: &mut Criterion) {
    let mut group = c.benchmark_group("plan_operations");
    group.sample_size(10);
    for scale in [1, 10, 100] {
        let n = 110 * scale;
        let mut doc = String::from("# Widgets\n\n");
        for i in 0..n {
            doc.push_str(&format!(
                "## `Get Widget {i}`\n\n<a id=\"opIdW_Get Widget {i}\"></a>\n\n```text\n\
                 GET /api/v1/Tenants/{{tenantId}}/Widgets{i}/{{widgetId}}\n```\n\n\
                 ### Response\n\n| Status Code | Body Type | Description |\n|---|---|---|\n\
                 | 200 | string | ok |\n| 404 | None | Widget or tenant not found |\n\n"
            ));
        }
        let contracts = vec![conform::spec::parse_str("big.md", &doc)];
        let cfg = conform::plan::PlanConfig {
            params: vec!["tenantId".into(), "widgetId".into()],
            nonce: "b".into(),
            ..Default::default()
        };
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(
            BenchmarkId::from_parameter(format!("{scale}x")),
            &contracts,
            |b, cs| b.iter(|| black_box(conform::plan::generate(cs, &cfg).len())),
        );
    }
    group.finish();
}

criterion_group!(benches, linear, planning);
criterion_main!(benches);
