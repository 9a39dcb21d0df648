//! Validation throughput on a typical response: the Community example of
//! seed 001 (a community with one tenant and one role), validated again and
//! again against the compiled schema; plus the one-off cost of deriving and
//! compiling a contract's schemas.

use std::hint::black_box;

use conform::schema::{SchemaOptions, Schemas};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use serde_json::Value;

const OP: &str = "Communities_Get a Community by Id";

fn seed() -> conform::spec::Contract {
    let path = format!(
        "{}/specs/001_4ff6fbce2b62a5ae.txt",
        env!("CARGO_MANIFEST_DIR")
    );
    conform::spec::load(std::path::Path::new(&path)).expect("seed 001 reads")
}

/// The docs' example with real identifiers in place of the `"string"`
/// placeholders, so that it is valid with formats asserted.
fn valid_community(example: &Value) -> Value {
    let mut v = example.clone();
    let id = Value::from("3f2504e0-4f89-41d3-9a0c-0305e82c3301");
    v["Id"] = id.clone();
    v["MemberRoleId"] = id.clone();
    v["Tenants"][0]["Id"] = id;
    v
}

fn schema(c: &mut Criterion) {
    let contract = seed();
    let example = contract
        .definition("Community")
        .and_then(|d| d.example.clone())
        .expect("Community has an example");
    let valid = valid_community(&example);
    let schemas = Schemas::derive(&contract, SchemaOptions::default());
    assert!(schemas.validate_response(OP, 200, &valid).is_ok());
    assert!(schemas.validate_response(OP, 200, &example).is_err());

    let mut group = c.benchmark_group("schema");
    group.throughput(Throughput::Elements(1));
    group.bench_function("validate_community", |b| {
        b.iter(|| black_box(schemas.validate_response(OP, 200, black_box(&valid))))
    });
    group.bench_function("validate_community_with_placeholder_errors", |b| {
        b.iter(|| black_box(schemas.validate_response(OP, 200, black_box(&example))))
    });
    group.bench_function("derive_and_compile_seed_001", |b| {
        b.iter(|| {
            black_box(Schemas::derive(
                black_box(&contract),
                SchemaOptions::default(),
            ))
        })
    });
    group.finish();
}

criterion_group!(benches, schema);
criterion_main!(benches);
