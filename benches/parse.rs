//! Parsing throughput: every document of `fixtures/corpus/identity/` and
//! `specs/`, against a bare pulldown-cmark event pass over the same bytes
//! (the ceiling: parsing should cost no more than three times that).

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use pulldown_cmark::{Options, Parser};

fn documents() -> Vec<(String, String)> {
    let root = env!("CARGO_MANIFEST_DIR");
    let mut docs = Vec::new();
    for dir in ["fixtures/corpus/identity", "specs"] {
        for path in
            conform::spec::documents(std::path::Path::new(&format!("{root}/{dir}"))).unwrap()
        {
            docs.push((
                path.display().to_string(),
                std::fs::read_to_string(&path).unwrap(),
            ));
        }
    }
    docs
}

fn parse(c: &mut Criterion) {
    let docs = documents();
    let bytes: usize = docs.iter().map(|(_, t)| t.len()).sum();
    let mut group = c.benchmark_group("parse");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("conform", |b| {
        b.iter(|| {
            for (name, text) in &docs {
                black_box(conform::spec::parse_str(name, text));
            }
        })
    });
    group.bench_function("pulldown_cmark_events", |b| {
        b.iter(|| {
            for (_, text) in &docs {
                for event in Parser::new_ext(text, Options::ENABLE_TABLES).into_offset_iter() {
                    black_box(event);
                }
            }
        })
    });
    group.finish();
}

criterion_group!(benches, parse);
criterion_main!(benches);
