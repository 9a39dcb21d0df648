//! One snapshot per document in `specs/`: the contract it reads into, as
//! JSON without source lines (so moving text does not churn them), plus its
//! diagnostics. These files are the parser's specification: review every
//! change with `cargo insta review`.

use conform::spec;
use serde_json::{json, Value};

#[test]
fn contracts() {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../../snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        insta::glob!("../../specs", "*.txt", |path| {
            let c = spec::load(path).unwrap();
            let mut doc = c.semantic_json();
            let diagnostics: Vec<Value> = c
                .diagnostics
                .iter()
                .map(|d| json!({"line": d.line, "severity": d.severity, "code": d.code, "message": d.message}))
                .collect();
            if let Value::Object(map) = &mut doc {
                map.insert("dialect".into(), json!(c.dialect));
                map.insert("diagnostics".into(), json!(diagnostics));
            }
            insta::assert_json_snapshot!("contract", doc);
        });
    });
}
