//! The reference server's memory stays bounded whatever clients send:
//! oversized creates stop at the byte budget, and a page asked for a
//! million items answers at most the page cap. Measured on a real
//! `conform mock` process through its peak resident set (`VmHWM`).

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use conform::mock::Fixture;

/// The peak resident set of a process, in MiB, from `/proc`.
fn peak_mib(child: &Child) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{}/status", child.id()))
        .expect("/proc status of the mock");
    let kib: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .expect("a VmHWM line");
    kib / 1024
}

struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn mock_memory_stays_bounded_under_oversized_creates_and_huge_pages() {
    const BUDGET_MB: u64 = 8;
    let mut child = Command::new(env!("CARGO_BIN_EXE_conform"))
        .args([
            "mock",
            "specs/",
            "--quiet",
            "--store-mb",
            &BUDGET_MB.to_string(),
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("conform starts");
    let mut url = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut url)
        .expect("a URL line");
    let child = Killed(child);
    let url = url.trim().to_string();
    let fixture = Fixture::builtin();
    let admin = fixture.admin_token().expect("admin").to_string();
    let tenant = fixture
        .params()
        .into_iter()
        .find(|(n, _)| n == "tenantId")
        .expect("tenantId")
        .1;
    let before = peak_mib(&child.0);

    let _ = rustls::crypto::ring::default_provider().install_default();
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let (created, refused, page_items) = runtime.block_on(async {
        let client = reqwest::Client::new();
        let roles = format!("{url}/api/v1/Tenants/{tenant}/Roles");
        let mut created = 0;
        let mut refused = 0;
        // 80 creates of 900 KB names: 70 MiB offered to an 8 MiB budget.
        for i in 0..80 {
            let name = format!("conform-{i}-{}", "n".repeat(900 * 1024));
            let body = serde_json::json!({"Name": name, "RoleScope": 1});
            let resp = client
                .post(&roles)
                .bearer_auth(&admin)
                .json(&body)
                .send()
                .await
                .expect("create answered");
            match resp.status().as_u16() {
                200..=299 => created += 1,
                400 | 413 | 507 => refused += 1,
                s => panic!("create {i} answered {s}"),
            }
        }
        let page = client
            .get(format!("{roles}?skip=0&count=1000000"))
            .bearer_auth(&admin)
            .send()
            .await
            .expect("page answered");
        assert_eq!(page.status().as_u16(), 200);
        let items: serde_json::Value = page.json().await.expect("a JSON page");
        let n = items.as_array().map_or(0, Vec::len);
        (created, refused, n)
    });
    let after = peak_mib(&child.0);
    assert!(
        refused > 0,
        "the budget refused nothing ({created} created)"
    );
    assert!(
        (created as u64) <= BUDGET_MB * 1024 / 900 + 1,
        "{created} creates of 900 KB fit a {BUDGET_MB} MiB budget"
    );
    // Every stored item fits one page here (the page cap is pinned by
    // `mock::regression_pages_are_capped_and_lists_without_count_are_whole`): the huge page lists them all.
    assert!(
        page_items >= created,
        "a page of {page_items} items, {created} stored"
    );
    // The stored items, bodies in flight, the largest page and the
    // allocator's slack, each about the budget, over the start.
    let ceiling = before + 8 * BUDGET_MB;
    assert!(
        after <= ceiling,
        "peak RSS {after} MiB after the attack, {before} MiB before, ceiling {ceiling} MiB"
    );
    eprintln!("mock peak RSS: {before} MiB before, {after} MiB after ({created} stored, {refused} refused)");
}
