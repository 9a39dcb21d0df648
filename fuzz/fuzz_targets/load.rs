//! Fuzzes `spec::load` on arbitrary bytes: the file is written to a
//! temporary path and loaded as any document would be. Run with
//! `cargo +nightly fuzz run load -- -max_len=65536`, seeding the corpus
//! from `fixtures/corpus/` (see README). A crash it finds belongs in
//! `tests/robustness.rs` as a regression test named after the bug.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let dir = std::env::temp_dir().join(format!("conform-fuzz-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join("doc.md");
    if std::fs::write(&path, data).is_ok() {
        let document = conform::spec::load_document(&path).expect("a written file loads");
        let lines: Vec<&str> = document.text.lines().collect();
        for d in &document.contract.diagnostics {
            let _ = d.render_with(&lines);
        }
        let _ = serde_json::to_string(&document.contract);
    }
});
