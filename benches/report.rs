//! Rendering the reports of a large run: the identity and family corpora
//! (about 2,800 cases) against the embedded server, then the score, the
//! HTML page, the markdown and the JSON from the same outcomes. The HTML
//! page is written in one pass and should stay linear in the outcomes and
//! around half a megabyte for this run; its size is printed.

use std::hint::black_box;
use std::sync::Arc;

use conform::api::Api;
use conform::plan;
use conform::report::{html, json, markdown, score, RunReport};
use conform::run::checks::Settings;
use conform::run::http::Limits;
use conform::run::Engine;
use conform::session::{embedded, Documents};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

fn reports(c: &mut Criterion) {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let root = env!("CARGO_MANIFEST_DIR");
    let dirs = [
        format!("{root}/fixtures/corpus/identity"),
        format!("{root}/fixtures/corpus/family"),
    ];
    // What `conform run` does: documents with errors keep their sound
    // operations, and one API model feeds the plan and the server.
    let documents = Documents::load(&dirs).expect("corpus");
    let api = Arc::new(Api::new(documents.usable.clone()));
    let (server, target) = rt
        .block_on(embedded::start(
            api.clone(),
            Vec::new(),
            Settings::default().count_header,
        ))
        .expect("mock");
    let config = target.plan_config(false, "bench");
    let cases = plan::generate_for(&api, &config);
    let engine = Arc::new(
        Engine::new(
            documents.usable.clone(),
            target,
            Limits::default(),
            Settings::default(),
            Default::default(),
        )
        .expect("engine"),
    );
    let outcomes = rt.block_on(engine.execute_all(&cases, 8));
    rt.block_on(server.shutdown());
    let report = RunReport::new(
        &documents.usable,
        documents.left_out.clone(),
        &cases,
        outcomes,
        false,
        None,
        0,
    );
    let page = html::render(&report);
    eprintln!(
        "{} cases: HTML page {} bytes, markdown {} characters; {}",
        report.cases.len(),
        page.len(),
        markdown::render(&report).len(),
        score::score(&report.coverage).line()
    );

    let mut group = c.benchmark_group("report");
    group.throughput(Throughput::Elements(report.cases.len() as u64));
    group.bench_function("score", |b| {
        b.iter(|| black_box(score::score(&report.coverage)))
    });
    group.bench_function("html", |b| b.iter(|| black_box(html::render(&report))));
    group.bench_function("markdown", |b| {
        b.iter(|| black_box(markdown::render(&report)))
    });
    group.bench_function("json", |b| b.iter(|| black_box(json::render(&report))));
    group.finish();
}

criterion_group!(benches, reports);
criterion_main!(benches);
