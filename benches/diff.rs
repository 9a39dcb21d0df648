//! Diff cost on real documents: seed 000 against seed 001 with the path map,
//! and every consecutive pair of the history corpus. Target: a pair of
//! documents compares in well under a millisecond, so that `conform diff`
//! over a whole docs tree is dominated by parsing.

use std::hint::black_box;
use std::path::Path;

use conform::diff::{self, DiffOptions, PathMap};
use conform::spec::{self, Contract};
use criterion::{criterion_group, criterion_main, Criterion};

fn load(relative: &str) -> Contract {
    let path = format!("{}/{relative}", env!("CARGO_MANIFEST_DIR"));
    spec::load(Path::new(&path)).expect("document reads")
}

fn history(dir: &str) -> Vec<Contract> {
    let root = format!("{}/{dir}", env!("CARGO_MANIFEST_DIR"));
    spec::load_all(&[root]).expect("history reads")
}

fn bench(c: &mut Criterion) {
    let old = load("specs/000_a2f21fb7a461d36e.txt");
    let new = load("specs/001_4ff6fbce2b62a5ae.txt");
    let options = DiffOptions {
        path_map: vec![PathMap::parse(
            "/api/v1/tenants/{tenantId}/Communities=/api/v1-preview/Communities",
        )
        .expect("path map")],
    };
    c.bench_function("diff/seeds-000-001", |b| {
        b.iter(|| black_box(diff::compare(&old, &new, &options)))
    });
    let mut docs = history("fixtures/corpus/history/communities");
    docs.extend(history("fixtures/corpus/history/community-groups"));
    let plain = DiffOptions::default();
    c.bench_function("diff/history-consecutive-pairs", |b| {
        b.iter(|| {
            for pair in docs.windows(2) {
                black_box(diff::compare(&pair[0], &pair[1], &plain));
            }
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
